package unrolled.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CurriculumTest {

    @Test
    void lengthRampsLinearlyThenStays() {
        Curriculum curriculum = new Curriculum(5, 45, 100);
        assertEquals(5, curriculum.length(0));
        // 5 + ⌊40 · 50 / 100⌋ = 25
        assertEquals(25, curriculum.length(50));
        // 5 + ⌊40 · 99 / 100⌋ = 44
        assertEquals(44, curriculum.length(99));
        assertEquals(45, curriculum.length(100));
        assertEquals(45, curriculum.length(10_000));
    }

    @Test
    void lengthNeverDecreases() {
        Curriculum curriculum = new Curriculum(2, 17, 33);
        for (long s = 1; s < 50; s++) {
            assertTrue(curriculum.length(s) >= curriculum.length(s - 1), "step " + s);
        }
    }

    @Test
    void eligibleItemsAreThoseNoLongerThanTheCurrentLength() {
        Curriculum curriculum = new Curriculum(3, 9, 6);
        int[] lengths = {2, 9, 4, 3, 7};
        assertArrayEquals(new int[] {0, 3}, curriculum.eligible(lengths, 0));
        // L(3) = 3 + ⌊6 · 3 / 6⌋ = 6
        assertArrayEquals(new int[] {0, 2, 3}, curriculum.eligible(lengths, 3));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, curriculum.eligible(lengths, 6));
    }

    @Test
    void refusesAnEndShorterThanTheStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Curriculum(10, 5, 3));
        assertTrue(e.getMessage().contains("endLength must be at least startLength = 10, but is 5"), e.getMessage());
    }
}

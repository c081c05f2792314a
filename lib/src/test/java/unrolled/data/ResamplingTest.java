package unrolled.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ResamplingTest {

    private static final int[] LABELS = {0, 0, 0, 0, 0, 0, 1, 1, 0, 2};

    @Test
    void everyClassEndsWithAsManyItemsAsTheLargest() {
        int[] epoch = Resampling.oversample(LABELS, 3);
        // 7 of class 0, so 7 of each of the 3 classes
        assertEquals(21, epoch.length);
        int[] perClass = new int[3];
        for (int i : epoch) {
            perClass[LABELS[i]]++;
        }
        assertArrayEquals(new int[] {7, 7, 7}, perClass);
    }

    @Test
    void everyOriginalItemAppearsAtLeastOnceAndTheMajorityExactlyOnce() {
        int[] epoch = Resampling.oversample(LABELS, 3);
        int[] seen = new int[LABELS.length];
        for (int i : epoch) {
            seen[i]++;
        }
        for (int i = 0; i < LABELS.length; i++) {
            assertTrue(seen[i] >= 1, "item " + i + " is missing");
            if (LABELS[i] == 0) {
                assertEquals(1, seen[i], "a majority item is repeated");
            }
        }
    }

    @Test
    void isSeededAndShuffled() {
        assertArrayEquals(Resampling.oversample(LABELS, 5), Resampling.oversample(LABELS, 5));
        int[] epoch = Resampling.oversample(LABELS, 5);
        int[] sorted = epoch.clone();
        Arrays.sort(sorted);
        assertTrue(!Arrays.equals(epoch, sorted), "the epoch is not shuffled");
    }

    @Test
    void refusesANegativeLabel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Resampling.oversample(new int[] {0, -1}, 1));
        assertTrue(e.getMessage().contains("labels[1] = -1"), e.getMessage());
    }
}

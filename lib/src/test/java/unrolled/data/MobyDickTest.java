package unrolled.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MobyDickTest {

    @Test
    void textIsTheWholeNovelFromLoomingsToTheEpilogue() {
        String text = MobyDick.text();
        assertEquals(1_191_160, text.length());
        assertTrue(text.startsWith("CHAPTER 1. Loomings.\n\nCall me Ishmael."));
        // the last sentence of the epilogue
        assertTrue(text.endsWith("only found another orphan.\n"));
    }

    @Test
    void chaptersAreTheHundredThirtyFiveChaptersAndTheEpilogueAndJoinBackToTheText() {
        List<String> parts = MobyDick.chapters();
        assertEquals(136, parts.size());
        assertTrue(parts.get(0).startsWith("CHAPTER 1. Loomings."));
        assertTrue(parts.get(41).startsWith("CHAPTER 42. The Whiteness of The Whale."));
        assertTrue(parts.get(134).startsWith("CHAPTER 135. The Chase.—Third Day."));
        assertTrue(parts.get(135).startsWith("Epilogue"));
        assertEquals(MobyDick.text(), String.join("\n", parts));
    }

    @Test
    void aRangeOfChaptersIsTheirTextJoined() {
        String two = MobyDick.chapters(2, 3);
        assertTrue(two.startsWith("CHAPTER 2. The Carpet-Bag."));
        assertTrue(two.contains("\n\nCHAPTER 3. The Spouter-Inn."));
        assertTrue(!two.contains("CHAPTER 4."));
        assertEquals(MobyDick.chapters().get(135), MobyDick.chapters(136, 136));
    }

    @Test
    void anEmptyOrOutOfRangeChapterRangeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MobyDick.chapters(3, 2));
        assertEquals("MobyDick.chapters: expected 1 ≤ first ≤ last ≤ 136 (136 is the epilogue), but first = 3 and "
                + "last = 2.", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MobyDick.chapters(0, 5));
        assertThrows(IllegalArgumentException.class, () -> MobyDick.chapters(1, 137));
    }

    @Test
    void splitDropsWhatPrecedesTheFirstHeadingAndCutsAtEachHeadingLine() {
        String text = "front matter\nCHAPTER 1. A.\n\nx\n\nCHAPTER 2. B.\n\ny\n";
        assertEquals(List.of("CHAPTER 1. A.\n\nx\n", "CHAPTER 2. B.\n\ny\n"), MobyDick.split(text));
    }
}

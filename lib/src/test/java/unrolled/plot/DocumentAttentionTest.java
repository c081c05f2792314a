package unrolled.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentAttentionTest {

    private static final List<List<String>> SENTENCES = List.of(List.of("the", "music", "was", "awful"),
            List.of("overall", "the", "film", "was", "great"));

    @Test
    void theRedBarsTogetherAreAsLongAsTheSentenceWeightsSum() {
        BufferedImage light = DocumentAttention.of(SENTENCES, new double[][] {{0.25, 0.25, 0.25, 0.25}, {0.2, 0.2, 0.2, 0.2, 0.2}},
                new double[] {0.5, 0.5}, "Where the model looked");
        BufferedImage sharp = DocumentAttention.of(SENTENCES, new double[][] {{0, 0, 0, 1}, {0, 0, 0, 0, 1}},
                new double[] {0.1, 0.9}, "Where the model looked");
        Ink.save(sharp, "document-attention");
        assertEquals(Charts.WIDTH, sharp.getWidth());
        assertTrue(Ink.count(sharp) > 2000, "ink " + Ink.count(sharp));
        // the bars: red pixels, as many in total (0.5 + 0.5 = 0.1 + 0.9), but the second line's is longer when β = 0.9
        assertEquals(Ink.reddish(light), Ink.reddish(sharp), 0.05 * Ink.reddish(light));
        assertTrue(Ink.reddish(sharp) > 0);
    }

    @Test
    void inconsistentInputsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> DocumentAttention.of(SENTENCES, new double[][] {{1, 0, 0, 0}}, new double[] {1, 0}, "t"));
        assertThrows(IllegalArgumentException.class,
                () -> DocumentAttention.of(SENTENCES, new double[][] {{1, 0, 0}, {1, 0, 0, 0, 0}}, new double[] {1, 0}, "t"));
        assertThrows(IllegalArgumentException.class,
                () -> DocumentAttention.of(SENTENCES, new double[][] {{1, 0, 0, 0}, {1, 0, 0, 0, 0}}, new double[] {1.5, 0}, "t"));
        assertThrows(IllegalArgumentException.class,
                () -> DocumentAttention.of(SENTENCES, new double[][] {{1, 0, 0, 0}, {1, 0, 0, 0, 0}}, new double[] {1, 0}, " "));
    }
}

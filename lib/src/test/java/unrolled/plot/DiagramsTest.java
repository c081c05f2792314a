package unrolled.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DiagramsTest {

    private static void assertDrawn(BufferedImage image, String name) {
        Ink.save(image, name);
        assertEquals(Diagrams.WIDTH, image.getWidth());
        assertEquals(Diagrams.HEIGHT, image.getHeight());
        assertEquals(0xFFFFFF, image.getRGB(0, 0) & 0xFFFFFF, "white background");
        long inked = Ink.count(image);
        long total = (long) image.getWidth() * image.getHeight();
        assertTrue(inked > 15_000 && inked < total / 2, name + ": labelled shapes on white, inked pixels = " + inked);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 12})
    void theUnrolledRnnIsDrawnWithItsBackwardFlowInRed(int steps) {
        BufferedImage image = Diagrams.unrolledRnn(steps);
        assertDrawn(image, "unrolled-rnn-" + steps);
        assertTrue(Ink.reddish(image) > 300 * steps, "dashed red BPTT arrows, red pixels = " + Ink.reddish(image));
    }

    @Test
    void moreStepsDrawMoreBoxes() {
        assertTrue(Ink.count(Diagrams.unrolledRnn(6)) > Ink.count(Diagrams.unrolledRnn(2)));
    }

    @Test
    void theLstmCellIsDrawn() {
        assertDrawn(Diagrams.lstmCell(), "lstm-cell");
    }

    @Test
    void theGruCellIsDrawn() {
        assertDrawn(Diagrams.gruCell(), "gru-cell");
    }

    @Test
    void stepsOutOfRangeAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Diagrams.unrolledRnn(13));
        assertEquals("Diagrams.unrolledRnn: steps must be between 1 and 12 (more would not be readable 800 px wide),"
                + " but is 13.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Diagrams.unrolledRnn(0));
        assertEquals("Diagrams.unrolledRnn: steps must be between 1 and 12 (more would not be readable 800 px wide),"
                + " but is 0.", e.getMessage());
    }
}

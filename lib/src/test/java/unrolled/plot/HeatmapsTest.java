package unrolled.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import unrolled.TestData;
import unrolled.tensor.ShapeException;

class HeatmapsTest {

    private static void assertRendered(BufferedImage image, String name) {
        Ink.save(image, name);
        assertEquals(Charts.WIDTH, image.getWidth());
        assertEquals(Charts.HEIGHT, image.getHeight());
        long inked = Ink.count(image);
        assertTrue(inked > 20_000, name + ": cells, labels and a colour bar, inked pixels = " + inked);
    }

    @Test
    void attentionWeightsRenderWithRepeatedTokensAsLabels() {
        List<String> source = List.of("the", "cat", "sat", "on", "the", "mat");
        List<String> target = List.of("le", "chat", "était", "assis", "sur", "le", "tapis");
        double[][] weights = new double[target.size()][source.size()];
        for (int i = 0; i < target.size(); i++) {
            double sum = 0;
            for (int j = 0; j < source.size(); j++) {
                weights[i][j] = Math.exp(-Math.abs(i - j * 1.1));
                sum += weights[i][j];
            }
            for (int j = 0; j < source.size(); j++) {
                weights[i][j] /= sum;
            }
        }
        assertRendered(Heatmaps.of(weights, target, source, "attention weights α_ij", "input token j", "output token i"),
                "heatmap-attention");
    }

    @Test
    void theColourOfACellFollowsItsValue() {
        // One large value among zeros: that cell is dark blue, the others near white.
        double[][] values = new double[2][2];
        values[0][1] = 1;
        BufferedImage image = Heatmaps.of(values, null, null, "one hot", "column", "row");
        Ink.save(image, "heatmap-one-hot");
        // The grid spans roughly x in [50, 600), y in [44, 360); the colour bar lies right of x = 620.
        long topLeft = blue(image, 60, 300, 50, 190);
        long topRight = blue(image, 340, 590, 50, 190);
        long bottomLeft = blue(image, 60, 300, 220, 350);
        long bottomRight = blue(image, 340, 590, 220, 350);
        assertTrue(topRight > 20_000, "row 0, column 1 is dark blue: " + topRight + " blue pixels");
        assertEquals(0, topLeft + bottomLeft + bottomRight, "the zero cells are pale");
    }

    /** Pixels in [x0, x1) × [y0, y1) that are clearly blue (blue at least 60 above red). */
    private static long blue(BufferedImage image, int x0, int x1, int y0, int y1) {
        long count = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int rgb = image.getRGB(x, y);
                count += (rgb & 0xFF) - ((rgb >> 16) & 0xFF) > 60 ? 1 : 0;
            }
        }
        return count;
    }

    @Test
    void zeroIsWhiteOnADivergingScaleEvenWhenTheRangeIsAsymmetric() {
        BufferedImage image = Heatmaps.of(new double[][] {{-1, 0, 3}}, null, null, "weights", "column", "row", -1, 3);
        Ink.save(image, "heatmap-diverging");
        // One row of three cells across x in about [50, 600); sample near the top of each cell, away from its value.
        int negative = image.getRGB(140, 60);
        int zero = image.getRGB(325, 60);
        int positive = image.getRGB(510, 60);
        assertTrue((negative & 0xFF) - ((negative >> 16) & 0xFF) > 60, "−1 is blue: " + Integer.toHexString(negative));
        assertTrue(((positive >> 16) & 0xFF) - (positive & 0xFF) > 60, "3 is red: " + Integer.toHexString(positive));
        for (int shift : new int[] {0, 8, 16}) {
            assertTrue(((zero >> shift) & 0xFF) > 240, "0 is white: " + Integer.toHexString(zero));
        }
    }

    @Test
    void hiddenStatesOfBothSignsRenderFromAnIndArray() {
        List<String> steps = new ArrayList<>();
        for (int t = 1; t <= 40; t++) {
            steps.add("t=" + t);
        }
        assertRendered(Heatmaps.of(TestData.gaussian(3, 16, 40), null, steps, "hidden state h_t over time",
                "time step t", "hidden unit j"), "heatmap-hidden");
    }

    @Test
    void gatesRenderOnAFixedRange() {
        double[][] gates = new double[8][100];
        for (int j = 0; j < 8; j++) {
            for (int t = 0; t < 100; t++) {
                gates[j][t] = 0.5 + 0.5 * Math.sin(0.1 * t * (j + 1));
            }
        }
        assertRendered(Heatmaps.of(gates, null, null, "forget gate f_t", "time step t", "unit j", 0, 1), "heatmap-gates");
    }

    @Test
    void blankTitlesEmptyDataAndMismatchedLabelsAreRefused() {
        double[][] values = {{1, 2}, {3, 4}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Heatmaps.of(values, null, null, "", "x", "y"));
        assertEquals("Heatmaps.of: title must be non-blank text (plots need a title and axis titles with units), but is"
                + " \"\".", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Heatmaps.of(new double[0][0], null, null, "t", "x", "y"));
        assertEquals("Heatmaps.of: values must have at least one row and one column, but is empty.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Heatmaps.of(values, List.of("a"), null, "t", "x", "y"));
        assertEquals("Heatmaps.of: rowLabels must hold one label per row, 2, but holds 1.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Heatmaps.of(new double[][] {{1, Double.NaN}}, null, null, "t", "x", "y"));
        assertEquals("Heatmaps.of: values must be finite, but values[0][1] = NaN.", e.getMessage());
        ShapeException shape = assertThrows(ShapeException.class,
                () -> Heatmaps.of(TestData.gaussian(1, 2, 3, 4), null, null, "t", "x", "y"));
        assertEquals("Heatmaps.of: values must have shape (rows, cols) = (?, ?), but has shape (2, 3, 4).",
                shape.getMessage());
    }

    @Test
    void attentionMapsTakeTokensOnBothAxes() {
        List<String> source = List.of("2", "1", " ", "N", "o", "v");
        List<String> output = List.of("1", "1", "-", "2", "1");
        org.nd4j.linalg.api.ndarray.INDArray weights = org.nd4j.linalg.factory.Nd4j.zeros(
                org.nd4j.linalg.api.buffer.DataType.DOUBLE, output.size(), source.size());
        for (int i = 0; i < output.size(); i++) {
            weights.putScalar(i, i, 1.0);
        }
        assertRendered(Heatmaps.attention(weights, source, output, "Attention: one-hot alignment"), "attention-map");
        var e = assertThrows(ShapeException.class, () -> Heatmaps.attention(weights, source.subList(0, 5), output, "x"));
        assertTrue(e.getMessage().startsWith("Heatmaps.attention: weights must have shape (Tout, Tsrc) = (5, 5)"), e.getMessage());
    }
}

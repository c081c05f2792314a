package unrolled.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class PlotsTest {

    private static void assertRendered(BufferedImage image, String name) {
        Ink.save(image, name);
        assertEquals(Charts.WIDTH, image.getWidth());
        assertEquals(Charts.HEIGHT, image.getHeight());
        long inked = Ink.count(image);
        assertTrue(inked > 3000 && inked < image.getWidth() * image.getHeight() / 2,
                name + ": axes, lines and text on white, inked pixels = " + inked);
    }

    private static double[] decaying(int n, double rate) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = 2.5 * Math.exp(-rate * i) + 0.1;
        }
        return values;
    }

    @Test
    void linesRenderSeveralSeriesOnALogScale() {
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("learning rate 0.1", decaying(100, 0.05));
        series.put("learning rate 0.01", decaying(80, 0.01));
        assertRendered(Plots.lines("training loss", "step", "loss (nats per token)", true, series), "lines");
    }

    @Test
    void linesRenderAgainstGivenX() {
        double[] x = {0.5, 1, 2, 4};
        assertRendered(Plots.lines("loss against width", "hidden size H (units)", "loss (nats)", false, x,
                Map.of("RNN", new double[] {3, 2, 1.5, 1.2})), "lines-x");
    }

    @Test
    void fewMeasuredPointsAreMarkedAndDenseCurvesAreNot() {
        double[] sizes = {16, 32, 64, 128};
        XYChart measured = Plots.linesChart("loss against width", "hidden size H (units)", "loss (nats)", false, sizes,
                Map.of("LSTM", new double[] {2.1, 1.8, 1.6, 1.5}));
        assertEquals(SeriesMarkers.CIRCLE, measured.getSeriesMap().get("LSTM").getMarker());
        assertTrue(measured.getStyler().getMarkerSize() > 0, "markers must be visible");

        Map<String, double[]> dense = new LinkedHashMap<>();
        dense.put("every step", decaying(Plots.MARKED_POINTS + 1, 0.05));
        XYChart curve = Plots.linesChart("training loss", "step", "loss (nats per token)", false, dense);
        assertEquals(0, curve.getStyler().getMarkerSize(), "a curve of every step is a line alone");

        Map<String, double[]> sparse = new LinkedHashMap<>();
        sparse.put("every 50 steps", decaying(Plots.MARKED_POINTS, 0.05));
        XYChart points = Plots.linesChart("held-out loss", "evaluation (every 50 steps)", "loss (nats per token)",
                false, sparse);
        assertEquals(SeriesMarkers.CIRCLE, points.getSeriesMap().get("every 50 steps").getMarker());
    }

    @Test
    void lossCurvesPlotEveryLossColumnAndSkipMissingValues() {
        int n = 50;
        IntColumn step = IntColumn.create("step");
        DoubleColumn loss = DoubleColumn.create("loss");
        DoubleColumn validation = DoubleColumn.create("validation loss");
        for (int i = 0; i < n; i++) {
            step.append(i * 10);
            loss.append(2.5 * Math.exp(-0.05 * i) + 0.3);
            if (i % 5 == 0) {
                validation.append(2.5 * Math.exp(-0.04 * i) + 0.5);
            } else {
                validation.appendMissing();
            }
        }
        Table history = Table.create("history", step, loss, validation);
        assertRendered(Plots.lossCurves(history, "step", "char-RNN on Shakespeare", "cross-entropy (nats per char)",
                false), "loss-curves");
        assertRendered(Plots.lossCurves(history, "step", "training loss only", "cross-entropy (nats per char)", true,
                "loss"), "loss-curves-log");
    }

    @Test
    void lossCurvesRefuseAMissingOrTextColumnAndAnEmptyTable() {
        Table history = Table.create("history", IntColumn.create("step", 1, 2), StringColumn.create("note", "a", "b"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Plots.lossCurves(history, "step", "t", "loss", false, "loss"));
        assertEquals("Plots.lossCurves: history has no column \"loss\"; its columns are [step, note].", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Plots.lossCurves(history, "step", "t", "loss", false,
                "note"));
        assertEquals("Plots.lossCurves: column \"note\" must be numeric, but is STRING.", e.getMessage());
        Table empty = Table.create("empty", IntColumn.create("step"), DoubleColumn.create("loss"));
        e = assertThrows(IllegalArgumentException.class, () -> Plots.lossCurves(empty, "step", "t", "loss", false));
        assertEquals("Plots.lossCurves: history must hold at least one row, but the table \"empty\" is empty.",
                e.getMessage());
    }

    @Test
    void theGradientNormPlotShowsVanishingOnALogScale() {
        double[] rnn = new double[30];
        double[] lstm = new double[30];
        for (int t = 1; t <= 30; t++) {
            rnn[t - 1] = Math.pow(0.7, 30 - t);
            lstm[t - 1] = 0.5 + 0.01 * t;
        }
        assertRendered(Plots.gradientNormByTimeStep(rnn, "tanh RNN, T = 30, loss at the last step"), "gradient-norm");
        Map<String, double[]> both = new LinkedHashMap<>();
        both.put("RNN", rnn);
        both.put("LSTM", lstm);
        assertRendered(Plots.gradientNormByTimeStep("RNN against LSTM", both), "gradient-norm-compared");
    }

    @Test
    void barsRenderGroupedSeries() {
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("RNN", new double[] {0.52, 0.31, 0.50});
        series.put("LSTM", new double[] {0.99, 0.97, 0.93});
        series.put("GRU", new double[] {0.99, 0.95, 0.94});
        assertRendered(Plots.bars("accuracy on the memory tasks, T = 50", "task", "accuracy (fraction correct)",
                List.of("adding", "copy", "parity"), series), "bars");
    }

    @Test
    void blankTitlesAreRefused() {
        Map<String, double[]> series = Map.of("s", new double[] {1, 2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Plots.lines(" ", "x", "y", false, series));
        assertEquals("Plots.lines: title must be non-blank text (plots need a title and axis titles with units), but is"
                + " \" \".", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Plots.bars("t", "x", null, List.of("a", "b"), series));
        assertEquals("Plots.bars: yAxisTitle must be non-blank text (plots need a title and axis titles with units), but"
                + " is null.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Plots.gradientNormByTimeStep(new double[] {1}, ""));
        assertTrue(e.getMessage().startsWith("Plots.gradientNormByTimeStep: title must be non-blank"), e.getMessage());
    }

    @Test
    void emptyDataIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Plots.lines("t", "x", "y", false, Map.of()));
        assertEquals("Plots.lines: series must hold at least one named series of values, but is empty.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Plots.lines("t", "x", "y", false, Map.of("loss", new double[0])));
        assertEquals("Plots.lines: series \"loss\" must hold at least one value, but is empty.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Plots.bars("t", "x", "y", List.of(), Map.of()));
        assertEquals("Plots.bars: categories must hold at least one name, but is empty.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Plots.gradientNormByTimeStep(new double[0], "t"));
        assertEquals("Plots.gradientNormByTimeStep: series \"‖∂L/∂h_t‖\" must hold at least one value, but is empty.",
                e.getMessage());
    }

    @Test
    void valuesALogScaleCannotShowAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Plots.gradientNormByTimeStep(new double[] {1, 0.1, 0}, "t"));
        assertEquals("Plots.gradientNormByTimeStep: series \"‖∂L/∂h_t‖\" must be positive on a log scale, but has 0.0"
                + " at index 2.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Plots.lines("t", "x", "y", false, Map.of("loss", new double[] {1, Double.NaN})));
        assertEquals("Plots.lines: series \"loss\" must hold finite values, but has NaN at index 1.", e.getMessage());
    }

    @Test
    void barsNeedOneValuePerCategory() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Plots.bars("t", "x", "y",
                List.of("a", "b"), Map.of("RNN", new double[] {1})));
        assertEquals("Plots.bars: series \"RNN\" must hold 2 values, one per x value or category, but holds 1.",
                e.getMessage());
    }
}

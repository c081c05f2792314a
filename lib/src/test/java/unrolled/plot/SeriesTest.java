package unrolled.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

class SeriesTest {

    private final double[] rnn = {1.0, 0.5, 0.25};
    private final double[] lstm = {1.0, 0.9, 0.8};

    @Test
    void ofKeepsTheNamesInTheOrderGiven() {
        Map<String, double[]> series = Series.of("RNN", rnn, "LSTM", lstm, "GRU", lstm, "linear", rnn);
        assertEquals(List.of("RNN", "LSTM", "GRU", "linear"), List.copyOf(series.keySet()));
        assertArrayEquals(rnn, series.get("RNN"));
        assertEquals(List.of("only"), List.copyOf(Series.of("only", rnn).keySet()));
    }

    @Test
    void overMakesOneSeriesPerItemInOrder() {
        Map<String, double[]> series = Series.over(List.of(0.5, 2.0), g -> "gain " + g, g -> new double[] {g, g * g});
        assertEquals(List.of("gain 0.5", "gain 2.0"), List.copyOf(series.keySet()));
        assertArrayEquals(new double[] {2.0, 4.0}, series.get("gain 2.0"));
    }

    @Test
    void theSeriesFeedPlotsInLegendOrder() {
        XYChart chart = Plots.linesChart("Loss", "step", "loss (nats)", false, Series.of("RNN", rnn, "LSTM", lstm));
        assertEquals(List.of("RNN", "LSTM"), List.copyOf(chart.getSeriesMap().keySet()));
    }

    @Test
    void theMapCannotBeChanged() {
        Map<String, double[]> series = Series.of("RNN", rnn);
        assertThrows(UnsupportedOperationException.class, () -> series.put("LSTM", lstm));
    }

    @Test
    void aRepeatedBlankOrMissingSeriesIsRefusedByName() {
        var repeated = assertThrows(IllegalArgumentException.class, () -> Series.of("RNN", rnn, "RNN", lstm));
        assertEquals("Series.of: every name must be distinct, but \"RNN\" is given twice.", repeated.getMessage());
        var blank = assertThrows(IllegalArgumentException.class, () -> Series.of(" ", rnn));
        assertTrue(blank.getMessage().startsWith("Series.of: every name must be non-blank"), blank.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> Series.of("RNN", rnn, "LSTM", null));
        assertEquals("Series.of: the values of \"LSTM\" must not be null.", missing.getMessage());
        var none = assertThrows(IllegalArgumentException.class, () -> Series.over(List.<Double>of(), g -> "g", g -> rnn));
        assertEquals("Series.over: items must hold at least one item, but is empty.", none.getMessage());
    }
}

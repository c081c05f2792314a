package unrolled.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

class DescriptionsTest {

    @Test
    void aChartIsDescribedByItsTitleAxesAndSeries() {
        XYChart chart = Charts.line("Loss by epoch", "epoch", "loss (nats)");
        chart.addSeries("LSTM", new double[] {1, 2}, new double[] {2, 1});
        chart.addSeries("GRU", new double[] {1, 2}, new double[] {2, 1.5});
        chart.getStyler().setYAxisLogarithmic(true);
        assertEquals("Chart \"Loss by epoch\": x axis \"epoch\", y axis \"loss (nats)\" (log scale); series: LSTM, GRU.",
                Charts.description(chart));
    }

    @Test
    void aHeatmapIsDescribedByItsAxesSizeAndColourRange() {
        assertEquals("Heatmap \"Gates\": 4 rows (hidden unit j) by 20 columns (time step t), colour scale from 0.00 to"
                + " 1.00.", Descriptions.heatmap("Gates", "time step t", "hidden unit j", 4, 20, 0, 1));
    }

    @Test
    void theLogLinesUpEachImagesPngDigestWithItsDescriptionOnOneLine(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("plots.tsv");
        BufferedImage first = Heatmaps.of(new double[][] {{0, 1}, {1, 0}}, null, null, "first", "x", "y");
        BufferedImage second = Diagrams.lstmCell();
        Descriptions.append(log, first, "one\tline\nonly");
        Descriptions.append(log, second, "second");
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        // the digest is of the PNG's whole 3-byte groups: what rapaio's unclosed base64 stream sends
        byte[] firstPng = Descriptions.png(first);
        byte[] secondPng = Descriptions.png(second);
        assertEquals(List.of(
                Descriptions.sha256(Arrays.copyOf(firstPng, firstPng.length / 3 * 3)) + "\tone line only",
                Descriptions.sha256(Arrays.copyOf(secondPng, secondPng.length / 3 * 3)) + "\tsecond"), lines);
    }
}

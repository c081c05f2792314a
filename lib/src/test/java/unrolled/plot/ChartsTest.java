package unrolled.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

class ChartsTest {

    @Test
    void rendersALabelledChartWithInkOnIt() {
        XYChart chart = Charts.line("squares", "x (unitless)", "x² (unitless)");
        chart.addSeries("x²", new double[] {1, 2, 3}, new double[] {1, 4, 9});
        BufferedImage image = Charts.image(chart);
        assertEquals(Charts.WIDTH, image.getWidth());
        assertEquals(Charts.HEIGHT, image.getHeight());
        int white = 0xFFFFFFFF;
        long inked = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                inked += image.getRGB(x, y) == white ? 0 : 1;
            }
        }
        assertTrue(inked > 1000, "the image has lines and text on it, inked pixels = " + inked);
    }

    @Test
    void refusesAChartWithoutSeries() {
        XYChart chart = Charts.line("empty", "x", "y");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Charts.image(chart));
        assertTrue(e.getMessage().startsWith("Charts.image: the chart \"empty\" has no series"), e.getMessage());
    }

    @Test
    void refusesAChartWithoutAxisTitles() {
        XYChart chart = new XYChartBuilder().title("untitled axes").build();
        chart.addSeries("s", new double[] {1}, new double[] {1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Charts.image(chart));
        assertTrue(e.getMessage().contains("the chart's x axis title must be non-blank"), e.getMessage());
    }

    @Test
    void refusesABlankTitleWhenStartingAChart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Charts.line(" ", "x", "y"));
        assertTrue(e.getMessage().startsWith("Charts.line: title must be non-blank"), e.getMessage());
    }
}

package unrolled.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.util.Objects;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import unrolled.notebook.Notebook;

/**
 * XChart with the curriculum's house style, rendered to PNG for notebooks.
 *
 * <p>Every plot in the curriculum has a title, axis titles with units, and a legend; {@link #image}
 * refuses a chart without them, or with no data, so that no notebook ever shows a blank or unlabelled plot.
 */
public final class Charts {

    /** Default width in pixels: fits a notebook column and a page of the HTML book. */
    public static final int WIDTH = 720;
    /** Default height in pixels. */
    public static final int HEIGHT = 420;

    private Charts() {
    }

    /**
     * Starts a line chart in the house style: lines without point markers (curves here have many points).
     *
     * @param title what the plot shows, not blank
     * @param xAxisTitle the x axis and its unit, e.g. "time step t", not blank
     * @param yAxisTitle the y axis and its unit, e.g. "gradient norm ‖∂L/∂h_t‖", not blank
     * @return an empty chart; add series with {@code addSeries}
     */
    public static XYChart line(String title, String xAxisTitle, String yAxisTitle) {
        requireText("Charts.line", "title", title);
        requireText("Charts.line", "xAxisTitle", xAxisTitle);
        requireText("Charts.line", "yAxisTitle", yAxisTitle);
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(title).xAxisTitle(xAxisTitle).yAxisTitle(yAxisTitle).build();
        style(chart);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setMarkerSize(0);
        return chart;
    }

    /**
     * Applies the house style: white background, readable fonts, legend outside the plot area.
     *
     * @param chart any XChart chart, not null
     */
    public static void style(Chart<?, ?> chart) {
        Objects.requireNonNull(chart, "Charts.style: chart must not be null");
        Styler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setAntiAlias(true);
    }

    /**
     * Renders a chart as an image, after checking it has a title, axis titles and data.
     * A {@code BufferedImage} as a cell's last expression shows as PNG in every Java kernel.
     *
     * @param chart a chart with at least one non-empty series, not null
     * @return the rendered image
     * @throws IllegalArgumentException if the chart has no title, no axis title, or no data
     */
    public static BufferedImage image(XYChart chart) {
        Objects.requireNonNull(chart, "Charts.image: chart must not be null");
        requireText("Charts.image", "the chart's title", chart.getTitle());
        requireText("Charts.image", "the chart's x axis title", chart.getXAxisTitle());
        requireText("Charts.image", "the chart's y axis title", chart.getYAxisTitle());
        if (chart.getSeriesMap().isEmpty()) {
            throw new IllegalArgumentException("Charts.image: the chart \"" + chart.getTitle()
                    + "\" has no series; add one with chart.addSeries(name, x, y) before rendering it.");
        }
        for (XYSeries series : chart.getSeriesMap().values()) {
            if (series.getXData().length == 0) {
                throw new IllegalArgumentException("Charts.image: series \"" + series.getName() + "\" of chart \""
                        + chart.getTitle() + "\" has no points.");
            }
        }
        return Descriptions.record(BitmapEncoder.getBufferedImage(chart), description(chart));
    }

    /**
     * What a chart shows, in words (the alt text of its picture in the HTML book).
     *
     * @param chart the chart, not null
     * @return its title, axis titles (a logarithmic y axis named) and series names
     */
    public static String description(XYChart chart) {
        Objects.requireNonNull(chart, "Charts.description: chart must not be null");
        return Descriptions.chart(chart.getTitle(), chart.getXAxisTitle(), chart.getYAxisTitle(),
                chart.getStyler().isYAxisLogarithmic(), chart.getSeriesMap().keySet());
    }

    /**
     * Shows a chart in the cell's output (use when it is not the cell's last expression).
     *
     * @param chart a chart with a title, axis titles and data, not null
     */
    public static void show(XYChart chart) {
        Notebook.image(image(chart), description(chart));
    }

    private static void requireText(String method, String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(method + ": " + what + " must be non-blank text (plots need a title and"
                    + " axis titles with units), but is " + (value == null ? "null" : "\"" + value + "\"") + ".");
        }
    }
}

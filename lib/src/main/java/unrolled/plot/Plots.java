package unrolled.plot;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * The curriculum's recurring plots, in the house style of {@link Charts}, as images a notebook cell shows:
 * curves (losses, norms), the vanishing-gradient plot, and grouped bars.
 *
 * <p>Every plot needs a title and axis titles with units, and data; a blank title, an empty series, a
 * non-finite value or a non-positive value on a log scale is refused with a message naming the method, the
 * argument and the offending value, so a notebook never shows a blank or misleading plot. Images are
 * {@link Charts#WIDTH} × {@link Charts#HEIGHT} pixels.
 */
public final class Plots {

    private Plots() {
    }

    /**
     * Line plot of one or more series against their index, x = 0, 1, …, n − 1 (series may differ in length). Curves
     * of at most {@value #MARKED_POINTS} points get a marker at each point.
     *
     * @param title what the plot shows, not blank
     * @param xAxisTitle the x axis and its unit, e.g. "step", not blank
     * @param yAxisTitle the y axis and its unit, e.g. "loss (nats per token)", not blank
     * @param logY true for a logarithmic y axis (every value must then be positive)
     * @param series name to values, in legend order, at least one, none empty, all finite
     * @return the rendered plot
     */
    public static BufferedImage lines(String title, String xAxisTitle, String yAxisTitle, boolean logY,
            Map<String, double[]> series) {
        return Charts.image(linesChart(title, xAxisTitle, yAxisTitle, logY, series));
    }

    /** {@link #lines(String, String, String, boolean, Map)} as a chart, before it is drawn. */
    static XYChart linesChart(String title, String xAxisTitle, String yAxisTitle, boolean logY,
            Map<String, double[]> series) {
        String method = "Plots.lines";
        requireTitles(method, title, xAxisTitle, yAxisTitle);
        PlotInputs.requireSeries(method, series, logY, -1);
        XYChart chart = Charts.line(title, xAxisTitle, yAxisTitle);
        chart.getStyler().setYAxisLogarithmic(logY);
        int longest = 0;
        for (Map.Entry<String, double[]> entry : series.entrySet()) {
            double[] y = entry.getValue();
            double[] x = new double[y.length];
            Arrays.setAll(x, i -> i);
            chart.addSeries(entry.getKey(), x, y.clone());
            longest = Math.max(longest, y.length);
        }
        markPoints(chart, longest);
        return chart;
    }

    /**
     * The most points a curve may have and still be drawn with a marker at each: a curve of a few measured points is
     * shown as points joined by lines, so the reader sees where it was measured and where the line only interpolates;
     * denser curves are drawn as lines alone.
     */
    static final int MARKED_POINTS = 40;

    /** Puts a marker on every point of every series when the longest series has at most {@link #MARKED_POINTS}. */
    private static void markPoints(XYChart chart, int longest) {
        if (longest > MARKED_POINTS) {
            return;
        }
        chart.getStyler().setMarkerSize(7);
        for (var series : chart.getSeriesMap().values()) {
            series.setMarker(SeriesMarkers.CIRCLE);
        }
    }

    /**
     * Line plot of one or more series against shared x values: typically a quantity measured at a few chosen x
     * (every k steps, a few sizes), so at most {@value #MARKED_POINTS} values get a marker at each measured point.
     *
     * @param title what the plot shows, not blank
     * @param xAxisTitle the x axis and its unit, not blank
     * @param yAxisTitle the y axis and its unit, not blank
     * @param logY true for a logarithmic y axis (every value must then be positive)
     * @param x the x values, finite, not empty
     * @param series name to values, each as long as x, all finite
     * @return the rendered plot
     */
    public static BufferedImage lines(String title, String xAxisTitle, String yAxisTitle, boolean logY, double[] x,
            Map<String, double[]> series) {
        return Charts.image(linesChart(title, xAxisTitle, yAxisTitle, logY, x, series));
    }

    /** {@link #lines(String, String, String, boolean, double[], Map)} as a chart, before it is drawn. */
    static XYChart linesChart(String title, String xAxisTitle, String yAxisTitle, boolean logY, double[] x,
            Map<String, double[]> series) {
        String method = "Plots.lines";
        requireTitles(method, title, xAxisTitle, yAxisTitle);
        if (x == null || x.length == 0) {
            throw new IllegalArgumentException(method + ": x must hold at least one value, but is "
                    + (x == null ? "null" : "empty") + ".");
        }
        PlotInputs.requireSeries(method, Map.of("x", x), false, -1);
        PlotInputs.requireSeries(method, series, logY, x.length);
        XYChart chart = Charts.line(title, xAxisTitle, yAxisTitle);
        chart.getStyler().setYAxisLogarithmic(logY);
        for (Map.Entry<String, double[]> entry : series.entrySet()) {
            chart.addSeries(entry.getKey(), x.clone(), entry.getValue().clone());
        }
        markPoints(chart, x.length);
        return chart;
    }

    /**
     * Training curves from a history table, one line per loss column against the x column. Missing values are
     * skipped, so a validation loss measured every k steps plots at its own points.
     *
     * @param history a table with a numeric x column and numeric loss columns, at least one row, not null
     * @param xColumn the x column's name, e.g. "step" or "epoch"; it is also the x axis title
     * @param title what the plot shows, not blank
     * @param yAxisTitle the y axis and its unit, e.g. "cross-entropy (nats per token)", not blank
     * @param logY true for a logarithmic y axis (every plotted value must then be positive)
     * @param lossColumns the columns to plot, in legend order; none means every numeric column but xColumn
     * @return the rendered plot
     */
    public static BufferedImage lossCurves(Table history, String xColumn, String title, String yAxisTitle, boolean logY,
            String... lossColumns) {
        String method = "Plots.lossCurves";
        Objects.requireNonNull(history, method + ": history must not be null");
        PlotInputs.requireText(method, "title", title);
        PlotInputs.requireText(method, "xColumn", xColumn);
        PlotInputs.requireText(method, "yAxisTitle", yAxisTitle);
        if (history.rowCount() == 0) {
            throw new IllegalArgumentException(method + ": history must hold at least one row, but the table \""
                    + history.name() + "\" is empty.");
        }
        NumericColumn<?> x = numericColumn(method, history, xColumn);
        List<String> names = new ArrayList<>();
        if (lossColumns == null || lossColumns.length == 0) {
            for (NumericColumn<?> column : history.numericColumns()) {
                if (!column.name().equals(x.name())) {
                    names.add(column.name());
                }
            }
        } else {
            names.addAll(Arrays.asList(lossColumns));
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException(method + ": history must hold a numeric column besides \"" + xColumn
                    + "\" to plot, but has columns " + history.columnNames() + ".");
        }
        Map<String, double[]> xs = new LinkedHashMap<>();
        Map<String, double[]> ys = new LinkedHashMap<>();
        for (String name : names) {
            NumericColumn<?> y = numericColumn(method, history, name);
            List<double[]> points = new ArrayList<>();
            for (int row = 0; row < history.rowCount(); row++) {
                if (!x.isMissing(row) && !y.isMissing(row)) {
                    points.add(new double[] {x.getDouble(row), y.getDouble(row)});
                }
            }
            xs.put(name, points.stream().mapToDouble(p -> p[0]).toArray());
            ys.put(name, points.stream().mapToDouble(p -> p[1]).toArray());
        }
        PlotInputs.requireSeries(method, xs, false, -1);
        PlotInputs.requireSeries(method, ys, logY, -1);
        XYChart chart = Charts.line(title, xColumn, yAxisTitle);
        chart.getStyler().setYAxisLogarithmic(logY);
        for (String name : names) {
            chart.addSeries(name, xs.get(name), ys.get(name));
        }
        return Charts.image(chart);
    }

    /**
     * The vanishing-gradient plot: the norm of the loss gradient with respect to each hidden state, against the
     * time step, on a log scale. A vanilla RNN's norms fall geometrically going back in time (a straight
     * downward line here), an LSTM's stay roughly level.
     *
     * @param norms ‖∂L/∂h_t‖ for t = 0 … T−1 at index t (as {@code HiddenGradientNorms} returns them), all positive and finite
     * @param title what the plot shows, e.g. "tanh RNN, T = 50, loss at the last step", not blank
     * @return the rendered plot, x axis "time step t (0 = first)", y axis "‖∂L/∂h_t‖ (log scale)"
     */
    public static BufferedImage gradientNormByTimeStep(double[] norms, String title) {
        return gradientNormByTimeStep(title, norms == null ? null : Map.of("‖∂L/∂h_t‖", norms));
    }

    /**
     * The vanishing-gradient plot for several models or settings at once (e.g. "RNN" against "LSTM").
     *
     * @param title what the plot shows, not blank
     * @param norms series name to ‖∂L/∂h_t‖ for t = 0 … T−1 at index t, all positive and finite
     * @return the rendered plot, x axis "time step t (0 = first)", y axis "‖∂L/∂h_t‖ (log scale)"
     */
    public static BufferedImage gradientNormByTimeStep(String title, Map<String, double[]> norms) {
        String method = "Plots.gradientNormByTimeStep";
        PlotInputs.requireText(method, "title", title);
        PlotInputs.requireSeries(method, norms, true, -1);
        XYChart chart = Charts.line(title, "time step t (0 = first)", "‖∂L/∂h_t‖ (log scale)");
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setMarkerSize(6);
        for (Map.Entry<String, double[]> entry : norms.entrySet()) {
            double[] y = entry.getValue();
            double[] t = new double[y.length];
            Arrays.setAll(t, i -> i);
            chart.addSeries(entry.getKey(), t, y.clone()).setMarker(SeriesMarkers.CIRCLE);
        }
        return Charts.image(chart);
    }

    /**
     * Grouped bar chart: one group per category, one bar per series (e.g. the accuracy of RNN, LSTM and GRU on
     * each task).
     *
     * @param title what the plot shows, not blank
     * @param xAxisTitle what the categories are, not blank
     * @param yAxisTitle the bars' quantity and its unit, not blank
     * @param categories the category names, distinct, at least one
     * @param series name to one value per category, at least one series, all finite
     * @return the rendered plot
     */
    public static BufferedImage bars(String title, String xAxisTitle, String yAxisTitle, List<String> categories,
            Map<String, double[]> series) {
        String method = "Plots.bars";
        requireTitles(method, title, xAxisTitle, yAxisTitle);
        if (categories == null || categories.isEmpty()) {
            throw new IllegalArgumentException(method + ": categories must hold at least one name, but is "
                    + (categories == null ? "null" : "empty") + ".");
        }
        for (String category : categories) {
            PlotInputs.requireText(method, "every category", category);
        }
        if (new HashSet<>(categories).size() != categories.size()) {
            throw new IllegalArgumentException(method + ": categories must be distinct, but are " + categories + ".");
        }
        PlotInputs.requireSeries(method, series, false, categories.size());
        CategoryChart chart = new CategoryChartBuilder().width(Charts.WIDTH).height(Charts.HEIGHT)
                .title(title).xAxisTitle(xAxisTitle).yAxisTitle(yAxisTitle).build();
        Charts.style(chart);
        for (Map.Entry<String, double[]> entry : series.entrySet()) {
            List<Double> values = new ArrayList<>();
            for (double value : entry.getValue()) {
                values.add(value);
            }
            chart.addSeries(entry.getKey(), new ArrayList<>(categories), values);
        }
        return Descriptions.record(BitmapEncoder.getBufferedImage(chart),
                Descriptions.chart(title, xAxisTitle, yAxisTitle, false, series.keySet()));
    }

    private static void requireTitles(String method, String title, String xAxisTitle, String yAxisTitle) {
        PlotInputs.requireText(method, "title", title);
        PlotInputs.requireText(method, "xAxisTitle", xAxisTitle);
        PlotInputs.requireText(method, "yAxisTitle", yAxisTitle);
    }

    private static NumericColumn<?> numericColumn(String method, Table table, String name) {
        if (name == null || !table.containsColumn(name)) {
            throw new IllegalArgumentException(method + ": history has no column \"" + name + "\"; its columns are "
                    + table.columnNames() + ".");
        }
        Column<?> column = table.column(name);
        if (!(column instanceof NumericColumn<?> numeric)) {
            throw new IllegalArgumentException(method + ": column \"" + name + "\" must be numeric, but is "
                    + column.type() + ".");
        }
        return numeric;
    }
}

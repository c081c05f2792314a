package unrolled.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.tensor.Shapes;

/**
 * A matrix as a grid of coloured cells with a colour-scale legend: gate activations over time (rows = units,
 * columns = time steps), hidden states, and attention weights (rows = output tokens, columns = input tokens).
 *
 * <p>Drawn with Java2D, not XChart's HeatMapChart, which (in 3.8.8) merges repeated category labels (a
 * sentence with "the" twice loses a column label), draws row 0 at the bottom where a matrix and an attention
 * map have it at the top, overprints its labels when there are many columns, and prints the legend's limits
 * with sixteen digits. Here row 0 is at the top, repeated tokens are fine, crowded labels are thinned (every
 * k-th is shown) and column labels turn vertical when they do not fit, small grids show each value in its cell,
 * and the legend is a colour bar with its low, middle and high values.
 *
 * <p>Colours: when the range spans zero (hidden states, weights) a diverging blue–white–red scale, white at 0;
 * otherwise (gates, attention) a sequential white-to-blue scale.
 * Images are {@link Charts#WIDTH} × {@link Charts#HEIGHT} pixels, on white, in the house fonts.
 */
public final class Heatmaps {

    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Font AXIS_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font VALUE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final Color[] SEQUENTIAL = {new Color(0xF7FBFF), new Color(0xC6DBEF), new Color(0x6BAED6),
        new Color(0x2171B5), new Color(0x08306B)};
    private static final Color[] DIVERGING = {new Color(0x2166AC), new Color(0x92C5DE), new Color(0xF7F7F7),
        new Color(0xF4A582), new Color(0xB2182B)};
    private static final int MAX_LABEL_WIDTH = 110;

    private Heatmaps() {
    }

    /**
     * A heatmap whose colour range is chosen from the data and always includes 0: symmetric around zero
     * (diverging colours) if any value is negative, otherwise from 0 to the largest value (sequential colours),
     * so that hidden states, attention weights and gates are all read against 0.
     *
     * @param values (rows, cols) finite values, at least one row and one column, all rows of one length
     * @param rowLabels one label per row, top to bottom (tokens, unit names), or null for 0, 1, …
     * @param columnLabels one label per column, left to right (tokens, time steps), or null for 0, 1, …
     * @param title what the heatmap shows, not blank
     * @param xAxisTitle what the columns are, e.g. "time step t" or "input token", not blank
     * @param yAxisTitle what the rows are, e.g. "hidden unit j" or "output token", not blank
     * @return the rendered image
     */
    public static BufferedImage of(double[][] values, List<String> rowLabels, List<String> columnLabels, String title,
            String xAxisTitle, String yAxisTitle) {
        requireMatrix(values);
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (double[] row : values) {
            for (double v : row) {
                low = Math.min(low, v);
                high = Math.max(high, v);
            }
        }
        // The range always includes 0: symmetric around it if any value is negative, from it otherwise.
        if (low < 0) {
            double bound = Math.max(-low, high);
            low = -bound;
            high = bound;
        } else {
            low = 0;
        }
        return of(values, rowLabels, columnLabels, title, xAxisTitle, yAxisTitle, low, high);
    }

    /**
     * A heatmap of an INDArray, with the colour range chosen from the data as in
     * {@link #of(double[][], List, List, String, String, String)}.
     *
     * @param values (rows, cols), any floating type, finite
     * @param rowLabels one label per row, or null
     * @param columnLabels one label per column, or null
     * @param title not blank
     * @param xAxisTitle not blank
     * @param yAxisTitle not blank
     * @return the rendered image
     */
    public static BufferedImage of(INDArray values, List<String> rowLabels, List<String> columnLabels, String title,
            String xAxisTitle, String yAxisTitle) {
        Shapes.require("Heatmaps.of", "values", values, "(rows, cols)", Shapes.ANY, Shapes.ANY);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("Heatmaps.of: values must have at least one row and one column, but has"
                    + " shape " + Shapes.of(values) + ".");
        }
        return of(values.castTo(DataType.DOUBLE).toDoubleMatrix(), rowLabels, columnLabels, title, xAxisTitle,
                yAxisTitle);
    }

    /**
     * A heatmap with a fixed colour range, so that several heatmaps can be compared (e.g. gates on [0, 1]).
     * Values outside the range take the colour of its nearer end.
     *
     * @param values (rows, cols) finite values
     * @param rowLabels one label per row, or null
     * @param columnLabels one label per column, or null
     * @param title not blank
     * @param xAxisTitle not blank
     * @param yAxisTitle not blank
     * @param low the value drawn in the scale's first colour
     * @param high the value drawn in its last colour, greater than low (equal only if all values are equal)
     * @return the rendered image; diverging colours if low &lt; 0 &lt; high, sequential otherwise
     */
    public static BufferedImage of(double[][] values, List<String> rowLabels, List<String> columnLabels, String title,
            String xAxisTitle, String yAxisTitle, double low, double high) {
        String method = "Heatmaps.of";
        PlotInputs.requireText(method, "title", title);
        PlotInputs.requireText(method, "xAxisTitle", xAxisTitle);
        PlotInputs.requireText(method, "yAxisTitle", yAxisTitle);
        requireMatrix(values);
        int rows = values.length;
        int cols = values[0].length;
        List<String> rowNames = labels(method, "rowLabels", rowLabels, rows, "rows");
        List<String> colNames = labels(method, "columnLabels", columnLabels, cols, "columns");
        if (!(Double.isFinite(low) && Double.isFinite(high) && low <= high)) {
            throw new IllegalArgumentException(method + ": the colour range must be finite with low ≤ high, but is ["
                    + low + ", " + high + "].");
        }
        boolean diverging = low < 0 && high > 0;
        return render(values, rowNames, colNames, title, xAxisTitle, yAxisTitle, low, high,
                diverging ? DIVERGING : SEQUENTIAL);
    }

    /**
     * An attention map: one row per output token, one column per source token, each cell the weight α that output
     * token put on that source token, on a fixed [0, 1] scale so that maps can be compared. A clean alignment shows
     * as a sharp (near one-hot) path; diffuse rows are outputs that read from many places.
     *
     * @param weights α, (Tout, Tsrc), each row a distribution over the source tokens; any floating type
     * @param sourceTokens the Tsrc source tokens, left to right (the columns)
     * @param outputTokens the Tout output tokens, top to bottom (the rows)
     * @param title what the map shows, not blank
     * @return the rendered image
     */
    public static BufferedImage attention(INDArray weights, List<String> sourceTokens, List<String> outputTokens,
            String title) {
        String method = "Heatmaps.attention";
        Shapes.require(method, "weights", weights, "(Tout, Tsrc)", outputTokens == null ? Shapes.ANY : outputTokens.size(),
                sourceTokens == null ? Shapes.ANY : sourceTokens.size());
        if (sourceTokens == null || outputTokens == null) {
            throw new IllegalArgumentException(method + ": sourceTokens and outputTokens must both be given: the axes of an"
                    + " attention map are tokens.");
        }
        return of(weights.castTo(DataType.DOUBLE).toDoubleMatrix(), outputTokens, sourceTokens, title,
                "source token (attended to)", "output token (attending)", 0.0, 1.0);
    }

    /**
     * Starts a figure drawn by hand: the image painted white, anti-aliased drawing, and the title in bold, centred at
     * the top, as every heatmap-like figure of the library opens.
     *
     * @param image the figure, not yet drawn on
     * @param title its title
     * @return the graphics to draw the rest with, in black; the caller disposes of it
     */
    static Graphics2D titled(BufferedImage image, String title) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        // the title, centred on the image
        g.setColor(Color.BLACK);
        g.setFont(TITLE_FONT);
        g.drawString(title, (image.getWidth() - g.getFontMetrics().stringWidth(title)) / 2, 26);
        return g;
    }

    private static BufferedImage render(double[][] values, List<String> rowNames, List<String> colNames, String title,
            String xAxisTitle, String yAxisTitle, double low, double high, Color[] scale) {
        int width = Charts.WIDTH;
        int height = Charts.HEIGHT;
        int rows = values.length;
        int cols = values[0].length;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = titled(image, title);
        try {
            g.setFont(LABEL_FONT);
            FontMetrics labels = g.getFontMetrics();
            List<String> rowShown = shorten(rowNames, labels);
            List<String> colShown = shorten(colNames, labels);
            int rowLabelWidth = rowShown.stream().mapToInt(labels::stringWidth).max().orElse(0);
            int colLabelWidth = colShown.stream().mapToInt(labels::stringWidth).max().orElse(0);

            // The grid's box: left of it the y title and row labels, right of it the colour bar.
            int gridLeft = 34 + rowLabelWidth + 8;
            int gridRight = width - 120;
            int gridTop = 44;
            double cellWidth = (gridRight - gridLeft) / (double) cols;
            int columnStep = step(cellWidth, colLabelWidth + 6);
            boolean vertical = columnStep > 1 && step(cellWidth, labels.getHeight()) < columnStep;
            if (vertical) {
                columnStep = step(cellWidth, labels.getHeight());
            }
            int colLabelHeight = vertical ? colLabelWidth : labels.getHeight();
            int gridBottom = height - 34 - colLabelHeight - 8;
            double cellHeight = (gridBottom - gridTop) / (double) rows;
            int rowStep = step(cellHeight, labels.getHeight());

            // The cells, row 0 at the top.
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    g.setColor(colour(values[r][c], low, high, scale));
                    int x0 = gridLeft + (int) Math.round(c * cellWidth);
                    int y0 = gridTop + (int) Math.round(r * cellHeight);
                    int x1 = gridLeft + (int) Math.round((c + 1) * cellWidth);
                    int y1 = gridTop + (int) Math.round((r + 1) * cellHeight);
                    g.fillRect(x0, y0, x1 - x0, y1 - y0);
                }
            }
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1f));
            g.drawRect(gridLeft, gridTop, gridRight - gridLeft, gridBottom - gridTop);

            // Each value in its cell, when the cells are large enough to read it.
            g.setFont(VALUE_FONT);
            FontMetrics valueMetrics = g.getFontMetrics();
            if (cellWidth >= 36 && cellHeight >= valueMetrics.getHeight() + 2) {
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        String text = String.format(Locale.ROOT, "%.2f", values[r][c]);
                        Color fill = colour(values[r][c], low, high, scale);
                        g.setColor(luminance(fill) < 0.5 ? Color.WHITE : Color.BLACK);
                        int cx = gridLeft + (int) Math.round((c + 0.5) * cellWidth);
                        int cy = gridTop + (int) Math.round((r + 0.5) * cellHeight);
                        g.drawString(text, cx - valueMetrics.stringWidth(text) / 2,
                                cy + valueMetrics.getAscent() / 2 - 1);
                    }
                }
            }

            // Row labels, right-aligned against the grid; column labels under it.
            g.setFont(LABEL_FONT);
            g.setColor(Color.BLACK);
            for (int r = 0; r < rows; r += rowStep) {
                String label = rowShown.get(r);
                int cy = gridTop + (int) Math.round((r + 0.5) * cellHeight);
                g.drawString(label, gridLeft - 6 - labels.stringWidth(label), cy + labels.getAscent() / 2 - 1);
            }
            for (int c = 0; c < cols; c += columnStep) {
                String label = colShown.get(c);
                int cx = gridLeft + (int) Math.round((c + 0.5) * cellWidth);
                if (vertical) {
                    AffineTransform saved = g.getTransform();
                    g.translate(cx + labels.getAscent() / 2 - 1, gridBottom + 6 + labels.stringWidth(label));
                    g.rotate(-Math.PI / 2);
                    g.drawString(label, 0, 0);
                    g.setTransform(saved);
                } else {
                    g.drawString(label, cx - labels.stringWidth(label) / 2, gridBottom + 4 + labels.getAscent());
                }
            }

            // Axis titles.
            g.setFont(AXIS_FONT);
            FontMetrics axis = g.getFontMetrics();
            g.drawString(xAxisTitle, (gridLeft + gridRight - axis.stringWidth(xAxisTitle)) / 2, height - 12);
            AffineTransform saved = g.getTransform();
            g.translate(8 + axis.getAscent(), (gridTop + gridBottom + axis.stringWidth(yAxisTitle)) / 2);
            g.rotate(-Math.PI / 2);
            g.drawString(yAxisTitle, 0, 0);
            g.setTransform(saved);

            drawColourBar(g, gridRight + 24, gridTop, gridBottom, low, high, scale);
        } finally {
            g.dispose();
        }
        return Descriptions.record(image, Descriptions.heatmap(title, xAxisTitle, yAxisTitle, rows, cols, low, high));
    }

    /** The legend: a vertical bar from high (top) to low (bottom), with its ends and middle labelled. */
    private static void drawColourBar(Graphics2D g, int left, int top, int bottom, double low, double high,
            Color[] scale) {
        int barWidth = 16;
        for (int y = top; y <= bottom; y++) {
            g.setColor(colourAt(1 - (y - top) / (double) (bottom - top), scale));
            g.drawLine(left, y, left + barWidth, y);
        }
        g.setColor(Color.GRAY);
        g.drawRect(left, top, barWidth, bottom - top);
        g.setColor(Color.BLACK);
        g.setFont(LABEL_FONT);
        FontMetrics metrics = g.getFontMetrics();
        double[] ticks = {high, scale == DIVERGING ? 0 : (low + high) / 2, low};
        int[] ys = {top, (top + bottom) / 2, bottom};
        for (int i = 0; i < 3; i++) {
            g.drawLine(left + barWidth, ys[i], left + barWidth + 4, ys[i]);
            g.drawString(format(ticks[i]), left + barWidth + 7, ys[i] + metrics.getAscent() / 2 - 1);
        }
    }

    private static String format(double value) {
        if (value == 0) {
            return "0";
        }
        double magnitude = Math.abs(value);
        return magnitude >= 0.01 && magnitude < 10000 ? String.format(Locale.ROOT, "%.3g", value)
                : String.format(Locale.ROOT, "%.2e", value);
    }

    /**
     * The colour of a value: its position u in [0, 1] on the scale, linear over [low, high] for a sequential
     * scale, and linear on each side of 0 for a diverging one (so that 0 is always the middle, white); values
     * outside the range clamp to its ends.
     */
    private static Color colour(double value, double low, double high, Color[] scale) {
        double u;
        if (scale == DIVERGING) {
            u = value < 0 ? 0.5 - 0.5 * value / low : 0.5 + 0.5 * value / high;
        } else {
            u = high > low ? (value - low) / (high - low) : 0.5;
        }
        return colourAt(Math.max(0, Math.min(1, u)), scale);
    }

    /** Interpolates the scale's colours linearly at position u in [0, 1]. */
    private static Color colourAt(double u, Color[] scale) {
        double position = u * (scale.length - 1);
        int i = Math.min((int) Math.floor(position), scale.length - 2);
        double f = position - i;
        Color a = scale[i];
        Color b = scale[i + 1];
        return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }

    private static double luminance(Color c) {
        return (0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue()) / 255.0;
    }

    /** Show every k-th label, the smallest k for which labels of this size do not overlap. */
    private static int step(double cellSize, int labelSize) {
        return Math.max(1, (int) Math.ceil(labelSize / cellSize));
    }

    private static List<String> shorten(List<String> labels, FontMetrics metrics) {
        List<String> shown = new ArrayList<>(labels.size());
        for (String label : labels) {
            String s = label;
            while (metrics.stringWidth(s) > MAX_LABEL_WIDTH && s.length() > 1) {
                s = s.substring(0, s.length() - 2) + "…";
            }
            shown.add(s);
        }
        return shown;
    }

    private static void requireMatrix(double[][] values) {
        String method = "Heatmaps.of";
        if (values == null || values.length == 0 || values[0] == null || values[0].length == 0) {
            throw new IllegalArgumentException(method + ": values must have at least one row and one column, but "
                    + (values == null ? "is null." : "is empty."));
        }
        int cols = values[0].length;
        for (int r = 0; r < values.length; r++) {
            if (values[r] == null || values[r].length != cols) {
                throw new IllegalArgumentException(method + ": every row of values must have " + cols
                        + " columns (like row 0), but row " + r + " has " + (values[r] == null ? "none" : values[r].length)
                        + ".");
            }
            for (int c = 0; c < cols; c++) {
                if (!Double.isFinite(values[r][c])) {
                    throw new IllegalArgumentException(method + ": values must be finite, but values[" + r + "][" + c
                            + "] = " + values[r][c] + ".");
                }
            }
        }
    }

    private static List<String> labels(String method, String argument, List<String> labels, int count, String what) {
        if (labels == null) {
            List<String> indices = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                indices.add(Integer.toString(i));
            }
            return indices;
        }
        if (labels.size() != count) {
            throw new IllegalArgumentException(method + ": " + argument + " must hold one label per " + what.substring(0,
                    what.length() - 1) + ", " + count + ", but holds " + labels.size() + ".");
        }
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i) == null) {
                throw new IllegalArgumentException(method + ": " + argument + " must not contain null, but " + argument
                        + "[" + i + "] is null.");
            }
        }
        return labels;
    }
}

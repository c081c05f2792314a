package unrolled.plot;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * What each rendered picture shows, in words: the alt text of its plot in the HTML book.
 *
 * <p>A kernel shows a {@code BufferedImage} (a cell's last expression) as a bare PNG, without words. So when the
 * environment variable {@value #LOG_VARIABLE} names a file (the book's notebook runner sets it for the kernel it
 * starts), every picture this package renders appends one line to it: the sha256 of the image's PNG encoding, a tab,
 * and its description. The digest covers the PNG's whole 3-byte groups only: rapaio-jupyter-kernel never closes its
 * base64 stream, so the last one or two bytes of its PNGs are lost (browsers show them all the same). The runner then matches each PNG output of the notebook to its line and stores the
 * description as the output's {@code text/plain}. Without the variable nothing is written or computed.
 */
final class Descriptions {

    /** The environment variable naming the file the descriptions are appended to. */
    static final String LOG_VARIABLE = "UNROLLED_PLOT_DESCRIPTIONS";

    private Descriptions() {
    }

    /**
     * Records the description of a rendered image when the book's runner asked for it.
     *
     * @param image the rendered image, as the kernel will encode it
     * @param description what it shows: its kind, title and axes
     * @return the image, unchanged
     */
    static BufferedImage record(BufferedImage image, String description) {
        String log = System.getenv(LOG_VARIABLE);
        if (log != null && !log.isBlank()) {
            try {
                append(Path.of(log), image, description);
            } catch (IOException e) {
                // The picture matters more than its alt text: the book's tests find a plot without a description.
            }
        }
        return image;
    }

    /**
     * Appends {@code sha256(PNG's whole 3-byte groups)<TAB>description} to a log.
     *
     * @param log the file, created when missing
     * @param image the image, encoded as PNG as the kernels encode it (ImageIO)
     * @param description the description; tabs and line breaks become spaces
     * @throws IOException if the image cannot be encoded or the log written
     */
    static void append(Path log, BufferedImage image, String description) throws IOException {
        byte[] png = png(image);
        String line = sha256(Arrays.copyOf(png, png.length - png.length % 3)) + "\t" + description.replaceAll("[\\t\\r\\n]+", " ").strip() + "\n";
        Files.writeString(log, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", bytes)) {
            throw new IOException("no PNG writer for this image");
        }
        return bytes.toByteArray();
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * A chart's description: its title, both axes (with a log scale named), and its series.
     *
     * @param title the chart's title
     * @param xAxis the x axis title
     * @param yAxis the y axis title
     * @param logY whether the y axis is logarithmic (said unless its title already says "log")
     * @param series the series' names, in order
     * @return e.g. {@code Chart "Loss": x axis "epoch", y axis "loss" (log scale); series: LSTM, GRU.}
     */
    static String chart(String title, String xAxis, String yAxis, boolean logY, Iterable<String> series) {
        boolean saysLog = yAxis.toLowerCase(Locale.ROOT).contains("log");
        return "Chart \"" + title + "\": x axis \"" + xAxis + "\", y axis \"" + yAxis + "\""
                + (logY && !saysLog ? " (log scale)" : "")
                + "; series: " + String.join(", ", series) + ".";
    }

    /**
     * A heatmap's description: title, what its rows and columns are, their counts and the colour range.
     *
     * @param title the heatmap's title
     * @param xAxis what the columns are
     * @param yAxis what the rows are
     * @param rows how many rows
     * @param columns how many columns
     * @param low the value of the scale's first colour
     * @param high the value of its last colour
     * @return the description
     */
    static String heatmap(String title, String xAxis, String yAxis, int rows, int columns, double low, double high) {
        return "Heatmap \"" + title + "\": " + rows + " rows (" + yAxis + ") by " + columns + " columns (" + xAxis
                + "), colour scale from " + String.format("%.3g", low) + " to " + String.format("%.3g", high) + ".";
    }
}

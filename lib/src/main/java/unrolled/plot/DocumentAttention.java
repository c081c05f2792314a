package unrolled.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * The two levels of a hierarchical attention model drawn over the text itself: one line per sentence, each word on a
 * background as dark as its word-level weight α, and, left of each line, a bar as long as the sentence's weight β.
 * This is how hierarchical attention is usually shown: which sentences mattered, and inside each, which words.
 *
 * <p>Words are shaded on a fixed [0, 1] scale (white to dark blue, as {@link Heatmaps#attention}); the sentence bars are
 * red, labelled with β. Lines that do not fit are left out and counted in the last line. Images are
 * {@link Charts#WIDTH} pixels wide and as tall as the text needs (at least {@link Charts#HEIGHT} / 2).
 */
public final class DocumentAttention {

    private static final Font AXIS_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    private static final Font WORD_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Color[] SCALE = {new Color(0xF7FBFF), new Color(0xC6DBEF), new Color(0x6BAED6),
        new Color(0x2171B5), new Color(0x08306B)};
    private static final Color BAR = new Color(0xB2182B);
    private static final int LINE = 30;
    private static final int BAR_WIDTH = 120;

    private DocumentAttention() {
    }

    /**
     * @param sentences the document's sentences, each a non-empty list of words, at least one
     * @param wordWeights α, one row per sentence with at least one weight per word (extra entries, padding, are
     *     ignored), each in [0, 1]
     * @param sentenceWeights β, at least one per sentence, each in [0, 1]
     * @param title what the picture shows, not blank
     * @return the rendered image
     */
    public static BufferedImage of(List<List<String>> sentences, double[][] wordWeights, double[] sentenceWeights,
            String title) {
        String method = "DocumentAttention.of";
        PlotInputs.requireText(method, "title", title);
        if (sentences == null || sentences.isEmpty()) {
            throw new IllegalArgumentException(method + ": sentences must hold at least one sentence, but is "
                    + (sentences == null ? "null" : "empty") + ".");
        }
        if (wordWeights == null || wordWeights.length < sentences.size()) {
            throw new IllegalArgumentException(method + ": wordWeights must hold a row per sentence, " + sentences.size()
                    + ", but holds " + (wordWeights == null ? "none" : wordWeights.length) + ".");
        }
        if (sentenceWeights == null || sentenceWeights.length < sentences.size()) {
            throw new IllegalArgumentException(method + ": sentenceWeights must hold one weight per sentence, "
                    + sentences.size() + ", but holds " + (sentenceWeights == null ? "none" : sentenceWeights.length) + ".");
        }
        for (int s = 0; s < sentences.size(); s++) {
            List<String> words = sentences.get(s);
            if (words == null || words.isEmpty()) {
                throw new IllegalArgumentException(method + ": every sentence must hold at least one word, but sentence "
                        + s + " is empty.");
            }
            if (wordWeights[s] == null || wordWeights[s].length < words.size()) {
                throw new IllegalArgumentException(method + ": wordWeights[" + s + "] must hold a weight per word, "
                        + words.size() + ", but holds " + (wordWeights[s] == null ? "none" : wordWeights[s].length) + ".");
            }
            requireWeight(method, "sentenceWeights[" + s + "]", sentenceWeights[s]);
            for (int w = 0; w < words.size(); w++) {
                requireWeight(method, "wordWeights[" + s + "][" + w + "]", wordWeights[s][w]);
            }
        }
        int width = Charts.WIDTH;
        int top = 78;
        int height = Math.max(Charts.HEIGHT / 2, top + LINE * sentences.size() + 20);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Heatmaps.titled(image, title);
        try {
            g.setFont(AXIS_FONT);
            FontMetrics axis = g.getFontMetrics();
            int barLeft = 16;
            int textLeft = barLeft + BAR_WIDTH + 50;
            g.drawString("sentence weight β", barLeft, top - 16);
            g.drawString("words, shaded by their weight α in the sentence (white 0 → dark 1)", textLeft, top - 16);
            g.setFont(WORD_FONT);
            FontMetrics words = g.getFontMetrics();
            for (int s = 0; s < sentences.size(); s++) {
                int y = top + s * LINE;
                // β as a bar with its value
                double beta = sentenceWeights[s];
                g.setColor(new Color(0xEEEEEE));
                g.fillRect(barLeft, y + 5, BAR_WIDTH, LINE - 10);
                g.setColor(BAR);
                g.fillRect(barLeft, y + 5, (int) Math.round(beta * BAR_WIDTH), LINE - 10);
                g.setColor(Color.BLACK);
                g.drawString(String.format(Locale.ROOT, "%.2f", beta), barLeft + BAR_WIDTH + 6,
                        y + LINE / 2 + words.getAscent() / 2 - 2);
                // the words on their α shading
                int x = textLeft;
                for (int w = 0; w < sentences.get(s).size(); w++) {
                    String word = sentences.get(s).get(w);
                    int boxWidth = words.stringWidth(word) + 8;
                    if (x + boxWidth > width - 8) {
                        g.setColor(Color.GRAY);
                        g.drawString("…", x, y + LINE / 2 + words.getAscent() / 2 - 2);
                        break;
                    }
                    Color fill = colour(wordWeights[s][w]);
                    g.setColor(fill);
                    g.fillRect(x, y + 3, boxWidth, LINE - 6);
                    g.setColor(Color.LIGHT_GRAY);
                    g.setStroke(new BasicStroke(1f));
                    g.drawRect(x, y + 3, boxWidth, LINE - 6);
                    g.setColor(luminance(fill) < 0.5 ? Color.WHITE : Color.BLACK);
                    g.drawString(word, x + 4, y + LINE / 2 + words.getAscent() / 2 - 2);
                    x += boxWidth + 3;
                }
            }
        } finally {
            g.dispose();
        }
        return Descriptions.record(image, "Document attention \"" + title + "\": " + sentences.size()
                + " sentences, one a line; each word shaded by its weight α within its sentence, each sentence marked by"
                + " its weight β in the document.");
    }

    private static void requireWeight(String method, String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(method + ": " + name + " must be a weight in [0, 1], but is " + value + ".");
        }
    }

    private static Color colour(double value) {
        double position = value * (SCALE.length - 1);
        int i = Math.min(SCALE.length - 2, (int) Math.floor(position));
        double f = position - i;
        Color a = SCALE[i];
        Color b = SCALE[i + 1];
        return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }

    private static double luminance(Color c) {
        return (0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue()) / 255.0;
    }
}

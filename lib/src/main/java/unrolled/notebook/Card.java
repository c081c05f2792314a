package unrolled.notebook;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An interview question card: a coloured left border for its topic, a green / amber / red difficulty chip,
 * topic tags, and our answer folded in a {@code <details>} element, so it opens on a click in Jupyter
 * and in the HTML book alike, with no JavaScript.
 *
 * @param id the question's id in the bank, e.g. {@code A01}
 * @param question the question as an interviewer asks it
 * @param difficulty Easy, Medium or Hard
 * @param tags topic tags, e.g. {@code Time}, {@code Hidden}, {@code LSTM}; the first one colours the border
 * @param answerHtml our answer, as an HTML fragment
 * @param where where the curriculum answers it in depth, e.g. {@code 01-recurrence.ipynb#bptt}, or empty
 */
public record Card(String id, String question, Difficulty difficulty, List<String> tags, String answerHtml, String where) {

    private static final Pattern ID = Pattern.compile("[AB]\\d\\d");

    /** Border colours by topic tag, in the curriculum's order of topics; other tags get {@link #DEFAULT_BORDER}. */
    private static final Map<String, String> TOPIC_BORDER = orderedTopics(
            "Time", "#2b6cb0",
            "Hidden", "#6b46c1",
            "Training", "#975a16",
            "LSTM", "#2f855a",
            "GRU", "#2c7a7b",
            "Architecture", "#3c366b",
            "Data", "#718096",
            "Regularisation", "#b7791f",
            "Seq2seq", "#c05621",
            "Attention", "#b83280",
            "Applications", "#00838f");
    private static final String DEFAULT_BORDER = "#4a5568";

    /**
     * Checks every field: the id's form, a non-blank question and answer, and non-null tags.
     *
     * @param id the question's id, e.g. A01
     * @param question the question
     * @param difficulty Easy, Medium or Hard
     * @param tags topic tags
     * @param answerHtml our answer, HTML
     * @param where where it is answered in depth, or empty
     */
    public Card {
        Objects.requireNonNull(id, "Card: id must not be null");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("Card: id must look like A01 or B42, but is \"" + id + "\".");
        }
        if (question == null || question.isBlank()) {
            throw new IllegalArgumentException("Card: question of " + id + " must be non-blank text.");
        }
        Objects.requireNonNull(difficulty, "Card: difficulty of " + id + " must not be null");
        tags = List.copyOf(Objects.requireNonNull(tags, "Card: tags of " + id + " must not be null"));
        if (answerHtml == null || answerHtml.isBlank()) {
            throw new IllegalArgumentException("Card: answerHtml of " + id + " must be non-blank.");
        }
        where = where == null ? "" : where;
    }

    /**
     * The topic a card is filed under: its first tag, which also colours its border.
     *
     * @return the first tag, or {@code "Other"} for a card without tags
     */
    public String topic() {
        return tags.isEmpty() ? "Other" : tags.get(0);
    }

    /**
     * The colour of a topic, as its cards' left border shows it.
     *
     * @param topic a topic tag, e.g. {@code LSTM}, not null
     * @return the colour as CSS; a neutral grey for a topic without its own colour
     */
    public static String topicColour(String topic) {
        Objects.requireNonNull(topic, "Card.topicColour: topic must not be null");
        return TOPIC_BORDER.getOrDefault(topic, DEFAULT_BORDER);
    }

    /** @return the topics that have their own colour, in the curriculum's order (time and state first, applications last) */
    public static List<String> topics() {
        return List.copyOf(TOPIC_BORDER.keySet());
    }

    /** @return the card as a self-contained HTML fragment (inline styles only) */
    public String toHtml() {
        String border = topicColour(topic());
        StringBuilder html = new StringBuilder();
        html.append("<div class=\"unrolled-card\" data-question=\"").append(id).append("\" style=\"border:1px solid #e2e8f0;")
                .append("border-left:6px solid ").append(border).append(";border-radius:6px;padding:10px 14px;margin:8px 0;")
                .append("background:#fff;color:#1a202c;font-family:sans-serif;max-width:46em\">");
        html.append("<div style=\"display:flex;gap:6px;align-items:center;flex-wrap:wrap;font-size:12px\">")
                .append("<span style=\"font-weight:bold;color:#4a5568\">").append(Html.escape(id)).append("</span>")
                .append("<span style=\"border:1px solid ").append(difficulty.ink()).append(";color:").append(difficulty.ink())
                .append(";background:").append(difficulty.fill()).append(";border-radius:10px;padding:1px 8px\">")
                .append(difficulty.label()).append("</span>");
        for (String tag : tags) {
            html.append("<span style=\"background:#edf2f7;color:#2d3748;border-radius:10px;padding:1px 8px\">")
                    .append(Html.escape(tag)).append("</span>");
        }
        html.append("</div>");
        html.append("<div style=\"font-size:15px;font-weight:600;margin:6px 0\">").append(Html.escape(question)).append("</div>");
        // the topic colour marks the border only: as text on white, some topics' colours are below a 4.5:1 contrast
        html.append("<details><summary style=\"cursor:pointer;color:#2d3748;text-decoration:underline\">Show our answer</summary>")
                .append("<div style=\"margin-top:6px;line-height:1.45\">").append(answerHtml).append("</div>");
        if (!where.isEmpty()) {
            html.append("<div style=\"margin-top:6px;font-size:12px\">In depth: <a href=\"").append(Html.escape(where))
                    .append("\">").append(Html.escape(where)).append("</a></div>");
        }
        html.append("</details></div>");
        return html.toString();
    }

    private static Map<String, String> orderedTopics(String... topicThenColour) {
        Map<String, String> colours = new LinkedHashMap<>();
        for (int i = 0; i < topicThenColour.length; i += 2) {
            colours.put(topicThenColour[i], topicThenColour[i + 1]);
        }
        return Collections.unmodifiableMap(colours);
    }

    /** @return the card as plain text: id, difficulty, tags and question */
    public String toPlainText() {
        return id + " [" + difficulty.label() + (tags.isEmpty() ? "" : "; " + String.join(", ", tags)) + "] " + question;
    }

    /** Shows this card in the cell's output. */
    public void show() {
        Notebook.html(toHtml(), toPlainText());
    }
}

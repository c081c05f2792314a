package unrolled.notebook;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * Multiple-choice questions that check a concept. Each notebook has its own small bank,
 * {@code unrolled/quiz/NN.tsv} inside the library (tab-separated: id, question, options separated by " || ",
 * the correct option's letter, and an explanation). {@link #show} renders them so that a learner picks an
 * option by clicking it and sees at once whether it is right and why — with {@code <details>} elements, so it
 * works without JavaScript in Jupyter and in the HTML book. {@link QuizRound} draws a seeded set of questions from
 * several notebooks and scores a learner's letters.
 */
public final class Quiz {

    /** The columns of a quiz file, in order. */
    public static final List<String> COLUMNS = List.of("id", "question", "options", "answer", "explanation");
    /** What a learner reads above the questions: how to answer them. */
    public static final String HOW_TO_ANSWER = "Answer each question in your head first, then click the option you chose "
            + "(▸): it opens to say whether it is right and why. Click it again to close it.";
    /** The same for readers of the plain-text output, which cannot be clicked. */
    static final String HOW_TO_ANSWER_IN_TEXT = "Answer each question, then open this notebook in Jupyter or the book "
            + "and click your option to see whether it is right and why.";
    /** Separates the options within the options column. */
    public static final String OPTION_SEPARATOR = " || ";

    private Quiz() {
    }

    /**
     * One multiple-choice question.
     *
     * @param id e.g. {@code 01.2}: the notebook's number, then the question's
     * @param question the question
     * @param options the options, shown as (a), (b), …; two to six of them
     * @param answer the index of the correct option
     * @param explanation why the correct option is right and the tempting wrong ones are wrong
     */
    public record Question(String id, String question, List<String> options, int answer, String explanation) {

        /**
         * Checks that there are 2 to 6 options and that the answer is one of them.
         *
         * @param id e.g. 01.2
         * @param question the question
         * @param options the options
         * @param answer the correct option's index
         * @param explanation why
         */
        public Question {
            Objects.requireNonNull(id, "Quiz.Question: id must not be null");
            options = List.copyOf(options);
            if (options.size() < 2 || options.size() > 6) {
                throw new IllegalArgumentException("Quiz.Question " + id + ": there must be 2 to 6 options, but there are " + options.size() + ".");
            }
            if (answer < 0 || answer >= options.size()) {
                throw new IllegalArgumentException("Quiz.Question " + id + ": answer must be an option index in [0, " + options.size()
                        + "), but is " + answer + ".");
            }
        }

        /** @return the question as HTML: each option folds open to say right or wrong, then the explanation */
        public String toHtml() {
            StringBuilder html = new StringBuilder("<div class=\"unrolled-mcq\" data-mcq=\"" + Html.escape(id)
                    + "\" style=\"border:1px solid #e2e8f0;border-radius:6px;padding:8px 14px;margin:8px 0;font-family:sans-serif;"
                    + "max-width:46em;color:#1a202c;background:#fff\">");
            html.append("<div style=\"font-weight:600;margin-bottom:4px\">").append(Html.escape(id)).append(" · ")
                    .append(Html.escape(question)).append("</div>");
            for (int i = 0; i < options.size(); i++) {
                boolean right = i == answer;
                html.append("<details style=\"margin:2px 0\"><summary style=\"cursor:pointer\">(").append(letter(i)).append(") ")
                        .append(Html.escape(options.get(i))).append("</summary><div style=\"margin:4px 0 6px 18px;color:")
                        .append(right ? Difficulty.EASY.ink() : Difficulty.HARD.ink()).append("\">")
                        .append(right ? "✓ Right. " : "✗ Not this one; the answer is (" + letter(answer) + "). ")
                        .append(Html.escape(explanation)).append("</div></details>");
            }
            return html.append("</div>").toString();
        }

        /** @return the question, its options and the answer, as plain text */
        public String toPlainText() {
            StringBuilder text = new StringBuilder(id + " " + question);
            for (int i = 0; i < options.size(); i++) {
                text.append("\n  (").append(letter(i)).append(") ").append(options.get(i));
            }
            return text.toString();
        }
    }

    /**
     * @param notebook the notebook's two-digit number, e.g. {@code "01"}
     * @return its questions, in file order
     * @throws IllegalArgumentException if the notebook has no quiz
     */
    public static List<Question> of(String notebook) {
        Objects.requireNonNull(notebook, "Quiz.of: notebook must not be null");
        if (!notebook.matches("\\d\\d")) {
            throw new IllegalArgumentException("Quiz.of: notebook must be a two-digit number such as \"01\", but is \"" + notebook + "\".");
        }
        String resource = "/unrolled/quiz/" + notebook + ".tsv";
        try (InputStream in = Quiz.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("Quiz.of: notebook " + notebook + " has no quiz (" + resource + " is not in the library).");
            }
            ColumnType[] types = new ColumnType[COLUMNS.size()];
            Arrays.fill(types, ColumnType.STRING);
            Table table = Table.read().usingOptions(CsvReadOptions.builder(in).separator('\t').header(true).columnTypes(types)
                    .maxCharsPerColumn(20_000));
            return parse(table, resource);
        } catch (IOException e) {
            throw new UncheckedIOException("Quiz.of: could not read " + resource, e);
        }
    }

    /**
     * Shows every question of a notebook's quiz in the cell's output.
     *
     * @param notebook the notebook's two-digit number, e.g. {@code "01"}
     */
    public static void show(String notebook) {
        render(of(notebook));
    }

    /**
     * The notebooks that have a quiz in the library, found by looking for {@code unrolled/quiz/00.tsv} to
     * {@code 99.tsv}.
     *
     * @return their two-digit numbers, in order
     */
    public static List<String> notebooks() {
        List<String> found = new ArrayList<>();
        for (int n = 0; n < 100; n++) {
            String notebook = String.format("%02d", n);
            if (Quiz.class.getResource("/unrolled/quiz/" + notebook + ".tsv") != null) {
                found.add(notebook);
            }
        }
        return found;
    }

    static List<Question> parse(Table table, String source) {
        if (!table.columnNames().equals(COLUMNS)) {
            throw new IllegalStateException("Quiz: " + source + " must have the columns " + COLUMNS + ", but has " + table.columnNames() + ".");
        }
        List<Question> questions = new ArrayList<>();
        for (int row = 0; row < table.rowCount(); row++) {
            String letter = table.stringColumn("answer").get(row).strip();
            List<String> options = Arrays.stream(table.stringColumn("options").get(row).split(java.util.regex.Pattern.quote(OPTION_SEPARATOR)))
                    .map(String::strip).toList();
            if (letter.length() != 1 || letter.charAt(0) < 'a' || letter.charAt(0) > 'f') {
                throw new IllegalStateException("Quiz: " + source + " row " + (row + 2) + ": answer must be a letter a–f, but is \"" + letter + "\".");
            }
            try {
                questions.add(new Question(table.stringColumn("id").get(row).strip(), table.stringColumn("question").get(row).strip(),
                        options, letter.charAt(0) - 'a', table.stringColumn("explanation").get(row).strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("Quiz: " + source + " row " + (row + 2) + ": " + e.getMessage(), e);
            }
        }
        return questions;
    }

    private static void render(List<Question> questions) {
        StringBuilder html = new StringBuilder("<div class=\"unrolled-mcq-how\" style=\"font-family:sans-serif;color:#4a5568;"
                + "margin:4px 0\">" + Html.escape(HOW_TO_ANSWER) + "</div>");
        StringBuilder text = new StringBuilder(HOW_TO_ANSWER_IN_TEXT + "\n");
        for (Question q : questions) {
            html.append(q.toHtml());
            text.append(q.toPlainText()).append('\n');
        }
        Notebook.html(html.toString(), text.toString().strip());
    }

    static char letter(int index) {
        return (char) ('a' + index);
    }
}

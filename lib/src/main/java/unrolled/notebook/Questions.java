package unrolled.notebook;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * The curriculum's question bank: the 95 interview questions (A01–A15, B01–B80) with their difficulty, topic tags,
 * our answer and where the notebooks answer them in depth. It ships inside the library
 * ({@code unrolled/questions.tsv}, tab-separated, read with Tablesaw), so every notebook, in any folder and any
 * kernel, shows the same cards: {@code Questions.show("A03", "B06")}.
 */
public final class Questions {

    /** The bank's columns, in order. */
    public static final List<String> COLUMNS = List.of("id", "difficulty", "tags", "section", "question", "answer", "where");

    private static final String RESOURCE = "/unrolled/questions.tsv";
    private static volatile Map<String, Question> bank;

    private Questions() {
    }

    /**
     * One question of the bank.
     *
     * @param id A01–A15 or B01–B80
     * @param difficulty Easy, Medium or Hard
     * @param tags topic tags, the first colouring the card's border
     * @param section the section of the source list it comes from
     * @param question the question as an interviewer asks it
     * @param answerHtml our answer, an HTML fragment; empty while no notebook answers it yet
     * @param where the notebook (and section) that answers it in depth, e.g. {@code 02-bptt.ipynb#truncated}; empty while none does
     */
    public record Question(String id, Difficulty difficulty, List<String> tags, String section, String question,
                           String answerHtml, String where) {

        /** @return true if the bank holds our answer to this question */
        public boolean answered() {
            return !answerHtml.isBlank();
        }

        /**
         * @return the question as a card
         * @throws IllegalStateException if the bank holds no answer to it yet
         */
        public Card card() {
            if (!answered()) {
                throw new IllegalStateException("Questions: " + id + " (\"" + question + "\") has no answer in the bank yet.");
            }
            return new Card(id, question, difficulty, tags, answerHtml, where);
        }
    }

    /** @return every question, in id order (A01…A15, B01…B80) */
    public static List<Question> all() {
        return List.copyOf(load().values());
    }

    /**
     * @param id a question id such as {@code A03}
     * @return the question
     * @throws IllegalArgumentException naming the id ranges if there is no such question
     */
    public static Question get(String id) {
        Question question = load().get(Objects.requireNonNull(id, "Questions.get: id must not be null"));
        if (question == null) {
            throw new IllegalArgumentException("Questions.get: no question with id " + id + "; the ids run A01–A15 and B01–B80.");
        }
        return question;
    }

    /**
     * Shows the cards of some questions, one after another, in the cell's output.
     *
     * @param ids question ids, at least one, each answered in the bank
     */
    public static void show(String... ids) {
        if (ids == null || ids.length == 0) {
            throw new IllegalArgumentException("Questions.show: give at least one question id, e.g. Questions.show(\"A01\").");
        }
        StringBuilder html = new StringBuilder();
        StringBuilder text = new StringBuilder();
        for (String id : ids) {
            Card card = get(id).card();
            html.append(card.toHtml());
            text.append(card.toPlainText()).append('\n');
        }
        Notebook.html(html.toString(), text.toString().strip());
    }

    /** @return the bank as a table, one row per question (answers as HTML) */
    public static Table table() {
        return read();
    }

    private static Map<String, Question> load() {
        Map<String, Question> loaded = bank;
        if (loaded == null) {
            synchronized (Questions.class) {
                if (bank == null) {
                    bank = parse(read());
                }
                loaded = bank;
            }
        }
        return loaded;
    }

    private static Table read() {
        try (InputStream in = Questions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Questions: the bank " + RESOURCE + " is missing from the library jar; rebuild it with ./unrolled setup.");
            }
            ColumnType[] types = new ColumnType[COLUMNS.size()];
            Arrays.fill(types, ColumnType.STRING);
            return Table.read().usingOptions(CsvReadOptions.builder(in).separator('\t').header(true)
                    .columnTypes(types).maxCharsPerColumn(20_000).tableName("questions"));
        } catch (IOException e) {
            throw new UncheckedIOException("Questions: could not read " + RESOURCE, e);
        }
    }

    /** Reads and validates every row; the bank is data, so a malformed row names itself. */
    static Map<String, Question> parse(Table table) {
        if (!table.columnNames().equals(COLUMNS)) {
            throw new IllegalStateException("Questions: the bank's columns must be " + COLUMNS + ", but are " + table.columnNames() + ".");
        }
        Map<String, Question> questions = new LinkedHashMap<>();
        for (int row = 0; row < table.rowCount(); row++) {
            String id = table.stringColumn("id").get(row).strip();
            String where = "row " + (row + 2) + " (" + id + ")";
            Difficulty difficulty;
            try {
                difficulty = Difficulty.parse(table.stringColumn("difficulty").get(row));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("Questions: " + where + ": " + e.getMessage(), e);
            }
            List<String> tags = new ArrayList<>();
            for (String tag : table.stringColumn("tags").get(row).split(",")) {
                if (!tag.isBlank()) {
                    tags.add(tag.strip());
                }
            }
            if (tags.isEmpty()) {
                throw new IllegalStateException("Questions: " + where + " has no topic tag.");
            }
            String question = table.stringColumn("question").get(row).strip();
            String answer = table.stringColumn("answer").get(row).strip();
            String link = table.stringColumn("where").get(row).strip();
            if (answer.isEmpty() != link.isEmpty()) {
                throw new IllegalStateException("Questions: " + where + " must have both an answer and where it is answered, or neither.");
            }
            if (questions.put(id, new Question(id, difficulty, Collections.unmodifiableList(tags), table.stringColumn("section").get(row),
                    question, answer, link)) != null) {
                throw new IllegalStateException("Questions: " + where + " repeats the id " + id + ".");
            }
        }
        return Collections.unmodifiableMap(questions);
    }
}

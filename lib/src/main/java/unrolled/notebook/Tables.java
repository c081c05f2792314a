package unrolled.notebook;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.io.Destination;
import tech.tablesaw.io.html.HtmlWriteOptions;
import tech.tablesaw.io.html.HtmlWriter;

/**
 * Shows Tablesaw tables in a notebook: as an HTML table where HTML renders, as aligned text elsewhere; and builds a
 * table row by row, as a notebook measures it:
 * <pre>{@code
 * Tables.Rows errors = Tables.byRow("One month ahead", "forecast", "RMSE (ppm)", "MASE");
 * errors.add("naive", 0.78, 0.61).add("seasonal naive", 2.31, 1.80);
 * Tables.show(errors.table());
 * }</pre>
 */
public final class Tables {

    /** Tables longer than this show their first and last rows only. */
    public static final int MAX_ROWS = 20;

    private Tables() {
    }

    /**
     * Writes a table as an HTML {@code <table>}, using Tablesaw's own HTML writer.
     *
     * @param table the table, not null
     * @return the HTML fragment
     */
    public static String toHtml(Table table) {
        Objects.requireNonNull(table, "Tables.toHtml: table must not be null");
        Table shown = table.rowCount() > MAX_ROWS ? headAndTail(table) : table;
        StringWriter html = new StringWriter();
        new HtmlWriter().write(shown, HtmlWriteOptions.builder(new Destination(html)).build());
        String caption = table.name() == null || table.name().isBlank() ? "" : "<caption>" + Html.escape(table.name()) + "</caption>";
        String note = shown == table ? "" : "<p class=\"unrolled-note\">" + table.rowCount() + " rows, showing the first and last "
                + MAX_ROWS / 2 + ".</p>";
        return "<div class=\"unrolled-table\">" + html.toString().replaceFirst("<table>", "<table>" + caption) + note + "</div>";
    }

    /**
     * Shows a table in the cell's output.
     *
     * @param table the table, not null
     */
    public static void show(Table table) {
        Objects.requireNonNull(table, "Tables.show: table must not be null");
        Notebook.html(toHtml(table), table.print(MAX_ROWS));
    }

    /**
     * Starts a table to be filled row by row.
     *
     * @param title the table's name, shown as its caption
     * @param columns the column names, at least one, distinct
     * @return an empty table builder; the first row decides each column's type
     */
    public static Rows byRow(String title, String... columns) {
        return new Rows(title, columns);
    }

    /**
     * A table filled one row at a time. Each column's type comes from its value in the first row: a string (or
     * any other object, shown as its text) makes a text column, an {@code Integer} an integer column, a
     * {@code Long} a long column, a {@code Float} or {@code Double} a number column, a {@code Boolean} a yes/no column.
     */
    public static final class Rows {
        private final String title;
        private final String[] names;
        private final List<Column<?>> columns = new ArrayList<>();

        private Rows(String title, String[] names) {
            Objects.requireNonNull(title, "Tables.byRow: title must not be null");
            Objects.requireNonNull(names, "Tables.byRow: columns must not be null");
            if (names.length == 0) {
                throw new IllegalArgumentException("Tables.byRow: columns must name at least one column, but is empty.");
            }
            if (Arrays.stream(names).distinct().count() != names.length || Arrays.stream(names).anyMatch(Objects::isNull)) {
                throw new IllegalArgumentException("Tables.byRow: columns must be distinct names, but are " + Arrays.toString(names) + ".");
            }
            this.title = title;
            this.names = names.clone();
        }

        /**
         * Adds a row.
         *
         * @param values one value per column, in the columns' order, none null; of the type the first row gave
         *     the column (an {@code Integer} may go into a long column, any number into a number column)
         * @return this builder
         */
        public Rows add(Object... values) {
            Objects.requireNonNull(values, "Tables.Rows.add: values must not be null");
            if (values.length != names.length) {
                throw new IllegalArgumentException("Tables.Rows.add: a row needs one value per column " + Arrays.toString(names)
                        + ", " + names.length + " in all, but has " + values.length + ".");
            }
            for (int k = 0; k < values.length; k++) {
                if (values[k] == null) {
                    throw new IllegalArgumentException("Tables.Rows.add: the value of column \"" + names[k] + "\" is null.");
                }
            }
            if (columns.isEmpty()) {
                for (int k = 0; k < values.length; k++) {
                    columns.add(columnFor(names[k], values[k]));
                }
            }
            for (int k = 0; k < values.length; k++) {
                requireFits(k, values[k]);
            }
            for (int k = 0; k < values.length; k++) {
                append(columns.get(k), values[k]);
            }
            return this;
        }

        /** @return the table of the rows added so far, named by the title; a table without rows has text columns */
        public Table table() {
            Table table = Table.create(title);
            if (columns.isEmpty()) {
                for (String name : names) {
                    table.addColumns(StringColumn.create(name));
                }
            } else {
                columns.forEach(column -> table.addColumns(column.copy()));
            }
            return table;
        }

        private static Column<?> columnFor(String name, Object value) {
            if (value instanceof Integer) {
                return IntColumn.create(name);
            }
            if (value instanceof Long) {
                return LongColumn.create(name);
            }
            if (value instanceof Double || value instanceof Float) {
                return DoubleColumn.create(name);
            }
            if (value instanceof Boolean) {
                return BooleanColumn.create(name);
            }
            return StringColumn.create(name);
        }

        private void requireFits(int k, Object value) {
            Column<?> column = columns.get(k);
            boolean fits = column instanceof IntColumn ? value instanceof Integer
                    : column instanceof LongColumn ? value instanceof Long || value instanceof Integer
                    : column instanceof DoubleColumn ? value instanceof Number
                    : column instanceof BooleanColumn ? value instanceof Boolean
                    : true;
            if (!fits) {
                throw new IllegalArgumentException("Tables.Rows.add: column \"" + names[k] + "\" holds " + column.type()
                        + " values (from the first row), but this row gives the " + value.getClass().getSimpleName() + " " + value + ".");
            }
        }

        private static void append(Column<?> column, Object value) {
            if (column instanceof IntColumn ints) {
                ints.append((int) (Integer) value);
            } else if (column instanceof LongColumn longs) {
                longs.append(((Number) value).longValue());
            } else if (column instanceof DoubleColumn doubles) {
                doubles.append(((Number) value).doubleValue());
            } else if (column instanceof BooleanColumn booleans) {
                booleans.append((boolean) (Boolean) value);
            } else {
                ((StringColumn) column).append(String.valueOf(value));
            }
        }
    }

    private static Table headAndTail(Table table) {
        Table shown = table.first(MAX_ROWS / 2);
        shown.append(table.last(MAX_ROWS / 2));
        return shown;
    }
}

package unrolled.notebook;

import java.io.StringWriter;
import java.util.Objects;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.Destination;
import tech.tablesaw.io.html.HtmlWriteOptions;
import tech.tablesaw.io.html.HtmlWriter;

/** Shows Tablesaw tables in a notebook: as an HTML table where HTML renders, as aligned text elsewhere. */
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

    private static Table headAndTail(Table table) {
        Table shown = table.first(MAX_ROWS / 2);
        shown.append(table.last(MAX_ROWS / 2));
        return shown;
    }
}

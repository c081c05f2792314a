package unrolled.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class TablesTest {

    @Test
    void htmlHasCaptionHeadersAndRows() {
        Table t = Table.create("layers", StringColumn.create("name", "Wx", "Wh"), IntColumn.create("count", 12, 16));
        String html = Tables.toHtml(t);
        assertTrue(html.contains("<caption>layers</caption>"), html);
        assertTrue(html.contains("<th>name</th>") && html.contains("<th>count</th>"), html);
        assertTrue(html.contains("<td>Wh</td>") && html.contains("<td>16</td>"), html);
        assertFalse(html.contains("showing the first"), "a short table is shown whole");
    }

    @Test
    void longTablesShowHeadAndTailWithANote() {
        Table t = Table.create("steps", IntColumn.create("t", IntStream.range(0, 100).toArray()));
        String html = Tables.toHtml(t);
        assertTrue(html.contains("<td>0</td>") && html.contains("<td>99</td>"));
        assertFalse(html.contains("<td>50</td>"));
        assertTrue(html.contains("100 rows, showing the first and last 10."));
        assertEquals(100, t.rowCount(), "the learner's table is not changed");
    }

    @Test
    void aTableBuiltByRowTakesEachColumnsTypeFromTheFirstRow() {
        Table t = Tables.byRow("errors", "forecast", "steps", "RMSE (ppm)", "seasonal")
                .add("naive", 1, 0.78, false).add("seasonal naive", 12, 2.5f, true).table();
        assertEquals("errors", t.name());
        assertEquals(2, t.rowCount());
        assertEquals(ColumnType.STRING, t.column("forecast").type());
        assertEquals(ColumnType.INTEGER, t.column("steps").type());
        assertEquals(ColumnType.DOUBLE, t.column("RMSE (ppm)").type());
        assertEquals(ColumnType.BOOLEAN, t.column("seasonal").type());
        assertEquals("seasonal naive", t.stringColumn("forecast").get(1));
        assertEquals(2.5, t.doubleColumn("RMSE (ppm)").get(1));
        assertEquals(12, t.intColumn("steps").get(1));
    }

    @Test
    void aLongColumnTakesIntegersAndAnEmptyBuilderGivesTextColumns() {
        Table t = Tables.byRow("counts", "T", "numbers kept").add(4, 20L).add(16, 80).table();
        assertEquals(ColumnType.LONG, t.column("numbers kept").type());
        assertEquals(80L, t.longColumn("numbers kept").get(1));
        Table empty = Tables.byRow("nothing yet", "a", "b").table();
        assertEquals(0, empty.rowCount());
        assertEquals(2, empty.columnCount());
    }

    @Test
    void aRowOfTheWrongLengthOrTypeIsRefusedByColumn() {
        Tables.Rows rows = Tables.byRow("errors", "forecast", "RMSE (ppm)").add("naive", 0.78);
        assertEquals("Tables.Rows.add: a row needs one value per column [forecast, RMSE (ppm)], 2 in all, but has 1.",
                assertThrows(IllegalArgumentException.class, () -> rows.add("naive")).getMessage());
        assertEquals("Tables.Rows.add: column \"RMSE (ppm)\" holds DOUBLE values (from the first row), but this row gives the "
                + "String 0.5.", assertThrows(IllegalArgumentException.class, () -> rows.add("x", "0.5")).getMessage());
        assertEquals("Tables.Rows.add: the value of column \"forecast\" is null.",
                assertThrows(IllegalArgumentException.class, () -> rows.add(null, 0.5)).getMessage());
        assertEquals(1, rows.table().rowCount(), "a refused row adds nothing");
        assertThrows(IllegalArgumentException.class, () -> Tables.byRow("t", "a", "a"));
    }
}

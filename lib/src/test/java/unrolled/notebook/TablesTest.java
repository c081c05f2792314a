package unrolled.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
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
}

package unrolled.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class FirstNamesTest {

    @Test
    void loadsBothListsFemaleFirstWithOneLabelPerRow() {
        Table table = FirstNames.load();
        assertEquals(List.of("name", "sex"), table.columnNames());
        assertEquals(8_841, table.rowCount());
        assertEquals(4_944, table.where(table.stringColumn("sex").isEqualTo(FirstNames.FEMALE)).rowCount());
        assertEquals(3_897, table.where(table.stringColumn("sex").isEqualTo(FirstNames.MALE)).rowCount());
        // first and last lines of the shipped CSV
        assertEquals("Aaren", table.stringColumn("name").get(0));
        assertEquals("Zolly", table.stringColumn("name").get(8_840));
        assertEquals(FirstNames.MALE, table.stringColumn("sex").get(8_840));
    }

    @Test
    void ambiguousNamesAreThoseInBothLists() {
        Set<String> both = FirstNames.ambiguous(FirstNames.load());
        assertEquals(419, both.size());
        assertTrue(both.containsAll(Set.of("Alex", "Ashley", "Adrian")));
        assertTrue(!both.contains("Aaron") && !both.contains("Aaren"));
    }

    @Test
    void withoutAmbiguousKeepsOnlyNamesWithOneLabel() {
        Table table = FirstNames.load();
        Table clear = FirstNames.withoutAmbiguous(table);
        assertEquals(8_841 - 2 * 419, clear.rowCount());
        assertEquals(clear.rowCount(), clear.stringColumn("name").unique().size());
        assertTrue(FirstNames.ambiguous(clear).isEmpty());
    }

    @Test
    void aTableWithoutTheColumnsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FirstNames.ambiguous(Table.create("empty")));
        assertEquals("FirstNames.ambiguous: table must have the columns [name, sex], but has [].", e.getMessage());
    }

    @Test
    void tinyTableAmbiguityIsComputedFromTheLabels() {
        Table table = Table.create("t",
                tech.tablesaw.api.StringColumn.create("name", "Jo", "Ann", "Jo", "Bob"),
                tech.tablesaw.api.StringColumn.create("sex", "female", "female", "male", "male"));
        assertEquals(Set.of("Jo"), FirstNames.ambiguous(table));
        assertEquals(List.of("Ann", "Bob"), FirstNames.withoutAmbiguous(table).stringColumn("name").asList());
    }
}

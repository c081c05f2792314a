package unrolled.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class MaunaLoaCo2Test {

    @Test
    void loadsTheWholeRecordWithTheSourcesFirstAndLastValues() {
        Table table = MaunaLoaCo2.load();
        assertEquals(741, table.rowCount());
        assertEquals(List.of("date", "co2", "co2_adjusted"), table.columnNames());
        // First and last lines of the shipped CSV: 1958-03-01,315.70,314.44 and 2020-04-01,416.18,413.35.
        assertEquals(LocalDate.of(1958, 3, 1), table.dateColumn("date").get(0));
        assertEquals(315.70, MaunaLoaCo2.co2(table)[0], 1e-12);
        assertEquals(314.44, table.doubleColumn("co2_adjusted").get(0), 1e-12);
        assertEquals(416.18, MaunaLoaCo2.co2(table)[740], 1e-12);
    }

    @Test
    void monthIndexExposesTheGapsInTheRecord() {
        int[] months = MaunaLoaCo2.monthIndex(MaunaLoaCo2.load());
        assertEquals(0, months[0]);
        List<Integer> gapsAfterRow = new ArrayList<>();
        for (int i = 1; i < months.length; i++) {
            if (months[i] - months[i - 1] != 1) {
                gapsAfterRow.add(months[i] - months[i - 1]);
            }
        }
        // 1958-06, 1958-10 and 1964-02..04 are missing: steps of 2, 2 and 4 months.
        assertArrayEquals(new Object[] {2, 2, 4}, gapsAfterRow.toArray());
        // March 1958 to April 2020 is 745 months after the first.
        assertEquals(745, months[months.length - 1]);
    }
}

package unrolled.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class SpamSubjectsTest {

    @Test
    void loadsEveryMessageWithItsLabelAndSubCorpus() {
        Table table = SpamSubjects.load();
        assertEquals(6027, table.rowCount());
        assertEquals(List.of("subject", "label", "corpus"), table.columnNames());
        // First and last data lines of the shipped CSV.
        assertEquals("Re: New Sequences Window", SpamSubjects.subjects(table).get(0));
        assertEquals("easy-ham-1", table.stringColumn("corpus").get(0));
        assertEquals("[ILUG] WILSON KAMELA", SpamSubjects.subjects(table).get(6026));
        assertEquals("spam-2", table.stringColumn("corpus").get(6026));
        // A quoted field with commas and quotes, and a MIME-decoded Japanese subject, read back intact.
        assertEquals("\"A billion here, a billion there...\"", SpamSubjects.subjects(table).get(341));
        assertTrue(SpamSubjects.subjects(table).get(3933).startsWith("日本語の件名"));
        assertEquals(Set.of("easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2"),
                new HashSet<>(table.stringColumn("corpus").asList()));
    }

    @Test
    void labelsSpamAsOneAndHamAsZeroMatchingTheSubCorpus() {
        Table table = SpamSubjects.load();
        int[] labels = SpamSubjects.labels(table);
        assertEquals(1883, Arrays.stream(labels).sum());
        for (int i = 0; i < labels.length; i++) {
            boolean spamCorpus = table.stringColumn("corpus").get(i).startsWith("spam");
            assertEquals(spamCorpus ? SpamSubjects.SPAM_ID : SpamSubjects.HAM_ID, labels[i], "row " + i);
        }
    }

    @Test
    void splitKeepsEveryCopyOfASubjectOnOneSide() {
        Table table = SpamSubjects.load();
        SpamSubjects.Split split = SpamSubjects.split(table, 0.2, 7);
        assertEquals(table.rowCount(), split.train().rowCount() + split.test().rowCount());
        Set<String> train = new HashSet<>(SpamSubjects.subjects(split.train()));
        Set<String> test = new HashSet<>(SpamSubjects.subjects(split.test()));
        assertTrue(train.stream().noneMatch(test::contains), "a subject is on both sides");
        // 20 % of the 4,305 distinct subjects are held out.
        assertEquals(Math.round(4305 * 0.2), test.size());
    }

    @Test
    void splitIsSeeded() {
        Table table = SpamSubjects.load();
        assertEquals(SpamSubjects.subjects(SpamSubjects.split(table, 0.2, 1).test()),
                SpamSubjects.subjects(SpamSubjects.split(table, 0.2, 1).test()));
        assertNotEquals(SpamSubjects.subjects(SpamSubjects.split(table, 0.2, 1).test()),
                SpamSubjects.subjects(SpamSubjects.split(table, 0.2, 2).test()));
    }

    @Test
    void refusesAFractionOutsideZeroToOne() {
        Table table = SpamSubjects.load();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpamSubjects.split(table, 1.0, 1));
        assertTrue(e.getMessage().contains("testFraction must be in (0, 1), but is 1.0"), e.getMessage());
    }
}

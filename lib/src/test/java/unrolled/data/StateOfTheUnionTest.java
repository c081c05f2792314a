package unrolled.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class StateOfTheUnionTest {

    @Test
    void loadsEverySentenceWithItsEraYearAndPresident() {
        Table table = StateOfTheUnion.load();
        assertEquals(3000, table.rowCount());
        assertEquals(List.of("sentence", "era", "year", "president"), table.columnNames());
        // First and last data lines of the shipped CSV; the first is a quoted field with commas.
        assertTrue(StateOfTheUnion.sentences(table).get(0).startsWith("As this object could not be effected by "
                + "defensive measures, it became necessary"));
        assertEquals(1790, table.intColumn("year").get(0));
        assertEquals("George Washington", table.stringColumn("president").get(0));
        assertEquals("We can do whatever we set our mind to do if we do it together.",
                StateOfTheUnion.sentences(table).get(2999));
        assertEquals(2021, table.intColumn("year").get(2999));
        // A field with quotes inside commas, read back with its quotes.
        assertTrue(StateOfTheUnion.sentences(table).get(8).contains("whether the act \"more effectually to pro"));
        assertEquals(188, addresses(table).size());
    }

    @Test
    void labelsModernAsOneAndEarlyAsZeroMatchingTheYear() {
        Table table = StateOfTheUnion.load();
        int[] labels = StateOfTheUnion.labels(table);
        assertEquals(900, Arrays.stream(labels).sum());
        for (int i = 0; i < labels.length; i++) {
            int year = table.intColumn("year").get(i);
            assertTrue(year <= 1899 || year >= 1946, "row " + i + " is from " + year);
            assertEquals(year >= 1946 ? StateOfTheUnion.MODERN_ID : StateOfTheUnion.EARLY_ID, labels[i], "row " + i);
        }
    }

    @Test
    void labelsNameTheRowWithAnUnknownEra() {
        Table table = StateOfTheUnion.load().first(3);
        table.stringColumn("era").set(2, "1920s");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StateOfTheUnion.labels(table));
        assertTrue(e.getMessage().contains("but row 2 has \"1920s\""), e.getMessage());
    }

    @Test
    void wordsAreLowerCaseWithPunctuationAsTokens() {
        assertEquals(List.of("the", "union's", "strength", ",", "1865", "."),
                StateOfTheUnion.words("The Union's  strength, 1865."));
        assertEquals(List.of(), StateOfTheUnion.words("   "));
        // Every sentence has at least the 4 words make.py keeps, and at most the longest one's 274 tokens.
        int[] lengths = StateOfTheUnion.sentences(StateOfTheUnion.load()).stream()
                .mapToInt(s -> StateOfTheUnion.words(s).size()).sorted().toArray();
        assertEquals(5, lengths[0]);
        assertEquals(274, lengths[lengths.length - 1]);
    }

    @Test
    void splitKeepsEverySentenceOfAnAddressOnOneSide() {
        Table table = StateOfTheUnion.load();
        StateOfTheUnion.Split split = StateOfTheUnion.split(table, 0.25, 7);
        assertEquals(table.rowCount(), split.train().rowCount() + split.test().rowCount());
        Set<String> train = addresses(split.train());
        Set<String> test = addresses(split.test());
        assertTrue(train.stream().noneMatch(test::contains), "an address is on both sides");
        // A quarter of the 188 addresses are held out.
        assertEquals(Math.round(188 * 0.25), test.size());
        assertEquals(188, train.size() + test.size());
    }

    @Test
    void splitIsSeeded() {
        Table table = StateOfTheUnion.load();
        assertEquals(StateOfTheUnion.sentences(StateOfTheUnion.split(table, 0.25, 1).test()),
                StateOfTheUnion.sentences(StateOfTheUnion.split(table, 0.25, 1).test()));
        assertNotEquals(StateOfTheUnion.sentences(StateOfTheUnion.split(table, 0.25, 1).test()),
                StateOfTheUnion.sentences(StateOfTheUnion.split(table, 0.25, 2).test()));
    }

    @Test
    void refusesAFractionOutsideZeroToOne() {
        Table table = StateOfTheUnion.load();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StateOfTheUnion.split(table, 1.0, 1));
        assertTrue(e.getMessage().contains("testFraction must be in (0, 1), but is 1.0"), e.getMessage());
    }

    @Test
    void refusesAnAlteredFileNamingItsChecksum(@TempDir Path folder) throws Exception {
        Path copy = folder.resolve(StateOfTheUnion.FILE);
        Files.createDirectories(copy.getParent());
        Files.writeString(folder.resolve("README.md"), "datasets\n");
        Files.copy(DatasetFile.root().resolve(StateOfTheUnion.FILE), copy);
        Files.writeString(copy, "We can do better.,after-1945,2021,Joseph R Biden\n", java.nio.file.StandardOpenOption.APPEND);
        String previous = System.getProperty(DatasetFile.PROPERTY);
        System.setProperty(DatasetFile.PROPERTY, folder.toString());
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, StateOfTheUnion::load);
            assertTrue(e.getMessage().contains("must have sha256 " + StateOfTheUnion.SHA256), e.getMessage());
            assertTrue(e.getMessage().contains("git checkout -- datasets/" + StateOfTheUnion.FILE), e.getMessage());
        } finally {
            if (previous == null) {
                System.clearProperty(DatasetFile.PROPERTY);
            } else {
                System.setProperty(DatasetFile.PROPERTY, previous);
            }
        }
    }

    private static Set<String> addresses(Table table) {
        Set<String> found = new HashSet<>();
        for (int i = 0; i < table.rowCount(); i++) {
            found.add(table.intColumn("year").get(i) + " " + table.stringColumn("president").get(i));
        }
        return found;
    }
}

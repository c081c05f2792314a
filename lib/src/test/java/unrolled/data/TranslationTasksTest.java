package unrolled.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class TranslationTasksTest {

    /** Each source format parsed with java.time must give the target date: the pairs are correct translations. */
    @Test
    void everyDateTargetIsTheSourceDateInIsoFormat() {
        List<DateTimeFormatter> formats = List.of(
                DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH),
                DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH),
                DateTimeFormatter.ofPattern("MMMM d, yyyy", Locale.ENGLISH),
                DateTimeFormatter.ofPattern("dd/MM/yyyy", Locale.ENGLISH),
                DateTimeFormatter.ofPattern("yyyy.MM.dd", Locale.ENGLISH));
        for (TextPair pair : TranslationTasks.dates(500, 3)) {
            LocalDate target = LocalDate.parse(pair.target());
            boolean parsed = false;
            for (DateTimeFormatter format : formats) {
                try {
                    parsed |= LocalDate.parse(pair.source(), format).equals(target);
                } catch (java.time.format.DateTimeParseException ignored) {
                    // another format
                }
            }
            assertTrue(parsed, pair.toString());
        }
    }

    @Test
    void reversalPairsAreReversedAndWithinTheLengths() {
        for (TextPair pair : TranslationTasks.reversal(200, 3, 7, 5, 1)) {
            assertEquals(new StringBuilder(pair.source()).reverse().toString(), pair.target());
            assertTrue(pair.source().length() >= 3 && pair.source().length() <= 7);
            assertTrue(pair.source().chars().allMatch(c -> "abcde".indexOf(c) >= 0), pair.source());
        }
        assertEquals(TranslationTasks.reversal(5, 3, 7, 5, 1), TranslationTasks.reversal(5, 3, 7, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> TranslationTasks.reversal(5, 4, 3, 5, 1));
    }
}

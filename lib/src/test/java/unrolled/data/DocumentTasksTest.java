package unrolled.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentTasksTest {

    @Test
    void exactlyTheKeySentenceOpensWithTheMarkerAndCarriesTheLabelsPolarity() {
        List<Document> documents = DocumentTasks.verdict(300, 2, 6, 7, 4);
        int positives = 0;
        for (Document d : documents) {
            assertTrue(d.sentences().size() >= 2 && d.sentences().size() <= 6);
            for (int s = 0; s < d.sentences().size(); s++) {
                List<String> sentence = d.sentences().get(s);
                assertEquals(s == d.keySentence(), sentence.get(0).equals(DocumentTasks.MARKER), "sentence " + s);
                assertTrue(sentence.size() >= 3 && sentence.size() <= 7, "length " + sentence.size());
                long opinions = sentence.stream().filter(w -> DocumentTasks.POSITIVE.contains(w)
                        || DocumentTasks.NEGATIVE.contains(w)).count();
                assertEquals(1, opinions, "one opinion word per sentence: " + sentence);
            }
            List<String> verdict = d.sentences().get(d.keySentence());
            boolean positive = verdict.stream().anyMatch(DocumentTasks.POSITIVE::contains);
            assertEquals(positive ? 1 : 0, d.label());
            positives += d.label();
        }
        assertTrue(positives > 120 && positives < 180, "balanced labels: " + positives);
    }

    @Test
    void theSameSeedGivesTheSameDocumentsAndBadSizesAreRefused() {
        assertEquals(DocumentTasks.verdict(5, 1, 3, 5, 9), DocumentTasks.verdict(5, 1, 3, 5, 9));
        assertThrows(IllegalArgumentException.class, () -> DocumentTasks.verdict(5, 3, 2, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> DocumentTasks.verdict(5, 1, 2, 3, 1));
    }
}

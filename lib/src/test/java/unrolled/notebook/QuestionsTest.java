package unrolled.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class QuestionsTest {

    @AfterEach
    void release() {
        Notebook.redirect(null);
    }

    @Test
    void theBankHoldsEveryIdOnceInOrder() {
        List<String> expected = new ArrayList<>();
        IntStream.rangeClosed(1, 15).forEach(i -> expected.add(String.format("A%02d", i)));
        IntStream.rangeClosed(1, 80).forEach(i -> expected.add(String.format("B%02d", i)));
        assertEquals(expected, Questions.all().stream().map(Questions.Question::id).toList());
    }

    @Test
    void everyQuestionHasADifficultyATagAndText() {
        for (Questions.Question q : Questions.all()) {
            assertFalse(q.tags().isEmpty(), q.id());
            assertFalse(q.question().isBlank(), q.id());
        }
        assertEquals(Difficulty.HARD, Questions.get("A11").difficulty());
    }

    @Test
    void anAnsweredQuestionBecomesACardLinkingWhereItIsAnswered() {
        Card card = Questions.get("A01").card();
        assertEquals("What is a recurrent neural network?", card.question());
        assertTrue(card.where().endsWith(".ipynb") || card.where().contains(".ipynb#"), card.where());
    }

    @Test
    void showRendersEveryCardInOneOutput() {
        List<Map<String, String>> shown = new ArrayList<>();
        Notebook.redirect(shown::add);
        Questions.show("A01");
        assertEquals(1, shown.size());
        assertTrue(shown.get(0).get("text/html").contains("data-question=\"A01\""));
    }

    @Test
    void unknownIdsAndUnansweredQuestionsAreNamed() {
        assertEquals("Questions.get: no question with id A99; the ids run A01–A15 and B01–B80.",
                assertThrows(IllegalArgumentException.class, () -> Questions.get("A99")).getMessage());
        // every question of the shipped bank is answered, so build an unanswered one
        Questions.Question unanswered = new Questions.Question("B80", Difficulty.HARD, List.of("Training"), "s",
                "q?", "", "");
        assertTrue(assertThrows(IllegalStateException.class, unanswered::card).getMessage().contains("has no answer in the bank yet"));
    }

    @Test
    void aMalformedRowNamesItsRow() {
        Table bad = Table.create("q", StringColumn.create("id", "A01"), StringColumn.create("difficulty", "Tricky"),
                StringColumn.create("tags", "Time"), StringColumn.create("section", "s"), StringColumn.create("question", "q?"),
                StringColumn.create("answer", "a"), StringColumn.create("where", "00-start-here.ipynb"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Questions.parse(bad));
        assertEquals("Questions: row 2 (A01): Difficulty.parse: text must be one of Easy, Medium, Hard, but is \"Tricky\".", e.getMessage());
    }
}

package unrolled.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QuizRoundTest {

    private static final Quiz.Question ADD = new Quiz.Question("9.1", "2 + 2?", List.of("3", "4", "5"), 1, "Arithmetic.");
    private static final Quiz.Question LETTER = new Quiz.Question("9.2", "First letter?", List.of("a", "b"), 0, "The alphabet.");
    private final QuizRound round = new QuizRound(List.of(ADD, LETTER), 7, List.of("09"));

    @AfterEach
    void release() {
        Notebook.redirect(null);
    }

    private static int poolSize() {
        return Quiz.notebooks().stream().mapToInt(n -> Quiz.of(n).size()).sum();
    }

    @Test
    void theSameSeedDrawsTheSameQuestionsInTheSameOrder() {
        assertEquals(QuizRound.draw(6, 18).questions(), QuizRound.draw(6, 18).questions());
        assertNotEquals(QuizRound.draw(6, 18).questions(), QuizRound.draw(6, 19).questions(), "another seed, another draw");
    }

    @Test
    void aDrawWithoutNotebooksUsesEveryQuizAndAsksNoQuestionTwice() {
        int pool = poolSize();
        QuizRound all = QuizRound.draw(pool, 3);
        assertEquals(Quiz.notebooks(), all.notebooks());
        assertEquals(pool, new HashSet<>(all.questions().stream().map(Quiz.Question::id).toList()).size());
    }

    @Test
    void aDrawFromChosenNotebooksStaysInThem() {
        QuizRound some = QuizRound.draw(5, 1, "00", "01");
        assertTrue(some.questions().stream().allMatch(q -> q.id().startsWith("00.") || q.id().startsWith("01.")));
    }

    @Test
    void aDrawRefusesMoreQuestionsThanTheQuizzesHoldAndNamesTheLimit() {
        int inZero = Quiz.of("00").size();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuizRound.draw(inZero + 1, 1, "00"));
        assertEquals("QuizRound.draw: count must be between 1 and " + inZero + " (the questions in the quizzes of notebooks 00), but is "
                + (inZero + 1) + ".", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QuizRound.draw(0, 1));
    }

    @Test
    void aPoolWithARepeatedIdIsRefusedNamingTheId() {
        Quiz.Question copy = new Quiz.Question("9.1", "Another question?", List.of("x", "y"), 0, "Because.");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> QuizRound.fromPool(List.of(ADD, LETTER, copy), 1, 1, List.of("09", "10")));
        assertEquals("QuizRound.draw: the id 9.1 appears more than once in the quizzes of notebooks 09, 10; every quiz question "
                + "needs its own id.", e.getMessage());
    }

    @Test
    void drawingFromAPoolLeavesThePoolAsItWas() {
        List<Quiz.Question> pool = new ArrayList<>(List.of(ADD, LETTER));
        QuizRound.fromPool(pool, 2, 4, List.of("09"));
        assertEquals(List.of(ADD, LETTER), pool);
    }

    @Test
    void aRoundRefusesAQuestionTwice() {
        assertThrows(IllegalArgumentException.class, () -> new QuizRound(List.of(ADD, ADD), 1, List.of("09")));
    }

    @Test
    void gradingCountsRightWrongAndSkippedInAnyCaseWithSpaces() {
        QuizRound.Score both = round.grade("B a");
        assertEquals(2, both.right());
        assertEquals("2 of 2 right (100 %)", both.summary());
        QuizRound.Score oneWrongOneSkipped = round.grade("c,-");
        assertEquals(0, oneWrongOneSkipped.right());
        assertEquals(1, oneWrongOneSkipped.skipped());
        assertEquals(2, oneWrongOneSkipped.marks().get(0).given());
        assertFalse(oneWrongOneSkipped.marks().get(0).right());
        assertEquals("0 of 2 right (0 %), 1 skipped", oneWrongOneSkipped.summary());
    }

    @Test
    void aLetterThatIsNotAnOptionIsNamedWithTheLettersAllowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> round.grade("bc"));
        assertEquals("QuizRound.grade: answer 2 must be a letter a–b (question 9.2 has 2 options) or - to skip it, but is \"c\".",
                e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> round.grade("b7")).getMessage().contains("but is \"7\""));
    }

    @Test
    void theWrongNumberOfLettersIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> round.grade("abc"));
        assertEquals("QuizRound.grade: answers must hold one letter per question, 2 letters, but \"abc\" holds 3.", e.getMessage());
        assertThrows(NullPointerException.class, () -> round.grade(null));
    }

    @Test
    void theRoundIsShownWithoutItsAnswers() {
        List<Map<String, String>> shown = new ArrayList<>();
        Notebook.redirect(shown::add);
        round.show();
        String html = shown.get(0).get("text/html");
        assertTrue(html.contains("1. 2 + 2?"));
        assertTrue(html.contains("(c) 5"));
        assertFalse(html.contains("Arithmetic."), "no explanation before scoring");
        assertFalse(html.contains("<details"), "nothing to click open");
        assertTrue(shown.get(0).get("text/plain").contains("2 questions drawn with seed 7 from the quizzes of notebooks 09"));
    }

    @Test
    void theScoreShowsEachVerdictTheRightOptionAndTheExplanation() {
        List<Map<String, String>> shown = new ArrayList<>();
        Notebook.redirect(shown::add);
        round.score("a-");
        String text = shown.get(0).get("text/plain");
        assertTrue(text.startsWith("Score: 0 of 2 right (0 %), 1 skipped"), text);
        assertTrue(text.contains("✗ 1. 2 + 2?\n   You chose (a) 3; the answer is (b) 4.\n   Arithmetic."), text);
        assertTrue(text.contains("Skipped; the answer is (a) a."), text);
        assertTrue(shown.get(0).get("text/html").contains("Score: 0 of 2 right"));
    }

    @Test
    void blankAnswersGetAReminderThatGivesNothingAway() {
        List<Map<String, String>> shown = new ArrayList<>();
        Notebook.redirect(shown::add);
        round.score("  ");
        assertEquals("No answers yet: write 2 letters, one per question in order (- to skip one), then run this cell again.",
                shown.get(0).get("text/plain"));
        assertFalse(shown.get(0).get("text/html").contains("Arithmetic."));
    }
}

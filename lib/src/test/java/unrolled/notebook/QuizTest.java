package unrolled.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class QuizTest {

    @AfterEach
    void release() {
        Notebook.redirect(null);
    }

    @Test
    void notebookZeroHasAtLeastThreeQuestionsWithValidAnswers() {
        List<Quiz.Question> questions = Quiz.of("00");
        assertTrue(questions.size() >= 3);
        assertEquals(2, questions.get(0).answer(), "00.1's answer is (c)");
    }

    @Test
    void answersAreSpreadOverTheOptionsSoThatNoLetterPassesTheQuizzes() {
        int[] byPosition = new int[6];
        int questions = 0;
        for (String notebook : Quiz.notebooks()) {
            for (Quiz.Question q : Quiz.of(notebook)) {
                byPosition[q.answer()]++;
                questions++;
            }
        }
        // always answering the same letter must not beat guessing among four options by much
        for (int position = 0; position < byPosition.length; position++) {
            assertTrue(byPosition[position] <= 0.32 * questions, "(" + Quiz.letter(position) + ") is the answer of "
                    + byPosition[position] + " of " + questions + " questions: a learner who always picks it passes");
        }
    }

    @Test
    void eachOptionFoldsOpenToSayRightOrWrongWithoutJavaScript() {
        Quiz.Question q = new Quiz.Question("9.1", "2 + 2?", List.of("3", "4"), 1, "Arithmetic.");
        String html = q.toHtml();
        assertEquals(2, html.split("<details", -1).length - 1);
        assertTrue(html.contains("(b) 4</summary><div style=\"margin:4px 0 6px 18px;color:" + Difficulty.EASY.ink() + "\">✓ Right. Arithmetic."));
        assertTrue(html.contains("✗ Not this one; the answer is (b). Arithmetic."));
        assertTrue(!html.contains("<script"));
    }

    @Test
    void aShownQuizSaysHowToAnswerBeforeItsQuestions() {
        List<java.util.Map<String, String>> shown = new java.util.ArrayList<>();
        Notebook.redirect(shown::add);
        Quiz.show("00");
        String html = shown.get(0).get("text/html");
        assertTrue(html.indexOf("click the option you chose") >= 0
                && html.indexOf("click the option you chose") < html.indexOf("<details"), html);
        assertTrue(shown.get(0).get("text/plain").startsWith("Answer each question, then open this notebook"));
    }

    @Test
    void theNotebooksWithAQuizAreFoundInTheLibrary() {
        List<String> notebooks = Quiz.notebooks();
        assertTrue(notebooks.containsAll(List.of("00", "01", "05")), notebooks.toString());
        assertEquals(notebooks.stream().sorted().toList(), notebooks, "in order");
        for (String notebook : notebooks) {
            assertTrue(Quiz.of(notebook).size() >= 3, notebook + " has at least three questions");
        }
    }

    @Test
    void badInputIsNamed() {
        assertEquals("Quiz.of: notebook must be a two-digit number such as \"01\", but is \"1\".",
                assertThrows(IllegalArgumentException.class, () -> Quiz.of("1")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Quiz.of("97")).getMessage().contains("has no quiz"));
        Table bad = Table.create("q", StringColumn.create("id", "9.1"), StringColumn.create("question", "q?"),
                StringColumn.create("options", "x || y"), StringColumn.create("answer", "c"), StringColumn.create("explanation", "e"));
        assertEquals("Quiz: test row 2: Quiz.Question 9.1: answer must be an option index in [0, 2), but is 2.",
                assertThrows(IllegalStateException.class, () -> Quiz.parse(bad, "test")).getMessage());
    }
}

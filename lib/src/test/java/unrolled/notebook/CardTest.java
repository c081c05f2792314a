package unrolled.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CardTest {

    private final Card card = new Card("A01", "What is a <recurrent> network?", Difficulty.EASY, List.of("Time", "Hidden"),
            "<p>It carries a hidden state.</p>", "01-recurrence.ipynb#what");

    @Test
    void htmlHasTopicBorderDifficultyChipTagsAndFoldedAnswer() {
        String html = card.toHtml();
        assertTrue(html.contains("border-left:6px solid #2b6cb0"), "the Time topic colours the left border");
        assertTrue(html.contains(">Easy</span>"), "the difficulty chip");
        assertTrue(html.contains("color:" + Difficulty.EASY.ink()), "the chip is green for Easy");
        assertTrue(html.contains(">Hidden</span>"), "every tag is shown");
        assertTrue(html.contains("<details><summary"), "the answer opens on a click, without JavaScript");
        assertTrue(html.contains("What is a &lt;recurrent&gt; network?"), "the question is escaped");
        assertTrue(html.contains("<a href=\"01-recurrence.ipynb#what\">"), "a link to where it is answered");
    }

    @Test
    void everyTopicOfTheBankHasItsOwnBorderColour() {
        List<String> colours = Questions.all().stream().map(q -> Card.topicColour(q.tags().get(0))).distinct().toList();
        long topics = Questions.all().stream().map(q -> q.tags().get(0)).distinct().count();
        assertEquals(topics, colours.size(), "one colour per topic, none shared");
        assertTrue(Card.topics().containsAll(Questions.all().stream().map(q -> q.tags().get(0)).toList()));
        assertEquals("#4a5568", Card.topicColour("Unheard-of"), "a topic without a colour gets the neutral grey");
    }

    @Test
    void plainTextNamesIdDifficultyAndTags() {
        assertEquals("A01 [Easy; Time, Hidden] What is a <recurrent> network?", card.toPlainText());
    }

    @Test
    void badIdIsRefusedWithTheExpectedForm() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Card("Q1", "q", Difficulty.HARD, List.of(), "a", ""));
        assertEquals("Card: id must look like A01 or B42, but is \"Q1\".", e.getMessage());
    }

    @Test
    void difficultyParsesAnyCaseAndNamesTheChoicesOnBadInput() {
        assertEquals(Difficulty.MEDIUM, Difficulty.parse(" medium "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Difficulty.parse("Tricky"));
        assertEquals("Difficulty.parse: text must be one of Easy, Medium, Hard, but is \"Tricky\".", e.getMessage());
    }
}

package unrolled.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DrillTest {

    private static Questions.Question question(String id, String difficulty, String tags, String answer, String where) {
        return new Questions.Question(id, Difficulty.parse(difficulty), List.of(tags.split(",")), "s", "Question " + id + "?", answer, where);
    }

    private static final List<Questions.Question> BANK = List.of(
            question("A01", "Hard", "LSTM", "<p>a1</p>", "05-lstm.ipynb#gates"),
            question("A02", "Easy", "Time,Hidden", "<p>a2</p>", "01-recurrence.ipynb"),
            question("A03", "Easy", "LSTM", "<p>a3</p>", "05-lstm.ipynb"),
            question("A04", "Medium", "Zebra", "<p>a4</p>", "02-bptt.ipynb"),
            question("A05", "Medium", "Time", "", ""),
            question("A06", "Hard", "Seq2seq", "", ""));

    @Test
    void theStrictDrillRefusesAndNamesEveryUnansweredQuestion() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Drill.cards(BANK, Drill.Unanswered.FAIL));
        assertEquals("Drill.cards: the drill shows every question, but 2 of 6 have no answer in the bank yet: A05, A06. "
                + "Write their answers, and where they are answered, in unrolled/questions.tsv.", e.getMessage());
    }

    @Test
    void theLenientDrillLeavesUnansweredQuestionsOut() {
        List<Card> cards = Drill.cards(BANK, Drill.Unanswered.SKIP);
        assertEquals(List.of("A01", "A02", "A03", "A04"), cards.stream().map(Card::id).toList());
    }

    @Test
    void theStrictDrillOfTheShippedBankEitherShowsAllOrNamesTheMissing() {
        long unanswered = Questions.all().stream().filter(q -> !q.answered()).count();
        if (unanswered == 0) {
            assertEquals(95, Drill.cards(Drill.Unanswered.FAIL).size());
        } else {
            assertTrue(assertThrows(IllegalStateException.class, () -> Drill.cards(Drill.Unanswered.FAIL)).getMessage()
                    .contains(unanswered + " of 95 have no answer"));
        }
        assertEquals(95 - unanswered, Drill.cards(Drill.Unanswered.SKIP).size());
    }

    @Test
    void topicsFollowTheCurriculumThenTheAlphabetAndEasyCardsComeFirst() {
        Map<String, List<Card>> topics = Drill.byTopic(Drill.cards(BANK, Drill.Unanswered.SKIP));
        assertEquals(List.of("Time", "LSTM", "Zebra"), List.copyOf(topics.keySet()));
        assertEquals(List.of("A03", "A01"), topics.get("LSTM").stream().map(Card::id).toList());
    }

    @Test
    void everyIdInTheOverviewJumpsToACardOfTheTopicView() {
        List<Card> cards = Drill.cards(BANK, Drill.Unanswered.SKIP);
        String overview = Drill.overviewHtml(cards);
        String byTopic = Drill.byTopicHtml(cards);
        Matcher link = Pattern.compile("href=\"#(card-[AB]\\d\\d)\"").matcher(overview);
        int links = 0;
        while (link.find()) {
            links++;
            assertTrue(byTopic.contains("id=\"" + link.group(1) + "\""), link.group(1));
        }
        assertEquals(cards.size(), links);
        assertTrue(byTopic.contains("border-left:6px solid " + Card.topicColour("LSTM")), "topic headers carry the topic's colour");
        assertTrue(byTopic.contains("2 questions (1 Easy, 1 Hard)"), byTopic);
    }

    @Test
    void theOverviewTextCountsEachTopicByDifficulty() {
        String text = Drill.overviewText(Drill.cards(BANK, Drill.Unanswered.SKIP));
        assertEquals(List.of(
                "topic             Easy  Medium  Hard  total",
                "Time                 1       0     0      1",
                "LSTM                 1       0     1      2",
                "Zebra                0       1     0      1",
                "all topics           2       1     1      4"), text.lines().toList());
    }

    @Test
    void theDifficultyLadderLinksEachQuestionToWhereItIsAnswered() {
        List<Card> cards = Drill.cards(BANK, Drill.Unanswered.SKIP);
        String html = Drill.byDifficultyHtml(cards);
        assertTrue(html.contains("<a href=\"05-lstm.ipynb#gates\">05-lstm</a>"), html);
        assertTrue(html.indexOf(">A02</a>") < html.indexOf(">A04</a>") && html.indexOf(">A04</a>") < html.indexOf(">A01</a>"),
                "Easy, then Medium, then Hard");
        assertTrue(Drill.byDifficultyText(cards).contains("A01  Question A01?  [LSTM]  → 05-lstm.ipynb#gates"));
    }
}

package unrolled.notebook;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The interview drill: every question of the bank as a card, arranged for a last review before an interview.
 *
 * <ul>
 *   <li>{@link #overviewHtml}: one grid, topic by difficulty, whose ids jump to the cards;</li>
 *   <li>{@link #byTopicHtml}: the cards, one group per topic (a card's first tag), easy ones first;</li>
 *   <li>{@link #byDifficultyHtml}: one line per question, easy ones first, each with a link to the notebook that
 *       answers it in depth.</li>
 * </ul>
 *
 * <p>The drill is meant to show every question, so {@link #cards} takes a policy for questions whose answer is not
 * in the bank yet: {@link Unanswered#FAIL} refuses and names them, {@link Unanswered#SKIP} leaves them out.
 */
public final class Drill {

    /** What {@link #cards} does with a question whose answer is not in the bank yet. */
    public enum Unanswered {
        /** Refuse, naming every such question: the drill shows the whole bank or nothing. */
        FAIL,
        /** Leave such questions out: for work in progress, never for the drill as shipped. */
        SKIP
    }

    /** Where each card starts: the cards of {@link #byTopicHtml} carry the HTML id {@code card-<ID>}. */
    public static final String CARD_ANCHOR_PREFIX = "card-";

    private Drill() {
    }

    /**
     * Every question of the bank as a card, in id order.
     *
     * @param unanswered what to do with questions the bank has no answer for yet, not null
     * @return the cards
     * @throws IllegalStateException under {@link Unanswered#FAIL}, naming every question without an answer
     */
    public static List<Card> cards(Unanswered unanswered) {
        return cards(Questions.all(), unanswered);
    }

    /**
     * The cards of some questions.
     *
     * @param questions the questions, not null
     * @param unanswered what to do with questions that have no answer yet, not null
     * @return the cards, in the order of the questions
     */
    static List<Card> cards(List<Questions.Question> questions, Unanswered unanswered) {
        Objects.requireNonNull(questions, "Drill.cards: questions must not be null");
        Objects.requireNonNull(unanswered, "Drill.cards: unanswered must be FAIL or SKIP, but is null");
        List<String> missing = questions.stream().filter(q -> !q.answered()).map(Questions.Question::id).toList();
        if (!missing.isEmpty() && unanswered == Unanswered.FAIL) {
            throw new IllegalStateException("Drill.cards: the drill shows every question, but " + missing.size() + " of "
                    + questions.size() + " have no answer in the bank yet: " + String.join(", ", missing)
                    + ". Write their answers, and where they are answered, in unrolled/questions.tsv.");
        }
        return questions.stream().filter(Questions.Question::answered).map(Questions.Question::card).toList();
    }

    /**
     * Groups cards by topic (a card's first tag): the topics that have their own colour first, in the curriculum's
     * order ({@link Card#topics()}), then any others alphabetically; within a topic, easy cards first, then by id.
     *
     * @param cards the cards, not null
     * @return topic to its cards, in display order; topics without cards are left out
     */
    public static Map<String, List<Card>> byTopic(List<Card> cards) {
        Objects.requireNonNull(cards, "Drill.byTopic: cards must not be null");
        List<String> order = new ArrayList<>(Card.topics());
        TreeSet<String> others = new TreeSet<>();
        for (Card card : cards) {
            if (!order.contains(card.topic())) {
                others.add(card.topic());
            }
        }
        order.addAll(others);
        Map<String, List<Card>> groups = new LinkedHashMap<>();
        for (String topic : order) {
            List<Card> inTopic = cards.stream().filter(c -> c.topic().equals(topic)).sorted(EASY_FIRST).toList();
            if (!inTopic.isEmpty()) {
                groups.put(topic, inTopic);
            }
        }
        return groups;
    }

    /**
     * Groups cards by difficulty, Easy, Medium, Hard; within one, by id.
     *
     * @param cards the cards, not null
     * @return difficulty to its cards (an empty list for a difficulty without cards)
     */
    public static Map<Difficulty, List<Card>> byDifficulty(List<Card> cards) {
        Objects.requireNonNull(cards, "Drill.byDifficulty: cards must not be null");
        Map<Difficulty, List<Card>> groups = new EnumMap<>(Difficulty.class);
        for (Difficulty difficulty : Difficulty.values()) {
            groups.put(difficulty, cards.stream().filter(c -> c.difficulty() == difficulty).sorted(EASY_FIRST).toList());
        }
        return groups;
    }

    /**
     * The overview grid: one row per topic, one column per difficulty, each cell listing its question ids as chips
     * that jump to the cards of {@link #byTopicHtml}; counts per row and column.
     *
     * @param cards the cards, not null
     * @return an HTML fragment
     */
    public static String overviewHtml(List<Card> cards) {
        Map<String, List<Card>> topics = byTopic(cards);
        StringBuilder html = new StringBuilder("<table class=\"unrolled-drill-overview\" style=\"border-collapse:collapse;"
                + "font-family:sans-serif;font-size:13px;color:#1a202c\"><thead><tr>" + TH + "topic</th>");
        for (Difficulty difficulty : Difficulty.values()) {
            html.append(TH).append(chip(difficulty)).append("</th>");
        }
        html.append(TH).append("questions</th></tr></thead><tbody>");
        Map<Difficulty, Integer> columnTotals = new EnumMap<>(Difficulty.class);
        for (Map.Entry<String, List<Card>> topic : topics.entrySet()) {
            html.append("<tr><td style=\"").append(TD).append("border-left:6px solid ").append(Card.topicColour(topic.getKey()))
                    .append(";font-weight:600\">").append(Html.escape(topic.getKey())).append("</td>");
            for (Difficulty difficulty : Difficulty.values()) {
                html.append("<td style=\"").append(TD).append("\">");
                for (Card card : topic.getValue()) {
                    if (card.difficulty() == difficulty) {
                        html.append("<a href=\"#").append(CARD_ANCHOR_PREFIX).append(card.id()).append("\" style=\"display:inline-block;")
                                .append("margin:1px;padding:0 6px;border-radius:8px;text-decoration:none;border:1px solid ")
                                .append(difficulty.ink()).append(";color:").append(difficulty.ink()).append(";background:")
                                .append(difficulty.fill()).append("\">").append(card.id()).append("</a>");
                        columnTotals.merge(difficulty, 1, Integer::sum);
                    }
                }
                html.append("</td>");
            }
            html.append("<td style=\"").append(TD).append("text-align:right\">").append(topic.getValue().size()).append("</td></tr>");
        }
        html.append("<tr><td style=\"").append(TD).append("font-weight:600\">all topics</td>");
        for (Difficulty difficulty : Difficulty.values()) {
            html.append("<td style=\"").append(TD).append("font-weight:600\">").append(columnTotals.getOrDefault(difficulty, 0))
                    .append("</td>");
        }
        html.append("<td style=\"").append(TD).append("text-align:right;font-weight:600\">").append(cards.size())
                .append("</td></tr></tbody></table>");
        return html.toString();
    }

    /**
     * The overview as text: one line per topic with its counts by difficulty.
     *
     * @param cards the cards, not null
     * @return the lines, the last one the totals
     */
    public static String overviewText(List<Card> cards) {
        StringBuilder text = new StringBuilder(String.format("%-16s %5s %7s %5s %6s%n", "topic", "Easy", "Medium", "Hard", "total"));
        for (Map.Entry<String, List<Card>> topic : byTopic(cards).entrySet()) {
            text.append(countsLine(topic.getKey(), topic.getValue()));
        }
        return text.append(countsLine("all topics", cards)).toString().stripTrailing();
    }

    /**
     * Every card, one group per topic with a header in the topic's colour and its counts; each card is wrapped in
     * an element with the id {@code card-<ID>}, the target of the overview's links.
     *
     * @param cards the cards, not null
     * @return an HTML fragment
     */
    public static String byTopicHtml(List<Card> cards) {
        StringBuilder html = new StringBuilder("<div class=\"unrolled-drill\">");
        for (Map.Entry<String, List<Card>> topic : byTopic(cards).entrySet()) {
            html.append("<div style=\"font-family:sans-serif;font-size:17px;font-weight:600;color:#1a202c;margin:18px 0 4px;")
                    .append("padding-left:8px;border-left:6px solid ").append(Card.topicColour(topic.getKey())).append("\">")
                    .append(Html.escape(topic.getKey())).append(" <span style=\"font-weight:normal;font-size:13px;color:#4a5568\">· ")
                    .append(counts(topic.getValue())).append("</span></div>");
            for (Card card : topic.getValue()) {
                html.append("<div id=\"").append(CARD_ANCHOR_PREFIX).append(card.id()).append("\">").append(card.toHtml()).append("</div>");
            }
        }
        return html.append("</div>").toString();
    }

    /**
     * {@link #byTopicHtml} as text: a header line per topic, then its cards' {@link Card#toPlainText()}.
     *
     * @param cards the cards, not null
     * @return the text
     */
    public static String byTopicText(List<Card> cards) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, List<Card>> topic : byTopic(cards).entrySet()) {
            text.append("== ").append(topic.getKey()).append(" · ").append(counts(topic.getValue())).append('\n');
            for (Card card : topic.getValue()) {
                text.append(card.toPlainText()).append('\n');
            }
        }
        return text.toString().stripTrailing();
    }

    /**
     * One line per question, easy ones first: the id (a link to its card), the question, its topic and a link to
     * the notebook that answers it in depth.
     *
     * @param cards the cards, not null
     * @return an HTML fragment
     */
    public static String byDifficultyHtml(List<Card> cards) {
        StringBuilder html = new StringBuilder("<div class=\"unrolled-drill-ladder\" style=\"font-family:sans-serif;font-size:13px;"
                + "color:#1a202c;max-width:60em\">");
        for (Map.Entry<Difficulty, List<Card>> level : byDifficulty(cards).entrySet()) {
            html.append("<div style=\"margin:14px 0 4px;font-size:15px;font-weight:600\">").append(chip(level.getKey()))
                    .append(" ").append(level.getValue().size()).append(level.getValue().size() == 1 ? " question" : " questions")
                    .append("</div><table style=\"border-collapse:collapse\">");
            for (Card card : level.getValue()) {
                html.append("<tr><td style=\"").append(TD).append("border-left:4px solid ").append(Card.topicColour(card.topic()))
                        .append("\"><a href=\"#").append(CARD_ANCHOR_PREFIX).append(card.id()).append("\">").append(card.id())
                        .append("</a></td><td style=\"").append(TD).append("\">").append(Html.escape(card.question()))
                        .append("</td><td style=\"").append(TD).append("color:#4a5568\">").append(Html.escape(card.topic()))
                        .append("</td><td style=\"").append(TD).append("white-space:nowrap\">").append(whereLink(card)).append("</td></tr>");
            }
            html.append("</table>");
        }
        return html.append("</div>").toString();
    }

    /**
     * {@link #byDifficultyHtml} as text: a header per difficulty, then one line per question.
     *
     * @param cards the cards, not null
     * @return the text
     */
    public static String byDifficultyText(List<Card> cards) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<Difficulty, List<Card>> level : byDifficulty(cards).entrySet()) {
            text.append("== ").append(level.getKey().label()).append(" (").append(level.getValue().size()).append(")\n");
            for (Card card : level.getValue()) {
                text.append(card.id()).append("  ").append(card.question()).append("  [").append(card.topic()).append("]")
                        .append(card.where().isEmpty() ? "" : "  → " + card.where()).append('\n');
            }
        }
        return text.toString().stripTrailing();
    }

    /**
     * Shows the overview grid of some cards.
     *
     * @param cards the cards, e.g. {@code Drill.cards(Drill.Unanswered.FAIL)}, not null
     */
    public static void showOverview(List<Card> cards) {
        Notebook.html(overviewHtml(cards), overviewText(cards));
    }

    /**
     * Shows the cards grouped by topic.
     *
     * @param cards the cards, not null
     */
    public static void showByTopic(List<Card> cards) {
        Notebook.html(byTopicHtml(cards), byTopicText(cards));
    }

    /**
     * Shows the one-line-per-question list, grouped by difficulty.
     *
     * @param cards the cards, not null
     */
    public static void showByDifficulty(List<Card> cards) {
        Notebook.html(byDifficultyHtml(cards), byDifficultyText(cards));
    }

    private static final Comparator<Card> EASY_FIRST = Comparator.comparing(Card::difficulty).thenComparing(Card::id);
    private static final String TH = "<th style=\"text-align:left;padding:4px 8px;border-bottom:2px solid #cbd5e0\">";
    private static final String TD = "padding:3px 8px;border-bottom:1px solid #e2e8f0;vertical-align:top;text-align:left;";

    private static String chip(Difficulty difficulty) {
        return "<span style=\"border:1px solid " + difficulty.ink() + ";color:" + difficulty.ink() + ";background:" + difficulty.fill()
                + ";border-radius:10px;padding:1px 8px;font-size:12px\">" + difficulty.label() + "</span>";
    }

    private static String whereLink(Card card) {
        if (card.where().isEmpty()) {
            return "";
        }
        String page = card.where().replaceFirst("\\.ipynb.*$", "");
        return "→ <a href=\"" + Html.escape(card.where()) + "\">" + Html.escape(page) + "</a>";
    }

    private static String counts(List<Card> cards) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<Difficulty, List<Card>> level : byDifficulty(cards).entrySet()) {
            if (!level.getValue().isEmpty()) {
                parts.add(level.getValue().size() + " " + level.getKey().label());
            }
        }
        return cards.size() + (cards.size() == 1 ? " question" : " questions") + " (" + String.join(", ", parts) + ")";
    }

    private static String countsLine(String label, List<Card> cards) {
        Map<Difficulty, List<Card>> levels = byDifficulty(cards);
        return String.format("%-16s %5d %7d %5d %6d%n", label, levels.get(Difficulty.EASY).size(), levels.get(Difficulty.MEDIUM).size(),
                levels.get(Difficulty.HARD).size(), cards.size());
    }
}

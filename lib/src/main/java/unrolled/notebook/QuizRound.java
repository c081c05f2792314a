package unrolled.notebook;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * A quiz round: a random, seeded set of multiple-choice questions drawn from the notebooks' quizzes, shown without
 * their answers, then scored from the learner's letters with the right answer and its explanation for each.
 *
 * <pre>{@code
 * QuizRound round = QuizRound.draw(8, 2024);   // 8 questions from every notebook's quiz
 * round.show();                                // numbered questions and options, no answers
 * round.score("abda cb-a");                    // one letter per question; '-' skips one
 * }</pre>
 *
 * @param questions the questions drawn, in the order shown; none twice
 * @param seed the seed they were drawn with
 * @param notebooks the notebooks they were drawn from, two-digit numbers
 */
public record QuizRound(List<Quiz.Question> questions, long seed, List<String> notebooks) {

    /** The letter that skips a question when scoring. */
    public static final char SKIP = '-';

    /**
     * Checks that there is at least one question and that no question appears twice.
     *
     * @param questions the questions, in order
     * @param seed the seed of the draw
     * @param notebooks where they come from
     */
    public QuizRound {
        questions = List.copyOf(Objects.requireNonNull(questions, "QuizRound: questions must not be null"));
        notebooks = List.copyOf(Objects.requireNonNull(notebooks, "QuizRound: notebooks must not be null"));
        if (questions.isEmpty()) {
            throw new IllegalArgumentException("QuizRound: a round needs at least one question, but has none.");
        }
        Set<String> ids = new HashSet<>();
        for (Quiz.Question question : questions) {
            if (!ids.add(question.id())) {
                throw new IllegalArgumentException("QuizRound: question " + question.id() + " appears twice; a round asks each question once.");
            }
        }
    }

    /**
     * Draws {@code count} different questions at random from the quizzes of some notebooks. The same seed and the
     * same quizzes give the same questions in the same order.
     *
     * @param count how many questions, from 1 to the number the quizzes hold
     * @param seed the seed of the draw
     * @param notebooks two-digit notebook numbers such as {@code "01"}; none means every notebook with a quiz
     * @return the round, not yet shown
     * @throws IllegalArgumentException if count is not positive or larger than the quizzes hold
     */
    public static QuizRound draw(int count, long seed, String... notebooks) {
        Objects.requireNonNull(notebooks, "QuizRound.draw: notebooks must not be null");
        List<String> from = notebooks.length == 0 ? Quiz.notebooks() : List.of(notebooks);
        List<Quiz.Question> pool = new ArrayList<>();
        for (String notebook : from) {
            pool.addAll(Quiz.of(notebook));
        }
        return fromPool(pool, count, seed, from);
    }

    /**
     * Draws from a given pool: what {@link #draw} does once the quizzes are read.
     *
     * @param pool every question that may be drawn, ids unique
     * @param count how many to draw, from 1 to the pool's size
     * @param seed the seed of the draw
     * @param notebooks where the pool comes from, for messages
     * @return the round
     */
    static QuizRound fromPool(List<Quiz.Question> pool, int count, long seed, List<String> notebooks) {
        Set<String> ids = new HashSet<>();
        for (Quiz.Question question : pool) {
            if (!ids.add(question.id())) {
                throw new IllegalStateException("QuizRound.draw: the id " + question.id() + " appears more than once in the quizzes of notebooks "
                        + String.join(", ", notebooks) + "; every quiz question needs its own id.");
            }
        }
        if (count < 1 || count > pool.size()) {
            throw new IllegalArgumentException("QuizRound.draw: count must be between 1 and " + pool.size()
                    + " (the questions in the quizzes of notebooks " + String.join(", ", notebooks) + "), but is " + count + ".");
        }
        List<Quiz.Question> shuffled = new ArrayList<>(pool);
        Collections.shuffle(shuffled, new Random(seed));
        return new QuizRound(shuffled.subList(0, count), seed, notebooks);
    }

    /**
     * How one question was answered.
     *
     * @param number the question's position in the round, from 1
     * @param question the question
     * @param given the index of the option the learner chose, or -1 if they skipped it
     */
    public record Mark(int number, Quiz.Question question, int given) {

        /**
         * Checks the chosen index against the question's options.
         *
         * @param number position from 1
         * @param question the question
         * @param given the chosen option's index, or -1 for skipped
         */
        public Mark {
            Objects.requireNonNull(question, "QuizRound.Mark: question must not be null");
            if (given < -1 || given >= question.options().size()) {
                throw new IllegalArgumentException("QuizRound.Mark: given must be -1 (skipped) or an option index in [0, "
                        + question.options().size() + "), but is " + given + ".");
            }
        }

        /** @return true if the learner chose the right option */
        public boolean right() {
            return given == question.answer();
        }

        /** @return true if the learner skipped the question */
        public boolean skipped() {
            return given < 0;
        }
    }

    /**
     * The result of a round.
     *
     * @param marks one mark per question, in the round's order
     */
    public record Score(List<Mark> marks) {

        /**
         * Copies the marks.
         *
         * @param marks one per question
         */
        public Score {
            marks = List.copyOf(Objects.requireNonNull(marks, "QuizRound.Score: marks must not be null"));
        }

        /** @return how many questions were answered right */
        public int right() {
            return (int) marks.stream().filter(Mark::right).count();
        }

        /** @return how many questions were skipped */
        public int skipped() {
            return (int) marks.stream().filter(Mark::skipped).count();
        }

        /** @return the fraction answered right, in [0, 1] */
        public double fraction() {
            return marks.isEmpty() ? 0 : (double) right() / marks.size();
        }

        /** @return e.g. {@code 6 of 8 right (75 %), 1 skipped} */
        public String summary() {
            return right() + " of " + marks.size() + " right (" + Math.round(100 * fraction()) + " %)"
                    + (skipped() == 0 ? "" : ", " + skipped() + " skipped");
        }
    }

    /**
     * Reads the learner's answers: one letter per question, in order, upper or lower case; spaces and commas are
     * ignored and {@value #SKIP} skips a question.
     *
     * @param answers e.g. {@code "abda cb-a"}, not null
     * @return the score
     * @throws IllegalArgumentException if the number of letters differs from the number of questions, or a letter is
     *     not an option of its question; the message names the question and the letters allowed
     */
    public Score grade(String answers) {
        Objects.requireNonNull(answers, "QuizRound.grade: answers must not be null; write one letter per question, e.g. \"abd-\".");
        String letters = answers.replaceAll("[\\s,]", "").toLowerCase(Locale.ROOT);
        if (letters.length() != questions.size()) {
            throw new IllegalArgumentException("QuizRound.grade: answers must hold one letter per question, " + questions.size()
                    + " letters, but \"" + answers + "\" holds " + letters.length() + ".");
        }
        List<Mark> marks = new ArrayList<>();
        for (int k = 0; k < letters.length(); k++) {
            Quiz.Question question = questions.get(k);
            char letter = letters.charAt(k);
            char last = Quiz.letter(question.options().size() - 1);
            if (letter != SKIP && (letter < 'a' || letter > last)) {
                throw new IllegalArgumentException("QuizRound.grade: answer " + (k + 1) + " must be a letter a–" + last + " (question "
                        + question.id() + " has " + question.options().size() + " options) or " + SKIP + " to skip it, but is \""
                        + answers.replaceAll("[\\s,]", "").charAt(k) + "\".");
            }
            marks.add(new Mark(k + 1, question, letter == SKIP ? -1 : letter - 'a'));
        }
        return new Score(marks);
    }

    /** Shows the questions, numbered, with their options and without their answers. */
    public void show() {
        Notebook.html(toHtml(), toPlainText());
    }

    /**
     * Scores the learner's answers and shows, for each question, right or wrong, the right option and why. Blank
     * answers show a reminder instead and give nothing away, so running a whole notebook does not spoil the round.
     *
     * @param answers one letter per question, as {@link #grade} reads them; or blank while not answered yet
     */
    public void score(String answers) {
        Objects.requireNonNull(answers, "QuizRound.score: answers must not be null; write one letter per question, e.g. \"abd-\".");
        if (answers.isBlank()) {
            String reminder = "No answers yet: write " + questions.size() + " letters, one per question in order (" + SKIP
                    + " to skip one), then run this cell again.";
            Notebook.html("<div class=\"unrolled-quiz-score\" style=\"font-family:sans-serif;padding:6px 12px;border-left:6px solid "
                    + Difficulty.MEDIUM.ink() + ";background:" + Difficulty.MEDIUM.fill() + ";color:#1a202c\">"
                    + Html.escape(reminder) + "</div>", reminder);
            return;
        }
        Score score = grade(answers);
        Notebook.html(scoreHtml(score), scoreText(score));
    }

    /** @return the questions as HTML: numbered, options listed, no answers */
    public String toHtml() {
        StringBuilder html = new StringBuilder("<div class=\"unrolled-quiz-round\" style=\"font-family:sans-serif;color:#1a202c;max-width:46em\">");
        html.append("<div style=\"font-size:13px;color:#4a5568;margin-bottom:6px\">").append(Html.escape(header())).append("</div>");
        for (int k = 0; k < questions.size(); k++) {
            Quiz.Question q = questions.get(k);
            html.append("<div style=\"border:1px solid #e2e8f0;border-radius:6px;padding:8px 14px;margin:6px 0;background:#fff\">")
                    .append("<div style=\"font-weight:600\">").append(k + 1).append(". ").append(Html.escape(q.question()))
                    .append(" <span style=\"font-weight:normal;font-size:12px;color:#4a5568\">(").append(Html.escape(q.id()))
                    .append(")</span></div>");
            for (int i = 0; i < q.options().size(); i++) {
                html.append("<div style=\"margin:2px 0 2px 14px\">(").append(Quiz.letter(i)).append(") ")
                        .append(Html.escape(q.options().get(i))).append("</div>");
            }
            html.append("</div>");
        }
        return html.append("</div>").toString();
    }

    /** @return the questions as plain text, numbered, without their answers */
    public String toPlainText() {
        StringBuilder text = new StringBuilder(header());
        for (int k = 0; k < questions.size(); k++) {
            Quiz.Question q = questions.get(k);
            text.append("\n").append(k + 1).append(". ").append(q.question()).append(" (").append(q.id()).append(")");
            for (int i = 0; i < q.options().size(); i++) {
                text.append("\n   (").append(Quiz.letter(i)).append(") ").append(q.options().get(i));
            }
        }
        return text.toString();
    }

    /**
     * @param score a score of this round, not null
     * @return the score as HTML: the total, then each question marked right or wrong with the right option and why
     */
    public String scoreHtml(Score score) {
        Objects.requireNonNull(score, "QuizRound.scoreHtml: score must not be null");
        Difficulty band = score.fraction() >= 0.8 ? Difficulty.EASY : score.fraction() >= 0.5 ? Difficulty.MEDIUM : Difficulty.HARD;
        StringBuilder html = new StringBuilder("<div class=\"unrolled-quiz-score\" style=\"font-family:sans-serif;color:#1a202c;max-width:46em\">");
        html.append("<div style=\"font-size:16px;font-weight:600;padding:6px 12px;border-left:6px solid ").append(band.ink())
                .append(";background:").append(band.fill()).append("\">Score: ").append(Html.escape(score.summary())).append("</div>");
        for (Mark mark : score.marks()) {
            Quiz.Question q = mark.question();
            String ink = mark.right() ? Difficulty.EASY.ink() : Difficulty.HARD.ink();
            html.append("<div style=\"border-left:4px solid ").append(ink).append(";padding:4px 12px;margin:6px 0\">")
                    .append("<div><b style=\"color:").append(ink).append("\">").append(mark.right() ? "✓" : "✗").append(" ")
                    .append(mark.number()).append(".</b> ").append(Html.escape(q.question())).append(" <span style=\"font-size:12px;")
                    .append("color:#4a5568\">(").append(Html.escape(q.id())).append(")</span></div>")
                    .append("<div style=\"font-size:13px;margin-top:2px\">").append(Html.escape(verdict(mark))).append("</div>")
                    .append("<div style=\"font-size:13px;color:#4a5568;margin-top:2px\">").append(Html.escape(q.explanation()))
                    .append("</div></div>");
        }
        return html.append("</div>").toString();
    }

    /**
     * @param score a score of this round, not null
     * @return the score as plain text, one block per question
     */
    public String scoreText(Score score) {
        Objects.requireNonNull(score, "QuizRound.scoreText: score must not be null");
        StringBuilder text = new StringBuilder("Score: " + score.summary());
        for (Mark mark : score.marks()) {
            text.append("\n").append(mark.right() ? "✓ " : "✗ ").append(mark.number()).append(". ").append(mark.question().question())
                    .append("\n   ").append(verdict(mark)).append("\n   ").append(mark.question().explanation());
        }
        return text.toString();
    }

    private String header() {
        return questions.size() + (questions.size() == 1 ? " question" : " questions") + " drawn with seed " + seed
                + " from the quizzes of notebooks " + String.join(", ", notebooks) + ". Answer with one letter per question ("
                + SKIP + " to skip one).";
    }

    private static String verdict(Mark mark) {
        Quiz.Question q = mark.question();
        String right = "(" + Quiz.letter(q.answer()) + ") " + q.options().get(q.answer());
        if (mark.right()) {
            return "Right: " + right + ".";
        }
        return (mark.skipped() ? "Skipped" : "You chose (" + Quiz.letter(mark.given()) + ") " + q.options().get(mark.given()))
                + "; the answer is " + right + ".";
    }
}

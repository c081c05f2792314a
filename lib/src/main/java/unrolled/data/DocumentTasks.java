package unrolled.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import unrolled.tensor.Shapes;

/**
 * Synthetic document classification with a known answer, for hierarchical models.
 *
 * <p>{@link #verdict}: short "reviews" of several sentences. Most sentences praise or criticise one aspect
 * ({@code "the music was awful"}); exactly one sentence, anywhere in the document, starts with {@code "overall"} and
 * gives the verdict ({@code "overall the film felt great"}). The label is the verdict's polarity: 1 for a positive
 * word, 0 for a negative one. The other sentences' opinion words are drawn independently of the label, so counting
 * positive and negative words is right only by luck: a model must find the verdict <em>sentence</em>, then the opinion
 * <em>word</em> inside it. That is a two-level search, and the attention weights of a hierarchical model can be checked
 * against {@link Document#keySentence()}.
 */
public final class DocumentTasks {

    /** Opinion words that make a verdict positive. */
    public static final List<String> POSITIVE = List.of("good", "great", "superb", "fine", "lovely");
    /** Opinion words that make a verdict negative. */
    public static final List<String> NEGATIVE = List.of("bad", "awful", "dull", "weak", "poor");
    /** The word that opens the verdict sentence. */
    public static final String MARKER = "overall";

    private static final List<String> SUBJECTS = List.of("film", "plot", "music", "cast", "ending", "camera", "dialogue",
            "pacing", "lead", "script", "score", "set");
    private static final List<String> FILLERS = List.of("the", "a", "was", "felt", "is", "very", "quite", "really",
            "and", "still", "rather", "so");

    private DocumentTasks() {
    }

    /**
     * Reviews of {@code minSentences … maxSentences} sentences of 3 to {@code maxWords} words (the verdict at least 4), one of which is the
     * verdict; labels are balanced on average.
     *
     * @param n the number of documents, positive
     * @param minSentences the fewest sentences, at least 1
     * @param maxSentences the most sentences, at least minSentences
     * @param maxWords the longest sentence, at least 4
     * @param seed the seed
     * @return n documents, each with its label and the index of its verdict sentence
     */
    public static List<Document> verdict(int n, int minSentences, int maxSentences, int maxWords, long seed) {
        String method = "DocumentTasks.verdict";
        Shapes.requirePositive(method, "n", n);
        Shapes.requirePositive(method, "minSentences", minSentences);
        if (maxSentences < minSentences) {
            throw new IllegalArgumentException(method + ": maxSentences must be at least minSentences = " + minSentences
                    + ", but is " + maxSentences + ".");
        }
        if (maxWords < 4) {
            throw new IllegalArgumentException(method + ": maxWords must be at least 4 (marker, article, subject, opinion),"
                    + " but is " + maxWords + ".");
        }
        Random random = new Random(seed);
        List<Document> documents = new ArrayList<>(n);
        for (int d = 0; d < n; d++) {
            int sentences = minSentences + random.nextInt(maxSentences - minSentences + 1);
            int key = random.nextInt(sentences);
            int label = random.nextInt(2);
            List<List<String>> text = new ArrayList<>(sentences);
            for (int s = 0; s < sentences; s++) {
                int length = 3 + random.nextInt(maxWords - 2);
                if (s == key) {
                    text.add(sentence(random, length, true, label == 1));
                } else {
                    text.add(sentence(random, length, false, random.nextBoolean()));
                }
            }
            documents.add(new Document(text, label, key));
        }
        return documents;
    }

    /** A sentence of the given length (at least 3, or 4 for a verdict): [marker] article subject fillers, an opinion after the subject. */
    private static List<String> sentence(Random random, int length, boolean verdict, boolean positive) {
        List<String> words = new ArrayList<>(length);
        if (verdict) {
            words.add(MARKER);
        }
        words.add(random.nextBoolean() ? "the" : "a");
        words.add(SUBJECTS.get(random.nextInt(SUBJECTS.size())));
        while (words.size() < length - 1) {
            words.add(FILLERS.get(random.nextInt(FILLERS.size())));
        }
        List<String> opinions = positive ? POSITIVE : NEGATIVE;
        String opinion = opinions.get(random.nextInt(opinions.size()));
        // the opinion goes after the subject, anywhere up to the end
        int from = verdict ? 3 : 2;
        words.add(from + random.nextInt(Math.max(1, words.size() - from + 1)), opinion);
        return words;
    }
}

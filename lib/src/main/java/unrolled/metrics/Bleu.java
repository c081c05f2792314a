package unrolled.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * BLEU (Papineni et al. 2002), the classic score of machine translation: how many of the output's n-grams also occur
 * in the reference, with a penalty for outputs that are too short.
 *
 * <p>For n = 1 … 4, over the whole corpus (sums over sentences, then one ratio):
 * <pre>
 *   p_n = Σ_sentences Σ_{n-grams g of the output} min(count_out(g), count_ref(g))  /  Σ (number of output n-grams)
 *   c = total output length,  r = total reference length
 *   BP = 1 if c &gt; r, else exp(1 − r/c)                         the brevity penalty
 *   BLEU = BP · exp(Σ_n ¼ log p_n)                            the geometric mean of p_1 … p_4
 * </pre>
 *
 * Counts are <em>clipped</em>: an output word counts at most as often as the reference has it, so "the the the the"
 * does not score against "the cat". Corpus BLEU is not the mean of sentence BLEUs: it pools the counts first.
 *
 * <p><b>Smoothing.</b> If any p_n is 0 (a short sentence with no matching 4-gram), the geometric mean is 0, whatever
 * the other precisions. Sentence-level BLEU therefore needs smoothing (Chen and Cherry 2014):
 * <ul>
 *   <li>{@link Smoothing#NONE}: the standard corpus score.</li>
 *   <li>{@link Smoothing#EPSILON}: a zero match count becomes ε = 0.1 (their method 1).</li>
 *   <li>{@link Smoothing#ADD_ONE}: for n ≥ 2, p_n = (matches + 1) / (total + 1) (their method 2, from Lin and Och
 *       2004).</li>
 * </ul>
 *
 * <p>What BLEU cannot see: synonyms and paraphrases (a correct output worded differently scores low), meaning (one
 * wrong word can invert a sentence and cost little), and, with one reference, the many valid translations. It is a
 * corpus-level proxy that correlates with human judgement on average, not a per-sentence verdict.
 */
public final class Bleu {

    /** How zero n-gram precisions are treated. */
    public enum Smoothing {
        /** None: a zero precision makes BLEU 0. */
        NONE,
        /** A zero match count is replaced by 0.1. */
        EPSILON,
        /** For n ≥ 2, add one to the matches and to the total. */
        ADD_ONE
    }

    /** The ε of {@link Smoothing#EPSILON}. */
    public static final double EPSILON = 0.1;

    /**
     * The score and the numbers it is made of.
     *
     * @param bleu BLEU, in [0, 1] (multiply by 100 for the usual scale)
     * @param precisions p_1 … p_N after smoothing
     * @param matches the clipped n-gram matches, n = 1 … N
     * @param totals the output n-gram counts, n = 1 … N
     * @param brevityPenalty BP
     * @param outputLength c
     * @param referenceLength r
     */
    public record Score(double bleu, double[] precisions, long[] matches, long[] totals, double brevityPenalty,
            long outputLength, long referenceLength) {
    }

    private Bleu() {
    }

    /**
     * Corpus BLEU with n-grams up to 4 and no smoothing: the standard score.
     *
     * @param outputs the system's outputs, one token list per sentence
     * @param references one reference per output, in the same order
     * @param <T> the token type (String, Integer, …)
     * @return the score and its parts
     */
    public static <T> Score corpus(List<List<T>> outputs, List<List<T>> references) {
        return corpus(outputs, references, 4, Smoothing.NONE);
    }

    /**
     * Corpus BLEU.
     *
     * @param outputs the system's outputs, one token list per sentence, not null
     * @param references one reference per output, the same number, not null
     * @param maxOrder N, the longest n-gram, positive
     * @param smoothing how zero precisions are treated
     * @param <T> the token type
     * @return the score and its parts
     */
    public static <T> Score corpus(List<List<T>> outputs, List<List<T>> references, int maxOrder, Smoothing smoothing) {
        String method = "Bleu.corpus";
        Objects.requireNonNull(outputs, method + ": outputs must not be null");
        Objects.requireNonNull(references, method + ": references must not be null");
        Objects.requireNonNull(smoothing, method + ": smoothing must not be null");
        if (outputs.size() != references.size() || outputs.isEmpty()) {
            throw new IllegalArgumentException(method + ": there must be one reference per output and at least one of each, "
                    + "but there are " + outputs.size() + " outputs and " + references.size() + " references.");
        }
        if (maxOrder < 1) {
            throw new IllegalArgumentException(method + ": maxOrder must be positive, but is " + maxOrder + ".");
        }
        long[] matches = new long[maxOrder];
        long[] totals = new long[maxOrder];
        long c = 0;
        long r = 0;
        for (int s = 0; s < outputs.size(); s++) {
            List<T> output = Objects.requireNonNull(outputs.get(s), method + ": outputs[" + s + "] is null");
            List<T> reference = Objects.requireNonNull(references.get(s), method + ": references[" + s + "] is null");
            c += output.size();
            r += reference.size();
            for (int n = 1; n <= maxOrder; n++) {
                Map<List<T>, Integer> referenceCounts = ngrams(reference, n);
                // clipped matches: min(count_out(g), count_ref(g))
                for (Map.Entry<List<T>, Integer> g : ngrams(output, n).entrySet()) {
                    matches[n - 1] += Math.min(g.getValue(), referenceCounts.getOrDefault(g.getKey(), 0));
                }
                totals[n - 1] += Math.max(0, output.size() - n + 1);
            }
        }
        double[] precisions = new double[maxOrder];
        double logSum = 0;
        boolean zero = false;
        for (int n = 0; n < maxOrder; n++) {
            double m = matches[n];
            double total = totals[n];
            if (smoothing == Smoothing.ADD_ONE && n > 0) {
                m += 1;
                total += 1;
            } else if (smoothing == Smoothing.EPSILON && m == 0) {
                m = EPSILON;
            }
            precisions[n] = total == 0 ? 0 : m / total;
            if (precisions[n] == 0) {
                zero = true;
            } else {
                logSum += Math.log(precisions[n]) / maxOrder;
            }
        }
        // BP = 1 if c > r, else exp(1 − r/c)
        double bp = c == 0 ? 0 : c > r ? 1.0 : Math.exp(1.0 - (double) r / c);
        double bleu = zero ? 0.0 : bp * Math.exp(logSum);
        return new Score(bleu, precisions, matches, totals, bp, c, r);
    }

    /**
     * BLEU of one sentence: the corpus score of a corpus of one, smoothed with {@link Smoothing#ADD_ONE} so that a
     * missing 4-gram does not zero it.
     *
     * @param output the system's tokens
     * @param reference the reference tokens
     * @param <T> the token type
     * @return the score and its parts
     */
    public static <T> Score sentence(List<T> output, List<T> reference) {
        return corpus(List.of(output), List.of(reference), 4, Smoothing.ADD_ONE);
    }

    private static <T> Map<List<T>, Integer> ngrams(List<T> tokens, int n) {
        Map<List<T>, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) {
            counts.merge(List.copyOf(tokens.subList(i, i + n)), 1, Integer::sum);
        }
        return counts;
    }
}

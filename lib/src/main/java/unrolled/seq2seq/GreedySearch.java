package unrolled.seq2seq;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import unrolled.tensor.Shapes;

/**
 * Greedy decoding: at every step take the single most likely next token, and stop at &lt;eos&gt;.
 *
 * <pre>
 *   ŷ_t = argmax_v log p(v | ŷ_&lt;t, x)        one model call per output token
 * </pre>
 *
 * It is {@link BeamSearch} with a beam of 1, and it is not the most likely sequence: a token that looks best now can
 * lead only to unlikely continuations, and greedy never revisits it. Cheap and often good enough when the model is
 * confident.
 */
public final class GreedySearch {

    private GreedySearch() {
    }

    /**
     * @param scorer the model, for one source
     * @param maxLength the most tokens to emit (&lt;eos&gt; not counted), positive
     * @param <S> the scorer's state type
     * @return the sequence, its log-probability (score = log-probability), finished if it ended with &lt;eos&gt;
     */
    public static <S> Hypothesis decode(StepScorer<S> scorer, int maxLength) {
        Objects.requireNonNull(scorer, "GreedySearch.decode: scorer must not be null");
        Shapes.requirePositive("GreedySearch.decode", "maxLength", maxLength);
        S state = scorer.start();
        int previous = scorer.startToken();
        int[] tokens = new int[maxLength];
        int length = 0;
        double logProbability = 0;
        while (true) {
            StepScorer.Scored<S> next = scorer.advance(List.of(state), new int[] {previous}).get(0);
            // ŷ_t = argmax_v log p(v | ŷ_<t, x)
            int best = 0;
            for (int v = 1; v < next.logProbabilities().length; v++) {
                if (next.logProbabilities()[v] > next.logProbabilities()[best]) {
                    best = v;
                }
            }
            if (best == scorer.endToken()) {
                logProbability += next.logProbabilities()[best];
                return new Hypothesis(Arrays.copyOf(tokens, length), logProbability, logProbability, true);
            }
            if (length == maxLength) {
                break;
            }
            logProbability += next.logProbabilities()[best];
            tokens[length++] = best;
            previous = best;
            state = next.state();
        }
        return new Hypothesis(Arrays.copyOf(tokens, length), logProbability, logProbability, false);
    }
}

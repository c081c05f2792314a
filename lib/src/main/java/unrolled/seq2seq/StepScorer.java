package unrolled.seq2seq;

import java.util.List;

/**
 * A left-to-right model of output sequences as search sees it: from a state and the last token, the log-probability
 * of every next token and the state after each. {@link GreedySearch} and {@link BeamSearch} run on any scorer: an
 * {@link EncoderDecoder} given one source ({@link EncoderDecoder#scorer}), or a hand-built table in a test.
 *
 * @param <S> the decoder state type (for a recurrent decoder, its hidden state)
 */
public interface StepScorer<S> {

    /** @return the state before the first token */
    S start();

    /**
     * Scores the next token for several prefixes at once (a beam), which a neural decoder computes as one batch.
     *
     * @param states k states, one per prefix
     * @param previousTokens the last token of each prefix (&lt;bos&gt; for an empty prefix), k of them
     * @return k results, in order: log p(v | prefix) for every token v, and the state after reading the last token
     */
    List<Scored<S>> advance(List<S> states, int[] previousTokens);

    /** @return V, the number of tokens */
    int vocabularySize();

    /** @return the id that ends a sequence */
    int endToken();

    /** @return the id fed before the first token */
    int startToken();

    /**
     * One prefix's next-token distribution.
     *
     * @param logProbabilities log p(v | prefix) for v = 0 … V−1
     * @param state the state after reading the prefix's last token
     * @param <S> the state type
     */
    record Scored<S>(double[] logProbabilities, S state) {
    }
}

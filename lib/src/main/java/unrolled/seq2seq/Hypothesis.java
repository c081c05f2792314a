package unrolled.seq2seq;

/**
 * One output sequence a search found.
 *
 * @param tokens the ids, without the final &lt;eos&gt;
 * @param logProbability log p(tokens, &lt;eos&gt;) = Σ_t log p(y_t | y_&lt;t), &lt;eos&gt; included when finished
 * @param score what the search ranks by: the log-probability divided by a length penalty (equal to it when the penalty
 *     is off)
 * @param finished true if the search chose &lt;eos&gt; to end it; false if it stopped at the length limit
 */
public record Hypothesis(int[] tokens, double logProbability, double score, boolean finished) {

    /** @return the number of tokens, &lt;eos&gt; not counted */
    public int length() {
        return tokens.length;
    }
}

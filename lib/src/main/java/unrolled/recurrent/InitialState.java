package unrolled.recurrent;

/**
 * Where a {@link RecurrentLayer} gets h_{−1} (and c_{−1} for an LSTM), the state before the first step, when the
 * caller does not pass one.
 *
 * <p><b>Stateless vs stateful.</b> A <em>stateless</em> layer ({@link #ZEROS}, {@link #LEARNED}) treats every batch as
 * a set of fresh, independent sequences: each starts from the same initial state, and nothing survives from one
 * {@code forward} call to the next. This is right whenever the sequences of a batch are complete (sentences, reviews,
 * short series) and is what you want by default. A <em>stateful</em> layer ({@link #CARRIED}) treats batch b + 1 as
 * the continuation of batch b: row n of the next batch continues row n of this one, so the final state of one batch
 * becomes the initial state of the next. This lets a model read a stream far longer than what fits in memory, one
 * window at a time; the carried state is <em>detached</em> (a constant copy), so gradients never flow back into the
 * previous batch — the same cut as {@link TruncatedBptt}, across calls instead of within one. A stateful layer needs
 * the same batch size every time, and {@link RecurrentLayer#reset()} between independent streams (e.g. each epoch).
 */
public enum InitialState {

    /** h_{−1} = 0 (and c_{−1} = 0) for every sequence: stateless, no parameters. The usual default. */
    ZEROS,

    /**
     * h_{−1} = h0, a trainable row (1, H) broadcast over the batch (and c_{−1} = c0 for cells with a cell state):
     * stateless. Because the same h0 starts every sequence of the batch, its gradient is the sum over the batch,
     * ∂L/∂h0 = Σ_n ∂L/∂h_{−1}[n, :]. The layer registers them as parameters {@code h0} and {@code c0}, initialised to
     * zero.
     */
    LEARNED,

    /**
     * h_{−1} = the final state of the previous {@code forward} call, detached (copied, no gradient into the previous
     * batch); zeros for the first call and after {@link RecurrentLayer#reset()}: stateful. The batch size must not
     * change between calls.
     */
    CARRIED
}

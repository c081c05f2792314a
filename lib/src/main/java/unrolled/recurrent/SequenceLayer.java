package unrolled.recurrent;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.cell.RecurrentCell;
import unrolled.cell.State;
import unrolled.data.SequenceMask;
import unrolled.param.Trainable;

/**
 * A recurrent cell unrolled over whole sequences, forward and backward through time: what {@link TruncatedBptt},
 * {@link Bidirectional} and {@link StackedRecurrent} compose. {@link RecurrentLayer} is the readable reference;
 * {@code unrolled.fast.FastRecurrentLayer} computes the same numbers quickly. Both take x of shape (N, T, D), return
 * outputs (N, T, H) and the final state, and sum the shared weights' gradients over time in {@code backward}.
 *
 * @param <C> the cell's cache type
 */
public interface SequenceLayer<C> extends Trainable {

    /**
     * Runs the layer from the state its {@link InitialState} policy gives, over every step.
     *
     * @param x the inputs, (N, T, D)
     * @return outputs (N, T, H), the final state and the cache for {@link #backward}
     */
    RecurrentLayer.Result<C> forward(INDArray x);

    /**
     * Runs the layer from its policy's state over a padded batch.
     *
     * @param x the inputs, (N, T, D), padding at the end of each sequence
     * @param mask which steps are real, (N, T), or null for all
     * @return outputs (N, T, H), zero on padding; the state at each sequence's true last step; the cache
     */
    RecurrentLayer.Result<C> forward(INDArray x, SequenceMask mask);

    /**
     * Runs the layer from a given state (its initial-state policy is not used; {@link #forward(INDArray, SequenceMask)}
     * starts from the policy's state).
     *
     * @param x the inputs, (N, T, D)
     * @param initial h_{−1} (and c_{−1}), each (N, H); not null
     * @param mask which steps are real, (N, T), or null for all
     * @return outputs, final state and cache
     */
    RecurrentLayer.Result<C> forward(INDArray x, State initial, SequenceMask mask);

    /**
     * Backpropagation through time: walks t = T−1 … 0 and sums the shared weights' gradients.
     *
     * @param dOutputs ∂L/∂outputs, (N, T, H)
     * @param dFinal ∂L/∂(final state), each (N, H), or null
     * @param cache the cache of the forward pass
     * @return dx (N, T, D), the initial state's gradient, the parameters' gradients and ∂L/∂h_t for every t
     */
    SequenceGradients backward(INDArray dOutputs, State dFinal, RecurrentLayer.Cache<C> cache);

    /**
     * @param batchSize N, positive
     * @return the state the {@link InitialState} policy starts a batch from, each array (N, H)
     */
    State initialState(long batchSize);

    /** Forgets the carried state of a CARRIED layer; no effect otherwise. */
    void reset();

    /** @return a copy of the state a CARRIED layer starts its next batch from, or null */
    State carriedState();

    /** @return the cell unrolled by this layer */
    RecurrentCell<C> cell();

    /** @return ZEROS, LEARNED or CARRIED */
    InitialState initialStatePolicy();

    /** @return true if the cell carries an LSTM cell state c */
    boolean hasCellState();

    /** @return D */
    int inputSize();

    /** @return H */
    int hiddenSize();

    /** @return the data type the layer computes in */
    DataType dataType();

    /**
     * Checks an input (and a mask against it) with this layer's messages, for layers composed of this one.
     *
     * @param method the public method being called, for the message
     * @param x the inputs, (N, T, D)
     * @param mask (N, T), or null
     * @return N
     */
    long requireInput(String method, INDArray x, SequenceMask mask);
}

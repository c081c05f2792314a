package unrolled.cell;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.param.Trainable;

/**
 * One time step of a recurrent network: the part that is applied again and again, with the same weights,
 * at t = 0, 1, …, T−1. Shapes are batch-first and maths is row-vector: x_t is (N, D), h_t is (N, H).
 *
 * <p>{@link #forward} returns the new state and a cache; {@link #backward} takes the gradient arriving at the
 * new state and that cache, and returns the gradients of the input, the previous state and the parameters.
 * Sequence layers in {@code unrolled.recurrent} call these for every step.
 *
 * <p>For a cell with a cell state (an LSTM), {@code backward} always receives a non-null {@code dNext.c()}
 * (zeros where no loss reaches c_t directly) and returns a non-null {@code dPrevious.c()}; cells without one
 * (vanilla RNN, GRU) neither take nor return it.
 *
 * @param <C> the cell's cache type: a record naming what the forward step saved
 */
public interface RecurrentCell<C> extends Trainable {

    /** @return D, the size of each input x_t */
    int inputSize();

    /** @return H, the size of the hidden state h_t */
    int hiddenSize();

    /** @return the data type the cell computes in: DOUBLE or FLOAT */
    DataType dataType();

    /**
     * @param batchSize N, positive
     * @return the all-zero state for a batch: h (and c) of shape (N, H)
     */
    State zeroState(long batchSize);

    /**
     * One forward step.
     *
     * @param x the input x_t, (N, D)
     * @param previous the state h_{t−1} (and c_{t−1}), each (N, H)
     * @return the new state and the cache for {@link #backward}
     */
    Step<C> forward(INDArray x, State previous);

    /**
     * One backward step.
     *
     * @param dNext ∂L/∂h_t (and ∂L/∂c_t), each (N, H): everything that flows into the new state
     * @param cache the cache {@link #forward} returned for this step
     * @return ∂L/∂x_t, ∂L/∂(previous state) and this step's parameter gradients
     */
    StepGradients backward(State dNext, C cache);
}

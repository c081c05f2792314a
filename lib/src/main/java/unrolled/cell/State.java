package unrolled.cell;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a recurrent cell carries from one time step to the next: the hidden state h of shape (N, H), and for an
 * LSTM also the cell state c of shape (N, H). In a backward pass the same record carries the gradients
 * ∂L/∂h and ∂L/∂c.
 *
 * @param h the hidden state, (N, H)
 * @param c the LSTM cell state, (N, H); null for cells without one (vanilla RNN, GRU)
 */
public record State(INDArray h, INDArray c) {

    /**
     * Requires h; c may be null.
     *
     * @param h the hidden state, (N, H)
     * @param c the cell state, (N, H), or null
     */
    public State {
        Objects.requireNonNull(h, "State: h must not be null");
    }

    /**
     * @param h the hidden state, (N, H)
     * @return a state with no cell state
     */
    public static State of(INDArray h) {
        return new State(h, null);
    }

    /** @return true if this state has an LSTM cell state */
    public boolean hasCell() {
        return c != null;
    }
}

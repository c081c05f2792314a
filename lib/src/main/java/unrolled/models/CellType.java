package unrolled.models;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import unrolled.cell.GruCell;
import unrolled.cell.LstmCell;
import unrolled.cell.RecurrentCell;
import unrolled.cell.RnnCell;

/**
 * Which recurrent cell a ready model unrolls. The choice is the first question of every sequence-model
 * interview, so every model of this package takes it as a setting:
 *
 * <ul>
 *   <li>{@link #RNN}: the vanilla tanh cell, h_t = tanh(x_t·Wx + h_{t−1}·Wh + b); fewest parameters, H(D + H + 1),
 *       but its gradient vanishes or explodes over long spans.</li>
 *   <li>{@link #LSTM}: a gated, additively updated cell state carries information (and gradient) across many
 *       steps; 4H(D + H + 1) parameters, forget-gate bias 1.</li>
 *   <li>{@link #GRU}: two gates and no separate cell state; 3H(D + H + 2) parameters, often as good as the LSTM.</li>
 * </ul>
 */
public enum CellType {

    /** The vanilla (Elman) RNN cell with tanh, {@link RnnCell}. */
    RNN,
    /** The long short-term memory cell, {@link LstmCell}, with forget-gate bias {@link LstmCell#DEFAULT_FORGET_BIAS}. */
    LSTM,
    /** The gated recurrent unit, {@link GruCell}. */
    GRU;

    /**
     * Builds a fresh cell of this type with its own seeded weights.
     *
     * @param inputSize D, the size of each input x_t, positive
     * @param hiddenSize H, the size of the hidden state h_t, positive
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of the cell's weights
     * @return the cell; its cache type depends on the cell, which is why the result is a wildcard
     */
    public RecurrentCell<?> create(int inputSize, int hiddenSize, DataType dataType, long seed) {
        Objects.requireNonNull(dataType, "CellType.create: dataType must not be null");
        return switch (this) {
            case RNN -> new RnnCell(inputSize, hiddenSize, RnnCell.Activation.TANH, dataType, seed);
            case LSTM -> new LstmCell(inputSize, hiddenSize, dataType, seed);
            case GRU -> new GruCell(inputSize, hiddenSize, dataType, seed);
        };
    }
}

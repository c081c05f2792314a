package unrolled.cell;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.param.Parameters;
import unrolled.param.Trainable;
import unrolled.tensor.Shapes;

/**
 * What every cell is, apart from its equations: D, H, the data type, the parameters it registers, and its zero
 * state. The cells here and in {@code unrolled.family} extend it, so that each file holds its own maths and little
 * else.
 */
public abstract class CellSizes implements Trainable {

    /** D, the size of each input x_t. */
    protected final int inputSize;
    /** H, the size of the hidden state. */
    protected final int hiddenSize;
    /** DOUBLE or FLOAT. */
    protected final DataType dataType;
    /** The cell's parameters, registered by its constructor. */
    protected final Parameters parameters = new Parameters();

    /**
     * @param cell the cell's name, for the messages
     * @param inputSize D, positive
     * @param hiddenSize H, positive
     * @param dataType DOUBLE or FLOAT
     */
    protected CellSizes(String cell, int inputSize, int hiddenSize, DataType dataType) {
        CellSteps.requireSizes(cell, inputSize, hiddenSize, dataType);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.dataType = dataType;
    }

    /** @return the cell's parameters, in the order its constructor registered them */
    @Override
    public Parameters parameters() {
        return parameters;
    }

    /** @return D, the size of each input x_t */
    public int inputSize() {
        return inputSize;
    }

    /** @return H, the size of the hidden state h_t */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** @return the data type the cell computes in: DOUBLE or FLOAT */
    public DataType dataType() {
        return dataType;
    }

    /**
     * h = 0 (and c = 0), each (N, H).
     *
     * @param method the public method being called, for the message
     * @param batchSize N, positive
     * @param withCell true for a state that carries c
     * @return the all-zero state
     */
    protected State zeros(String method, long batchSize, boolean withCell) {
        Shapes.requirePositive(method, "batchSize", batchSize);
        return new State(Nd4j.zeros(dataType, batchSize, hiddenSize),
                withCell ? Nd4j.zeros(dataType, batchSize, hiddenSize) : null);
    }

    /**
     * @param cell the cell's name
     * @param settings the cell's own settings, or empty
     * @return e.g. {@code GruCell(D=3, H=5, DOUBLE)}, with the cell's own settings before the data type
     */
    protected String describe(String cell, String settings) {
        return cell + "(D=" + inputSize + ", H=" + hiddenSize + (settings.isEmpty() ? "" : ", " + settings) + ", "
                + dataType + ")";
    }
}

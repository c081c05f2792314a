package unrolled.fast;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.TestData;
import unrolled.cell.GruCell;
import unrolled.cell.LstmCell;
import unrolled.cell.RecurrentCell;
import unrolled.cell.RnnCell;

/** The cells the fast path covers, built with non-zero biases so that every parameter matters. */
enum Cells {
    LSTM, GRU, RNN_TANH, RNN_RELU;

    /**
     * @return a seeded cell whose biases (and, for ReLU, recurrent weights) are perturbed away from their special
     *     initial values
     */
    RecurrentCell<?> create(int inputSize, int hiddenSize, DataType type, long seed) {
        RecurrentCell<?> cell = switch (this) {
            case LSTM -> new LstmCell(inputSize, hiddenSize, type, seed);
            case GRU -> new GruCell(inputSize, hiddenSize, type, seed);
            case RNN_TANH -> new RnnCell(inputSize, hiddenSize, RnnCell.Activation.TANH, type, seed);
            case RNN_RELU -> new RnnCell(inputSize, hiddenSize, RnnCell.Activation.RELU, type, seed);
        };
        long k = seed * 31;
        for (var entry : cell.parameters()) {
            INDArray value = entry.getValue();
            if (entry.getKey().startsWith("b") || this == RNN_RELU) {
                value.addi(gaussian(++k, type, value.shape()).muli(0.3));
            }
        }
        return cell;
    }

    static INDArray gaussian(long seed, DataType type, long... shape) {
        return TestData.gaussian(seed, shape).castTo(type);
    }
}

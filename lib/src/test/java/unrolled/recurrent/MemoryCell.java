package unrolled.recurrent;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import unrolled.cell.RecurrentCell;
import unrolled.cell.State;
import unrolled.cell.Step;
import unrolled.cell.StepGradients;
import unrolled.param.Gradients;
import unrolled.param.Init;
import unrolled.param.Parameters;

/**
 * A test-only cell with a cell state c, standing in for the LSTM (written in parallel) so that the layers' handling
 * of {@code State.c()} is tested now:
 *
 * <pre>
 *   g_t = tanh(x_t·Wx + h_{t−1}·Wh + b)      c_t = ½·c_{t−1} + g_t      h_t = tanh(c_t)
 * </pre>
 */
public final class MemoryCell implements RecurrentCell<MemoryCell.Cache> {

    /**
     * @param x x_t
     * @param hPrev h_{t−1}
     * @param g g_t
     * @param h h_t
     */
    public record Cache(INDArray x, INDArray hPrev, INDArray g, INDArray h) {
    }

    private final int inputSize;
    private final int hiddenSize;
    private final DataType dataType;
    private final INDArray Wx;
    private final INDArray Wh;
    private final INDArray b;
    private final Parameters parameters = new Parameters();

    /**
     * @param inputSize D
     * @param hiddenSize H
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of the weights
     */
    public MemoryCell(int inputSize, int hiddenSize, DataType dataType, long seed) {
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.dataType = dataType;
        this.Wx = Init.xavierUniform(inputSize, hiddenSize, seed, dataType);
        this.Wh = Init.orthogonal(hiddenSize, hiddenSize, 1.0, seed + 1, dataType);
        this.b = Init.normal(1, hiddenSize, 0.1, seed + 2, dataType);
        parameters.add("Wx", Wx).add("Wh", Wh).add("b", b);
    }

    @Override
    public Step<Cache> forward(INDArray x, State previous) {
        INDArray g = Transforms.tanh(x.mmul(Wx).addi(previous.h().mmul(Wh)).addiRowVector(b), false);
        INDArray c = previous.c().mul(0.5).addi(g);
        INDArray h = Transforms.tanh(c, true);
        return new Step<>(new State(h, c), new Cache(x, previous.h(), g, h));
    }

    @Override
    public StepGradients backward(State dNext, Cache cache) {
        // ∂L/∂c_t (total) = dc + dh ⊙ (1 − h²)
        INDArray dcTotal = dNext.h().mul(cache.h().mul(cache.h()).rsubi(1.0));
        if (dNext.c() != null) {
            dcTotal.addi(dNext.c());
        }
        INDArray da = dcTotal.mul(cache.g().mul(cache.g()).rsubi(1.0));
        Gradients grads = new Gradients()
                .accumulate("Wx", cache.x().transpose().mmul(da))
                .accumulate("Wh", cache.hPrev().transpose().mmul(da))
                .accumulate("b", da.sum(true, 0));
        return new StepGradients(da.mmul(Wx.transpose()), new State(da.mmul(Wh.transpose()), dcTotal.mul(0.5)), grads);
    }

    @Override
    public State zeroState(long batchSize) {
        return new State(Nd4j.zeros(dataType, batchSize, hiddenSize), Nd4j.zeros(dataType, batchSize, hiddenSize));
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int hiddenSize() {
        return hiddenSize;
    }

    @Override
    public DataType dataType() {
        return dataType;
    }

    @Override
    public String toString() {
        return "MemoryCell(D=" + inputSize + ", H=" + hiddenSize + ")";
    }
}

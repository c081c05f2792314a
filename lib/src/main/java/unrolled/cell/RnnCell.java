package unrolled.cell;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import unrolled.param.Gradients;
import unrolled.param.Init;

/**
 * The vanilla (Elman) RNN cell:
 *
 * <pre>
 *   a_t = x_t·Wx + h_{t−1}·Wh + b        x_t (N, D), Wx (D, H), h (N, H), Wh (H, H), b (1, H)
 *   h_t = φ(a_t)                          φ = tanh, or ReLU
 * </pre>
 *
 * Initialisation: Wx Xavier-uniform; Wh orthogonal for tanh, the identity for ReLU (the IRNN recipe, which
 * starts the cell as an accumulator); b zero.
 */
public final class RnnCell extends CellSizes implements RecurrentCell<RnnCell.Cache> {

    /** The nonlinearity φ and its derivative written in terms of the output h = φ(a). */
    public enum Activation {
        /** φ = tanh, φ'(a) = 1 − h². */
        TANH,
        /** φ = max(0, a), φ'(a) = 1 where h > 0, else 0. */
        RELU
    }

    /**
     * What the forward step keeps for the backward step.
     *
     * @param x the input x_t, (N, D)
     * @param hPrev the previous hidden state h_{t−1}, (N, H)
     * @param h the new hidden state h_t, (N, H), from which φ'(a_t) is computed
     */
    public record Cache(INDArray x, INDArray hPrev, INDArray h) implements CellSteps.Cached {
    }

    private final Activation activation;
    private final INDArray Wx;
    private final INDArray Wh;
    private final INDArray b;

    /**
     * @param inputSize D, positive
     * @param hiddenSize H, positive
     * @param activation TANH or RELU
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of the weights
     */
    public RnnCell(int inputSize, int hiddenSize, Activation activation, DataType dataType, long seed) {
        super("RnnCell", inputSize, hiddenSize, dataType);
        this.activation = Objects.requireNonNull(activation, "RnnCell: activation must not be null");
        this.Wx = Init.xavierUniform(inputSize, hiddenSize, seed, dataType);
        this.Wh = activation == Activation.TANH
                ? Init.orthogonal(hiddenSize, hiddenSize, 1.0, seed + 1, dataType)
                : Init.scaledIdentity(hiddenSize, 1.0, dataType);
        this.b = Nd4j.zeros(dataType, 1, hiddenSize);
        parameters.add("Wx", Wx).add("Wh", Wh).add("b", b);
    }

    /**
     * One forward step.
     *
     * @param x the input x_t, (N, D)
     * @param previous h_{t−1}, (N, H), without a cell state
     * @return the new state h_t and the cache for {@link #backward}
     */
    @Override
    public Step<Cache> forward(INDArray x, State previous) {
        CellSteps.requireStep("RnnCell.forward", "A vanilla RNN", x, previous, inputSize, hiddenSize, dataType);
        INDArray hPrev = previous.h();

        // a_t = x_t·Wx + h_{t−1}·Wh + b
        INDArray a = x.mmul(Wx).addi(hPrev.mmul(Wh)).addiRowVector(b);
        // h_t = φ(a_t)
        INDArray h = activation == Activation.TANH ? Transforms.tanh(a, false) : Transforms.relu(a, false);
        return new Step<>(State.of(h), new Cache(x, hPrev, h));
    }

    /**
     * One backward step.
     *
     * @param dNext dh = ∂L/∂h_t, (N, H), without a cell-state gradient
     * @param cache the cache {@link #forward} returned for this step
     * @return dx_t (N, D), dh_{t−1} (N, H), and the gradients of Wx, Wh and b
     */
    @Override
    public StepGradients backward(State dNext, Cache cache) {
        CellSteps.requireStepGradient("RnnCell.backward", "A vanilla RNN", dNext, cache, hiddenSize, dataType);
        INDArray h = cache.h();

        // da = dh ⊙ φ'(a):  tanh' = 1 − h²,  relu' = [h > 0]
        INDArray dPhi = activation == Activation.TANH ? CellSteps.tanhDerivative(h) : h.gt(0.0).castTo(dataType);
        INDArray da = dNext.h().mul(dPhi);
        // dWx = x_tᵀ·da,  dWh = h_{t−1}ᵀ·da,  dx = da·Wxᵀ,  dh_{t−1} = da·Whᵀ,  db = Σ_N da
        CellSteps.Products products = CellSteps.Products.backward(cache.x(), Wx, da, cache.hPrev(), Wh, da);
        Gradients grads = products.parameters().accumulate("b", CellSteps.biasGradient(da));
        return new StepGradients(products.dx(), State.of(products.dhPrev()), grads);
    }

    @Override
    public State zeroState(long batchSize) {
        return zeros("RnnCell.zeroState", batchSize, false);
    }

    /** @return the nonlinearity φ */
    public Activation activation() {
        return activation;
    }

    @Override
    public String toString() {
        return describe("RnnCell", activation.toString());
    }
}

package unrolled.layer;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import unrolled.param.Gradients;
import unrolled.param.Init;
import unrolled.param.Parameters;
import unrolled.tensor.Shapes;
import unrolled.tensor.SizedBlock;

/**
 * A two-layer perceptron with a ReLU between the layers:
 *
 * <pre>
 *   a = x·W1 + b1        x (M, D), W1 (D, F), b1 (1, F)
 *   u = max(0, a)
 *   y = u·W2 + b2        W2 (F, K), b2 (1, K), y (M, K)
 * </pre>
 *
 * and its backward pass, the affine layer's twice with the ReLU's gate [a &gt; 0] between them:
 *
 * <pre>
 *   ∂L/∂W2 = uᵀ·dy     ∂L/∂b2 = Σ_M dy     du = dy·W2ᵀ     da = du ⊙ [a &gt; 0]
 *   ∂L/∂W1 = xᵀ·da     ∂L/∂b1 = Σ_M da     ∂L/∂x = da·W1ᵀ
 * </pre>
 *
 * Applied at every position of a sequence with {@link TimeDistributed}, with K = D and F = 4·D, it is the
 * Transformer's position-wise feed-forward network; with a small D it encodes each frame of a video (or any
 * per-step feature vector) before a recurrent layer reads the sequence of codes.
 *
 * <p>Initialisation: W1 and W2 Xavier-uniform from the seed, biases zero. Parameter names: {@code W1}, {@code b1},
 * {@code W2}, {@code b2}.
 */
public final class FeedForward extends SizedBlock implements RowLayer<FeedForward.Cache> {

    /**
     * What the forward pass keeps for the backward pass.
     *
     * @param x the input, (M, D)
     * @param u the hidden activations max(0, a), (M, F); u &gt; 0 exactly where a &gt; 0
     */
    public record Cache(INDArray x, INDArray u) {
    }

    /**
     * The forward result.
     *
     * @param output y, (M, K)
     * @param cache for {@link #backward}
     */
    public record Result(INDArray output, Cache cache) implements RowLayer.Output<Cache> {
    }

    private final int inputSize;
    private final int hiddenSize;
    private final int outputSize;
    private final INDArray W1;
    private final INDArray b1;
    private final INDArray W2;
    private final INDArray b2;
    private final Parameters parameters = new Parameters();

    /**
     * @param inputSize D, positive
     * @param hiddenSize F, the width of the hidden layer, positive
     * @param outputSize K, positive
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of W1 (W2 uses seed + 1)
     */
    public FeedForward(int inputSize, int hiddenSize, int outputSize, DataType dataType, long seed) {
        super("FeedForward", "D=" + inputSize + ", F=" + hiddenSize + ", K=" + outputSize, dataType);
        Shapes.requireSizes("FeedForward", dataType, "inputSize, hiddenSize, outputSize",
                inputSize, hiddenSize, outputSize);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.outputSize = outputSize;
        this.W1 = Init.xavierUniform(inputSize, hiddenSize, seed, dataType);
        this.b1 = Nd4j.zeros(dataType, 1, hiddenSize);
        this.W2 = Init.xavierUniform(hiddenSize, outputSize, seed + 1, dataType);
        this.b2 = Nd4j.zeros(dataType, 1, outputSize);
        parameters.add("W1", W1).add("b1", b1).add("W2", W2).add("b2", b2);
    }

    /**
     * @param x the input, (M, D), of the layer's data type
     * @return y (M, K) and the cache for {@link #backward}
     */
    @Override
    public Result forward(INDArray x) {
        Shapes.require("FeedForward.forward", "x", x, "(M, D)", dataType, Shapes.ANY, inputSize);

        // a = x·W1 + b1,  u = max(0, a)
        INDArray u = Transforms.relu(x.mmul(W1).addiRowVector(b1), false);
        // y = u·W2 + b2
        INDArray y = u.mmul(W2).addiRowVector(b2);
        return new Result(y, new Cache(x, u));
    }

    /**
     * @param dy ∂L/∂y, (M, K)
     * @param cache from {@link #forward}
     * @return ∂L/∂x (M, D), and ∂L/∂W1 (D, F), ∂L/∂b1 (1, F), ∂L/∂W2 (F, K), ∂L/∂b2 (1, K) under their names
     */
    @Override
    public LayerGradients backward(INDArray dy, Cache cache) {
        Objects.requireNonNull(cache, "FeedForward.backward: cache must not be null");
        Shapes.require("FeedForward.backward", "dy", dy, "(M, K)", dataType, cache.x().size(0), outputSize);

        // dW2 = uᵀ·dy,  db2 = Σ_M dy,  du = dy·W2ᵀ
        Gradients grads = new Gradients();
        INDArray du = dy.mmul(W2.transpose());
        // da = du ⊙ [a > 0]
        INDArray da = du.muli(cache.u().gt(0.0).castTo(dataType));
        // dW1 = xᵀ·da,  db1 = Σ_M da,  dx = da·W1ᵀ
        grads.accumulate("W1", cache.x().transpose().mmul(da))
                .accumulate("b1", da.sum(true, 0))
                .accumulate("W2", cache.u().transpose().mmul(dy))
                .accumulate("b2", dy.sum(true, 0));
        INDArray dx = da.mmul(W1.transpose());
        return new LayerGradients(dx, grads);
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    /** @return F, the width of the hidden layer */
    public int hiddenSize() {
        return hiddenSize;
    }

    @Override
    public int outputSize() {
        return outputSize;
    }
}

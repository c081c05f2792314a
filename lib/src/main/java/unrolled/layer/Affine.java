package unrolled.layer;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.param.Gradients;
import unrolled.param.Init;
import unrolled.param.Parameters;
import unrolled.tensor.Shapes;
import unrolled.tensor.SizedBlock;

/**
 * The affine (fully connected, dense, linear) layer:
 *
 * <pre>
 *   y = x·W + b        x (N, D), W (D, K), b (1, K), y (N, K)
 * </pre>
 *
 * and its backward pass, each row of x being one example:
 *
 * <pre>
 *   ∂L/∂W = xᵀ·dy      ∂L/∂b = Σ_N dy      ∂L/∂x = dy·Wᵀ
 * </pre>
 *
 * In a recurrent network it is the readout that turns a hidden state h (N, H) into scores over K classes;
 * {@link TimeDistributedAffine} applies the same layer at every time step.
 *
 * <p>Initialisation: W Xavier-uniform from the seed, b zero. Parameter names: {@code W}, {@code b}.
 */
public final class Affine extends SizedBlock implements RowLayer<Affine.Cache> {

    /**
     * What the forward pass keeps for the backward pass.
     *
     * @param x the input, (N, D): ∂L/∂W needs it
     */
    public record Cache(INDArray x) {
    }

    /**
     * The forward result.
     *
     * @param output y = x·W + b, (N, K)
     * @param cache for {@link #backward}
     */
    public record Result(INDArray output, Cache cache) implements RowLayer.Output<Cache> {
    }

    private final int inputSize;
    private final int outputSize;
    private final INDArray W;
    private final INDArray b;
    private final Parameters parameters = new Parameters();

    /**
     * @param inputSize D, positive
     * @param outputSize K, positive
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of W
     */
    public Affine(int inputSize, int outputSize, DataType dataType, long seed) {
        super("Affine", "D=" + inputSize + ", K=" + outputSize, dataType);
        Shapes.requireSizes("Affine", dataType, "inputSize, outputSize", inputSize, outputSize);
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.W = Init.xavierUniform(inputSize, outputSize, seed, dataType);
        this.b = Nd4j.zeros(dataType, 1, outputSize);
        parameters.add("W", W).add("b", b);
    }

    /**
     * @param x the input, (N, D), of the layer's data type
     * @return y = x·W + b, (N, K), and the cache for {@link #backward}
     */
    public Result forward(INDArray x) {
        Shapes.require("Affine.forward", "x", x, "(N, D)", dataType, Shapes.ANY, inputSize);

        // y = x·W + b
        INDArray y = x.mmul(W).addiRowVector(b);
        return new Result(y, new Cache(x));
    }

    /**
     * @param dy ∂L/∂y, (N, K)
     * @param cache from {@link #forward}
     * @return ∂L/∂x (N, D), and ∂L/∂W (D, K), ∂L/∂b (1, K) under the names {@code W}, {@code b}
     */
    public LayerGradients backward(INDArray dy, Cache cache) {
        Objects.requireNonNull(cache, "Affine.backward: cache must not be null");
        long n = cache.x().size(0);
        Shapes.require("Affine.backward", "dy", dy, "(N, K)", dataType, n, outputSize);

        // dW = xᵀ·dy,  db = Σ_N dy
        Gradients grads = new Gradients()
                .accumulate("W", cache.x().transpose().mmul(dy))
                .accumulate("b", dy.sum(true, 0));
        // dx = dy·Wᵀ
        INDArray dx = dy.mmul(W.transpose());
        return new LayerGradients(dx, grads);
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    /** @return D, the size of each input row */
    public int inputSize() {
        return inputSize;
    }

    /** @return K, the size of each output row */
    public int outputSize() {
        return outputSize;
    }
}

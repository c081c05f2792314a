package unrolled.layer;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.param.Trainable;
import unrolled.param.Parameters;
import unrolled.tensor.Shapes;

/**
 * One {@link Affine} layer applied at every time step of a sequence, with a single W and b shared by all steps:
 *
 * <pre>
 *   y_t = x_t·W + b   for t = 1..T      x (N, T, D), W (D, K), b (1, K), y (N, T, K)
 * </pre>
 *
 * Because the same weights serve every step, their gradients are sums over the batch <em>and</em> over time:
 *
 * <pre>
 *   ∂L/∂W = Σ_t x_tᵀ·dy_t      ∂L/∂b = Σ_N Σ_t dy_t      ∂L/∂x_t = dy_t·Wᵀ
 * </pre>
 *
 * Nothing in the affine map mixes time steps, so the T steps of the N sequences are just N·T independent rows.
 * The layer reshapes x to (N·T, D), makes one matrix product instead of T small ones, and reshapes back; the
 * sum over t in ∂L/∂W then falls out of the single product xᵀ·dy over all N·T rows. This is the many-to-many
 * readout of a language model: hidden states (N, T, H) to scores (N, T, V).
 *
 * <p>Parameter names: {@code W}, {@code b}, the same arrays as the wrapped {@link Affine}'s.
 */
public final class TimeDistributedAffine implements Trainable {

    /**
     * What the forward pass keeps for the backward pass.
     *
     * @param x the input, (N, T, D)
     */
    public record Cache(INDArray x) {
    }

    /**
     * The forward result.
     *
     * @param output y, (N, T, K)
     * @param cache for {@link #backward}
     */
    public record Result(INDArray output, Cache cache) {
    }

    private final Affine affine;

    /**
     * A new layer; its W equals that of {@code new Affine(inputSize, outputSize, dataType, seed)}.
     *
     * @param inputSize D, positive
     * @param outputSize K, positive
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of W
     */
    public TimeDistributedAffine(int inputSize, int outputSize, DataType dataType, long seed) {
        this(new Affine(inputSize, outputSize, dataType, seed));
    }

    /**
     * Applies an existing affine layer over time, sharing (not copying) its W and b.
     *
     * @param affine the layer to apply at every step, not null
     */
    public TimeDistributedAffine(Affine affine) {
        this.affine = Objects.requireNonNull(affine, "TimeDistributedAffine: affine must not be null");
    }

    /**
     * @param x the input, (N, T, D), of the layer's data type
     * @return y (N, T, K) with y_t = x_t·W + b, and the cache for {@link #backward}
     */
    public Result forward(INDArray x) {
        Shapes.require("TimeDistributedAffine.forward", "x", x, "(N, T, D)", dataType(),
                Shapes.ANY, Shapes.ANY, inputSize());
        long n = x.size(0);
        long t = x.size(1);

        // Y = X·W + b on the (N·T, D) rows, then back to (N, T, K)
        INDArray Y = affine.forward(rows(x)).output();
        return new Result(Y.reshape('c', n, t, outputSize()), new Cache(x));
    }

    /**
     * @param dy ∂L/∂y, (N, T, K)
     * @param cache from {@link #forward}
     * @return ∂L/∂x (N, T, D), and ∂L/∂W (D, K), ∂L/∂b (1, K), each summed over N and T, under the names
     *     {@code W}, {@code b}
     */
    public LayerGradients backward(INDArray dy, Cache cache) {
        Objects.requireNonNull(cache, "TimeDistributedAffine.backward: cache must not be null");
        long n = cache.x().size(0);
        long t = cache.x().size(1);
        Shapes.require("TimeDistributedAffine.backward", "dy", dy, "(N, T, K)", dataType(), n, t, outputSize());

        // dW = Xᵀ·dY and db = Σ dY over all N·T rows: the sums over the batch and over time at once
        LayerGradients rowGradients = affine.backward(rows(dy), new Affine.Cache(rows(cache.x())));
        // dx = dY·Wᵀ, back to (N, T, D)
        INDArray dx = rowGradients.dx().reshape('c', n, t, inputSize());
        return new LayerGradients(dx, rowGradients.parameters());
    }

    /** (N, T, F) viewed (or, if not contiguous, copied) as (N·T, F): one row per (sequence, step). */
    private static INDArray rows(INDArray sequence) {
        return sequence.reshape('c', sequence.size(0) * sequence.size(1), sequence.size(2));
    }

    @Override
    public Parameters parameters() {
        return affine.parameters();
    }

    /** @return the affine layer applied at every step, whose W and b this layer shares */
    public Affine affine() {
        return affine;
    }

    /** @return D */
    public int inputSize() {
        return affine.inputSize();
    }

    /** @return K */
    public int outputSize() {
        return affine.outputSize();
    }

    /** @return DOUBLE or FLOAT */
    public DataType dataType() {
        return affine.dataType();
    }

    @Override
    public String toString() {
        return "TimeDistributedAffine(D=" + inputSize() + ", K=" + outputSize() + ", " + dataType() + ")";
    }
}

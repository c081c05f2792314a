package unrolled.layer;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * One {@link Affine} layer applied at every time step of a sequence, with a single W and b shared by all steps: the
 * many-to-many readout, hidden states (N, T, H) to scores (N, T, V).
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
 * It is {@link TimeDistributed} around an {@link Affine}, nothing more: the N·T steps become N·T rows, one matrix
 * product replaces T small ones, and the sum over t in ∂L/∂W falls out of the single product xᵀ·dy over all rows.
 *
 * <p>Parameter names: {@code W}, {@code b}, the same arrays as the wrapped {@link Affine}'s.
 */
public final class TimeDistributedAffine extends TimeDistributed<Affine.Cache> {

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
        super(Objects.requireNonNull(affine, "TimeDistributedAffine: affine must not be null"));
    }

    /** @return the affine layer applied at every step, whose W and b this layer shares */
    public Affine affine() {
        return (Affine) layer();
    }

    @Override
    public String toString() {
        return "TimeDistributedAffine(D=" + inputSize() + ", K=" + outputSize() + ", " + dataType() + ")";
    }
}

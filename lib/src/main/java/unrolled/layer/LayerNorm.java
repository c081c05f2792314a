package unrolled.layer;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import unrolled.param.Gradients;
import unrolled.param.Trainable;
import unrolled.param.Parameters;
import unrolled.tensor.Shapes;
import unrolled.tensor.SizedBlock;

/**
 * Layer normalisation (Ba, Kiros &amp; Hinton, 2016) over the last axis: each vector x of D features is
 * standardised by its own mean and variance, then rescaled by a learned gain γ and shift β:
 *
 * <pre>
 *   μ = (1/D) Σ_d x_d        σ² = (1/D) Σ_d (x_d − μ)²        (the biased variance, as in the paper)
 *   x̂ = (x − μ) / √(σ² + ε)
 *   y = γ ⊙ x̂ + β            γ (1, D), β (1, D)
 * </pre>
 *
 * Unlike batch normalisation, the statistics are per example and per time step, never across the batch, so
 * the layer behaves the same in training and evaluation and at every sequence length — which is why it suits
 * recurrent networks. It accepts (N, D) and (N, T, D): every vector along the last axis is normalised alone.
 *
 * <p>The backward pass, with s = 1/√(σ² + ε) and sums over the last axis (derived by the chain rule through μ
 * and σ², both of which depend on every x_d):
 *
 * <pre>
 *   ∂L/∂γ = Σ_rows dy ⊙ x̂        ∂L/∂β = Σ_rows dy        dx̂ = dy ⊙ γ
 *   ∂L/∂x = (s / D) · (D·dx̂ − Σ_d dx̂ − x̂ ⊙ Σ_d (dx̂ ⊙ x̂))
 * </pre>
 *
 * <p>ε = {@value #DEFAULT_EPSILON} by default (PyTorch's): it keeps the division finite when a vector is
 * constant (σ² = 0). Initialisation: γ ones, β zeros, so the layer starts as plain standardisation.
 * Parameter names: {@code gamma}, {@code beta}.
 */
public final class LayerNorm extends SizedBlock implements Trainable {

    /** The default ε added to the variance. */
    public static final double DEFAULT_EPSILON = 1e-5;

    /**
     * What the forward pass keeps for the backward pass.
     *
     * @param xHat the standardised input x̂, the shape of x: (N, D) or (N, T, D)
     * @param inverseStd s = 1/√(σ² + ε) of each vector, the shape of x with a last axis of 1: (N, 1) or (N, T, 1)
     */
    public record Cache(INDArray xHat, INDArray inverseStd) {
    }

    /**
     * The forward result.
     *
     * @param output y, the shape of x
     * @param cache for {@link #backward}
     */
    public record Result(INDArray output, Cache cache) {
    }

    private final int size;
    private final double epsilon;
    private final INDArray gamma;
    private final INDArray beta;
    private final Parameters parameters = new Parameters();

    /**
     * A layer norm with ε = {@value #DEFAULT_EPSILON}.
     *
     * @param size D, the length of the last axis, positive
     * @param dataType DOUBLE or FLOAT
     */
    public LayerNorm(int size, DataType dataType) {
        this(size, DEFAULT_EPSILON, dataType);
    }

    /**
     * @param size D, the length of the last axis, positive
     * @param epsilon ε, added to the variance, positive
     * @param dataType DOUBLE or FLOAT
     */
    public LayerNorm(int size, double epsilon, DataType dataType) {
        super("LayerNorm", "D=" + size + ", ε=" + epsilon, dataType);
        Shapes.requireSizes("LayerNorm", dataType, "size", size);
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("LayerNorm: epsilon must be positive and finite, but is "
                    + epsilon + ".");
        }
        this.size = size;
        this.epsilon = epsilon;
        this.gamma = Nd4j.ones(dataType, 1, size);
        this.beta = Nd4j.zeros(dataType, 1, size);
        parameters.add("gamma", gamma).add("beta", beta);
    }

    /**
     * @param x the input, (N, D) or (N, T, D), of the layer's data type
     * @return y = γ ⊙ x̂ + β, the shape of x, and the cache for {@link #backward}
     */
    public Result forward(INDArray x) {
        requireInput("LayerNorm.forward", "x", x);
        Shapes.requireType("LayerNorm.forward", "x", x, dataType);
        INDArray X = rows(x);

        // μ = mean_d x,  σ² = mean_d (x − μ)²
        INDArray mu = X.mean(true, 1);
        INDArray xc = X.subColumnVector(mu);
        INDArray sigma2 = xc.mul(xc).mean(true, 1);
        // s = 1/√(σ² + ε),  x̂ = (x − μ)·s
        INDArray s = Transforms.pow(sigma2.addi(epsilon), -0.5, false);
        INDArray xHat = xc.muliColumnVector(s);
        // y = γ ⊙ x̂ + β
        INDArray y = xHat.mulRowVector(gamma).addiRowVector(beta);

        return new Result(y.reshape('c', x.shape()),
                new Cache(xHat.reshape('c', x.shape()), s.reshape('c', statisticsShape(x.shape()))));
    }

    /**
     * @param dy ∂L/∂y, the shape of x
     * @param cache from {@link #forward}
     * @return ∂L/∂x (the shape of x), and ∂L/∂γ (1, D), ∂L/∂β (1, D) under the names {@code gamma},
     *     {@code beta}
     */
    public LayerGradients backward(INDArray dy, Cache cache) {
        Objects.requireNonNull(cache, "LayerNorm.backward: cache must not be null");
        long[] shape = cache.xHat().shape();
        Shapes.require("LayerNorm.backward", "dy", dy, shape.length == 3 ? "(N, T, D)" : "(N, D)", dataType, shape);
        INDArray dY = rows(dy);
        INDArray xHat = rows(cache.xHat());
        INDArray s = cache.inverseStd().reshape('c', xHat.size(0), 1);

        // dγ = Σ_rows dy ⊙ x̂,  dβ = Σ_rows dy
        Gradients grads = new Gradients()
                .accumulate("gamma", dY.mul(xHat).sum(true, 0))
                .accumulate("beta", dY.sum(true, 0));
        // dx̂ = dy ⊙ γ
        INDArray dxHat = dY.mulRowVector(gamma);
        // dx = (s / D)·(D·dx̂ − Σ_d dx̂ − x̂ ⊙ Σ_d (dx̂ ⊙ x̂))
        INDArray sumDxHat = dxHat.sum(true, 1);
        INDArray sumDxHatXHat = dxHat.mul(xHat).sum(true, 1);
        INDArray dx = dxHat.mul(size)
                .subiColumnVector(sumDxHat)
                .subi(xHat.mulColumnVector(sumDxHatXHat))
                .muliColumnVector(s.div(size));
        return new LayerGradients(dx.reshape('c', shape), grads);
    }

    private void requireInput(String method, String argument, INDArray x) {
        if (x != null && x.rank() == 3) {
            Shapes.require(method, argument, x, "(N, T, D)", Shapes.ANY, Shapes.ANY, size);
        } else {
            Shapes.require(method, argument, x, "(N, D)", Shapes.ANY, size);
        }
    }

    /** (N, D) as it is, (N, T, D) viewed (or, if not contiguous, copied) as (N·T, D). */
    private static INDArray rows(INDArray x) {
        return x.rank() == 2 ? x : x.reshape('c', x.size(0) * x.size(1), x.size(2));
    }

    private static long[] statisticsShape(long[] shape) {
        long[] statistics = shape.clone();
        statistics[statistics.length - 1] = 1;
        return statistics;
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    /** @return D, the length of the normalised axis */
    public int size() {
        return size;
    }

    /** @return ε, added to the variance */
    public double epsilon() {
        return epsilon;
    }
}

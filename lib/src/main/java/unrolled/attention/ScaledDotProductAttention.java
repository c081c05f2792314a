package unrolled.attention;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.data.SequenceMask;
import unrolled.tensor.Shapes;

/**
 * Scaled dot-product attention, the core of the Transformer, over whole sequences of queries:
 *
 * <pre>
 *   S = Q·Kᵀ / √d                    Q (N, Tq, d), K (N, Tk, d), scores S (N, Tq, Tk)
 *   α = softmax_j(S) on allowed j     weights α (N, Tq, Tk), each row sums to 1 over its allowed keys
 *   Y = α·V                          V (N, Tk, dv), output Y (N, Tq, dv)
 * </pre>
 *
 * Why divide by √d: if the entries of q and k are independent with mean 0 and variance 1, q·k is a sum of d such
 * products and has variance d. Unscaled, the scores grow with d, the softmax saturates towards one-hot, and its
 * gradient vanishes; dividing by √d keeps the scores' variance at 1 whatever the width.
 *
 * <p>Backward, with dY = ∂L/∂Y:
 * <pre>
 *   dV = αᵀ·dY        dα = dY·Vᵀ        dS = α ⊙ (dα − Σ_j α ⊙ dα)        dQ = dS·K / √d        dK = dSᵀ·Q / √d
 * </pre>
 *
 * <p>Self-attention passes the same sequence (or its projections) as Q, K and V; a decoder adds the causal mask so that
 * position i sees only positions j ≤ i. The block has no parameters: {@link MultiHeadAttention} adds the projections.
 */
public final class ScaledDotProductAttention {

    /**
     * What the forward pass keeps for the backward pass.
     *
     * @param queries Q, (N, Tq, d)
     * @param keys K, (N, Tk, d)
     * @param values V, (N, Tk, dv)
     * @param weights α, (N, Tq, Tk)
     */
    public record Cache(INDArray queries, INDArray keys, INDArray values, INDArray weights) {
    }

    /**
     * The forward result.
     *
     * @param output Y = α·V, (N, Tq, dv)
     * @param weights α, (N, Tq, Tk): row i is how query i spreads its attention over the keys (for heatmaps)
     * @param cache for {@link #backward}
     */
    public record Result(INDArray output, INDArray weights, Cache cache) {
    }

    /**
     * The backward result.
     *
     * @param dQueries ∂L/∂Q, (N, Tq, d)
     * @param dKeys ∂L/∂K, (N, Tk, d)
     * @param dValues ∂L/∂V, (N, Tk, dv)
     */
    public record Backward(INDArray dQueries, INDArray dKeys, INDArray dValues) {
    }

    /** Scaled dot-product attention; it has no parameters. */
    public ScaledDotProductAttention() {
    }

    /**
     * @param queries Q, (N, Tq, d), DOUBLE or FLOAT
     * @param keys K, (N, Tk, d), same type
     * @param values V, (N, Tk, dv), same type
     * @param keyMask which keys are real, (N, Tk), or null if none is padded
     * @param causal true to let query i attend only to keys j ≤ i (requires Tq = Tk)
     * @return Y, α and the cache
     */
    public Result forward(INDArray queries, INDArray keys, INDArray values, SequenceMask keyMask, boolean causal) {
        requireInputs("ScaledDotProductAttention.forward", queries, keys, values);
        return compute(queries, keys, values, allowed(queries, keys, keyMask, causal));
    }

    /**
     * The forward pass with any mask, for blocks that build their own.
     *
     * @param queries Q, (N, Tq, d)
     * @param keys K, (N, Tk, d)
     * @param values V, (N, Tk, dv)
     * @param allowed A, (N, Tq, Tk), 1 where query i may attend to key j and 0 elsewhere; or null for all
     * @return Y, α and the cache
     */
    public Result forward(INDArray queries, INDArray keys, INDArray values, INDArray allowed) {
        String method = "ScaledDotProductAttention.forward";
        requireInputs(method, queries, keys, values);
        return compute(queries, keys, values, requireAllowed(method, allowed, queries, keys));
    }

    /** A (N, Tq, Tk) from a key mask and the causal rule, in the queries' type; null when neither hides a key. */
    static INDArray allowed(INDArray queries, INDArray keys, SequenceMask keyMask, boolean causal) {
        return keyMask == null && !causal ? null
                : SequenceMask.allowed(queries.size(0), queries.size(1), keys.size(1), keyMask, causal, queries.dataType());
    }

    /** Checks a caller's A against Q (N, Tq, ·) and K (N, Tk, ·), and casts it to the queries' type; null stays null. */
    static INDArray requireAllowed(String method, INDArray allowed, INDArray queries, INDArray keys) {
        if (allowed == null) {
            return null;
        }
        Shapes.require(method, "allowed", allowed, "(N, Tq, Tk)", queries.size(0), queries.size(1), keys.size(1));
        return allowed.castTo(queries.dataType());
    }

    private Result compute(INDArray Q, INDArray K, INDArray V, INDArray allowed) {
        double scale = 1.0 / Math.sqrt(Q.size(2));
        // S = Q·Kᵀ / √d
        INDArray S = Nd4j.matmul(Q, K, false, true, false).muli(scale);
        // α = softmax over the allowed keys
        INDArray alpha = MaskedSoftmax.forward(S, allowed);
        // Y = α·V
        INDArray Y = Nd4j.matmul(alpha, V);
        return new Result(Y, alpha, new Cache(Q, K, V, alpha));
    }

    /**
     * @param dOutput ∂L/∂Y, (N, Tq, dv)
     * @param cache from {@link #forward}
     * @return ∂L/∂Q, ∂L/∂K, ∂L/∂V
     */
    public Backward backward(INDArray dOutput, Cache cache) {
        requireGradient(dOutput, cache);
        INDArray Q = cache.queries();
        INDArray K = cache.keys();
        INDArray V = cache.values();
        INDArray alpha = cache.weights();
        double scale = 1.0 / Math.sqrt(Q.size(2));

        // dV = αᵀ·dY,  dα = dY·Vᵀ
        INDArray dV = Nd4j.matmul(alpha, dOutput, true, false, false);
        INDArray dAlpha = Nd4j.matmul(dOutput, V, false, true, false);
        // dS = α ⊙ (dα − Σ_j α ⊙ dα)
        INDArray dS = MaskedSoftmax.backward(dAlpha, alpha);
        // dQ = dS·K / √d,  dK = dSᵀ·Q / √d
        INDArray dQ = Nd4j.matmul(dS, K).muli(scale);
        INDArray dK = Nd4j.matmul(dS, Q, true, false, false).muli(scale);
        return new Backward(dQ, dK, dV);
    }

    private static void requireGradient(INDArray dOutput, Cache cache) {
        String method = "ScaledDotProductAttention.backward";
        Objects.requireNonNull(cache, method + ": cache must not be null");
        INDArray Q = cache.queries();
        Shapes.require(method, "dOutput", dOutput, "(N, Tq, dv)", Q.dataType(), Q.size(0), Q.size(1), cache.values().size(2));
    }

    private static void requireInputs(String method, INDArray queries, INDArray keys, INDArray values) {
        Shapes.require(method, "queries", queries, "(N, Tq, d)", Shapes.ANY, Shapes.ANY, Shapes.ANY);
        Shapes.requireFloating(method, queries.dataType());
        long n = queries.size(0);
        long d = queries.size(2);
        Shapes.require(method, "keys", keys, "(N, Tk, d)", n, Shapes.ANY, d);
        Shapes.requireType(method, "keys", keys, queries.dataType());
        Shapes.require(method, "values", values, "(N, Tk, dv)", n, keys.size(1), Shapes.ANY);
        Shapes.requireType(method, "values", values, queries.dataType());
    }

    @Override
    public String toString() {
        return "ScaledDotProductAttention()";
    }
}

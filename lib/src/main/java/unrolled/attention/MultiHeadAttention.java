package unrolled.attention;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.param.Gradients;
import unrolled.param.Init;
import unrolled.param.Trainable;
import unrolled.param.Parameters;
import unrolled.data.SequenceMask;
import unrolled.tensor.EveryStep;
import unrolled.tensor.Shapes;
import unrolled.tensor.SizedBlock;

/**
 * Multi-head attention: h scaled dot-product attentions side by side, each in its own learned subspace of width
 * d = D / h, their outputs concatenated and mixed:
 *
 * <pre>
 *   Q = X_q·Wq + bq      K = X_k·Wk + bk      V = X_v·Wv + bv          X_q (N, Tq, D), X_k and X_v (N, Tk, D); W (D, D)
 *   split each into h heads of width d = D / h:  Q_i (N, Tq, d), K_i, V_i (N, Tk, d)
 *   head_i = softmax(Q_i·K_iᵀ / √d)·V_i                                 (N, Tq, d), weights α_i (N, Tq, Tk)
 *   Y = [head_1, …, head_h]·Wo + bo                                     (N, Tq, D)
 * </pre>
 *
 * One head computes one weighted average per query, so it can follow one relation at a time (the previous word, the
 * subject of the verb, the matching bracket); h heads of width D / h follow h relations for about the cost of one
 * head of width D. Self-attention passes the same X as X_q, X_k and X_v (and sums the three input gradients);
 * cross-attention passes the decoder's states as X_q and the encoder's as X_k = X_v.
 *
 * <p>Parameters: {@code Wq}, {@code bq}, {@code Wk}, {@code bk}, {@code Wv}, {@code bv}, {@code Wo}, {@code bo}; the
 * matrices Xavier-uniform from the seed, the biases zero. Masks as in {@link ScaledDotProductAttention}, the same for
 * every head.
 */
public final class MultiHeadAttention extends SizedBlock implements Trainable {

    /**
     * What the forward pass keeps for the backward pass.
     *
     * @param queries X_q, (N, Tq, D)
     * @param keys X_k, (N, Tk, D)
     * @param values X_v, (N, Tk, D)
     * @param heads the heads' cache, their batch axis of size N·h
     * @param concatenated [head_1, …, head_h], (N, Tq, D)
     */
    public record Cache(INDArray queries, INDArray keys, INDArray values, ScaledDotProductAttention.Cache heads,
            INDArray concatenated) {
    }

    /**
     * The forward result.
     *
     * @param output Y, (N, Tq, D)
     * @param weights every head's α, (N, h, Tq, Tk)
     * @param cache for {@link #backward}
     */
    public record Result(INDArray output, INDArray weights, Cache cache) {
    }

    /**
     * The backward result.
     *
     * @param dQueries ∂L/∂X_q, (N, Tq, D)
     * @param dKeys ∂L/∂X_k, (N, Tk, D)
     * @param dValues ∂L/∂X_v, (N, Tk, D)
     * @param parameters ∂L/∂θ under the names of {@link #parameters()}
     */
    public record Backward(INDArray dQueries, INDArray dKeys, INDArray dValues, Gradients parameters) {
    }

    private final int modelSize;
    private final int heads;
    private final INDArray Wq;
    private final INDArray bq;
    private final INDArray Wk;
    private final INDArray bk;
    private final INDArray Wv;
    private final INDArray bv;
    private final INDArray Wo;
    private final INDArray bo;
    private final Parameters parameters = new Parameters();
    private final ScaledDotProductAttention attention = new ScaledDotProductAttention();

    /**
     * @param modelSize D, the width of every input and of the output, positive and divisible by heads
     * @param heads h, positive
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of the four matrices (Wq, Wk, Wv, Wo get seed, seed + 1, seed + 2, seed + 3)
     */
    public MultiHeadAttention(int modelSize, int heads, DataType dataType, long seed) {
        super("MultiHeadAttention", "D=" + modelSize + ", h=" + heads, dataType);
        String method = "MultiHeadAttention";
        Shapes.requireSizes(method, dataType, "modelSize, heads", modelSize, heads);
        if (modelSize % heads != 0) {
            throw new IllegalArgumentException(method + ": modelSize D must be divisible by heads h, but D = " + modelSize
                    + " and h = " + heads + ".");
        }
        this.modelSize = modelSize;
        this.heads = heads;
        this.Wq = Init.xavierUniform(modelSize, modelSize, seed, dataType);
        this.Wk = Init.xavierUniform(modelSize, modelSize, seed + 1, dataType);
        this.Wv = Init.xavierUniform(modelSize, modelSize, seed + 2, dataType);
        this.Wo = Init.xavierUniform(modelSize, modelSize, seed + 3, dataType);
        this.bq = Nd4j.zeros(dataType, 1, modelSize);
        this.bk = Nd4j.zeros(dataType, 1, modelSize);
        this.bv = Nd4j.zeros(dataType, 1, modelSize);
        this.bo = Nd4j.zeros(dataType, 1, modelSize);
        parameters.add("Wq", Wq).add("bq", bq).add("Wk", Wk).add("bk", bk).add("Wv", Wv).add("bv", bv)
                .add("Wo", Wo).add("bo", bo);
    }

    /**
     * @param queries X_q, (N, Tq, D), of the block's data type
     * @param keys X_k, (N, Tk, D)
     * @param values X_v, (N, Tk, D)
     * @param keyMask which keys are real, (N, Tk), or null if none is padded
     * @param causal true to let query i attend only to keys j ≤ i (requires Tq = Tk)
     * @return Y (N, Tq, D), the weights (N, h, Tq, Tk) and the cache
     */
    public Result forward(INDArray queries, INDArray keys, INDArray values, SequenceMask keyMask, boolean causal) {
        String method = "MultiHeadAttention.forward";
        requireInputs(method, queries, keys, values);
        return compute(queries, keys, values, ScaledDotProductAttention.allowed(queries, keys, keyMask, causal));
    }

    /**
     * The forward pass with any mask.
     *
     * @param queries X_q, (N, Tq, D)
     * @param keys X_k, (N, Tk, D)
     * @param values X_v, (N, Tk, D)
     * @param allowed A, (N, Tq, Tk), 1 where query i may attend to key j; or null for all
     * @return Y, the weights and the cache
     */
    public Result forward(INDArray queries, INDArray keys, INDArray values, INDArray allowed) {
        String method = "MultiHeadAttention.forward";
        requireInputs(method, queries, keys, values);
        return compute(queries, keys, values, ScaledDotProductAttention.requireAllowed(method, allowed, queries, keys));
    }

    private Result compute(INDArray queries, INDArray keys, INDArray values, INDArray allowed) {
        long n = queries.size(0);
        long tq = queries.size(1);
        long tk = keys.size(1);
        // Q = X_q·Wq + bq,  K = X_k·Wk + bk,  V = X_v·Wv + bv, each split into h heads
        INDArray Q = splitHeads(EveryStep.affine(queries, Wq, bq));
        INDArray K = splitHeads(EveryStep.affine(keys, Wk, bk));
        INDArray V = splitHeads(EveryStep.affine(values, Wv, bv));
        // every head sees the same mask
        INDArray headAllowed = allowed == null ? null : repeatHeads(allowed);
        // head_i = softmax(Q_i·K_iᵀ / √d)·V_i
        ScaledDotProductAttention.Result attended = attention.forward(Q, K, V, headAllowed);
        // [head_1, …, head_h], then Y = concat·Wo + bo
        INDArray concatenated = mergeHeads(attended.output(), n, tq);
        INDArray Y = EveryStep.affine(concatenated, Wo, bo);
        INDArray weights = attended.weights().reshape('c', n, heads, tq, tk);
        return new Result(Y, weights, new Cache(queries, keys, values, attended.cache(), concatenated));
    }

    /**
     * @param dOutput ∂L/∂Y, (N, Tq, D)
     * @param cache from {@link #forward}
     * @return the gradients of the three inputs and of every parameter
     */
    public Backward backward(INDArray dOutput, Cache cache) {
        String method = "MultiHeadAttention.backward";
        Objects.requireNonNull(cache, method + ": cache must not be null");
        long n = cache.queries().size(0);
        long tq = cache.queries().size(1);
        Shapes.require(method, "dOutput", dOutput, "(N, Tq, D)", n, tq, modelSize);
        Shapes.requireType(method, "dOutput", dOutput, dataType);
        Gradients grads = new Gradients();

        // Y = concat·Wo + bo:  dWo = concatᵀ·dY,  dbo = Σ dY,  dconcat = dY·Woᵀ
        INDArray dConcatenated = projectBackward(dOutput, cache.concatenated(), Wo, grads, "Wo", "bo");
        ScaledDotProductAttention.Backward dHeads = attention.backward(splitHeads(dConcatenated), cache.heads());
        // back through the three projections
        INDArray dQueries = projectBackward(mergeHeads(dHeads.dQueries(), n, tq), cache.queries(), Wq, grads, "Wq", "bq");
        INDArray dKeys = projectBackward(mergeHeads(dHeads.dKeys(), n, cache.keys().size(1)), cache.keys(), Wk, grads,
                "Wk", "bk");
        INDArray dValues = projectBackward(mergeHeads(dHeads.dValues(), n, cache.values().size(1)), cache.values(), Wv,
                grads, "Wv", "bv");
        Gradients ordered = new Gradients();
        for (String name : parameters.names()) {
            ordered.accumulate(name, grads.get(name));
        }
        return new Backward(dQueries, dKeys, dValues, ordered);
    }

    /** For y = x·W + b at every step: accumulates dW = Σ xᵀ·dy and db = Σ dy, returns dx = dy·Wᵀ. */
    private static INDArray projectBackward(INDArray dy, INDArray x, INDArray W, Gradients grads, String wName, String bName) {
        grads.accumulate(wName, EveryStep.weightGradient(x, dy));
        grads.accumulate(bName, EveryStep.biasGradient(dy));
        return EveryStep.inputGradient(dy, W);
    }

    /** (N, T, D) → (N·h, T, d): head i of sequence n becomes batch row n·h + i. */
    private INDArray splitHeads(INDArray x) {
        long n = x.size(0);
        long t = x.size(1);
        long d = modelSize / heads;
        return x.reshape('c', n, t, heads, d).permute(0, 2, 1, 3).dup('c').reshape('c', n * heads, t, d);
    }

    /** (N·h, T, d) → (N, T, D): the inverse of {@link #splitHeads}, concatenating the heads. */
    private INDArray mergeHeads(INDArray x, long n, long t) {
        long d = modelSize / heads;
        return x.reshape('c', n, heads, t, d).permute(0, 2, 1, 3).dup('c').reshape('c', n, t, modelSize);
    }

    /** (N, Tq, Tk) → (N·h, Tq, Tk), the same mask for every head. */
    private INDArray repeatHeads(INDArray allowed) {
        long n = allowed.size(0);
        long tq = allowed.size(1);
        long tk = allowed.size(2);
        INDArray repeated = Nd4j.zeros(allowed.dataType(), n, heads, tq, tk);
        for (int i = 0; i < heads; i++) {
            repeated.get(NDArrayIndex.all(), NDArrayIndex.point(i),
                    NDArrayIndex.all(), NDArrayIndex.all()).assign(allowed);
        }
        return repeated.reshape('c', n * heads, tq, tk);
    }

    private void requireInputs(String method, INDArray queries, INDArray keys, INDArray values) {
        Shapes.require(method, "queries", queries, "(N, Tq, D)", Shapes.ANY, Shapes.ANY, modelSize);
        Shapes.requireType(method, "queries", queries, dataType);
        long n = queries.size(0);
        Shapes.require(method, "keys", keys, "(N, Tk, D)", n, Shapes.ANY, modelSize);
        Shapes.requireType(method, "keys", keys, dataType);
        Shapes.require(method, "values", values, "(N, Tk, D)", n, keys.size(1), modelSize);
        Shapes.requireType(method, "values", values, dataType);
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    /** @return D */
    public int modelSize() {
        return modelSize;
    }

    /** @return h */
    public int heads() {
        return heads;
    }
}

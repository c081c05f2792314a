package unrolled.family;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.attention.ScaledDotProductAttention;
import unrolled.param.Gradients;
import unrolled.param.Init;
import unrolled.param.Trainable;
import unrolled.param.Parameters;
import unrolled.data.SequenceMask;
import unrolled.tensor.EveryStep;
import unrolled.tensor.Shapes;
import unrolled.tensor.SizedBlock;

/**
 * One read of a memory network (after Sukhbaatar et al., 2015, "End-To-End Memory Networks"): a query attends over
 * an external memory of M items and takes back a weighted sum of them,
 *
 * <pre>
 *   u   = q·B                               q (N, Dq), B (Dq, E): the query in the key space
 *   a_i = m_i·A,   c_i = m_i·C              m (N, M, D), A, C (D, E): each item as a key and as a value
 *   p   = softmax_i(u·a_iᵀ / √E)            over the real items only; p (N, M)
 *   o   = Σ_i p_i·c_i                       (N, E)
 *   r   = u + o                             the read, (N, E): the query updated by what it found
 * </pre>
 *
 * The softmax and weighted sum are the library's {@link ScaledDotProductAttention} with one query per example (the
 * original divides by 1, not √E). Unlike an RNN, whose state must squeeze everything it has read into H numbers, the
 * memory keeps every item separately and the read picks the relevant ones by content, however long ago they were
 * written; feeding r back as the next query (Dq = E) makes a second "hop" that can follow a chain of facts.
 *
 * <p>Backward: the attention block gives ∂L/∂u, ∂L/∂a, ∂L/∂c from ∂L/∂o = ∂L/∂r; the residual adds ∂L/∂r onto ∂L/∂u;
 * then the three projections' rules: ∂L/∂B = qᵀ·du, ∂L/∂A = Σ_{n,i} m_iᵀ·da_i, ∂L/∂C = Σ_{n,i} m_iᵀ·dc_i,
 * ∂L/∂q = du·Bᵀ, ∂L/∂m_i = da_i·Aᵀ + dc_i·Cᵀ.
 *
 * <p>Initialisation: A, B, C Xavier-uniform from the seed. Parameter names: {@code A}, {@code B}, {@code C}.
 */
public final class MemoryRead extends SizedBlock implements Trainable {

    /**
     * What the forward pass keeps for the backward pass.
     *
     * @param query q, (N, Dq)
     * @param memory m, (N, M, D)
     * @param attention the attention block's cache
     */
    public record Cache(INDArray query, INDArray memory, ScaledDotProductAttention.Cache attention) {
    }

    /**
     * The forward result.
     *
     * @param read r = u + o, (N, E)
     * @param weights p, how the query spread its attention over the items, (N, M); zero on padded items
     * @param cache for {@link #backward}
     */
    public record Result(INDArray read, INDArray weights, Cache cache) {
    }

    /**
     * The backward result.
     *
     * @param dQuery ∂L/∂q, (N, Dq)
     * @param dMemory ∂L/∂m, (N, M, D)
     * @param parameters ∂L/∂A, ∂L/∂B, ∂L/∂C under their names
     */
    public record Backward(INDArray dQuery, INDArray dMemory, Gradients parameters) {
    }

    private final int itemSize;
    private final int querySize;
    private final int keySize;
    private final INDArray A;
    private final INDArray B;
    private final INDArray C;
    private final Parameters parameters = new Parameters();
    private final ScaledDotProductAttention attention = new ScaledDotProductAttention();

    /**
     * @param itemSize D, the size of each memory item, positive
     * @param querySize Dq, the size of the query, positive
     * @param keySize E, the size of keys, values and the read, positive
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of A (B and C use seed + 1, seed + 2)
     */
    public MemoryRead(int itemSize, int querySize, int keySize, DataType dataType, long seed) {
        super("MemoryRead", "D=" + itemSize + ", Dq=" + querySize + ", E=" + keySize, dataType);
        Shapes.requireSizes("MemoryRead", dataType, "itemSize, querySize, keySize", itemSize, querySize, keySize);
        this.itemSize = itemSize;
        this.querySize = querySize;
        this.keySize = keySize;
        this.A = Init.xavierUniform(itemSize, keySize, seed, dataType);
        this.B = Init.xavierUniform(querySize, keySize, seed + 1, dataType);
        this.C = Init.xavierUniform(itemSize, keySize, seed + 2, dataType);
        parameters.add("A", A).add("B", B).add("C", C);
    }

    /**
     * @param query q, (N, Dq), of the read's data type
     * @param memory m, (N, M, D)
     * @param memoryMask which items are real, (N, M), or null if none is padded
     * @return r (N, E), the weights p (N, M) and the cache for {@link #backward}
     */
    public Result forward(INDArray query, INDArray memory, SequenceMask memoryMask) {
        String method = "MemoryRead.forward";
        Shapes.require(method, "query", query, "(N, Dq)", dataType, Shapes.ANY, querySize);
        long n = query.size(0);
        Shapes.require(method, "memory", memory, "(N, M, D)", dataType, n, Shapes.ANY, itemSize);
        long m = memory.size(1);

        // u = q·B, as one query per example: (N, 1, E)
        INDArray u = query.mmul(B);
        // a_i = m_i·A,  c_i = m_i·C for every item
        INDArray keys = EveryStep.times(memory, A);
        INDArray values = EveryStep.times(memory, C);
        // p = softmax(u·aᵀ/√E) over the real items,  o = Σ_i p_i·c_i
        ScaledDotProductAttention.Result attended = attention.forward(u.reshape('c', n, 1, keySize), keys, values,
                memoryMask, false);
        // r = u + o
        INDArray read = attended.output().reshape('c', n, keySize).add(u);
        return new Result(read, attended.weights().reshape('c', n, m), new Cache(query, memory, attended.cache()));
    }

    /**
     * @param dRead ∂L/∂r, (N, E)
     * @param cache from {@link #forward}
     * @return ∂L/∂q (N, Dq), ∂L/∂m (N, M, D) and ∂L/∂A, ∂L/∂B, ∂L/∂C
     */
    public Backward backward(INDArray dRead, Cache cache) {
        Objects.requireNonNull(cache, "MemoryRead.backward: cache must not be null");
        long n = cache.query().size(0);
        Shapes.require("MemoryRead.backward", "dRead", dRead, "(N, E)", dataType, n, keySize);

        // the attention block, from ∂L/∂o = ∂L/∂r
        ScaledDotProductAttention.Backward attended = attention.backward(dRead.reshape('c', n, 1, keySize),
                cache.attention());
        // du = ∂L/∂r (the residual) + what the attention sends to its query
        INDArray du = attended.dQueries().reshape('c', n, keySize).add(dRead);
        INDArray dKeys = attended.dKeys();
        INDArray dValues = attended.dValues();
        // ∂L/∂A = Σ m_iᵀ·da_i,  ∂L/∂B = qᵀ·du,  ∂L/∂C = Σ m_iᵀ·dc_i
        Gradients grads = new Gradients()
                .accumulate("A", EveryStep.weightGradient(cache.memory(), dKeys))
                .accumulate("B", cache.query().transpose().mmul(du))
                .accumulate("C", EveryStep.weightGradient(cache.memory(), dValues));
        // ∂L/∂q = du·Bᵀ,  ∂L/∂m_i = da_i·Aᵀ + dc_i·Cᵀ
        INDArray dQuery = du.mmul(B.transpose());
        INDArray dMemory = EveryStep.inputGradient(dKeys, A).addi(EveryStep.inputGradient(dValues, C));
        return new Backward(dQuery, dMemory, grads);
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    /** @return D, the size of each memory item */
    public int itemSize() {
        return itemSize;
    }

    /** @return Dq, the size of the query */
    public int querySize() {
        return querySize;
    }

    /** @return E, the size of the read */
    public int keySize() {
        return keySize;
    }
}

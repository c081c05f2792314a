package unrolled.attention;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import unrolled.param.Gradients;
import unrolled.param.Init;
import unrolled.param.Parameters;
import unrolled.data.SequenceMask;
import unrolled.tensor.Shapes;

/**
 * Additive attention (Bahdanau, Cho and Bengio 2015): a one-hidden-layer network scores each memory position against
 * the query.
 *
 * <pre>
 *   u_j = tanh(q·Wq + m_j·Wm + b)     Wq (Hq, A), Wm (Hm, A), b (1, A), u (N, T, A)
 *   e_j = u_j·v                       v (A, 1), scores e (N, T)
 *   α = softmax(e),  c = Σ_j α_j m_j
 * </pre>
 *
 * It works when query and memory have different sizes and is the score of the original attention paper, where the
 * query is the decoder's previous state s_{t−1}. Backward, with de = ∂L/∂e:
 * <pre>
 *   du_j = de_j·vᵀ    da_j = du_j ⊙ (1 − u_j²)    dv = Σ_{n,j} u_jᵀ·de_j
 *   dWm = Σ m_jᵀ·da_j    dm_j += da_j·Wmᵀ    dWq = qᵀ·Σ_j da_j    dq = (Σ_j da_j)·Wqᵀ    db = Σ da
 * </pre>
 *
 * <p>Parameters: {@code Wq}, {@code Wm}, {@code b}, {@code v}; matrices Xavier-uniform from the seed, b zero.
 */
public final class AdditiveAttention implements Attention<AdditiveAttention.Cache> {

    /**
     * What the forward pass keeps.
     *
     * @param query q, (N, Hq)
     * @param memory m, (N, T, Hm)
     * @param u the hidden layer tanh(q·Wq + m·Wm + b), (N, T, A)
     * @param weights α, (N, T)
     */
    public record Cache(INDArray query, INDArray memory, INDArray u, INDArray weights) {
    }

    private final int querySize;
    private final int memorySize;
    private final int attentionSize;
    private final DataType dataType;
    private final INDArray Wq;
    private final INDArray Wm;
    private final INDArray b;
    private final INDArray v;
    private final Parameters parameters = new Parameters();

    /**
     * @param querySize Hq, positive
     * @param memorySize Hm, positive
     * @param attentionSize A, the width of the scoring layer, positive
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of Wq (seed), Wm (seed + 1) and v (seed + 2)
     */
    public AdditiveAttention(int querySize, int memorySize, int attentionSize, DataType dataType, long seed) {
        String method = "AdditiveAttention";
        Shapes.requirePositive(method, "querySize", querySize);
        Shapes.requirePositive(method, "memorySize", memorySize);
        Shapes.requirePositive(method, "attentionSize", attentionSize);
        Shapes.requireFloating(method, dataType);
        this.querySize = querySize;
        this.memorySize = memorySize;
        this.attentionSize = attentionSize;
        this.dataType = dataType;
        this.Wq = Init.xavierUniform(querySize, attentionSize, seed, dataType);
        this.Wm = Init.xavierUniform(memorySize, attentionSize, seed + 1, dataType);
        this.b = Nd4j.zeros(dataType, 1, attentionSize);
        this.v = Init.xavierUniform(attentionSize, 1, seed + 2, dataType);
        parameters.add("Wq", Wq).add("Wm", Wm).add("b", b).add("v", v);
    }

    @Override
    public AttentionStep<Cache> forward(INDArray query, INDArray memory, SequenceMask mask) {
        Context.requireInputs("AdditiveAttention.forward", this, query, memory, mask);
        long n = memory.size(0);
        long t = memory.size(1);
        // u_j = tanh(q·Wq + m_j·Wm + b): the query's part is the same for every j
        INDArray queryPart = query.mmul(Wq).addiRowVector(b).reshape('c', n, 1, attentionSize);
        INDArray memoryPart = memory.reshape('c', n * t, memorySize).mmul(Wm).reshape('c', n, t, attentionSize);
        INDArray u = Transforms.tanh(memoryPart.addi(queryPart), false);
        // e_j = u_j·v
        INDArray e = u.reshape('c', n * t, attentionSize).mmul(v).reshape('c', n, t);
        // α = softmax(e) on real steps,  c = Σ_j α_j m_j
        INDArray alpha = Context.weights(e, mask);
        INDArray c = Context.average(alpha, memory);
        return new AttentionStep<>(c, alpha, new Cache(query, memory, u, alpha));
    }

    @Override
    public AttentionGradients backward(INDArray dContext, INDArray dWeights, Cache cache) {
        String method = "AdditiveAttention.backward";
        Objects.requireNonNull(cache, method + ": cache must not be null");
        INDArray memory = cache.memory();
        long n = memory.size(0);
        long t = memory.size(1);
        Context.requireGradients(method, this, dContext, dWeights, n, t);
        Context.Backward through = Context.backward(dContext, dWeights, cache.weights(), memory);
        INDArray de = through.dScores().reshape('c', n * t, 1);
        INDArray u = cache.u().reshape('c', n * t, attentionSize);

        // dv = Σ u_jᵀ·de_j,  du_j = de_j·vᵀ,  da_j = du_j ⊙ (1 − u_j²)
        INDArray dv = u.transpose().mmul(de);
        INDArray da = de.mmul(v.transpose()).muli(u.mul(u).rsubi(1.0));
        // dWm = Σ m_jᵀ·da_j,  dm_j += da_j·Wmᵀ
        INDArray memoryRows = memory.reshape('c', n * t, memorySize);
        INDArray dWm = memoryRows.transpose().mmul(da);
        INDArray dMemory = through.dMemory().addi(da.mmul(Wm.transpose()).reshape('c', n, t, memorySize));
        // the query's part was broadcast over j: sum da over j
        INDArray daQuery = da.reshape('c', n, t, attentionSize).sum(1);
        INDArray dWq = cache.query().transpose().mmul(daQuery);
        INDArray db = daQuery.sum(true, 0);
        INDArray dQuery = daQuery.mmul(Wq.transpose());
        Gradients grads = new Gradients().accumulate("Wq", dWq).accumulate("Wm", dWm).accumulate("b", db).accumulate("v", dv);
        return new AttentionGradients(dQuery, dMemory, grads);
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    @Override
    public int querySize() {
        return querySize;
    }

    @Override
    public int memorySize() {
        return memorySize;
    }

    /** @return A, the width of the scoring layer */
    public int attentionSize() {
        return attentionSize;
    }

    @Override
    public DataType dataType() {
        return dataType;
    }

    @Override
    public String toString() {
        return "AdditiveAttention(Hq=" + querySize + ", Hm=" + memorySize + ", A=" + attentionSize + ", " + dataType + ")";
    }
}

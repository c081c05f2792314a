package unrolled.attention;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.param.Gradients;
import unrolled.param.Init;
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
public final class AdditiveAttention extends ScoredAttention<AdditiveAttention.Cache> {

    /**
     * What the forward pass keeps.
     *
     * @param query q, (N, Hq)
     * @param memory m, (N, T, Hm)
     * @param u the hidden layer tanh(q·Wq + m·Wm + b), (N, T, A)
     * @param weights α, (N, T)
     */
    public record Cache(INDArray query, INDArray memory, INDArray u, INDArray weights) implements ScoredAttention.Kept {
    }

    private final int attentionSize;
    private final INDArray Wq;
    private final INDArray Wm;
    private final INDArray b;
    private final INDArray v;

    /**
     * @param querySize Hq, positive
     * @param memorySize Hm, positive
     * @param attentionSize A, the width of the scoring layer, positive
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of Wq (seed), Wm (seed + 1) and v (seed + 2)
     */
    public AdditiveAttention(int querySize, int memorySize, int attentionSize, DataType dataType, long seed) {
        super("AdditiveAttention", "Hq=" + querySize + ", Hm=" + memorySize + ", A=" + attentionSize, querySize, memorySize,
                dataType);
        Shapes.requirePositive("AdditiveAttention", "attentionSize", attentionSize);
        this.attentionSize = attentionSize;
        this.Wq = Init.xavierUniform(querySize, attentionSize, seed, dataType);
        this.Wm = Init.xavierUniform(memorySize, attentionSize, seed + 1, dataType);
        this.b = Nd4j.zeros(dataType, 1, attentionSize);
        this.v = Init.xavierUniform(attentionSize, 1, seed + 2, dataType);
        parameters().add("Wq", Wq).add("Wm", Wm).add("b", b).add("v", v);
    }

    @Override
    Scored<Cache> scores(INDArray query, INDArray memory) {
        // u_j = tanh(m_j·Wm + q·Wq + b): the query's part is the same for every j;  e_j = u_j·v
        AdditiveScore.Forward scored = AdditiveScore.forward(memory, Wm, query.mmul(Wq).addiRowVector(b), v);
        return new Scored<>(scored.scores(), alpha -> new Cache(query, memory, scored.u(), alpha));
    }

    @Override
    AttentionGradients scoreBackward(INDArray dScores, INDArray dMemory, Cache cache) {
        // dv, dWm and dm_j += da_j·Wmᵀ from the scoring network
        AdditiveScore.Backward scored = AdditiveScore.backward(dScores, cache.u(), cache.memory(), Wm, v);
        // the query's part was broadcast over j: sum da over j, then dWq = qᵀ·Σ_j da_j,  db = Σ da,  dq = (Σ_j da_j)·Wqᵀ
        INDArray daQuery = scored.da().sum(1);
        INDArray dWq = cache.query().transpose().mmul(daQuery);
        INDArray db = daQuery.sum(true, 0);
        INDArray dQuery = daQuery.mmul(Wq.transpose());
        Gradients grads = new Gradients().accumulate("Wq", dWq).accumulate("Wm", scored.dW()).accumulate("b", db)
                .accumulate("v", scored.dv());
        return new AttentionGradients(dQuery, dMemory.addi(scored.dMemory()), grads);
    }

    /** @return A, the width of the scoring layer */
    public int attentionSize() {
        return attentionSize;
    }
}

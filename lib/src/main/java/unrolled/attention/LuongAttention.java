package unrolled.attention;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.param.Gradients;
import unrolled.param.Init;

/**
 * Multiplicative attention (Luong, Pham and Manning 2015): the score is a dot product, direct or through a learned
 * matrix.
 *
 * <pre>
 *   dot:      e_j = q·m_jᵀ              requires Hq = Hm; no parameters
 *   general:  e_j = (q·W)·m_jᵀ          W (Hq, Hm)
 *   α = softmax(e),  c = Σ_j α_j m_j
 * </pre>
 *
 * Cheaper than {@link AdditiveAttention} (one product, no hidden layer), and in Luong's decoder the query is the
 * <em>current</em> state s_t, not the previous one. Backward, with de = ∂L/∂e and k = q (dot) or q·W (general):
 * <pre>
 *   dk = Σ_j de_j m_j      dm_j += de_j k      dot: dq = dk      general: dW = qᵀ·dk, dq = dk·Wᵀ
 * </pre>
 *
 * <p>Parameters: none (dot), {@code W} (general), Xavier-uniform from the seed.
 */
public final class LuongAttention extends ScoredAttention<LuongAttention.Cache> {

    /** How the query meets each memory vector. */
    public enum Score {
        /** e_j = q·m_jᵀ: the query and the memory must have the same size. */
        DOT,
        /** e_j = q·W·m_jᵀ: a learned bilinear form, any sizes. */
        GENERAL
    }

    /**
     * What the forward pass keeps.
     *
     * @param query q, (N, Hq)
     * @param memory m, (N, T, Hm)
     * @param key k = q (dot) or q·W (general), (N, Hm)
     * @param weights α, (N, T)
     */
    public record Cache(INDArray query, INDArray memory, INDArray key, INDArray weights) implements ScoredAttention.Kept {
    }

    private final Score score;
    private final INDArray W;

    /**
     * @param score DOT or GENERAL
     * @param querySize Hq, positive (equal to memorySize for DOT)
     * @param memorySize Hm, positive
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of W (GENERAL only)
     */
    public LuongAttention(Score score, int querySize, int memorySize, DataType dataType, long seed) {
        super("LuongAttention", score + ", Hq=" + querySize + ", Hm=" + memorySize, querySize, memorySize, dataType);
        this.score = Objects.requireNonNull(score, "LuongAttention: score must not be null");
        if (score == Score.DOT && querySize != memorySize) {
            throw new IllegalArgumentException("LuongAttention: DOT scores need querySize = memorySize, but Hq = "
                    + querySize + " and Hm = " + memorySize + ". Use Score.GENERAL for different sizes.");
        }
        if (score == Score.GENERAL) {
            this.W = Init.xavierUniform(querySize, memorySize, seed, dataType);
            parameters().add("W", W);
        } else {
            this.W = null;
        }
    }

    @Override
    Scored<Cache> scores(INDArray query, INDArray memory) {
        long n = memory.size(0);
        long t = memory.size(1);
        // k = q (dot) or q·W (general)
        INDArray k = score == Score.DOT ? query : query.mmul(W);
        // e_j = k·m_jᵀ: (N, T, Hm)·(N, Hm, 1) → (N, T)
        INDArray e = Nd4j.matmul(memory, k.reshape('c', n, memorySize(), 1)).reshape('c', n, t);
        return new Scored<>(e, alpha -> new Cache(query, memory, k, alpha));
    }

    @Override
    AttentionGradients scoreBackward(INDArray de, INDArray dMemory, Cache cache) {
        INDArray memory = cache.memory();
        long n = memory.size(0);
        long t = memory.size(1);
        long h = memorySize();
        // dk = Σ_j de_j m_j: (N, 1, T)·(N, T, Hm) → (N, Hm)
        INDArray dk = Nd4j.matmul(de.reshape('c', n, 1, t), memory).reshape('c', n, h);
        // dm_j += de_j k
        dMemory.addi(de.reshape('c', n, t, 1).mul(cache.key().reshape('c', n, 1, h)));
        Gradients grads = new Gradients();
        INDArray dQuery;
        if (score == Score.DOT) {
            dQuery = dk;
        } else {
            // k = q·W:  dW = qᵀ·dk,  dq = dk·Wᵀ
            grads.accumulate("W", cache.query().transpose().mmul(dk));
            dQuery = dk.mmul(W.transpose());
        }
        return new AttentionGradients(dQuery, dMemory, grads);
    }

    /** @return DOT or GENERAL */
    public Score score() {
        return score;
    }
}

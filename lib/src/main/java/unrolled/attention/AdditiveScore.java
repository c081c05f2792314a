package unrolled.attention;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import unrolled.tensor.EveryStep;

/**
 * The scoring network of additive attention, one hidden layer over every memory position, shared by
 * {@link AdditiveAttention} (the offset o = q·Wq + b depends on the query) and {@link AttentionPooling} (o = b, the
 * query is the learned v alone):
 *
 * <pre>
 *   u_j = tanh(m_j·W + o)      m (N, T, H), W (H, A), o (N, A) or (1, A), u (N, T, A)
 *   e_j = u_j·v                v (A, 1), scores e (N, T)
 * </pre>
 *
 * Backward, from de = ∂L/∂e:
 * <pre>
 *   dv = Σ_{n,j} u_jᵀ·de_j     da_j = de_j·vᵀ ⊙ (1 − u_j²)     dW = Σ m_jᵀ·da_j     dm_j = da_j·Wᵀ
 * </pre>
 * and ∂L/∂o = Σ_j da_j, which each caller sends on to its own offset.
 */
final class AdditiveScore {

    private AdditiveScore() {
    }

    /**
     * @param u the hidden layer, (N, T, A)
     * @param scores e, (N, T)
     */
    record Forward(INDArray u, INDArray scores) {
    }

    /**
     * @param da ∂L/∂(m_j·W + o) at every position, (N, T, A)
     * @param dW ∂L/∂W, (H, A)
     * @param dv ∂L/∂v, (A, 1)
     * @param dMemory the scores' share of ∂L/∂m, (N, T, H)
     */
    record Backward(INDArray da, INDArray dW, INDArray dv, INDArray dMemory) {
    }

    /**
     * @param memory m, (N, T, H)
     * @param W (H, A)
     * @param offset o, (N, A) for one per sequence or (1, A) for one shared
     * @param v (A, 1)
     * @return u and e
     */
    static Forward forward(INDArray memory, INDArray W, INDArray offset, INDArray v) {
        long n = memory.size(0);
        long t = memory.size(1);
        long a = W.size(1);
        // u_j = tanh(m_j·W + o): o is the same for every j
        INDArray u = Transforms.tanh(EveryStep.times(memory, W).addi(offset.reshape('c', offset.size(0), 1, a)), false);
        // e_j = u_j·v
        INDArray e = u.reshape('c', n * t, a).mmul(v).reshape('c', n, t);
        return new Forward(u, e);
    }

    /**
     * @param dScores ∂L/∂e, (N, T)
     * @param u from {@link #forward}, (N, T, A)
     * @param memory m, (N, T, H)
     * @param W (H, A)
     * @param v (A, 1)
     * @return ∂L/∂(m·W + o), ∂L/∂W, ∂L/∂v and the scores' share of ∂L/∂m
     */
    static Backward backward(INDArray dScores, INDArray u, INDArray memory, INDArray W, INDArray v) {
        long n = memory.size(0);
        long t = memory.size(1);
        long a = W.size(1);
        INDArray de = dScores.reshape('c', n * t, 1);
        INDArray uRows = u.reshape('c', n * t, a);
        // dv = Σ u_jᵀ·de_j,  da_j = de_j·vᵀ ⊙ (1 − u_j²)
        INDArray dv = uRows.transpose().mmul(de);
        INDArray da = de.mmul(v.transpose()).muli(uRows.mul(uRows).rsubi(1.0)).reshape('c', n, t, a);
        // dW = Σ m_jᵀ·da_j,  dm_j = da_j·Wᵀ
        return new Backward(da, EveryStep.weightGradient(memory, da), dv, EveryStep.inputGradient(da, W));
    }
}

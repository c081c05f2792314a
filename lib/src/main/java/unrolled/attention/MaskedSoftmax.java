package unrolled.attention;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The softmax over the last axis restricted to allowed positions, and its backward pass; shared by every attention
 * block.
 *
 * <pre>
 *   α_j = A_j·exp(s_j − max_{k: A_k = 1} s_k) / Σ_k A_k·exp(s_k − max s)      α_j = 0 where A_j = 0
 *   ∂L/∂s_j = α_j (∂L/∂α_j − Σ_k α_k ∂L/∂α_k)                                the softmax Jacobian, applied
 * </pre>
 */
final class MaskedSoftmax {

    /** Added (negated) to masked scores so that they never win the max; exp of it underflows to 0. */
    private static final double HIDDEN = 1e9;

    private MaskedSoftmax() {
    }

    /**
     * @param scores s, any rank; the softmax runs over the last axis
     * @param allowed A, the shape of s, ones and zeros; or null for all allowed
     * @return α, the shape of s; rows with nothing allowed are all zero
     */
    static INDArray forward(INDArray scores, INDArray allowed) {
        int last = scores.rank() - 1;
        // masked scores can never be the max: s − (1 − A)·10⁹
        INDArray shown = allowed == null ? scores.dup() : scores.add(allowed.rsub(1.0).muli(-HIDDEN));
        INDArray shifted = shown.subi(shown.max(true, last));
        INDArray e = Transforms.exp(shifted, false);
        if (allowed != null) {
            e.muli(allowed);
        }
        INDArray sum = e.sum(true, last);
        // a row with nothing allowed has sum 0: divide by 1 instead, leaving zeros
        INDArray safe = sum.add(sum.eq(0.0).castTo(sum.dataType()));
        return e.divi(safe);
    }

    /**
     * @param dWeights ∂L/∂α, the shape of α
     * @param weights α from {@link #forward}
     * @return ∂L/∂s = α ⊙ (∂L/∂α − Σ_k α_k ∂L/∂α_k), zero where α is zero
     */
    static INDArray backward(INDArray dWeights, INDArray weights) {
        int last = weights.rank() - 1;
        INDArray inner = weights.mul(dWeights).sum(true, last);
        return dWeights.sub(inner).muli(weights);
    }
}

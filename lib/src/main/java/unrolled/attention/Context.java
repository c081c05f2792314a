package unrolled.attention;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.data.SequenceMask;
import unrolled.tensor.Shapes;

/**
 * What every one-query attention shares: checking its inputs, the weighted average c = Σ_j α_j m_j and its backward.
 */
final class Context {

    private Context() {
    }

    /** ∂L/∂e (N, T) and the average's share of ∂L/∂m (N, T, Hm). */
    record Backward(INDArray dScores, INDArray dMemory) {
    }

    /** Checks q (N, Hq), m (N, T, Hm) and the mask; returns nothing, throws in the library's voice. */
    static void requireInputs(String method, Attention<?> attention, INDArray query, INDArray memory, SequenceMask mask) {
        Shapes.require(method, "query", query, "(N, Hq)", Shapes.ANY, attention.querySize());
        Shapes.requireType(method, "query", query, attention.dataType());
        Shapes.require(method, "memory", memory, "(N, T, Hm)", query.size(0), Shapes.ANY, attention.memorySize());
        Shapes.requireType(method, "memory", memory, attention.dataType());
        if (mask != null) {
            mask.requireShape(method, memory.size(0), memory.size(1));
        }
    }

    /** Checks dContext (N, Hm) and dWeights (N, T) or null. */
    static void requireGradients(String method, Attention<?> attention, INDArray dContext, INDArray dWeights, long n, long t) {
        Shapes.require(method, "dContext", dContext, "(N, Hm)", n, attention.memorySize());
        Shapes.requireType(method, "dContext", dContext, attention.dataType());
        if (dWeights != null) {
            Shapes.require(method, "dWeights", dWeights, "(N, T)", n, t);
            Shapes.requireType(method, "dWeights", dWeights, attention.dataType());
        }
    }

    /** α = softmax over the real steps of the scores e (N, T). */
    static INDArray weights(INDArray scores, SequenceMask mask) {
        // one query per sequence: the keys it may attend to are the real steps, m itself
        return MaskedSoftmax.forward(scores, mask == null ? null : mask.toArray(scores.dataType()));
    }

    /** c = Σ_j α_j m_j: (N, 1, T)·(N, T, Hm) → (N, Hm). */
    static INDArray average(INDArray weights, INDArray memory) {
        long n = memory.size(0);
        long t = memory.size(1);
        return Nd4j.matmul(weights.reshape('c', n, 1, t), memory).reshape('c', n, memory.size(2));
    }

    /**
     * Backward through c = Σ_j α_j m_j and then through the softmax.
     *
     * @param dContext ∂L/∂c, (N, Hm)
     * @param dWeights extra ∂L/∂α from elsewhere, (N, T), or null
     * @param weights α, (N, T)
     * @param memory m, (N, T, Hm)
     * @return ∂L/∂e (N, T), and the part of ∂L/∂m that flows through the average, α_j ∂L/∂c (N, T, Hm)
     */
    static Backward backward(INDArray dContext, INDArray dWeights, INDArray weights, INDArray memory) {
        long n = memory.size(0);
        long t = memory.size(1);
        long h = memory.size(2);
        // ∂L/∂α_j = m_j·∂L/∂c (+ the extra term)
        INDArray dAlpha = Nd4j.matmul(memory, dContext.reshape('c', n, h, 1)).reshape('c', n, t);
        if (dWeights != null) {
            dAlpha.addi(dWeights);
        }
        // ∂L/∂m_j = α_j ∂L/∂c
        INDArray dMemory = weights.reshape('c', n, t, 1).mul(dContext.reshape('c', n, 1, h));
        // ∂L/∂e = α ⊙ (∂L/∂α − Σ_j α_j ∂L/∂α_j)
        return new Backward(MaskedSoftmax.backward(dAlpha, weights), dMemory);
    }
}

package unrolled.attention;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.param.Trainable;
import unrolled.data.SequenceMask;

/**
 * Attention with one query per sequence, as a recurrent decoder uses it at every output step: score each memory
 * position (an encoder output) against the query (the decoder's state), turn the scores into weights with a softmax,
 * and return the weighted average of the memory, the <em>context vector</em>.
 *
 * <pre>
 *   e_j = score(q, m_j)               q (N, Hq), memory m (N, T, Hm), scores e (N, T)
 *   α = softmax_j(e) on real steps    weights α (N, T), zero on padded steps
 *   c = Σ_j α_j m_j                   context c (N, Hm)
 * </pre>
 *
 * The implementations differ only in the score: {@link AdditiveAttention} (Bahdanau), {@link LuongAttention} (dot,
 * general). Because c is a differentiable average, the whole thing trains by backpropagation; {@link HardAttention}
 * instead picks one position.
 *
 * @param <C> the implementation's cache type
 */
public interface Attention<C> extends Trainable {

    /**
     * @param query q, (N, Hq)
     * @param memory m, (N, T, Hm)
     * @param mask which memory steps are real, (N, T), or null if none is padded
     * @return the context (N, Hm), the weights (N, T) and the cache
     */
    AttentionStep<C> forward(INDArray query, INDArray memory, SequenceMask mask);

    /**
     * @param dContext ∂L/∂c, (N, Hm)
     * @param dWeights ∂L/∂α, (N, T), when the loss also reads the weights (a penalty on them, or the score-function
     *     term of {@link HardAttention}); null for none
     * @param cache from {@link #forward}
     * @return ∂L/∂q, ∂L/∂m and the parameters' gradients
     */
    AttentionGradients backward(INDArray dContext, INDArray dWeights, C cache);

    /** @return Hq, the size of the query */
    int querySize();

    /** @return Hm, the size of each memory vector (and of the context) */
    int memorySize();

    /** @return DOUBLE or FLOAT */
    DataType dataType();
}

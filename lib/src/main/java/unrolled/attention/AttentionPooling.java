package unrolled.attention;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.param.Gradients;
import unrolled.param.Init;
import unrolled.param.Trainable;
import unrolled.param.Parameters;
import unrolled.data.SequenceMask;
import unrolled.tensor.EveryStep;
import unrolled.tensor.Shapes;
import unrolled.tensor.SizedBlock;

/**
 * Attention pooling: a sequence of vectors becomes one vector, their average weighted by how well each matches a
 * <em>learned</em> query, as in the word and sentence attention of hierarchical attention networks (Yang et al. 2016).
 *
 * <pre>
 *   u_j = tanh(m_j·W + b)             m (N, T, H), W (H, A), b (1, A), u (N, T, A)
 *   e_j = u_j·v                       v (A, 1), the learned query ("which steps matter here?"), scores e (N, T)
 *   α = softmax(e) on real steps      weights α (N, T), zero on padded steps
 *   s = Σ_j α_j m_j                   the pooled vector s (N, H)
 * </pre>
 *
 * It is {@link AdditiveAttention} without a query input: there is no decoder asking a question, so the question is a
 * parameter, trained with the rest of the model. Compared with keeping the last state or averaging all states, it lets
 * the model pick the few steps that carry the answer, and its weights say which ones it picked. Backward, with
 * de = ∂L/∂e:
 * <pre>
 *   dv = Σ_{n,j} u_jᵀ·de_j    da_j = de_j·vᵀ ⊙ (1 − u_j²)    dW = Σ m_jᵀ·da_j    db = Σ da_j
 *   dm_j = α_j ∂L/∂s + da_j·Wᵀ
 * </pre>
 *
 * <p>Parameters: {@code W}, {@code b}, {@code v}; W and v Xavier-uniform from the seed, b zero. A sequence with no
 * real step (an empty sentence in a padded document) gets zero weights and a zero vector.
 */
public final class AttentionPooling extends SizedBlock implements Trainable {

    /**
     * What the forward pass keeps.
     *
     * @param memory m, (N, T, H)
     * @param u the hidden layer tanh(m·W + b), (N, T, A)
     * @param weights α, (N, T)
     */
    public record Cache(INDArray memory, INDArray u, INDArray weights) {
    }

    /**
     * The forward result.
     *
     * @param pooled s = Σ_j α_j m_j, (N, H)
     * @param weights α, (N, T): how much each step contributed (for heatmaps)
     * @param cache for {@link #backward}
     */
    public record Result(INDArray pooled, INDArray weights, Cache cache) {
    }

    /**
     * The backward result.
     *
     * @param dMemory ∂L/∂m, (N, T, H); zero on padded steps
     * @param parameters ∂L/∂W, ∂L/∂b, ∂L/∂v
     */
    public record Backward(INDArray dMemory, Gradients parameters) {
    }

    private final int inputSize;
    private final int attentionSize;
    private final INDArray W;
    private final INDArray b;
    private final INDArray v;
    private final Parameters parameters = new Parameters();

    /**
     * @param inputSize H, the size of each vector pooled, positive
     * @param attentionSize A, the width of the scoring layer, positive
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of W (seed) and v (seed + 1)
     */
    public AttentionPooling(int inputSize, int attentionSize, DataType dataType, long seed) {
        super("AttentionPooling", "H=" + inputSize + ", A=" + attentionSize, dataType);
        Shapes.requireSizes("AttentionPooling", dataType, "inputSize, attentionSize", inputSize, attentionSize);
        this.inputSize = inputSize;
        this.attentionSize = attentionSize;
        this.W = Init.xavierUniform(inputSize, attentionSize, seed, dataType);
        this.b = Nd4j.zeros(dataType, 1, attentionSize);
        this.v = Init.xavierUniform(attentionSize, 1, seed + 1, dataType);
        parameters.add("W", W).add("b", b).add("v", v);
    }

    /**
     * @param memory m, (N, T, H), of the block's data type
     * @param mask which steps are real, (N, T), or null if none is padded
     * @return the pooled vectors (N, H), the weights (N, T) and the cache
     */
    public Result forward(INDArray memory, SequenceMask mask) {
        Shapes.require("AttentionPooling.forward", "memory", memory, "(N, T, H)", dataType, Shapes.ANY, Shapes.ANY,
                inputSize);
        if (mask != null) {
            mask.requireShape("AttentionPooling.forward", memory.size(0), memory.size(1));
        }
        // u_j = tanh(m_j·W + b),  e_j = u_j·v
        AdditiveScore.Forward scored = AdditiveScore.forward(memory, W, b, v);
        // α = softmax(e) on real steps,  s = Σ_j α_j m_j
        INDArray alpha = Context.weights(scored.scores(), mask);
        INDArray s = Context.average(alpha, memory);
        return new Result(s, alpha, new Cache(memory, scored.u(), alpha));
    }

    /**
     * @param dPooled ∂L/∂s, (N, H)
     * @param cache from {@link #forward}
     * @return ∂L/∂m and the parameters' gradients
     */
    public Backward backward(INDArray dPooled, Cache cache) {
        Objects.requireNonNull(cache, "AttentionPooling.backward: cache must not be null");
        INDArray memory = cache.memory();
        Shapes.require("AttentionPooling.backward", "dPooled", dPooled, "(N, H)", dataType, memory.size(0), inputSize);
        // ∂L/∂e through the softmax, and α_j ∂L/∂s into each m_j
        Context.Backward through = Context.backward(dPooled, null, cache.weights(), memory);
        // dv, dW and dm_j += da_j·Wᵀ from the scoring network;  db = Σ da_j
        AdditiveScore.Backward scored = AdditiveScore.backward(through.dScores(), cache.u(), memory, W, v);
        INDArray db = EveryStep.biasGradient(scored.da());
        INDArray dMemory = through.dMemory().addi(scored.dMemory());
        return new Backward(dMemory, new Gradients().accumulate("W", scored.dW()).accumulate("b", db)
                .accumulate("v", scored.dv()));
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    /** @return H */
    public int inputSize() {
        return inputSize;
    }

    /** @return A */
    public int attentionSize() {
        return attentionSize;
    }
}

package unrolled.attention;

import java.util.Objects;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.data.SequenceMask;
import unrolled.param.Parameters;
import unrolled.tensor.Shapes;
import unrolled.tensor.SizedBlock;

/**
 * A one-query attention that differs from the others only in its score: this class is everything around the score,
 * so that {@link AdditiveAttention} and {@link LuongAttention} hold their score's maths and nothing else.
 *
 * <pre>
 *   forward:   e = score(q, m)  →  α = softmax(e) on real steps  →  c = Σ_j α_j m_j
 *   backward:  ∂L/∂c (and ∂L/∂α)  →  ∂L/∂e through the average and the softmax  →  the score's own backward
 * </pre>
 *
 * @param <C> the implementation's cache, which keeps at least m and α
 */
abstract class ScoredAttention<C extends ScoredAttention.Kept> extends SizedBlock implements Attention<C> {

    /** What every cache keeps for the part of the backward pass that is the same for every score. */
    interface Kept {

        /** @return m, (N, T, Hm) */
        INDArray memory();

        /** @return α, (N, T) */
        INDArray weights();
    }

    /**
     * The score's forward result.
     *
     * @param scores e, (N, T)
     * @param cache the implementation's cache, made once α is known
     * @param <C> the implementation's cache
     */
    record Scored<C>(INDArray scores, Function<INDArray, C> cache) {
    }

    private final String name;
    private final int querySize;
    private final int memorySize;
    private final Parameters parameters = new Parameters();

    /**
     * @param name the implementation's name, for messages
     * @param sizes its sizes and settings as printed, e.g. {@code "Hq=8, Hm=8, A=4"}
     * @param querySize Hq, positive
     * @param memorySize Hm, positive
     * @param dataType DOUBLE or FLOAT
     */
    ScoredAttention(String name, String sizes, int querySize, int memorySize, DataType dataType) {
        super(name, sizes, dataType);
        this.name = name;
        Shapes.requireSizes(name, dataType, "querySize, memorySize", querySize, memorySize);
        this.querySize = querySize;
        this.memorySize = memorySize;
    }

    /**
     * @param query q, (N, Hq), checked
     * @param memory m, (N, T, Hm), checked
     * @return e (N, T), and how to make the cache from α
     */
    abstract Scored<C> scores(INDArray query, INDArray memory);

    /**
     * @param dScores ∂L/∂e, (N, T)
     * @param dMemory the share of ∂L/∂m that came through the average, (N, T, Hm); the score adds its own to it
     * @param cache from {@link #forward}
     * @return ∂L/∂q, ∂L/∂m and the parameters' gradients
     */
    abstract AttentionGradients scoreBackward(INDArray dScores, INDArray dMemory, C cache);

    @Override
    public final AttentionStep<C> forward(INDArray query, INDArray memory, SequenceMask mask) {
        Context.requireInputs(name + ".forward", this, query, memory, mask);
        Scored<C> scored = scores(query, memory);
        // α = softmax(e) on real steps,  c = Σ_j α_j m_j
        INDArray alpha = Context.weights(scored.scores(), mask);
        return new AttentionStep<>(Context.average(alpha, memory), alpha, scored.cache().apply(alpha));
    }

    @Override
    public final AttentionGradients backward(INDArray dContext, INDArray dWeights, C cache) {
        String method = name + ".backward";
        Objects.requireNonNull(cache, method + ": cache must not be null");
        INDArray memory = cache.memory();
        Context.requireGradients(method, this, dContext, dWeights, memory.size(0), memory.size(1));
        Context.Backward through = Context.backward(dContext, dWeights, cache.weights(), memory);
        return scoreBackward(through.dScores(), through.dMemory(), cache);
    }

    @Override
    public final Parameters parameters() {
        return parameters;
    }

    @Override
    public final int querySize() {
        return querySize;
    }

    @Override
    public final int memorySize() {
        return memorySize;
    }
}

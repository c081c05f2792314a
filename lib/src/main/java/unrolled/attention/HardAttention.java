package unrolled.attention;

import java.util.Objects;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.data.SequenceMask;
import unrolled.tensor.Shapes;

/**
 * Hard (stochastic) attention: instead of averaging the memory with weights α, pick <em>one</em> position k ~ α and
 * read m_k (Xu et al. 2015). The weights come from any soft {@link Attention}, whose score this wraps.
 *
 * <pre>
 *   α = softmax(score(q, m))           as in soft attention
 *   k_n ~ Categorical(α_n)              one position per sequence, from a seeded generator
 *   c_n = m_{n, k_n}                    the context is one memory vector, not an average
 * </pre>
 *
 * The choice of k is discrete, so no gradient flows through it: ∂c/∂α = 0. The scorer learns instead from the
 * score-function (REINFORCE) estimator, which for a reward r_n (higher is better, usually minus the loss, minus a
 * baseline) minimises the surrogate
 * <pre>
 *   L_s = −Σ_n r_n log α_{n, k_n}       ∂L_s/∂α_{n,j} = −r_n / α_{n, k_n} for j = k_n, 0 otherwise
 * </pre>
 * whose gradient is, on average over k, the gradient of the expected reward. It is unbiased but noisy, which is why
 * soft attention, trained end to end by backpropagation, is the default.
 *
 * @param <C> the wrapped attention's cache type
 */
public final class HardAttention<C> {

    /**
     * What the forward pass keeps.
     *
     * @param soft the wrapped attention's step (its weights α and cache)
     * @param positions k_n, one per sequence
     * @param memory m, (N, T, Hm)
     * @param <C> the wrapped attention's cache type
     */
    public record Cache<C>(AttentionStep<C> soft, int[] positions, INDArray memory) {
    }

    /**
     * The forward result.
     *
     * @param context c_n = m_{n, k_n}, (N, Hm)
     * @param weights the soft weights α the positions were drawn from, (N, T)
     * @param positions k_n, one per sequence
     * @param cache for {@link #backward}
     * @param <C> the wrapped attention's cache type
     */
    public record Result<C>(INDArray context, INDArray weights, int[] positions, Cache<C> cache) {
    }

    private final Attention<C> scorer;
    private final Random random;

    /**
     * @param scorer the soft attention whose weights the positions are drawn from
     * @param seed the seed of the draws
     */
    public HardAttention(Attention<C> scorer, long seed) {
        this.scorer = Objects.requireNonNull(scorer, "HardAttention: scorer must not be null");
        this.random = new Random(seed);
    }

    /**
     * Draws one position per sequence from α.
     *
     * @param query q, (N, Hq)
     * @param memory m, (N, T, Hm)
     * @param mask which memory steps are real, (N, T), or null
     * @return the contexts, weights, drawn positions and cache
     */
    public Result<C> forward(INDArray query, INDArray memory, SequenceMask mask) {
        AttentionStep<C> soft = scorer.forward(query, memory, mask);
        double[][] alpha = soft.weights().castTo(DataType.DOUBLE).toDoubleMatrix();
        int[] positions = new int[alpha.length];
        for (int n = 0; n < alpha.length; n++) {
            // inverse-CDF draw: the first j with α_0 + … + α_j > u
            double u = random.nextDouble();
            double sum = 0;
            int chosen = -1;
            for (int j = 0; j < alpha[n].length; j++) {
                if (alpha[n][j] > 0) {
                    chosen = j;
                    sum += alpha[n][j];
                    if (sum > u) {
                        break;
                    }
                }
            }
            positions[n] = Math.max(chosen, 0);
        }
        return select(soft, memory, positions);
    }

    /**
     * Reads the most likely position, k_n = argmax_j α_{n,j} (the deterministic variant used at test time).
     *
     * @param query q, (N, Hq)
     * @param memory m, (N, T, Hm)
     * @param mask which memory steps are real, (N, T), or null
     * @return the contexts, weights, chosen positions and cache
     */
    public Result<C> mostLikely(INDArray query, INDArray memory, SequenceMask mask) {
        AttentionStep<C> soft = scorer.forward(query, memory, mask);
        return select(soft, memory, Nd4j.argMax(soft.weights(), 1).toIntVector());
    }

    /**
     * Reads given positions: for tests and for replaying a draw.
     *
     * @param query q, (N, Hq)
     * @param memory m, (N, T, Hm)
     * @param mask which memory steps are real, (N, T), or null
     * @param positions k_n in [0, T), one per sequence
     * @return the contexts, weights, positions and cache
     */
    public Result<C> forward(INDArray query, INDArray memory, SequenceMask mask, int[] positions) {
        Objects.requireNonNull(positions, "HardAttention.forward: positions must not be null");
        Shapes.require("HardAttention.forward", "memory", memory, "(N, T, Hm)", Shapes.ANY, Shapes.ANY, scorer.memorySize());
        if (positions.length != memory.size(0)) {
            throw new IllegalArgumentException("HardAttention.forward: positions must hold one position per sequence, N = "
                    + memory.size(0) + ", but holds " + positions.length + ".");
        }
        for (int n = 0; n < positions.length; n++) {
            if (positions[n] < 0 || positions[n] >= memory.size(1)) {
                throw new IllegalArgumentException("HardAttention.forward: every position must be in [0, T) = [0, "
                        + memory.size(1) + "), but positions[" + n + "] = " + positions[n] + ".");
            }
        }
        AttentionStep<C> soft = scorer.forward(query, memory, mask);
        return select(soft, memory, positions.clone());
    }

    private Result<C> select(AttentionStep<C> soft, INDArray memory, int[] positions) {
        long n = memory.size(0);
        INDArray context = Nd4j.zeros(memory.dataType(), n, memory.size(2));
        for (int s = 0; s < n; s++) {
            // c_n = m_{n, k_n}
            context.getRow(s).assign(memory.get(NDArrayIndex.point(s),
                    NDArrayIndex.point(positions[s]), NDArrayIndex.all()));
        }
        return new Result<>(context, soft.weights(), positions, new Cache<>(soft, positions, memory));
    }

    /**
     * @param dContext ∂L/∂c, (N, Hm): reaches only the chosen memory vectors
     * @param rewards r_n, one per sequence, for the score-function term; or null to train the scorer not at all
     * @param cache from a forward pass
     * @return ∂L/∂q and the scorer's parameter gradients (from the surrogate), ∂L/∂m (the chosen rows, plus the
     *     surrogate's share through the scores)
     */
    public AttentionGradients backward(INDArray dContext, double[] rewards, Cache<C> cache) {
        String method = "HardAttention.backward";
        Objects.requireNonNull(cache, method + ": cache must not be null");
        INDArray memory = cache.memory();
        long n = memory.size(0);
        long t = memory.size(1);
        Shapes.require(method, "dContext", dContext, "(N, Hm)", n, memory.size(2));
        Shapes.requireType(method, "dContext", dContext, memory.dataType());
        if (rewards != null && rewards.length != n) {
            throw new IllegalArgumentException(method + ": rewards must hold one reward per sequence, N = " + n
                    + ", but holds " + rewards.length + ".");
        }
        int[] k = cache.positions();
        INDArray alpha = cache.soft().weights();
        // ∂L_s/∂α_{n,k_n} = −r_n / α_{n,k_n}
        INDArray dWeights = Nd4j.zeros(memory.dataType(), n, t);
        if (rewards != null) {
            for (int s = 0; s < n; s++) {
                dWeights.putScalar(s, k[s], -rewards[s] / alpha.getDouble(s, k[s]));
            }
        }
        AttentionGradients scores = scorer.backward(Nd4j.zeros(memory.dataType(), n, memory.size(2)), dWeights,
                cache.soft().cache());
        // c_n = m_{n, k_n}: the chosen row receives ∂L/∂c_n
        INDArray dMemory = scores.dMemory();
        for (int s = 0; s < n; s++) {
            INDArray row = dMemory.get(NDArrayIndex.point(s),
                    NDArrayIndex.point(k[s]), NDArrayIndex.all());
            row.addi(dContext.getRow(s));
        }
        return new AttentionGradients(scores.dQuery(), dMemory, scores.parameters());
    }

    /** @return the soft attention whose weights the positions are drawn from */
    public Attention<C> scorer() {
        return scorer;
    }

    @Override
    public String toString() {
        return "HardAttention(" + scorer + ")";
    }
}

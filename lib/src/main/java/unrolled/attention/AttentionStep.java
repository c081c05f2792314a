package unrolled.attention;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One query's attention: what it read, and where from.
 *
 * @param context c = Σ_j α_j m_j, (N, Hm)
 * @param weights α, (N, T): how much of each memory step went into c; zero on padded steps (for heatmaps)
 * @param cache for the backward pass
 * @param <C> the attention's cache type
 */
public record AttentionStep<C>(INDArray context, INDArray weights, C cache) {
}

package unrolled.attention;

import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.param.Gradients;

/**
 * The backward result of one query's attention.
 *
 * @param dQuery ∂L/∂q, (N, Hq)
 * @param dMemory ∂L/∂m, (N, T, Hm); zero on padded steps
 * @param parameters ∂L/∂θ under the attention's parameter names (empty for dot attention)
 */
public record AttentionGradients(INDArray dQuery, INDArray dMemory, Gradients parameters) {
}

package unrolled.layer;

import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.param.Gradients;

/**
 * The result of a feed-forward layer's backward pass: what flows on to the layer below, and what the
 * optimiser needs for this layer's own weights.
 *
 * @param dx ∂L/∂x, the same shape as the forward input x
 * @param parameters ∂L/∂θ keyed by the layer's parameter names (the same names as its {@code parameters()})
 */
public record LayerGradients(INDArray dx, Gradients parameters) {
}

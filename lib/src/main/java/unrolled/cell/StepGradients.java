package unrolled.cell;

import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.param.Gradients;

/**
 * The result of one backward time step.
 *
 * @param dx ∂L/∂x_t, (N, D)
 * @param dPrevious ∂L/∂h_{t−1} (and ∂L/∂c_{t−1}), each (N, H): what flows on to the step before
 * @param parameters ∂L/∂θ for this step alone, keyed by the cell's parameter names; a sequence layer sums
 *     them over the time steps
 */
public record StepGradients(INDArray dx, State dPrevious, Gradients parameters) {
}

package unrolled.recurrent;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.cell.State;
import unrolled.param.Gradients;

/**
 * The result of a sequence layer's backward pass (backpropagation through time).
 *
 * @param dx ∂L/∂x, (N, T, D); zero on padded steps
 * @param dInitial ∂L/∂h_{−1} (and ∂L/∂c_{−1}), each (N, H): the gradient of the state the layer started from
 * @param parameters ∂L/∂θ for every parameter of the layer, each summed over the T steps (and, for a learned initial
 *     state, over the batch)
 * @param dStates for t = 0 … T−1, the total gradient arriving at the state after step t, each (N, H):
 *     ∂L/∂h_t = (its output's gradient) + (what flows back from step t + 1), and ∂L/∂c_t likewise. Their norms are the
 *     raw material of the vanishing-gradient plot ({@link unrolled.recurrent.probe.HiddenGradientNorms}).
 */
public record SequenceGradients(INDArray dx, State dInitial, Gradients parameters, List<State> dStates) {
}

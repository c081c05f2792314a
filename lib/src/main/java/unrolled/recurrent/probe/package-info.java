/**
 * Probes that look inside backpropagation through time, for the notebooks on vanishing and exploding gradients.
 *
 * <p>{@link unrolled.recurrent.probe.HiddenGradientNorms} reads ‖∂L/∂h_t‖ for every step out of a backward pass: the
 * curve that falls off exponentially as t moves away from the loss. {@link unrolled.recurrent.probe.JacobianProducts}
 * explains the curve: the gradient reaching h_{t−1} from the last state is multiplied by the product of the step
 * Jacobians ∂h_k/∂h_{k−1}, and the singular values of that product ({@link unrolled.recurrent.probe.SingularValues})
 * shrink or grow geometrically with its number of factors.
 */
package unrolled.recurrent.probe;

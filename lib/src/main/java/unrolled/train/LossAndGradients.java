package unrolled.train;

import java.util.Objects;
import unrolled.param.Gradients;

/**
 * What one training step computes on one batch: the scalar loss L and ∂L/∂θ for every parameter θ.
 *
 * @param loss L, the batch's loss (usually a mean over the batch); checked for NaN and ∞ by the {@link Trainer}
 * @param gradients ∂L/∂θ under the parameters' names, each the shape of its parameter; the trainer may clip
 *        them in place
 */
public record LossAndGradients(double loss, Gradients gradients) {

    /**
     * Checks that the gradients are there.
     *
     * @param loss L, the batch's loss
     * @param gradients ∂L/∂θ under the parameters' names, not null
     */
    public LossAndGradients {
        Objects.requireNonNull(gradients, "LossAndGradients: gradients must not be null");
    }
}

package unrolled.train;

import java.util.Objects;
import unrolled.param.Gradients;

/**
 * What one training step computes on one batch: the scalar loss L and ∂L/∂θ for every parameter θ.
 *
 * @param loss L, the batch's loss (usually a mean over the batch); checked for NaN and ∞ by the {@link Trainer}
 * @param gradients ∂L/∂θ under the parameters' names, each the shape of its parameter; the trainer may clip
 *        them in place
 * @param release run by the {@link Trainer} once the optimiser has applied the gradients: gives back the memory of the
 *        arrays the step made for itself (the gradients among them), which nothing reads afterwards; null for
 *        nothing to give back. A step whose results are read later (kept in a list, plotted) must not set it
 */
public record LossAndGradients(double loss, Gradients gradients, Runnable release) {

    /**
     * Checks that the gradients are there.
     *
     * @param loss L, the batch's loss
     * @param gradients ∂L/∂θ under the parameters' names, not null
     * @param release what to run once the gradients are applied, or null
     */
    public LossAndGradients {
        Objects.requireNonNull(gradients, "LossAndGradients: gradients must not be null");
    }

    /**
     * A step's results with nothing to give back: the arrays stay valid until the garbage collector frees them.
     *
     * @param loss L, the batch's loss
     * @param gradients ∂L/∂θ under the parameters' names, not null
     */
    public LossAndGradients(double loss, Gradients gradients) {
        this(loss, gradients, null);
    }
}

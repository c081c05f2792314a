package unrolled.optim;

import unrolled.param.Gradients;
import unrolled.param.Parameters;

/**
 * Updates parameters in place from their gradients: one call of {@link #step} is one update θ ← θ − η·(…).
 *
 * <p>The gradients must carry exactly the parameters' names and shapes (checked with
 * {@link Gradients#requireMatches}); they are read, never modified. An optimiser with state (a velocity, a
 * moment) keeps it per parameter name, so use one optimiser per model.
 */
public interface Optimizer {

    /**
     * Applies one update to every parameter, in place.
     *
     * @param parameters the live parameters, each of any shape, DOUBLE or FLOAT
     * @param gradients ∂L/∂θ under the same names, each the shape and data type of its parameter; not modified
     * @throws IllegalArgumentException if the names, shapes or data types differ
     */
    void step(Parameters parameters, Gradients gradients);

    /** @return η, the learning rate the next {@link #step} will use */
    double learningRate();

    /**
     * Sets η for the following steps: how a {@link LearningRateSchedule} drives an optimiser.
     *
     * @param learningRate η, finite and not negative
     * @throws IllegalArgumentException otherwise
     */
    void learningRate(double learningRate);
}

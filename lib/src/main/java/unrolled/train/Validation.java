package unrolled.train;

import java.util.Map;

/**
 * Evaluates the model after each epoch, for example the loss and accuracy on held-out data. The metrics become
 * columns of {@link History#epochs()} and are printed at the end of the epoch's progress line.
 */
@FunctionalInterface
public interface Validation {

    /**
     * @return metric name to value, e.g. {@code {"validation loss": 0.81, "accuracy": 0.72}}; the same names every
     *         epoch, in the order they should appear (use a {@link java.util.LinkedHashMap} for more than one)
     */
    Map<String, Double> evaluate();
}

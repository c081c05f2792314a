package unrolled.optim;

import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.param.Gradients;
import unrolled.param.Parameters;
import unrolled.tensor.Shapes;

/** The argument checks the optimisers, clipping and schedules share, in the library's one voice for errors. */
final class Checks {

    private Checks() {
    }

    /** Checks that a value is finite and not negative (a learning rate, a weight decay). */
    static double requireNonNegative(String method, String name, double value) {
        if (!(value >= 0 && value < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(method + ": " + name + " must be a finite number ≥ 0, but is " + value + ".");
        }
        return value;
    }

    /** Checks that a value is finite and positive (ε, a clipping threshold, an initial rate). */
    static double requirePositive(String method, String name, double value) {
        if (!(value > 0 && value < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(method + ": " + name + " must be a finite number > 0, but is " + value + ".");
        }
        return value;
    }

    /** Checks that a decay rate lies in [0, 1) (a momentum μ, Adam's β1 and β2). */
    static double requireDecay(String method, String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(method + ": " + name + " must be in [0, 1), but is " + value + ".");
        }
        return value;
    }

    /**
     * Checks an optimiser step's arguments: not null, one gradient per parameter with its shape and data type.
     */
    static void requireGradients(String method, Parameters parameters, Gradients gradients) {
        Objects.requireNonNull(parameters, method + ": parameters must not be null");
        Objects.requireNonNull(gradients, method + ": gradients must not be null");
        gradients.requireMatches(method, parameters);
        for (Map.Entry<String, INDArray> entry : parameters) {
            Shapes.requireType(method, "gradient of " + entry.getKey(), gradients.get(entry.getKey()),
                    entry.getValue().dataType());
        }
    }

    /**
     * Checks that state kept for a name still fits the parameter of that name: a different shape means the
     * optimiser is being reused for another model.
     */
    static void requireStateFits(String method, String name, INDArray state, INDArray parameter) {
        if (!Shapes.sameShape(state, parameter) || state.dataType() != parameter.dataType()) {
            throw new IllegalArgumentException(method + ": parameter " + name + " has shape " + Shapes.of(parameter)
                    + " and type " + parameter.dataType() + ", but this optimiser's state for " + name + " has shape "
                    + Shapes.of(state) + " and type " + state.dataType() + ". Use a new optimiser for a new model.");
        }
    }
}

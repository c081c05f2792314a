package unrolled.param;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.tensor.Shapes;

/**
 * Gradients of a loss with respect to parameters, keyed by the parameters' names.
 *
 * <p>{@link #accumulate} adds into an existing entry: a recurrent layer applies the same weights at every
 * time step, so the gradient of a shared weight is the <em>sum</em> of its per-step gradients — the reason
 * backpropagation through time exists.
 */
public final class Gradients extends NamedArrays {

    /**
     * Adds a gradient, summing it into any gradient already held under the same name.
     *
     * @param name the parameter's name
     * @param gradient the gradient, same shape as the parameter, not null; it is copied on first use
     * @return this, for chaining
     */
    public Gradients accumulate(String name, INDArray gradient) {
        Parameters.requireName("Gradients.accumulate", name);
        Objects.requireNonNull(gradient, "Gradients.accumulate: gradient of " + name + " must not be null");
        INDArray held = values.get(name);
        if (held == null) {
            values.put(name, gradient.dup());
        } else {
            Shapes.requireShape("Gradients.accumulate", name, gradient, held.shape());
            held.addi(gradient);
        }
        return this;
    }

    /**
     * @return new gradients holding a copy of every array under the same names, in the same order: changing either
     *     leaves the other as it was
     */
    public Gradients copy() {
        Gradients copy = new Gradients();
        values.forEach((name, gradient) -> copy.values.put(name, gradient.dup()));
        return copy;
    }

    /**
     * Adds a gradient without copying it: like {@link #accumulate}, but the first gradient under a name is held as it is
     * rather than copied. For an array the caller has just computed and nobody else holds, such as a layer's fresh
     * result being gathered into a model's gradients; its later changes (clipping, a sum into it) change the array.
     *
     * @param name the parameter's name
     * @param gradient the gradient, same shape as the parameter, not null; held, not copied, on first use
     * @return this, for chaining
     */
    public Gradients take(String name, INDArray gradient) {
        Parameters.requireName("Gradients.take", name);
        Objects.requireNonNull(gradient, "Gradients.take: gradient of " + name + " must not be null");
        INDArray held = values.get(name);
        if (held == null) {
            values.put(name, gradient);
        } else {
            Shapes.requireShape("Gradients.take", name, gradient, held.shape());
            held.addi(gradient);
        }
        return this;
    }

    /**
     * Adds every gradient of a part under {@code prefix.name} without copying, as {@link #take} does: for a part that is
     * a temporary nobody reads again.
     *
     * @param prefix the part's name
     * @param part the part's gradients
     * @return this, for chaining
     */
    public Gradients takeAll(String prefix, Gradients part) {
        for (Map.Entry<String, INDArray> entry : part) {
            take(prefix + "." + entry.getKey(), entry.getValue());
        }
        return this;
    }

    /**
     * Adds every gradient of a part under {@code prefix.name}, as {@link Parameters#addAll} does.
     *
     * @param prefix the part's name
     * @param part the part's gradients
     * @return this, for chaining
     */
    public Gradients accumulateAll(String prefix, Gradients part) {
        for (Map.Entry<String, INDArray> entry : part) {
            accumulate(prefix + "." + entry.getKey(), entry.getValue());
        }
        return this;
    }

    /** @return the global L2 norm: the square root of the sum of every squared gradient entry */
    public double globalNorm() {
        double sum = 0;
        for (INDArray g : values.values()) {
            double norm = g.norm2Number().doubleValue();
            sum += norm * norm;
        }
        return Math.sqrt(sum);
    }

    /**
     * Checks that there is exactly one gradient, of the right shape, for every parameter.
     *
     * @param method the caller, for the message
     * @param parameters the parameters these gradients are for
     */
    public void requireMatches(String method, Parameters parameters) {
        if (!values.keySet().equals(parameters.names())) {
            throw new IllegalArgumentException(method + ": gradients are for " + values.keySet() + ", but the parameters are "
                    + parameters.names() + ".");
        }
        for (Map.Entry<String, INDArray> entry : parameters) {
            Shapes.requireShape(method, "gradient of " + entry.getKey(), values.get(entry.getKey()), entry.getValue().shape());
        }
    }

    @Override
    String missing(String name, Set<String> held) {
        return "Gradients.get: no gradient for " + name + "; there are gradients for " + held + ".";
    }
}

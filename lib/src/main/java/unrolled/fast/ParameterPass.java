package unrolled.fast;

import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.param.Gradients;
import unrolled.param.Parameters;

/**
 * The work a training loop does on every parameter after the backward pass, as plain Java loops over the arrays'
 * memory instead of a dozen ND4J operations per parameter: the check that no gradient entry is NaN or infinite and the
 * global norm in one read of every gradient, the clipping scale in one write, and Adam's update of θ, m and v in one
 * pass over each parameter. For the small models of the notebooks each ND4J operation's dispatch costs more than its
 * arithmetic, and the readable code ({@link unrolled.optim.Adam}'s, {@link unrolled.optim.Clipping}'s,
 * {@link unrolled.param.Gradients#globalNorm()}) issues about twenty of them per parameter per step, each allocating
 * its result.
 *
 * <p>The loops compute what the readable code computes, in double precision (a FLOAT array rounds once, on write); the
 * tests hold them to it. An array that is not plain contiguous FLOAT or DOUBLE memory (a view, a transpose) is not
 * handled here: {@link #adam} then returns false and the caller takes its readable path.
 */
public final class ParameterPass {

    /**
     * What one read of every gradient found.
     *
     * @param squaredNorm Σ over every parameter and entry of g², the square of the global norm (NaN or ∞ if an entry
     *     is)
     * @param nonFinite the name of the first parameter, in the parameters' order, whose gradient has a NaN or infinite
     *     entry; null if there is none
     * @param nan true if that entry is NaN, false if it is infinite (or there is none)
     */
    public record Inspection(double squaredNorm, String nonFinite, boolean nan) {

        /** @return ‖g‖, the global L2 norm */
        public double norm() {
            return Math.sqrt(squaredNorm);
        }
    }

    private ParameterPass() {
    }

    /**
     * Reads every gradient once, in the parameters' order.
     *
     * @param parameters the parameters, for the order and the names
     * @param gradients one gradient per parameter, under the same names (checked by the caller)
     * @return Σ g² and the first parameter with a NaN or infinite gradient entry
     */
    public static Inspection inspect(Parameters parameters, Gradients gradients) {
        Objects.requireNonNull(parameters, "ParameterPass.inspect: parameters must not be null");
        Objects.requireNonNull(gradients, "ParameterPass.inspect: gradients must not be null");
        double total = 0;
        for (Map.Entry<String, INDArray> entry : parameters) {
            INDArray g = gradients.get(entry.getKey());
            Slab slab = Slab.of(g);
            double sum = sumOfSquares(slab);
            if (!Double.isFinite(sum)) {
                for (int i = 0; i < slab.length; i++) {
                    double value = slab.get(i);
                    if (Double.isNaN(value)) {
                        return new Inspection(Double.NaN, entry.getKey(), true);
                    }
                }
                for (int i = 0; i < slab.length; i++) {
                    if (Double.isInfinite(slab.get(i))) {
                        return new Inspection(Double.POSITIVE_INFINITY, entry.getKey(), false);
                    }
                }
                // finite entries whose squares overflow: the norm is a finite number too large for a double's square
            }
            total += sum;
        }
        return new Inspection(total, null, false);
    }

    /**
     * Multiplies every gradient by one factor, in place: g ← g·s (global-norm clipping's rescale).
     *
     * @param gradients the gradients, modified in place
     * @param factor s
     */
    public static void scale(Gradients gradients, double factor) {
        Objects.requireNonNull(gradients, "ParameterPass.scale: gradients must not be null");
        for (Map.Entry<String, INDArray> entry : gradients) {
            scale(entry.getValue(), factor, MemoryViews.of(null, 0, entry.getValue()));
        }
    }

    /**
     * Σ g² over arrays, each read once through a view kept between calls: what {@link #inspect} computes, without
     * finding the culprit, and without allocating when the views are kept.
     *
     * @param gradients the arrays g, FLOAT or DOUBLE (an array that is not plain memory is read through ND4J)
     * @param count how many of them to read, from the first
     * @param views the views kept between calls; array k uses slot k
     * @return Σ over every array and entry of g²: NaN or ∞ if an entry is (call {@link #inspect} to name it)
     */
    public static double squaredNorm(INDArray[] gradients, int count, MemoryViews views) {
        double total = 0;
        for (int k = 0; k < count; k++) {
            Slab slab = views.of(k, gradients[k]);
            if (slab == null) {
                // ‖g‖² = Σ gᵢ², through ND4J for an array that is not plain memory
                double norm = gradients[k].norm2Number().doubleValue();
                total += norm * norm;
            } else {
                total += sumOfSquares(slab);
            }
        }
        return total;
    }

    /**
     * g ← g·s for arrays, each through a view kept between calls (global-norm clipping's rescale).
     *
     * @param gradients the arrays g, modified in place
     * @param count how many of them, from the first
     * @param factor s
     * @param views the views kept between calls; array k uses slot k
     */
    public static void scale(INDArray[] gradients, int count, double factor, MemoryViews views) {
        for (int k = 0; k < count; k++) {
            scale(gradients[k], factor, views.of(k, gradients[k]));
        }
    }

    /** g ← g·s through the view, or through ND4J when there is none. */
    private static void scale(INDArray g, double factor, Slab slab) {
        if (slab == null) {
            g.muli(factor);
            return;
        }
        for (int i = 0; i < slab.length; i++) {
            slab.set(i, slab.get(i) * factor);
        }
    }

    /** ‖g‖² = Σ gᵢ²; an entry that is NaN or ∞ makes its square NaN or ∞, so the sum tells. */
    private static double sumOfSquares(Slab slab) {
        double sum = 0;
        for (int i = 0; i < slab.length; i++) {
            double value = slab.get(i);
            sum += value * value;
        }
        return sum;
    }

    /**
     * One Adam step of one parameter, in one pass over its entries (see {@link unrolled.optim.Adam} for the rule):
     *
     * <pre>
     *   m ← β1·m + (1 − β1)·g
     *   v ← β2·v + (1 − β2)·g²
     *   θ ← θ − η·(m / (1 − β1^t) / (√(v / (1 − β2^t)) + ε) + λ·θ)
     * </pre>
     *
     * @param theta θ, any shape, FLOAT or DOUBLE, updated in place
     * @param g its gradient, θ's shape and data type
     * @param m the first moment, θ's shape and data type, updated in place
     * @param v the second moment, θ's shape and data type, updated in place
     * @param beta1 β1
     * @param beta2 β2
     * @param t the step count after this step, ≥ 1
     * @param learningRate η
     * @param epsilon ε
     * @param weightDecay λ (0 for plain Adam)
     * @return true if done; false (nothing changed) if an array is not plain memory of one data type, for the caller's
     *     readable path
     */
    public static boolean adam(INDArray theta, INDArray g, INDArray m, INDArray v, double beta1, double beta2, long t,
            double learningRate, double epsilon, double weightDecay) {
        return adam(theta, g, m, v, beta1, beta2, t, learningRate, epsilon, weightDecay, null, 0);
    }

    /**
     * {@link #adam(INDArray, INDArray, INDArray, INDArray, double, double, long, double, double, double)} through views
     * kept between steps: with the same θ, m and v at every step it allocates nothing for them.
     *
     * @param theta θ, updated in place
     * @param g its gradient
     * @param m the first moment, updated in place
     * @param v the second moment, updated in place
     * @param beta1 β1
     * @param beta2 β2
     * @param t the step count after this step, ≥ 1
     * @param learningRate η
     * @param epsilon ε
     * @param weightDecay λ
     * @param views the views kept between steps, or null for none
     * @param slot the first of the four slots (θ, g, m, v) of this parameter
     * @return true if done; false (nothing changed) for the caller's readable path
     */
    public static boolean adam(INDArray theta, INDArray g, INDArray m, INDArray v, double beta1, double beta2, long t,
            double learningRate, double epsilon, double weightDecay, MemoryViews views, int slot) {
        if (g.dataType() != theta.dataType() || m.dataType() != theta.dataType() || v.dataType() != theta.dataType()
                || g.length() != theta.length() || m.length() != theta.length() || v.length() != theta.length()) {
            return false;
        }
        Slab th = MemoryViews.of(views, slot, theta);
        Slab gradient = MemoryViews.of(views, slot + 1, g);
        Slab first = MemoryViews.of(views, slot + 2, m);
        Slab second = MemoryViews.of(views, slot + 3, v);
        if (th == null || gradient == null || first == null || second == null) {
            return false;
        }
        double correction1 = 1 - Math.pow(beta1, t);
        double correction2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < th.length; i++) {
            double gi = gradient.get(i);
            // m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g²
            double mi = beta1 * first.get(i) + (1 - beta1) * gi;
            double vi = beta2 * second.get(i) + (1 - beta2) * gi * gi;
            first.set(i, mi);
            second.set(i, vi);
            // m̂ = m / (1 − β1^t),  v̂ = v / (1 − β2^t): from the values as stored (rounded in FLOAT, as the readable path)
            double mHat = first.get(i) / correction1;
            double vHat = second.get(i) / correction2;
            // θ ← θ − η·(m̂ / (√v̂ + ε) + λ·θ)
            double thetaI = th.get(i);
            th.set(i, thetaI - learningRate * (mHat / (Math.sqrt(vHat) + epsilon) + weightDecay * thetaI));
        }
        return true;
    }
}

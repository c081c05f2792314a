package unrolled.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.param.Gradients;
import unrolled.param.Parameters;

/**
 * Stochastic gradient descent with (heavy-ball) momentum, optionally in Nesterov's form, with optional L2
 * weight decay. One velocity v per parameter name, zero before the first step:
 *
 * <pre>
 *   g' = g + λ·θ                    (L2 weight decay, as in {@link Sgd}; λ = 0 for none)
 *   v ← μ·v + g'
 *   θ ← θ − η·v                     classical (heavy-ball) momentum
 *   θ ← θ − η·(g' + μ·v)            Nesterov momentum, with the v just updated
 * </pre>
 *
 * The velocity is a running sum of past gradients with weights μ^k, so along a direction where the gradient
 * keeps its sign the step grows towards η/(1 − μ) times the gradient, while directions where it flips
 * cancel out. Nesterov's form takes the gradient "one step ahead": written, as here, in terms of the current
 * parameters (the reformulation of Sutskever et al., 2013), it adds the fresh gradient once more on top of
 * μ times the new velocity, which damps overshooting.
 */
public final class Momentum implements Optimizer {

    private double learningRate;
    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;
    private final Map<String, INDArray> velocities = new LinkedHashMap<>();

    /**
     * Classical momentum without weight decay.
     *
     * @param learningRate η, finite and ≥ 0
     * @param momentum μ, in [0, 1); 0.9 is the usual choice
     */
    public Momentum(double learningRate, double momentum) {
        this(learningRate, momentum, false, 0);
    }

    /**
     * @param learningRate η, finite and ≥ 0
     * @param momentum μ, in [0, 1)
     * @param nesterov true for Nesterov's form θ ← θ − η·(g' + μ·v), false for θ ← θ − η·v
     * @param weightDecay λ of the L2 penalty ½·λ·‖θ‖², finite and ≥ 0 (0 for none)
     */
    public Momentum(double learningRate, double momentum, boolean nesterov, double weightDecay) {
        this.learningRate = Checks.requireNonNegative("Momentum", "learningRate", learningRate);
        this.momentum = Checks.requireDecay("Momentum", "momentum", momentum);
        this.nesterov = nesterov;
        this.weightDecay = Checks.requireNonNegative("Momentum", "weightDecay", weightDecay);
    }

    @Override
    public void step(Parameters parameters, Gradients gradients) {
        Checks.requireGradients("Momentum.step", parameters, gradients);
        for (Map.Entry<String, INDArray> entry : parameters) {
            String name = entry.getKey();
            INDArray theta = entry.getValue();
            INDArray g = gradients.get(name);
            INDArray v = velocities.get(name);
            if (v == null) {
                v = Nd4j.zeros(theta.dataType(), theta.shape());
                velocities.put(name, v);
            }
            Checks.requireStateFits("Momentum.step", name, v, theta);
            // g' = g + λ·θ
            INDArray gDecayed = weightDecay == 0 ? g : g.add(theta.mul(weightDecay));
            // v ← μ·v + g'
            v.muli(momentum).addi(gDecayed);
            if (nesterov) {
                // θ ← θ − η·(g' + μ·v)
                theta.subi(v.mul(momentum).addi(gDecayed).muli(learningRate));
            } else {
                // θ ← θ − η·v
                theta.subi(v.mul(learningRate));
            }
        }
    }

    /**
     * @param name a parameter's name
     * @return a copy of its velocity v, the parameter's shape
     * @throws IllegalArgumentException if no step has updated that parameter yet
     */
    public INDArray velocity(String name) {
        INDArray v = velocities.get(Objects.requireNonNull(name, "Momentum.velocity: name must not be null"));
        if (v == null) {
            throw new IllegalArgumentException("Momentum.velocity: no velocity for " + name + " yet; there are velocities for "
                    + velocities.keySet() + ".");
        }
        return v.dup();
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public void learningRate(double learningRate) {
        this.learningRate = Checks.requireNonNegative("Momentum.learningRate", "learningRate", learningRate);
    }

    /** @return μ */
    public double momentum() {
        return momentum;
    }

    /** @return true for Nesterov's form */
    public boolean nesterov() {
        return nesterov;
    }

    /** @return λ, the L2 weight decay (0 for none) */
    public double weightDecay() {
        return weightDecay;
    }

    @Override
    public String toString() {
        return "Momentum(η=" + learningRate + ", μ=" + momentum + (nesterov ? ", Nesterov" : "")
                + (weightDecay == 0 ? "" : ", λ=" + weightDecay) + ")";
    }
}

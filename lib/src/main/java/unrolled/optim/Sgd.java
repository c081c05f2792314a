package unrolled.optim;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.param.Gradients;
import unrolled.param.Parameters;

/**
 * Plain stochastic gradient descent, with optional L2 weight decay:
 *
 * <pre>
 *   g' = g + λ·θ          (L2 weight decay: the gradient of the penalty ½·λ·‖θ‖² added to the loss)
 *   θ ← θ − η·g'
 * </pre>
 *
 * For plain SGD, adding λ·θ to the gradient (L2 regularisation) and shrinking θ by η·λ·θ directly (decoupled
 * weight decay) are the same update; they differ only for adaptive methods such as {@link Adam}, which divide
 * the gradient, and so the penalty, by a per-entry scale. Stateless: one instance may serve any model.
 */
public final class Sgd implements Optimizer {

    private double learningRate;
    private final double weightDecay;

    /**
     * @param learningRate η, finite and ≥ 0
     */
    public Sgd(double learningRate) {
        this(learningRate, 0);
    }

    /**
     * @param learningRate η, finite and ≥ 0
     * @param weightDecay λ of the L2 penalty ½·λ·‖θ‖², finite and ≥ 0 (0 for none)
     */
    public Sgd(double learningRate, double weightDecay) {
        this.learningRate = Checks.requireNonNegative("Sgd", "learningRate", learningRate);
        this.weightDecay = Checks.requireNonNegative("Sgd", "weightDecay", weightDecay);
    }

    @Override
    public void step(Parameters parameters, Gradients gradients) {
        Checks.requireGradients("Sgd.step", parameters, gradients);
        for (Map.Entry<String, INDArray> entry : parameters) {
            INDArray theta = entry.getValue();
            INDArray g = gradients.get(entry.getKey());
            // g' = g + λ·θ
            INDArray gDecayed = weightDecay == 0 ? g : g.add(theta.mul(weightDecay));
            // θ ← θ − η·g'
            theta.subi(gDecayed.mul(learningRate));
        }
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public void learningRate(double learningRate) {
        this.learningRate = Checks.requireNonNegative("Sgd.learningRate", "learningRate", learningRate);
    }

    /** @return λ, the L2 weight decay (0 for none) */
    public double weightDecay() {
        return weightDecay;
    }

    @Override
    public String toString() {
        return "Sgd(η=" + learningRate + (weightDecay == 0 ? "" : ", λ=" + weightDecay) + ")";
    }
}

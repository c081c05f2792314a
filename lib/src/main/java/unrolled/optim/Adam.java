package unrolled.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import unrolled.fast.MemoryViews;
import unrolled.fast.ParameterPass;
import unrolled.param.Gradients;
import unrolled.param.Parameters;
import unrolled.tensor.Shapes;

/**
 * Adam (Kingma &amp; Ba, 2015), with optional decoupled weight decay (AdamW, Loshchilov &amp; Hutter, 2019).
 * Per parameter name it keeps the moments m and v (zero before the first step) and its own step count t:
 *
 * <pre>
 *   t ← t + 1
 *   m ← β1·m + (1 − β1)·g               running mean of the gradient
 *   v ← β2·v + (1 − β2)·g²              running mean of its square (entrywise)
 *   m̂ = m / (1 − β1^t)                  bias corrections: m and v start at zero
 *   v̂ = v / (1 − β2^t)
 *   θ ← θ − η·(m̂ / (√v̂ + ε) + λ·θ)      λ = 0 is plain Adam
 * </pre>
 *
 * Each entry moves by about η whatever its gradient's scale, because m̂/√v̂ is a ratio of like quantities.
 *
 * <p>The weight decay is <em>decoupled</em>: λ·θ is added to the update after the division by √v̂, so every
 * weight shrinks at the same rate η·λ. Adding λ·θ to the gradient instead (L2 regularisation, as {@link Sgd}
 * does) would feed it through m and v, and weights with large gradients would be decayed less.
 *
 * <p>The code below is the rule as written, a few ND4J operations per line. A step runs it in one pass over each
 * parameter instead ({@link ParameterPass#adam}, the same numbers without an ND4J dispatch and a temporary array per
 * operation), except for arrays that are not plain memory, which take the code as written.
 */
public final class Adam implements Optimizer {

    /** The usual β1. */
    public static final double BETA1 = 0.9;
    /** The usual β2. */
    public static final double BETA2 = 0.999;
    /** The usual ε. */
    public static final double EPSILON = 1e-8;

    /** What Adam keeps for one parameter. */
    private static final class Moments {
        final INDArray m;
        final INDArray v;
        long t;

        Moments(INDArray theta) {
            this.m = Nd4j.zeros(theta.dataType(), theta.shape());
            this.v = Nd4j.zeros(theta.dataType(), theta.shape());
        }
    }

    private double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final Map<String, Moments> moments = new LinkedHashMap<>();
    /** False to run the rule as written, operation by operation, for every parameter: for the tests that compare. */
    boolean fused = true;
    /** The parameters of the last fused step, their names, arrays and moments in order, and views of their memory. */
    private Parameters known;
    private String[] knownNames = new String[0];
    private INDArray[] knownTheta = new INDArray[0];
    private Moments[] knownMoments = new Moments[0];
    private final MemoryViews views = new MemoryViews(0);

    /**
     * Adam with β1 = 0.9, β2 = 0.999, ε = 1e-8 and no weight decay.
     *
     * @param learningRate η, finite and ≥ 0; 1e-3 is the usual start
     */
    public Adam(double learningRate) {
        this(learningRate, BETA1, BETA2, EPSILON, 0);
    }

    /**
     * @param learningRate η, finite and ≥ 0
     * @param beta1 β1, the decay of the first moment, in [0, 1)
     * @param beta2 β2, the decay of the second moment, in [0, 1)
     * @param epsilon ε, added to √v̂ so that the division is safe, finite and &gt; 0
     * @param weightDecay λ, the decoupled weight decay, finite and ≥ 0 (0 for plain Adam)
     */
    public Adam(double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {
        this.learningRate = Checks.requireNonNegative("Adam", "learningRate", learningRate);
        this.beta1 = Checks.requireDecay("Adam", "beta1", beta1);
        this.beta2 = Checks.requireDecay("Adam", "beta2", beta2);
        this.epsilon = Checks.requirePositive("Adam", "epsilon", epsilon);
        this.weightDecay = Checks.requireNonNegative("Adam", "weightDecay", weightDecay);
    }

    /**
     * AdamW: Adam with the default β1, β2, ε and decoupled weight decay.
     *
     * @param learningRate η, finite and ≥ 0
     * @param weightDecay λ, finite and ≥ 0; 0.01 is a common choice
     * @return the optimiser
     */
    public static Adam withWeightDecay(double learningRate, double weightDecay) {
        return new Adam(learningRate, BETA1, BETA2, EPSILON, weightDecay);
    }

    @Override
    public void step(Parameters parameters, Gradients gradients) {
        if (fused && stepKnownParameters(parameters, gradients)) {
            return;
        }
        Checks.requireGradients("Adam.step", parameters, gradients);
        for (Map.Entry<String, INDArray> entry : parameters) {
            String name = entry.getKey();
            INDArray theta = entry.getValue();
            INDArray g = gradients.get(name);
            Moments state = moments.computeIfAbsent(name, key -> new Moments(theta));
            Checks.requireStateFits("Adam.step", name, state.m, theta);
            long t = ++state.t;
            if (fused && ParameterPass.adam(theta, g, state.m, state.v, beta1, beta2, t, learningRate, epsilon, weightDecay)) {
                continue;
            }
            update(theta, g, state.m, state.v, t);
        }
    }

    /** The rule as written, a few ND4J operations per line, for one parameter at step t. */
    private void update(INDArray theta, INDArray g, INDArray m, INDArray v, long t) {
        // m ← β1·m + (1 − β1)·g
        m.muli(beta1).addi(g.mul(1 - beta1));
        // v ← β2·v + (1 − β2)·g²
        v.muli(beta2).addi(g.mul(g).muli(1 - beta2));
        // m̂ = m / (1 − β1^t),  v̂ = v / (1 − β2^t)
        INDArray mHat = m.div(1 - Math.pow(beta1, t));
        INDArray vHat = v.div(1 - Math.pow(beta2, t));
        // θ ← θ − η·(m̂ / (√v̂ + ε) + λ·θ)
        INDArray update = mHat.divi(Transforms.sqrt(vHat, false).addi(epsilon));
        if (weightDecay != 0) {
            update.addi(theta.mul(weightDecay));
        }
        theta.subi(update.muli(learningRate));
    }

    /**
     * The step of a training loop, which passes the same parameters every time: their names, arrays and moments are
     * looked up once and kept, the checks run without building their messages, and each parameter's update reads and
     * writes through views kept between steps, so that a step allocates nothing of its own.
     *
     * @return false (nothing done) if these are not the parameters of the last step, or a gradient does not fit: the
     *     caller then takes the general path, which checks everything and names what is wrong
     */
    private boolean stepKnownParameters(Parameters parameters, Gradients gradients) {
        if (parameters == null || gradients == null) {
            return false;
        }
        if (!sameParameters(parameters)) {
            // new parameters (or changed ones): checked in full, with the messages, then looked up once
            Checks.requireGradients("Adam.step", parameters, gradients);
            rememberParameters(parameters);
        }
        if (gradients.size() != knownNames.length) {
            return false;
        }
        for (int k = 0; k < knownNames.length; k++) {
            if (!gradients.contains(knownNames[k])) {
                return false;
            }
            INDArray g = gradients.get(knownNames[k]);
            if (g.dataType() != knownTheta[k].dataType() || !Shapes.sameShape(g, knownTheta[k])) {
                return false;
            }
        }
        for (int k = 0; k < knownNames.length; k++) {
            INDArray theta = knownTheta[k];
            INDArray g = gradients.get(knownNames[k]);
            Moments state = knownMoments[k];
            long t = ++state.t;
            if (!ParameterPass.adam(theta, g, state.m, state.v, beta1, beta2, t, learningRate, epsilon, weightDecay, views,
                    4 * k)) {
                update(theta, g, state.m, state.v, t);
            }
        }
        return true;
    }

    /** @return true if these are the parameters of the last step, each name still holding the same array */
    private boolean sameParameters(Parameters parameters) {
        if (known != parameters || knownNames.length != parameters.size()) {
            return false;
        }
        for (int k = 0; k < knownNames.length; k++) {
            if (!parameters.contains(knownNames[k]) || parameters.get(knownNames[k]) != knownTheta[k]) {
                return false;
            }
        }
        return true;
    }

    /** Looks the parameters' names, arrays and moments up once (the moments made if new, checked if kept). */
    private void rememberParameters(Parameters parameters) {
        int count = parameters.size();
        knownNames = new String[count];
        knownTheta = new INDArray[count];
        knownMoments = new Moments[count];
        int k = 0;
        for (Map.Entry<String, INDArray> entry : parameters) {
            INDArray theta = entry.getValue();
            Moments state = moments.computeIfAbsent(entry.getKey(), key -> new Moments(theta));
            Checks.requireStateFits("Adam.step", entry.getKey(), state.m, theta);
            knownNames[k] = entry.getKey();
            knownTheta[k] = theta;
            knownMoments[k] = state;
            k++;
        }
        known = parameters;
    }

    /**
     * @param name a parameter's name
     * @return a copy of its first moment m (the running mean of g), the parameter's shape
     * @throws IllegalArgumentException if no step has updated that parameter yet
     */
    public INDArray firstMoment(String name) {
        return moments("Adam.firstMoment", name).m.dup();
    }

    /**
     * @param name a parameter's name
     * @return a copy of its second moment v (the running mean of g²), the parameter's shape
     * @throws IllegalArgumentException if no step has updated that parameter yet
     */
    public INDArray secondMoment(String name) {
        return moments("Adam.secondMoment", name).v.dup();
    }

    /**
     * @param name a parameter's name
     * @return t, how many steps have updated it (0 if none)
     */
    public long steps(String name) {
        Moments state = moments.get(Objects.requireNonNull(name, "Adam.steps: name must not be null"));
        return state == null ? 0 : state.t;
    }

    private Moments moments(String method, String name) {
        Moments state = moments.get(Objects.requireNonNull(name, method + ": name must not be null"));
        if (state == null) {
            throw new IllegalArgumentException(method + ": no moments for " + name + " yet; there are moments for "
                    + moments.keySet() + ".");
        }
        return state;
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public void learningRate(double learningRate) {
        this.learningRate = Checks.requireNonNegative("Adam.learningRate", "learningRate", learningRate);
    }

    /** @return β1 */
    public double beta1() {
        return beta1;
    }

    /** @return β2 */
    public double beta2() {
        return beta2;
    }

    /** @return ε */
    public double epsilon() {
        return epsilon;
    }

    /** @return λ, the decoupled weight decay (0 for plain Adam) */
    public double weightDecay() {
        return weightDecay;
    }

    @Override
    public String toString() {
        return (weightDecay == 0 ? "Adam" : "AdamW") + "(η=" + learningRate + ", β1=" + beta1 + ", β2=" + beta2 + ", ε=" + epsilon
                + (weightDecay == 0 ? "" : ", λ=" + weightDecay) + ")";
    }
}

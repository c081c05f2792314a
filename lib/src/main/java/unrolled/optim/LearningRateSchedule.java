package unrolled.optim;

import java.util.Objects;
import java.util.function.LongToDoubleFunction;

/**
 * The learning rate η as a function of the 0-based step s (the number of updates already made). The training
 * loop asks for {@code rate(s)} before update s and passes it to {@link Optimizer#learningRate(double)}.
 *
 * <pre>
 *   constant(η):                 η(s) = η
 *   step(η₀, γ, k):              η(s) = η₀·γ^⌊s/k⌋                                  drop by γ every k steps
 *   cosine(η₀, η_min, S):        η(s) = η_min + ½(η₀ − η_min)(1 + cos(π·s/S))        for s ≤ S, then η_min
 *   warmup(W, after):            η(s) = after(0)·(s + 1)/W                           for s &lt; W
 *                                η(s) = after(s − W)                                 for s ≥ W
 * </pre>
 *
 * Warm-up starts small (1/W of the target, never exactly 0, so no step is wasted), reaches after's first
 * rate at step W − 1, and then runs {@code after} from its own step 0: with a cosine after it, training takes
 * W + S steps in all. Adam's first steps are noisy (v is estimated from few gradients), which is why
 * transformers and many RNN recipes warm up.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /**
     * @param step s, the 0-based step, ≥ 0
     * @return η(s), finite and ≥ 0
     */
    double rate(long step);

    /**
     * The rates of the first steps, for a chart.
     *
     * @param steps how many, positive
     * @return η(0), …, η(steps − 1)
     */
    default double[] rates(int steps) {
        if (steps <= 0) {
            throw new IllegalArgumentException("LearningRateSchedule.rates: steps must be positive, but is " + steps + ".");
        }
        double[] rates = new double[steps];
        for (int s = 0; s < steps; s++) {
            rates[s] = rate(s);
        }
        return rates;
    }

    /**
     * η(s) = η.
     *
     * @param learningRate η, finite and ≥ 0
     * @return the schedule
     */
    static LearningRateSchedule constant(double learningRate) {
        Checks.requireNonNegative("LearningRateSchedule.constant", "learningRate", learningRate);
        return named("constant(" + learningRate + ")", s -> learningRate);
    }

    /**
     * Step decay: η(s) = η₀·γ^⌊s/k⌋.
     *
     * @param initial η₀, finite and &gt; 0
     * @param factor γ, in (0, 1]: the rate is multiplied by it every k steps
     * @param every k, positive
     * @return the schedule
     */
    static LearningRateSchedule step(double initial, double factor, long every) {
        Checks.requirePositive("LearningRateSchedule.step", "initial", initial);
        if (!(factor > 0 && factor <= 1)) {
            throw new IllegalArgumentException("LearningRateSchedule.step: factor must be in (0, 1], but is " + factor + ".");
        }
        if (every <= 0) {
            throw new IllegalArgumentException("LearningRateSchedule.step: every must be positive, but is " + every + ".");
        }
        return named("step(" + initial + ", " + factor + ", " + every + ")", s -> initial * Math.pow(factor, s / every));
    }

    /**
     * Cosine annealing: η(s) = η_min + ½(η₀ − η_min)(1 + cos(π·s/S)) for s ≤ S, then η_min.
     *
     * @param initial η₀, finite and &gt; 0
     * @param minimum η_min, in [0, η₀]
     * @param totalSteps S, positive: the step at which η_min is reached
     * @return the schedule
     */
    static LearningRateSchedule cosine(double initial, double minimum, long totalSteps) {
        Checks.requirePositive("LearningRateSchedule.cosine", "initial", initial);
        if (!(minimum >= 0 && minimum <= initial)) {
            throw new IllegalArgumentException("LearningRateSchedule.cosine: minimum must be in [0, initial] = [0, " + initial
                    + "], but is " + minimum + ".");
        }
        if (totalSteps <= 0) {
            throw new IllegalArgumentException("LearningRateSchedule.cosine: totalSteps must be positive, but is " + totalSteps + ".");
        }
        return named("cosine(" + initial + ", " + minimum + ", " + totalSteps + ")", s -> s >= totalSteps
                ? minimum
                : minimum + 0.5 * (initial - minimum) * (1 + Math.cos(Math.PI * s / totalSteps)));
    }

    /**
     * Linear warm-up into another schedule: η(s) = after(0)·(s + 1)/W for s &lt; W, then after(s − W).
     *
     * @param warmupSteps W, positive
     * @param after the schedule to follow, counted from its own step 0 once warm-up ends, not null
     * @return the schedule
     */
    static LearningRateSchedule warmup(long warmupSteps, LearningRateSchedule after) {
        if (warmupSteps <= 0) {
            throw new IllegalArgumentException("LearningRateSchedule.warmup: warmupSteps must be positive, but is " + warmupSteps + ".");
        }
        Objects.requireNonNull(after, "LearningRateSchedule.warmup: after must not be null");
        return named("warmup(" + warmupSteps + ", " + after + ")", s -> s < warmupSteps
                ? after.rate(0) * (s + 1) / warmupSteps
                : after.rate(s - warmupSteps));
    }

    /** A schedule that checks its step and prints as its formula's arguments. */
    private static LearningRateSchedule named(String description, LongToDoubleFunction rate) {
        return new LearningRateSchedule() {
            @Override
            public double rate(long step) {
                if (step < 0) {
                    throw new IllegalArgumentException("LearningRateSchedule.rate: step must be ≥ 0, but is " + step + ".");
                }
                return rate.applyAsDouble(step);
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }
}

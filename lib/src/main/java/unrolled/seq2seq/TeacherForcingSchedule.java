package unrolled.seq2seq;

/**
 * The teacher-forcing ratio ε_i as a function of the training step i: the probability that the decoder is fed the
 * true previous token rather than its own prediction.
 *
 * <p>Scheduled sampling (Bengio et al. 2015) starts at ε ≈ 1 (pure teacher forcing, fast and stable learning) and
 * decays it, so that the model gradually learns to continue from its own, imperfect, prefixes — the situation it
 * faces at inference time. The three decays of the paper:
 * <pre>
 *   linear:           ε_i = max(ε_min, 1 − i/steps·(1 − ε_min))
 *   exponential:      ε_i = k^i                      0 &lt; k &lt; 1
 *   inverse sigmoid:  ε_i = k / (k + exp(i / k))     k ≥ 1: flat at first, then a smooth drop around i ≈ k·ln k
 * </pre>
 */
@FunctionalInterface
public interface TeacherForcingSchedule {

    /**
     * @param step i, the 0-based training step
     * @return ε_i in [0, 1]
     */
    double ratio(long step);

    /**
     * @param ratio ε in [0, 1]: 1 is pure teacher forcing, 0 pure free running
     * @return a schedule that is always ε
     */
    static TeacherForcingSchedule constant(double ratio) {
        requireRatio("TeacherForcingSchedule.constant", "ratio", ratio);
        return step -> ratio;
    }

    /**
     * @param steps the step at which ε reaches its floor, positive
     * @param floor ε_min in [0, 1]
     * @return ε_i = max(ε_min, 1 − i/steps·(1 − ε_min))
     */
    static TeacherForcingSchedule linear(long steps, double floor) {
        unrolled.tensor.Shapes.requirePositive("TeacherForcingSchedule.linear", "steps", steps);
        requireRatio("TeacherForcingSchedule.linear", "floor", floor);
        return step -> Math.max(floor, 1.0 - (double) step / steps * (1.0 - floor));
    }

    /**
     * @param k the decay per step, in (0, 1)
     * @return ε_i = k^i
     */
    static TeacherForcingSchedule exponential(double k) {
        if (!(k > 0 && k < 1)) {
            throw new IllegalArgumentException("TeacherForcingSchedule.exponential: k must be in (0, 1), but is " + k + ".");
        }
        return step -> Math.pow(k, step);
    }

    /**
     * @param k at least 1; larger k keeps ε near 1 for longer
     * @return ε_i = k / (k + exp(i / k))
     */
    static TeacherForcingSchedule inverseSigmoid(double k) {
        if (!(k >= 1) || Double.isInfinite(k)) {
            throw new IllegalArgumentException("TeacherForcingSchedule.inverseSigmoid: k must be finite and at least 1, but is "
                    + k + ".");
        }
        return step -> k / (k + Math.exp(step / k));
    }

    private static void requireRatio(String method, String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(method + ": " + name + " must be in [0, 1], but is " + value + ".");
        }
    }
}

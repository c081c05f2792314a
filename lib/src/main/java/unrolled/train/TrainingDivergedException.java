package unrolled.train;

/**
 * The loss or a gradient became NaN or infinite, or the loss rose more than {@link Trainer#divergenceFactor} times
 * above its lowest value, so training stopped before the optimiser step could spread the bad numbers into the
 * weights. The parameters are left as they were after the last good step.
 *
 * <p>The usual causes, in order: a learning rate too high, exploding gradients (clip them by global norm), a log
 * or a division of zero in the loss.
 */
public final class TrainingDivergedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** The 1-based epoch. */
    private final int epoch;
    /** The 0-based step. */
    private final long step;
    /** "the loss" or a parameter's name. */
    private final String culprit;
    /** The loss of the step that stopped. */
    private final double loss;

    /**
     * @param message the complete message
     * @param epoch the 1-based epoch
     * @param step the 0-based step, as in {@link History#steps()}
     * @param culprit "the loss", or the name of the first parameter whose gradient is not finite
     * @param loss the loss of that step: NaN, infinite, too large, or (if a gradient is the culprit) finite
     */
    TrainingDivergedException(String message, int epoch, long step, String culprit, double loss) {
        super(message);
        this.loss = loss;
        this.epoch = epoch;
        this.step = step;
        this.culprit = culprit;
    }

    /** @return the 1-based epoch in which training diverged */
    public int epoch() {
        return epoch;
    }

    /** @return the 0-based step that produced the bad numbers, as in {@link History#steps()} */
    public long step() {
        return step;
    }

    /** @return "the loss", or the name of the first parameter (in the parameters' order) whose gradient is not finite */
    public String culprit() {
        return culprit;
    }

    /**
     * @return the loss of the step that stopped training: NaN or infinite, larger than the divergence factor
     *         allows, or a finite loss whose gradient was not finite; it is not in the {@link History}
     */
    public double loss() {
        return loss;
    }
}

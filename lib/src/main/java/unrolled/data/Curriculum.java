package unrolled.data;

import java.util.Objects;
import java.util.stream.IntStream;

/**
 * A length curriculum: train on short sequences first and let the length grow, because what a recurrent network
 * learns on short sequences (which symbol to store, how to count) is easy to find there — the gradient crosses few
 * steps — and then carries over to long ones, where learning from scratch can stall at chance.
 *
 * <pre>
 *   L(s) = L_start + ⌊(L_end − L_start) · s / S⌋     for s &lt; S      (a linear ramp over S steps)
 *   L(s) = L_end                                      for s ≥ S
 * </pre>
 *
 * s is the 0-based training step. Use {@link #length(long)} to size each synthetic batch, or as the longest length
 * allowed into the pool a real dataset's batches are drawn from (with {@link #eligible(int[], long)}).
 *
 * @param startLength L_start, the length at step 0, positive
 * @param endLength L_end, the length from step S on, at least L_start
 * @param rampSteps S, the number of steps the ramp lasts, positive
 */
public record Curriculum(int startLength, int endLength, long rampSteps) {

    /**
     * Checks the ramp.
     *
     * @param startLength L_start, positive
     * @param endLength L_end, at least L_start
     * @param rampSteps S, positive
     */
    public Curriculum {
        if (startLength < 1) {
            throw new IllegalArgumentException("Curriculum: startLength must be positive, but is " + startLength + ".");
        }
        if (endLength < startLength) {
            throw new IllegalArgumentException("Curriculum: endLength must be at least startLength = " + startLength
                    + ", but is " + endLength + ".");
        }
        if (rampSteps < 1) {
            throw new IllegalArgumentException("Curriculum: rampSteps must be positive, but is " + rampSteps + ".");
        }
    }

    /**
     * @param step s, the 0-based training step, ≥ 0
     * @return L(s), between L_start and L_end
     */
    public int length(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("Curriculum.length: step must be ≥ 0, but is " + step + ".");
        }
        if (step >= rampSteps) {
            return endLength;
        }
        // L(s) = L_start + ⌊(L_end − L_start) · s / S⌋
        return startLength + (int) ((long) (endLength - startLength) * step / rampSteps);
    }

    /**
     * The items a dataset may draw from at a step: those no longer than L(s).
     *
     * @param lengths the length of every item of the dataset, int[M]
     * @param step s, ≥ 0
     * @return the indices i with lengths[i] ≤ L(s), in increasing order (possibly none)
     */
    public int[] eligible(int[] lengths, long step) {
        Objects.requireNonNull(lengths, "Curriculum.eligible: lengths must not be null");
        int limit = length(step);
        return IntStream.range(0, lengths.length).filter(i -> lengths[i] <= limit).toArray();
    }
}

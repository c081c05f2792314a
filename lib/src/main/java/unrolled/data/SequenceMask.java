package unrolled.data;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.tensor.ShapeException;
import unrolled.tensor.Shapes;

/**
 * Which steps of a padded batch are real: a mask m of shape (N, T) with m[n, t] = 1 for the real steps of sequence n
 * and 0 for its padding. The one mask of the library: a {@link Batch} holds one, recurrent layers freeze their state
 * with it, losses ignore the padded steps with its array, and attention expands it over queries.
 *
 * <p>Sequences of different lengths are batched by padding the short ones up to T. <b>Padding must be at the end</b>
 * of each sequence (right padding): row n of the mask is L_n ones followed by T − L_n zeros, where L_n is the
 * sequence's true length (0 ≤ L_n ≤ T). Under that rule a mask and a list of lengths say the same thing, so a mask can
 * be built from either ({@link #of(INDArray)} or {@link #ofLengths(int[], long)}); a mask with a 1 after a 0 is
 * refused, because a recurrent layer could not freeze the state across a hole and then resume it.
 *
 * <p>What each reader does with it:
 * <pre>
 *   recurrent layer:  h_t = m_t ⊙ h̃_t + (1 − m_t) ⊙ h_{t−1}     h̃_t = the cell's new state, m_t = m[:, t]
 *   masked loss:      L = Σ_{n,t} m[n, t]·ℓ[n, t] / Σ m
 *   attention:        A[n, i, j] = 1 if j &lt; L_n (and j ≤ i if causal), else 0     (N, Tq, Tk), T = Tk
 * </pre>
 * The first keeps the final state of each sequence at its true last step, L_n − 1 ({@link #atStep}); the second is
 * {@link #toArray}; the third is {@link #allowed}, the keys each query may attend to.
 *
 * <p>Immutable.
 */
public final class SequenceMask {

    private final int[] lengths;
    private final int steps;

    private SequenceMask(int[] lengths, int steps) {
        this.lengths = lengths;
        this.steps = steps;
    }

    /**
     * Reads a mask of ones and zeros.
     *
     * @param mask m, (N, T), entries exactly 1 (a real step) or 0 (padding), each row's ones before its zeros; any
     *     numeric data type
     * @return the mask
     * @throws ShapeException if the mask is not (N, T)
     * @throws IllegalArgumentException if an entry is neither 0 nor 1, or a real step follows padding
     */
    public static SequenceMask of(INDArray mask) {
        Shapes.require("SequenceMask.of", "mask", mask, "(N, T)", Shapes.ANY, Shapes.ANY);
        int n = Math.toIntExact(mask.size(0));
        int t = Math.toIntExact(mask.size(1));
        Shapes.requirePositive("SequenceMask.of", "N", n);
        Shapes.requirePositive("SequenceMask.of", "T", t);
        int[] lengths = new int[n];
        for (int row = 0; row < n; row++) {
            int length = 0;
            boolean padding = false;
            for (int step = 0; step < t; step++) {
                double value = mask.getDouble(row, step);
                if (value != 0.0 && value != 1.0) {
                    throw new IllegalArgumentException("SequenceMask.of: mask must hold only 1 (a real step) and 0 (padding), but mask["
                            + row + ", " + step + "] = " + value + ".");
                }
                if (value == 1.0) {
                    if (padding) {
                        throw new IllegalArgumentException("SequenceMask.of: padding must be at the end of each sequence, but sequence "
                                + row + " has a real step at t = " + step + " after padding at t = " + (step - 1) + ".");
                    }
                    length++;
                } else {
                    padding = true;
                }
            }
            lengths[row] = length;
        }
        return new SequenceMask(lengths, t);
    }

    /**
     * Builds the mask of right-padded sequences from their true lengths: m[n, t] = 1 if t &lt; L_n, else 0.
     *
     * @param lengths L_n for each of the N sequences, each in [0, T]
     * @param steps T, the padded length, positive
     * @return the mask, (N, T)
     * @throws IllegalArgumentException if a length is negative or longer than T
     */
    public static SequenceMask ofLengths(int[] lengths, long steps) {
        Objects.requireNonNull(lengths, "SequenceMask.ofLengths: lengths must not be null");
        Shapes.requirePositive("SequenceMask.ofLengths", "steps", steps);
        Shapes.requirePositive("SequenceMask.ofLengths", "lengths.length", lengths.length);
        for (int n = 0; n < lengths.length; n++) {
            if (lengths[n] < 0) {
                throw new IllegalArgumentException("SequenceMask.ofLengths: lengths[" + n + "] = " + lengths[n]
                        + " must not be negative.");
            }
            if (lengths[n] > steps) {
                throw new IllegalArgumentException("SequenceMask.ofLengths: lengths[" + n + "] = " + lengths[n]
                        + " is longer than T = " + steps + ".");
            }
        }
        return new SequenceMask(lengths.clone(), Math.toIntExact(steps));
    }

    /**
     * @param batchSize N, positive
     * @param steps T, positive
     * @return the mask of a batch without padding: every L_n = T
     */
    public static SequenceMask full(long batchSize, long steps) {
        Shapes.requirePositive("SequenceMask.full", "batchSize", batchSize);
        Shapes.requirePositive("SequenceMask.full", "steps", steps);
        int[] lengths = new int[Math.toIntExact(batchSize)];
        Arrays.fill(lengths, Math.toIntExact(steps));
        return new SequenceMask(lengths, Math.toIntExact(steps));
    }

    /** @return N, the number of sequences */
    public long batchSize() {
        return lengths.length;
    }

    /** @return T, the padded length */
    public long steps() {
        return steps;
    }

    /**
     * @param sequence n, in [0, N)
     * @return L_n, the true length of sequence n
     */
    public int length(int sequence) {
        Objects.checkIndex(sequence, lengths.length);
        return lengths[sequence];
    }

    /** @return a copy of every L_n */
    public int[] lengths() {
        return lengths.clone();
    }

    /**
     * @param sequence n, in [0, N)
     * @param step t, in [0, T)
     * @return true if step t of sequence n is real (m[n, t] = 1), false if it is padding
     */
    public boolean isReal(int sequence, int step) {
        Objects.checkIndex(step, steps);
        return step < length(sequence);
    }

    /** @return true if no sequence is padded (every L_n = T) */
    public boolean isFull() {
        return Arrays.stream(lengths).allMatch(length -> length == steps);
    }

    /**
     * @param dataType the type of the result
     * @return m as an array of ones and zeros, (N, T)
     */
    public INDArray toArray(DataType dataType) {
        double[][] values = new double[lengths.length][steps];
        for (int n = 0; n < lengths.length; n++) {
            Arrays.fill(values[n], 0, lengths[n], 1.0);
        }
        return Nd4j.createFromArray(values).castTo(dataType);
    }

    /**
     * m_t = m[:, t], repeated across a row of the given width: multiplying an (N, width) array by it zeroes the rows
     * of the sequences that are padded at step t. (A same-shape product is much cheaper in ND4J than broadcasting an
     * (N, 1) column.)
     *
     * @param step t, in [0, T)
     * @param width the number of columns, e.g. H or D, positive
     * @param dataType the type of the result
     * @return (N, width), row n all ones if step t of sequence n is real, all zeros if it is padding
     */
    public INDArray atStep(int step, long width, DataType dataType) {
        Objects.checkIndex(step, steps);
        Shapes.requirePositive("SequenceMask.atStep", "width", width);
        double[][] values = new double[lengths.length][Math.toIntExact(width)];
        for (int n = 0; n < lengths.length; n++) {
            if (step < lengths[n]) {
                Arrays.fill(values[n], 1.0);
            }
        }
        return Nd4j.createFromArray(values).castTo(dataType);
    }

    /**
     * The mask of steps [from, to) of every sequence, as {@link unrolled.recurrent.TruncatedBptt} needs for each
     * chunk: L'_n = clamp(L_n − from, 0, to − from). Still right-padded.
     *
     * @param from the first step, in [0, T)
     * @param to one past the last step, in (from, T]
     * @return the mask of the window, (N, to − from)
     */
    public SequenceMask window(int from, int to) {
        if (from < 0 || to > steps || from >= to) {
            throw new IllegalArgumentException("SequenceMask.window: need 0 ≤ from < to ≤ T = " + steps + ", but from = "
                    + from + ", to = " + to + ".");
        }
        int[] window = new int[lengths.length];
        for (int n = 0; n < lengths.length; n++) {
            window[n] = Math.max(0, Math.min(lengths[n], to) - from);
        }
        return new SequenceMask(window, to - from);
    }

    /**
     * Reverses each sequence within its true length, leaving its padding where it is:
     * <pre>
     *   out[n, t, :] = x[n, L_n − 1 − t, :]   for t &lt; L_n
     *   out[n, t, :] = x[n, t, :]             for t ≥ L_n   (padding stays at the end)
     * </pre>
     * This is how the backward half of a {@link unrolled.recurrent.Bidirectional} layer reads a padded batch: it must
     * start at each sequence's real last step, not at the padding. Reversing twice gives x back.
     *
     * @param x any (N, T, F) array, not modified
     * @return a new (N, T, F) array
     */
    public INDArray reverse(INDArray x) {
        Shapes.require("SequenceMask.reverse", "x", x, "(N, T, F)", lengths.length, steps, Shapes.ANY);
        INDArray out = x.dup();
        for (int n = 0; n < lengths.length; n++) {
            for (int t = 0; t < lengths[n]; t++) {
                out.get(NDArrayIndex.point(n), NDArrayIndex.point(t), NDArrayIndex.all())
                        .assign(x.get(NDArrayIndex.point(n), NDArrayIndex.point(lengths[n] - 1 - t), NDArrayIndex.all()));
            }
        }
        return out;
    }

    /**
     * Which keys each query may attend to, as the attention blocks read it: A (N, Tq, Tk), with
     * <pre>
     *   key padding:  A[n, i, j] = 0 for j ≥ L_n        a padded key is not a word: nobody attends to it
     *   causal:       A[n, i, j] = 0 for j &gt; i          a position may not look at the future (Tq = Tk)
     * </pre>
     * and 1 elsewhere. The attention blocks turn a 0 into a weight of exactly 0 and send no gradient to its score; a
     * query whose keys are all masked (a sequence of length 0) gets all-zero weights.
     *
     * @param batchSize N, positive
     * @param queries Tq, positive
     * @param keys Tk, positive
     * @param keyMask which keys are real, (N, Tk), or null if none is padded
     * @param causal true to forbid query i from attending to keys j &gt; i; requires Tq = Tk
     * @param dataType DOUBLE or FLOAT
     * @return A, (N, Tq, Tk), ones where attending is allowed and zeros elsewhere
     * @throws ShapeException if the key mask is not (N, Tk)
     * @throws IllegalArgumentException if a size is not positive, the type is not floating, or a causal mask is asked
     *     for Tq ≠ Tk
     */
    public static INDArray allowed(long batchSize, long queries, long keys, SequenceMask keyMask, boolean causal,
            DataType dataType) {
        String method = "SequenceMask.allowed";
        Shapes.requirePositive(method, "batchSize", batchSize);
        Shapes.requirePositive(method, "queries", queries);
        Shapes.requirePositive(method, "keys", keys);
        Shapes.requireFloating(method, dataType);
        if (keyMask != null) {
            keyMask.requireShape(method, batchSize, keys);
        }
        if (causal && queries != keys) {
            throw new IllegalArgumentException(method + ": a causal mask needs as many queries as keys (self-attention), "
                    + "but Tq = " + queries + " and Tk = " + keys + ".");
        }
        int n = Math.toIntExact(batchSize);
        int tq = Math.toIntExact(queries);
        int tk = Math.toIntExact(keys);
        double[] a = new double[n * tq * tk];
        for (int s = 0; s < n; s++) {
            int length = keyMask == null ? tk : keyMask.lengths[s];
            for (int i = 0; i < tq; i++) {
                // key padding: j < L_n;  causal: j ≤ i
                int last = Math.min(length, causal ? i + 1 : tk);
                Arrays.fill(a, (s * tq + i) * tk, (s * tq + i) * tk + last, 1.0);
            }
        }
        return Nd4j.createFromArray(a).reshape('c', n, tq, tk).castTo(dataType);
    }

    /**
     * Checks that this mask fits a batch, in the library's voice for shape errors.
     *
     * @param method the public method being called, e.g. {@code "RecurrentLayer.forward"}
     * @param batchSize the batch's N
     * @param steps the batch's T
     * @throws ShapeException naming both shapes if they differ (with a hint when x looks time-major)
     */
    public void requireShape(String method, long batchSize, long steps) {
        if (lengths.length != batchSize || this.steps != steps) {
            String hint = lengths.length == steps && this.steps == batchSize
                    ? " If x is time-major (T, N, D), make it batch-first (N, T, D) with x.permute(1, 0, 2).dup()."
                    : "";
            throw new ShapeException(method + ": mask must have shape (N, T) = " + Shapes.format(batchSize, steps)
                    + ", but has shape " + Shapes.format(lengths.length, this.steps) + "." + hint);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SequenceMask mask && mask.steps == steps && Arrays.equals(mask.lengths, lengths);
    }

    @Override
    public int hashCode() {
        return 31 * steps + Arrays.hashCode(lengths);
    }

    @Override
    public String toString() {
        return "SequenceMask(N=" + lengths.length + ", T=" + steps + ", lengths=" + Arrays.toString(lengths) + ")";
    }
}

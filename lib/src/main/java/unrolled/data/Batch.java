package unrolled.data;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.tensor.ShapeException;
import unrolled.tensor.Shapes;

/**
 * One minibatch of N sequences of T steps, batch-first, as every recurrent layer of the library consumes it.
 *
 * <pre>
 *   inputs   (N, T)     token ids, data type {@link #ID_TYPE} = INT32, right-padded with &lt;pad&gt; = 0
 *        or  (N, T, D)  features, DOUBLE or FLOAT
 *   targets  depends on the task and is documented by whoever makes the batch: per-step ids (N, T),
 *            per-step values (N, T, D), one value per sequence (N, K), ...; null for a batch of inputs only
 *   mask     a {@link SequenceMask}: the lengths L_n, each in [1, T], and the (N, T) array m, 1 on real steps and 0 on
 *            padding, in the batch's floating type (DOUBLE or FLOAT), so that a masked loss is
 *            Σ_{n,t} m[n, t]·ℓ[n, t] / Σ m
 * </pre>
 *
 * Ids are 32-bit integers ({@code DataType.INT32}, which ND4J prints as INT) because Java indexes arrays with
 * {@code int} and a vocabulary never needs more.
 * The constructors check that the parts agree, so a batch that exists is consistent. They do not copy the arrays; like
 * every input of the library they are never modified. {@link #lengths()} returns a copy.
 */
public final class Batch {

    /** The data type of token ids, in inputs and in id targets: 32-bit integers, INT32 (alias INT). */
    public static final DataType ID_TYPE = DataType.INT32;

    private final INDArray inputs;
    private final INDArray targets;
    private final SequenceMask sequenceMask;
    private final INDArray mask;

    /**
     * A batch from its padding mask, the lengths' one home; the mask's array is made here, once.
     *
     * @param inputs (N, T) ids of type INT32, or (N, T, D) features of type DOUBLE or FLOAT
     * @param targets the targets, first axis N, or null
     * @param mask which steps are real, (N, T), every length in [1, T]
     * @param dataType the batch's floating type, DOUBLE or FLOAT: the features' type when inputs are features
     */
    public Batch(INDArray inputs, INDArray targets, SequenceMask mask, DataType dataType) {
        this(inputs, targets, requireMask(inputs, mask), mask == null ? null : arrayOf(mask, dataType));
    }

    /**
     * A batch from a mask array and the lengths it must agree with.
     *
     * @param inputs (N, T) ids of type INT32, or (N, T, D) features of type DOUBLE or FLOAT
     * @param targets the targets, first axis N, or null
     * @param mask (N, T), DOUBLE or FLOAT (the features' type when inputs are features), 1 on the first lengths[n]
     *     steps of row n and 0 after
     * @param lengths int[N], each in [1, T], agreeing with the mask
     */
    public Batch(INDArray inputs, INDArray targets, INDArray mask, int[] lengths) {
        this(inputs, targets, lengthsOf(inputs, lengths), mask);
    }

    private Batch(INDArray inputs, INDArray targets, SequenceMask sequenceMask, INDArray mask) {
        long n = inputs.size(0);
        long t = inputs.size(1);
        Shapes.require("Batch", "mask", mask, "(N, T)", n, t);
        requireFloating("mask", mask);
        if (inputs.rank() == 3) {
            Shapes.requireType("Batch", "mask", mask, inputs.dataType());
        }
        if (targets != null && (targets.rank() == 0 || targets.size(0) != n)) {
            throw new ShapeException("Batch: targets must have N = " + n + " rows (first axis), but has shape "
                    + Shapes.of(targets) + ".");
        }
        // m[n, t] = 1 exactly when t < L_n
        double[][] m = mask.castTo(DataType.DOUBLE).toDoubleMatrix();
        for (int row = 0; row < n; row++) {
            for (int step = 0; step < t; step++) {
                double expected = sequenceMask.isReal(row, step) ? 1.0 : 0.0;
                if (m[row][step] != expected) {
                    throw new IllegalArgumentException("Batch: mask must be 1 on the first lengths[n] steps and 0 after,"
                            + " but mask[" + row + ", " + step + "] = " + m[row][step] + " with lengths[" + row + "] = "
                            + sequenceMask.length(row) + ".");
                }
            }
        }
        this.inputs = inputs;
        this.targets = targets;
        this.sequenceMask = sequenceMask;
        this.mask = mask;
    }

    /** Checks the inputs, then that there is a length in [1, T] for each of their N sequences. */
    private static SequenceMask lengthsOf(INDArray inputs, int[] lengths) {
        requireInputs(inputs);
        long n = inputs.size(0);
        long t = inputs.size(1);
        Objects.requireNonNull(lengths, "Batch: lengths must not be null");
        if (lengths.length != n) {
            throw new IllegalArgumentException("Batch: lengths must have N = " + n + " entries, but has " + lengths.length
                    + ".");
        }
        for (int row = 0; row < n; row++) {
            if (lengths[row] < 1 || lengths[row] > t) {
                throw new IllegalArgumentException("Batch: lengths[" + row + "] must be in [1, T] = [1, " + t + "], but is "
                        + lengths[row] + ".");
            }
        }
        return SequenceMask.ofLengths(lengths, t);
    }

    /** Checks the inputs, then that the mask is (N, T) with no empty sequence. */
    private static SequenceMask requireMask(INDArray inputs, SequenceMask mask) {
        requireInputs(inputs);
        Objects.requireNonNull(mask, "Batch: mask must not be null");
        mask.requireShape("Batch", inputs.size(0), inputs.size(1));
        return lengthsOf(inputs, mask.lengths());
    }

    private static INDArray arrayOf(SequenceMask mask, DataType dataType) {
        Shapes.requireFloating("Batch", dataType);
        return mask.toArray(dataType);
    }

    private static void requireInputs(INDArray inputs) {
        if (inputs == null) {
            throw new ShapeException("Batch: inputs must be an array of shape (N, T) or (N, T, D), but is null.");
        }
        if (inputs.rank() == 2) {
            Shapes.requireType("Batch", "inputs (token ids)", inputs, ID_TYPE);
        } else if (inputs.rank() == 3) {
            requireFloating("inputs (features)", inputs);
        } else {
            throw new ShapeException("Batch: inputs must have shape (N, T) of ids or (N, T, D) of features, but has shape "
                    + Shapes.of(inputs) + ".");
        }
    }

    private static void requireFloating(String argument, INDArray array) {
        if (array.dataType() != DataType.DOUBLE && array.dataType() != DataType.FLOAT) {
            throw new ShapeException("Batch: " + argument + " must have data type DOUBLE or FLOAT, but has "
                    + array.dataType() + ".");
        }
    }

    /** @return the inputs, (N, T) ids of type INT32 or (N, T, D) features */
    public INDArray inputs() {
        return inputs;
    }

    /** @return the targets, first axis N, or null for a batch of inputs only */
    public INDArray targets() {
        return targets;
    }

    /** @return which steps are real: the lengths, and the attention mask they imply */
    public SequenceMask sequenceMask() {
        return sequenceMask;
    }

    /** @return m, (N, T), 1 on real steps and 0 on padding, in the batch's floating type (not a copy: do not modify) */
    public INDArray mask() {
        return mask;
    }

    /** @return a copy of the lengths, int[N] */
    public int[] lengths() {
        return sequenceMask.lengths();
    }

    /** @return N, the number of sequences */
    public int batchSize() {
        return Math.toIntExact(inputs.size(0));
    }

    /** @return T, the number of steps after padding */
    public int steps() {
        return Math.toIntExact(inputs.size(1));
    }

    /** @return the batch's floating type, DOUBLE or FLOAT: the mask's (and the features') data type */
    public DataType dataType() {
        return mask.dataType();
    }

    /** @return true if inputs are (N, T) token ids, false if (N, T, D) features */
    public boolean hasIds() {
        return inputs.rank() == 2;
    }

    /** @return true if the batch carries targets */
    public boolean hasTargets() {
        return targets != null;
    }

    /** @return how many of the N·T steps are padding: N·T − Σ lengths */
    public long paddedSteps() {
        return inputs.size(0) * inputs.size(1) - Arrays.stream(sequenceMask.lengths()).asLongStream().sum();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Batch b && inputs.equals(b.inputs) && Objects.equals(targets, b.targets)
                && mask.equals(b.mask) && sequenceMask.equals(b.sequenceMask);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(inputs.shape()), sequenceMask);
    }

    @Override
    public String toString() {
        return "Batch(inputs " + Shapes.of(inputs) + (hasIds() ? " ids" : " " + inputs.dataType())
                + ", targets " + (targets == null ? "none" : Shapes.of(targets) + " " + targets.dataType())
                + ", mask " + Shapes.of(mask) + " " + mask.dataType() + ", lengths "
                + Arrays.toString(sequenceMask.lengths()) + ")";
    }
}

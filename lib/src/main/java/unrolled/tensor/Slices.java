package unrolled.tensor;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The slices the curriculum writes in NumPy notation, as one call each, so that code reads like the maths:
 *
 * <pre>
 *   a[:, from:to]        columns(a, from, to)     a view: writing to it writes to a
 *   x[:, t, :]           step(x, t)               a view of time step t of a batch-first (N, T, D) array
 *   x[:, from:to, :]     steps(x, from, to)       a view of a window of time steps
 *   x[:, :, from:to]     features(x, from, to)    a view of some features at every step
 *   [a, b, c]            joinColumns(a, b, c)     a new array: the blocks side by side
 * </pre>
 */
public final class Slices {

    private Slices() {
    }

    /**
     * {@code a[:, from:to]}.
     *
     * @param a a matrix, (rows, columns)
     * @param from the first column, from 0
     * @param to one past the last column, at most {@code a.size(1)}
     * @return a view of shape (rows, to − from): writing to it writes to {@code a}
     */
    public static INDArray columns(INDArray a, long from, long to) {
        Objects.requireNonNull(a, "Slices.columns: a must not be null");
        if (a.rank() != 2 || from < 0 || to > a.size(1) || from >= to) {
            throw new ShapeException("Slices.columns: columns [" + from + ", " + to + ") must lie within a matrix, but a"
                    + " has shape " + Shapes.of(a) + ".");
        }
        return a.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to));
    }

    /**
     * {@code x[:, t, :]}: the inputs (or outputs, or gradients) of every sequence at one time step.
     *
     * @param x a batch-first sequence array, (N, T, D)
     * @param t the time step, in [0, T)
     * @return a view of shape (N, D): writing to it writes to {@code x}
     */
    public static INDArray step(INDArray x, long t) {
        Objects.requireNonNull(x, "Slices.step: x must not be null");
        if (x.rank() != 3 || t < 0 || t >= x.size(1)) {
            throw new ShapeException("Slices.step: t = " + t + " must be a time step of an array of shape (N, T, D), but"
                    + " the array has shape " + Shapes.of(x) + ".");
        }
        return x.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all());
    }

    /**
     * {@code x[:, from:to, :]}: a window of time steps of every sequence.
     *
     * @param x a batch-first sequence array, (N, T, D)
     * @param from the first step, from 0
     * @param to one past the last step, at most T
     * @return a view of shape (N, to − from, D): writing to it writes to {@code x}
     */
    public static INDArray steps(INDArray x, long from, long to) {
        requireRange("Slices.steps", "steps", x, 1, from, to);
        return x.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }

    /**
     * {@code x[:, :, from:to]}: some features of every step of every sequence, e.g. one direction's half of a
     * bidirectional output.
     *
     * @param x a batch-first sequence array, (N, T, D)
     * @param from the first feature, from 0
     * @param to one past the last feature, at most D
     * @return a view of shape (N, T, to − from): writing to it writes to {@code x}
     */
    public static INDArray features(INDArray x, long from, long to) {
        requireRange("Slices.features", "features", x, 2, from, to);
        return x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(from, to));
    }

    private static void requireRange(String method, String what, INDArray x, int axis, long from, long to) {
        Objects.requireNonNull(x, method + ": x must not be null");
        if (x.rank() != 3 || from < 0 || to > x.size(axis) || from >= to) {
            throw new ShapeException(method + ": " + what + " [" + from + ", " + to + ") must lie within an array of "
                    + "shape (N, T, D), but x has shape " + Shapes.of(x) + ".");
        }
    }

    /**
     * {@code [a, b, …]}: matrices with the same number of rows, side by side, e.g. the gradients of a fused
     * pre-activation assembled from its blocks.
     *
     * @param blocks one or more matrices, each (rows, ·), of one data type
     * @return a new array of shape (rows, the sum of their columns)
     */
    public static INDArray joinColumns(INDArray... blocks) {
        Objects.requireNonNull(blocks, "Slices.joinColumns: blocks must not be null");
        if (blocks.length == 0) {
            throw new IllegalArgumentException("Slices.joinColumns: blocks must hold at least one matrix, but is empty.");
        }
        long rows = blocks[0] == null ? Shapes.ANY : blocks[0].size(0);
        for (int k = 0; k < blocks.length; k++) {
            Shapes.require("Slices.joinColumns", "blocks[" + k + "]", blocks[k], "(rows, ·)", rows, Shapes.ANY);
            Shapes.requireType("Slices.joinColumns", "blocks[" + k + "]", blocks[k], blocks[0].dataType());
        }
        return Nd4j.hstack(blocks);
    }
}

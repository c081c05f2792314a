package unrolled.tensor;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The input checks that the losses ({@code unrolled.loss}) and the metrics ({@code unrolled.metrics}) share: scores
 * over classes, integer targets, 0/1 masks.
 * A batch has positions — (N, T) for a sequence of predictions, (N,) for one prediction per sequence — and
 * at each position a score vector, a target id and a mask value.
 */
public final class ClassScores {

    private ClassScores() {
    }

    /**
     * Checks scores of shape (N, T, V) or (N, V) and a floating data type.
     *
     * @param method the public method being called
     * @param argument the scores' name, e.g. {@code "logits"}
     * @param scores the array
     * @param classes V if it is known, else {@link Shapes#ANY}
     */
    public static void requireScores(String method, String argument, INDArray scores, long classes) {
        if (scores != null && scores.rank() == 2) {
            Shapes.require(method, argument, scores, "(N, V)", Shapes.ANY, classes);
        } else {
            Shapes.require(method, argument, scores, "(N, T, V)", Shapes.ANY, Shapes.ANY, classes);
        }
        requireFloatingType(method, argument, scores);
    }

    /**
     * @param method the public method being called
     * @param argument the argument's name
     * @param array the array, not null
     */
    public static void requireFloatingType(String method, String argument, INDArray array) {
        if (array.dataType() != DataType.DOUBLE && array.dataType() != DataType.FLOAT) {
            throw new ShapeException(method + ": " + argument + " must have data type DOUBLE or FLOAT, but has "
                    + array.dataType() + ". Convert it with castTo(DataType.DOUBLE).");
        }
    }

    /**
     * Checks integer targets of the positions' shape and reads them.
     *
     * @param method the public method being called
     * @param targets (N, T) for (N, T, V) scores, (N,) for (N, V) scores; an integer data type; each in [0, V)
     * @param scores the checked scores
     * @return the targets in row-major order, one per position
     */
    public static long[] readTargets(String method, INDArray targets, INDArray scores) {
        long[] positions = positionsShape(scores);
        Shapes.require(method, "targets", targets, positionSymbols(scores), positions);
        if (!targets.dataType().isIntType()) {
            throw new ShapeException(method + ": targets must have an integer data type such as INT or LONG, but has "
                    + targets.dataType() + ". Convert it with castTo(DataType.INT32).");
        }
        long classes = scores.size(scores.rank() - 1);
        INDArray flat = targets.reshape('c', new long[] {targets.length()});
        long[] y = new long[Math.toIntExact(targets.length())];
        for (int i = 0; i < y.length; i++) {
            y[i] = flat.getLong(i);
            if (y[i] < 0 || y[i] >= classes) {
                throw new IllegalArgumentException(method + ": every target must be in [0, V) = [0, " + classes
                        + "), but targets" + position(i, positions) + " = " + y[i] + ".");
            }
        }
        return y;
    }

    /**
     * Checks an optional 0/1 mask of the positions' shape and reads it.
     *
     * @param method the public method being called
     * @param mask (N, T) for (N, T, V) scores, (N,) for (N, V) scores, any numeric type, entries 0 or 1; or
     *     null for "every position counts"
     * @param scores the checked scores
     * @return the mask in row-major order, one per position (all ones for a null mask)
     */
    public static double[] readMask(String method, INDArray mask, INDArray scores) {
        long[] positions = positionsShape(scores);
        long count = 1;
        for (long p : positions) {
            count *= p;
        }
        double[] m = new double[Math.toIntExact(count)];
        if (mask == null) {
            Arrays.fill(m, 1.0);
            return m;
        }
        Shapes.require(method, "mask", mask, positionSymbols(scores), positions);
        INDArray flat = mask.reshape('c', new long[] {mask.length()});
        for (int i = 0; i < m.length; i++) {
            m[i] = flat.getDouble(i);
            if (m[i] != 0 && m[i] != 1) {
                throw new IllegalArgumentException(method + ": mask must hold only 0 (padding) and 1 (counts), but mask"
                        + position(i, positions) + " = " + m[i] + ".");
            }
        }
        return m;
    }

    /**
     * @param scores the checked scores, (N, T, V) or (N, V)
     * @return (N, T) for (N, T, V) scores, (N,) for (N, V) scores
     */
    public static long[] positionsShape(INDArray scores) {
        return Arrays.copyOf(scores.shape(), scores.rank() - 1);
    }

    private static String positionSymbols(INDArray scores) {
        return scores.rank() == 3 ? "(N, T)" : "(N,)";
    }

    /** The row-major index i as a position, e.g. {@code (1, 2)} in an (N, T) batch, {@code (3)} in an (N,) batch. */
    private static String position(int i, long[] positions) {
        if (positions.length == 1) {
            return "(" + i + ")";
        }
        return "(" + i / positions[1] + ", " + i % positions[1] + ")";
    }
}

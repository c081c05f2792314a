package unrolled.fast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/**
 * Agreement to round-off: max_k |actual_k − expected_k| ≤ tolerance · max(max_k |expected_k|, 1e-3), the error
 * relative to the array's largest entry (a max-norm relative error), with the scale floored at 1e-3 so that an array
 * that should be (almost) zero is compared absolutely.
 */
final class Agree {

    /** Tolerances: DOUBLE agrees to 1e-12 of the array's scale, FLOAT to 1e-4. */
    static double tolerance(DataType type) {
        return type == DataType.DOUBLE ? 1e-12 : 1e-4;
    }

    /** The largest error seen so far, for the report printed with -Dunrolled.report=true. */
    static double worstDouble = 0;
    static double worstFloat = 0;

    private Agree() {
    }

    static void agree(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double tolerance = tolerance(expected.dataType());
        double scale = 1e-3;
        double error = 0;
        long[] worst = new long[expected.rank()];
        for (long i = 0; i < expected.length(); i++) {
            long[] at = Shape.ind2subC(expected.shape(), i);
            double e = expected.getDouble(at);
            scale = Math.max(scale, Math.abs(e));
            double diff = Math.abs(actual.getDouble(at) - e);
            if (!(diff <= error)) {
                error = diff;
                worst = at;
            }
        }
        double relative = error / scale;
        if (expected.dataType() == DataType.DOUBLE) {
            worstDouble = Math.max(worstDouble, relative);
        } else {
            worstFloat = Math.max(worstFloat, relative);
        }
        long[] at = worst;
        assertTrue(relative <= tolerance, () -> what + ": relative error " + relative + " > " + tolerance + " at "
                + java.util.Arrays.toString(at) + " (expected " + expected.getDouble(at) + ", got " + actual.getDouble(at) + ")");
    }
}

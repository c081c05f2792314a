package unrolled.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import unrolled.check.GradientCheck;

/** Assertions for arrays, entry by entry with an explicit tolerance, and for gradient checks. */
public final class Close {

    private Close() {
    }

    /**
     * Asserts same shape and |expected − actual| ≤ tolerance for every entry.
     *
     * @param expected the reference
     * @param actual the value under test
     * @param tolerance the largest absolute difference accepted
     * @param what names the array in the failure message
     */
    public static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        for (long i = 0; i < expected.length(); i++) {
            long[] at = Shape.ind2subC(expected.shape(), i);
            double e = expected.getDouble(at);
            double a = actual.getDouble(at);
            if (!(Math.abs(e - a) <= tolerance)) {
                fail(what + ": entry " + java.util.Arrays.toString(at) + " is " + a + ", expected " + e + " (tolerance "
                        + tolerance + ")");
            }
        }
    }

    /**
     * Asserts the check passed; prints its largest errors when run with {@code -Dunrolled.report=true}.
     *
     * @param label what was checked
     * @param report the check's report
     */
    public static void requirePassed(String label, GradientCheck.Report report) {
        if (Boolean.getBoolean("unrolled.report")) {
            double absolute = report.rows().stream().mapToDouble(GradientCheck.Row::maxAbsoluteError).max().orElse(0);
            System.out.printf("GRADCHECK %-60s max relative error %.3e, max absolute error %.3e%n", label,
                    report.maxRelativeError(), absolute);
        }
        report.requirePassed();
    }
}

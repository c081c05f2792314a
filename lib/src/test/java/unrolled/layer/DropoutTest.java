package unrolled.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.tensor.ShapeException;

class DropoutTest {

    private static final double P = 0.3;

    @ParameterizedTest
    @EnumSource(Dropout.Mode.class)
    void evaluationReturnsTheInputUnchanged(Dropout.Mode mode) {
        Dropout dropout = new Dropout(P, mode, 1);
        INDArray x = TestData.gaussian(1, 2, 3, 4);
        INDArray x0 = x.dup();
        Dropout.Result result = dropout.forward(x, false);
        assertEquals(x0, result.output());
        assertEquals(x0, x);
        assertNull(result.cache().scaledMask());
        INDArray dy = TestData.gaussian(2, 2, 3, 4);
        assertEquals(dy, dropout.backward(dy, result.cache()), "evaluation passes the gradient through");
    }

    @Test
    void trainingKeepsTheMeanOfTheInput() {
        // Each output entry is 0 or 1/(1 − p) for an input of ones: mean 1, variance p/(1 − p) ≈ 0.43, so the
        // mean of 100 000 entries has a standard deviation of about 0.002; 0.01 is five of them.
        Dropout dropout = new Dropout(P, Dropout.Mode.STANDARD, 2024);
        INDArray ones = Nd4j.ones(DataType.DOUBLE, 200, 500);
        INDArray y = dropout.forward(ones, true).output();
        assertEquals(1.0, y.meanNumber().doubleValue(), 0.01);
        double kept = y.gt(0.0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        assertEquals(1 - P, kept, 0.01, "fraction of units kept");
    }

    @ParameterizedTest
    @EnumSource(Dropout.Mode.class)
    void keptEntriesAreTheInputDividedByTheKeepProbabilityAndTheOthersZero(Dropout.Mode mode) {
        Dropout dropout = new Dropout(P, mode, 5);
        INDArray x = TestData.gaussian(3, 4, 5, 6);
        INDArray y = dropout.forward(x, true).output();
        int kept = 0;
        int dropped = 0;
        for (int n = 0; n < 4; n++) {
            for (int t = 0; t < 5; t++) {
                for (int d = 0; d < 6; d++) {
                    double out = y.getDouble(n, t, d);
                    if (out == 0) {
                        dropped++;
                    } else {
                        kept++;
                        double expected = x.getDouble(n, t, d) / (1 - P);
                        assertEquals(expected, out, 1e-15 * Math.abs(expected), "kept entry at " + n + ", " + t + ", " + d);
                    }
                }
            }
        }
        assertTrue(kept > 0 && dropped > 0, "kept " + kept + ", dropped " + dropped);
    }

    @Test
    void variationalDropoutUsesTheSameMaskAtEveryTimeStep() {
        Dropout dropout = new Dropout(0.5, Dropout.Mode.VARIATIONAL, 8);
        int n = 4;
        int t = 7;
        int d = 10;
        INDArray y = dropout.forward(Nd4j.ones(DataType.DOUBLE, n, t, d), true).output();
        int droppedAtFirstStep = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                if (y.getDouble(i, 0, j) == 0) {
                    droppedAtFirstStep++;
                }
                for (int step = 1; step < t; step++) {
                    assertEquals(y.getDouble(i, 0, j), y.getDouble(i, step, j), 0.0,
                            "sequence " + i + ", feature " + j + ", step " + step);
                }
            }
        }
        assertTrue(droppedAtFirstStep > 0 && droppedAtFirstStep < n * d, "dropped " + droppedAtFirstStep);
    }

    @Test
    void standardDropoutDrawsAFreshMaskAtEachTimeStep() {
        // The counterpart of the variational test: without it that test could pass for a mask that is
        // constant along time for any mode.
        Dropout dropout = new Dropout(0.5, Dropout.Mode.STANDARD, 8);
        INDArray y = dropout.forward(Nd4j.ones(DataType.DOUBLE, 4, 7, 10), true).output();
        int differing = 0;
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 10; j++) {
                if (y.getDouble(i, 0, j) != y.getDouble(i, 1, j)) {
                    differing++;
                }
            }
        }
        assertTrue(differing > 0, "steps 0 and 1 have identical masks");
    }

    @ParameterizedTest
    @EnumSource(Dropout.Mode.class)
    void backwardIsTheGradientTimesTheScaledMask(Dropout.Mode mode) {
        Dropout dropout = new Dropout(P, mode, 13);
        INDArray x = TestData.gaussian(1, 3, 4, 5);
        INDArray dy = TestData.gaussian(2, 3, 4, 5);
        Dropout.Result result = dropout.forward(x, true);
        INDArray mask = result.cache().scaledMask();
        INDArray dx = dropout.backward(dy, result.cache());
        for (int n = 0; n < 3; n++) {
            for (int t = 0; t < 4; t++) {
                for (int d = 0; d < 5; d++) {
                    double m = mask.getDouble(n, t, d);
                    assertTrue(m == 0 || Math.abs(m - 1 / (1 - P)) < 1e-15, "mask entry " + m);
                    assertEquals(dy.getDouble(n, t, d) * m, dx.getDouble(n, t, d), 0.0);
                    assertEquals(x.getDouble(n, t, d) * m, result.output().getDouble(n, t, d), 0.0,
                            "the forward pass applies the cached mask");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Dropout.Mode.class)
    void backwardMatchesFiniteDifferencesWithTheMaskFixed(Dropout.Mode mode) {
        // With the mask held fixed (the one in the cache), y = x ⊙ mask is a linear map of x.
        Dropout dropout = new Dropout(P, mode, 17);
        INDArray x = TestData.gaussian(3, 2, 3, 4);
        INDArray R = TestData.gaussian(4, 2, 3, 4);
        Dropout.Result result = dropout.forward(x, true);
        INDArray mask = result.cache().scaledMask();
        GradientCheck.create()
                .wrt("x", x, dropout.backward(R, result.cache()))
                .run(() -> TestData.dot(x.mul(mask), R))
                .requirePassed();
    }

    @Test
    void theSameSeedGivesTheSameMasks() {
        INDArray x = TestData.gaussian(1, 3, 4, 5);
        INDArray a = new Dropout(P, Dropout.Mode.STANDARD, 99).forward(x, true).output();
        INDArray b = new Dropout(P, Dropout.Mode.STANDARD, 99).forward(x, true).output();
        INDArray c = new Dropout(P, Dropout.Mode.STANDARD, 100).forward(x, true).output();
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void trainingLeavesTheInputAndTheGradientUnchanged() {
        Dropout dropout = new Dropout(P, Dropout.Mode.VARIATIONAL, 1);
        INDArray x = TestData.gaussian(1, 2, 3, 4);
        INDArray dy = TestData.gaussian(2, 2, 3, 4);
        INDArray x0 = x.dup();
        INDArray dy0 = dy.dup();
        Dropout.Result result = dropout.forward(x, true);
        INDArray mask0 = result.cache().scaledMask().dup();
        dropout.backward(dy, result.cache());
        assertEquals(x0, x);
        assertEquals(dy0, dy);
        assertEquals(mask0, result.cache().scaledMask());
    }

    @Test
    void aFloatInputGivesAFloatOutput() {
        Dropout dropout = new Dropout(P, Dropout.Mode.STANDARD, 1);
        INDArray y = dropout.forward(TestData.gaussian(1, 3, 4).castTo(DataType.FLOAT), true).output();
        assertEquals(DataType.FLOAT, y.dataType());
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 1.0, 1.5, Double.NaN})
    void aRateOutsideZeroToOneIsRefused(double rate) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Dropout(rate, Dropout.Mode.STANDARD, 1));
        assertEquals("Dropout: rate must be in [0, 1), but is " + rate + ".", e.getMessage());
    }

    @Test
    void aRateOfZeroKeepsEverything() {
        Dropout dropout = new Dropout(0.0, Dropout.Mode.STANDARD, 1);
        INDArray x = TestData.gaussian(1, 3, 4);
        assertEquals(x, dropout.forward(x, true).output());
    }

    @Test
    void variationalDropoutRefusesAnInputWithoutATimeAxis() {
        Dropout dropout = new Dropout(P, Dropout.Mode.VARIATIONAL, 1);
        ShapeException e = assertThrows(ShapeException.class, () -> dropout.forward(TestData.gaussian(1, 3, 4), true));
        assertEquals("Dropout.forward: x must have shape (N, T, D) for variational dropout, but has shape (3, 4).",
                e.getMessage());
    }

    @Test
    void aGradientOfAnotherShapeIsRefused() {
        Dropout dropout = new Dropout(P, Dropout.Mode.STANDARD, 1);
        Dropout.Result result = dropout.forward(TestData.gaussian(1, 3, 4), true);
        ShapeException e = assertThrows(ShapeException.class,
                () -> dropout.backward(TestData.gaussian(2, 4, 3), result.cache()));
        assertEquals("Dropout.backward: dy must have shape (same as x) = (3, 4), but has shape (4, 3)."
                + " It looks transposed: use .transpose().", e.getMessage());
    }
}

package unrolled.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.layer.LayerGradients;
import unrolled.tensor.ShapeException;

class PositionalEncodingTest {

    private static final int N = 2;
    private static final int T = 5;
    private static final int D = 7;

    @Test
    void theSinusoidalTableFollowsItsDefinition() {
        INDArray P = PositionalEncoding.sinusoidal(D, DataType.DOUBLE).table(T);
        assertEquals(2, P.rank());
        for (int t = 0; t < T; t++) {
            for (int i = 0; 2 * i < D; i++) {
                double angle = t / Math.pow(10000, 2.0 * i / D);
                assertEquals(Math.sin(angle), P.getDouble(t, 2 * i), 1e-12);
                if (2 * i + 1 < D) {
                    assertEquals(Math.cos(angle), P.getDouble(t, 2 * i + 1), 1e-12);
                }
            }
        }
    }

    @Test
    void aShiftByKStepsIsTheSameRotationAtEveryPosition() {
        // sin/cos of (t + k)ω are a rotation of those of tω by kω: P[t + k] is a fixed linear map of P[t]
        int size = 8;
        int k = 3;
        INDArray P = PositionalEncoding.sinusoidal(size, DataType.DOUBLE).table(20);
        for (int t = 0; t + k < 20; t++) {
            for (int i = 0; i < size / 2; i++) {
                double w = Math.pow(10000, -2.0 * i / size);
                double s = P.getDouble(t, 2 * i);
                double c = P.getDouble(t, 2 * i + 1);
                assertEquals(s * Math.cos(k * w) + c * Math.sin(k * w), P.getDouble(t + k, 2 * i), 1e-12);
                assertEquals(c * Math.cos(k * w) - s * Math.sin(k * w), P.getDouble(t + k, 2 * i + 1), 1e-12);
            }
        }
    }

    @Test
    void forwardAddsTheSameTableToEverySequence() {
        SinusoidalEncoding encoding = PositionalEncoding.sinusoidal(D, DataType.DOUBLE);
        INDArray x = TestData.gaussian(1, N, T, D);
        INDArray y = encoding.forward(x);
        INDArray P = encoding.table(T);
        for (int n = 0; n < N; n++) {
            assertEquals(x.slice(n).add(P), y.slice(n));
        }
    }

    @Test
    void forwardAtEachLengthAddsThatLengthsTable() {
        // the table is kept from one call to the next: a call at another length must not reuse the old one
        SinusoidalEncoding encoding = PositionalEncoding.sinusoidal(D, DataType.DOUBLE);
        for (int steps : new int[] {T, 3, 3, T + 4, T}) {
            INDArray x = TestData.gaussian(steps, N, steps, D);
            INDArray y = encoding.forward(x);
            INDArray P = encoding.table(steps);
            for (int n = 0; n < N; n++) {
                assertEquals(x.slice(n).add(P), y.slice(n), "T = " + steps);
            }
        }
    }

    @Test
    void sinusoidalBackwardMatchesFiniteDifferences() {
        SinusoidalEncoding encoding = PositionalEncoding.sinusoidal(D, DataType.DOUBLE);
        INDArray x = TestData.gaussian(2, N, T, D);
        INDArray R = TestData.gaussian(3, N, T, D);
        LayerGradients g = encoding.backward(R);
        assertEquals(0, g.parameters().size());
        GradientCheck.create().wrt("x", x, g.dx())
                .run(() -> TestData.dot(encoding.forward(x), R)).requirePassed();
    }

    @Test
    void learnedBackwardMatchesFiniteDifferencesForTheInputAndTheTable() {
        LearnedEncoding encoding = PositionalEncoding.learned(T + 2, D, DataType.DOUBLE, 4);
        INDArray x = TestData.gaussian(2, N, T, D);
        INDArray R = TestData.gaussian(3, N, T, D);
        LayerGradients g = encoding.backward(R);
        GradientCheck.create()
                .wrt("x", x, g.dx())
                .wrt("P", encoding.parameters().get("P"), g.parameters().get("P"))
                .run(() -> TestData.dot(encoding.forward(x), R)).requirePassed();
    }

    @Test
    void aLearnedEncodingRefusesPositionsItHasNoRowFor() {
        LearnedEncoding encoding = PositionalEncoding.learned(4, D, DataType.DOUBLE, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> encoding.forward(TestData.gaussian(1, N, T, D)));
        assertEquals("LearnedEncoding.forward: a learned encoding holds positions 0 … 3, so T must be between 1 and 4, "
                + "but is 5.", e.getMessage());
    }

    @Test
    void aWrongFeatureSizeIsRefusedWithBothShapes() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> PositionalEncoding.sinusoidal(D, DataType.DOUBLE).forward(TestData.gaussian(1, N, T, D - 1)));
        assertEquals("SinusoidalEncoding.forward: x must have shape (N, T, D) = (?, ?, 7), but has shape (2, 5, 6).",
                e.getMessage());
    }
}

package unrolled.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.tensor.ShapeException;

class FeedForwardTest {

    private static final int M = 5;
    private static final int D = 3;
    private static final int F = 6;
    private static final int K = 2;

    private static FeedForward layer() {
        FeedForward ff = new FeedForward(D, F, K, DataType.DOUBLE, 3);
        ff.parameters().get("b1").assign(TestData.gaussian(8, 1, F).muli(0.5));
        ff.parameters().get("b2").assign(TestData.gaussian(9, 1, K));
        return ff;
    }

    @Test
    void forwardMatchesTheEquationComputedElementByElement() {
        FeedForward ff = layer();
        INDArray x = TestData.gaussian(1, M, D);
        INDArray y = ff.forward(x).output();
        INDArray W1 = ff.parameters().get("W1");
        INDArray b1 = ff.parameters().get("b1");
        INDArray W2 = ff.parameters().get("W2");
        INDArray b2 = ff.parameters().get("b2");
        for (int m = 0; m < M; m++) {
            double[] u = new double[F];
            for (int f = 0; f < F; f++) {
                double a = b1.getDouble(0, f);
                for (int d = 0; d < D; d++) {
                    a += x.getDouble(m, d) * W1.getDouble(d, f);
                }
                u[f] = Math.max(0, a);
            }
            for (int k = 0; k < K; k++) {
                double expected = b2.getDouble(0, k);
                for (int f = 0; f < F; f++) {
                    expected += u[f] * W2.getDouble(f, k);
                }
                assertEquals(expected, y.getDouble(m, k), 1e-12);
            }
        }
    }

    @Test
    void backwardMatchesFiniteDifferencesForTheInputAndEveryParameter() {
        FeedForward ff = layer();
        INDArray x = TestData.gaussian(2, M, D);
        INDArray R = TestData.gaussian(3, M, K);
        LayerGradients g = ff.backward(R, ff.forward(x).cache());
        GradientCheck check = GradientCheck.create().wrt("x", x, g.dx());
        for (String name : ff.parameters().names()) {
            check.wrt(name, ff.parameters().get(name), g.parameters().get(name));
        }
        check.run(() -> TestData.dot(ff.forward(x).output(), R)).requirePassed();
    }

    @Test
    void aWrongInputSizeIsRefusedWithBothShapes() {
        ShapeException e = assertThrows(ShapeException.class, () -> layer().forward(TestData.gaussian(1, M, D + 1)));
        assertEquals("FeedForward.forward: x must have shape (M, D) = (?, 3), but has shape (5, 4).", e.getMessage());
    }

    @Test
    void aWrongGradientShapeIsRefusedWithBothShapes() {
        FeedForward ff = layer();
        FeedForward.Result result = ff.forward(TestData.gaussian(1, M, D));
        ShapeException e = assertThrows(ShapeException.class, () -> ff.backward(TestData.gaussian(1, M, K + 1), result.cache()));
        assertEquals("FeedForward.backward: dy must have shape (M, K) = (5, 2), but has shape (5, 3).", e.getMessage());
    }
}

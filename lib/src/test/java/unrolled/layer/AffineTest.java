package unrolled.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.tensor.ShapeException;

class AffineTest {

    private static final int N = 3;
    private static final int D = 4;
    private static final int K = 5;

    @Test
    void forwardMatchesTheEquationComputedElementByElement() {
        Affine layer = new Affine(D, K, DataType.DOUBLE, 7);
        layer.parameters().get("b").assign(TestData.gaussian(9, 1, K));
        INDArray x = TestData.gaussian(1, N, D);
        INDArray y = layer.forward(x).output();
        INDArray W = layer.parameters().get("W");
        INDArray b = layer.parameters().get("b");
        assertEquals(N, y.size(0));
        assertEquals(K, y.size(1));
        for (int n = 0; n < N; n++) {
            for (int k = 0; k < K; k++) {
                double expected = b.getDouble(0, k);
                for (int d = 0; d < D; d++) {
                    expected += x.getDouble(n, d) * W.getDouble(d, k);
                }
                assertEquals(expected, y.getDouble(n, k), 1e-12);
            }
        }
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        Affine layer = new Affine(D, K, DataType.DOUBLE, 11);
        layer.parameters().get("b").assign(TestData.gaussian(5, 1, K).muli(0.1));
        INDArray x = TestData.gaussian(3, N, D);
        INDArray R = TestData.gaussian(6, N, K);
        Affine.Result result = layer.forward(x);
        LayerGradients g = layer.backward(R, result.cache());
        GradientCheck.Report report = GradientCheck.create()
                .wrt("x", x, g.dx())
                .wrt("W", layer.parameters().get("W"), g.parameters().get("W"))
                .wrt("b", layer.parameters().get("b"), g.parameters().get("b"))
                .run(() -> TestData.dot(layer.forward(x).output(), R));
        report.requirePassed();
    }

    @Test
    void gradientsAreNamedLikeTheParameters() {
        Affine layer = new Affine(D, K, DataType.DOUBLE, 1);
        Affine.Result result = layer.forward(TestData.gaussian(1, N, D));
        LayerGradients g = layer.backward(TestData.gaussian(2, N, K), result.cache());
        g.parameters().requireMatches("test", layer.parameters());
        assertEquals(layer.parameters().names(), g.parameters().names());
    }

    @Test
    void forwardAndBackwardLeaveTheirInputsUnchanged() {
        Affine layer = new Affine(D, K, DataType.DOUBLE, 1);
        INDArray x = TestData.gaussian(1, N, D);
        INDArray dy = TestData.gaussian(2, N, K);
        INDArray x0 = x.dup();
        INDArray dy0 = dy.dup();
        INDArray W0 = layer.parameters().get("W").dup();
        Affine.Result result = layer.forward(x);
        layer.backward(dy, result.cache());
        assertEquals(x0, x);
        assertEquals(dy0, dy);
        assertEquals(x0, result.cache().x());
        assertEquals(W0, layer.parameters().get("W"));
    }

    @Test
    void weightsAreXavierUniformAndTheBiasIsZero() {
        Affine layer = new Affine(30, 20, DataType.DOUBLE, 3);
        INDArray W = layer.parameters().get("W");
        double a = Math.sqrt(6.0 / (30 + 20));
        assertTrue(W.amaxNumber().doubleValue() <= a, "every |W| must be at most √(6/(D+K))");
        assertTrue(W.amaxNumber().doubleValue() > 0.9 * a, "the largest |W| of 600 draws should be near the bound");
        assertEquals(0.0, layer.parameters().get("b").amaxNumber().doubleValue());
        assertEquals(1, layer.parameters().get("b").size(0));
        assertEquals(20, layer.parameters().get("b").size(1));
    }

    @Test
    void theSameSeedGivesTheSameWeights() {
        Affine a = new Affine(D, K, DataType.FLOAT, 42);
        Affine b = new Affine(D, K, DataType.FLOAT, 42);
        Affine c = new Affine(D, K, DataType.FLOAT, 43);
        assertEquals(a.parameters().get("W"), b.parameters().get("W"));
        assertNotEquals(a.parameters().get("W"), c.parameters().get("W"));
    }

    @Test
    void floatLayerComputesInFloat() {
        Affine layer = new Affine(D, K, DataType.FLOAT, 42);
        Affine.Result result = layer.forward(TestData.gaussian(1, N, D).castTo(DataType.FLOAT));
        assertEquals(DataType.FLOAT, result.output().dataType());
        LayerGradients g = layer.backward(TestData.gaussian(2, N, K).castTo(DataType.FLOAT), result.cache());
        assertEquals(DataType.FLOAT, g.dx().dataType());
        assertEquals(DataType.FLOAT, g.parameters().get("W").dataType());
    }

    @Test
    void aWrongInputShapeIsRefusedWithBothShapes() {
        Affine layer = new Affine(D, K, DataType.DOUBLE, 1);
        ShapeException e = assertThrows(ShapeException.class, () -> layer.forward(TestData.gaussian(1, N, D + 1)));
        assertEquals("Affine.forward: x must have shape (N, D) = (?, 4), but has shape (3, 5).", e.getMessage());
    }

    @Test
    void aWrongGradientShapeIsRefusedWithBothShapes() {
        Affine layer = new Affine(D, K, DataType.DOUBLE, 1);
        Affine.Result result = layer.forward(TestData.gaussian(1, N, D));
        ShapeException e = assertThrows(ShapeException.class,
                () -> layer.backward(TestData.gaussian(2, N + 1, K), result.cache()));
        assertEquals("Affine.backward: dy must have shape (N, K) = (3, 5), but has shape (4, 5).", e.getMessage());
    }

    @Test
    void aFloatInputToADoubleLayerIsRefused() {
        Affine layer = new Affine(D, K, DataType.DOUBLE, 1);
        ShapeException e = assertThrows(ShapeException.class,
                () -> layer.forward(TestData.gaussian(1, N, D).castTo(DataType.FLOAT)));
        assertEquals("Affine.forward: x must have data type DOUBLE, but has FLOAT. Convert it with castTo(DataType.DOUBLE).",
                e.getMessage());
    }

    @Test
    void aNonPositiveSizeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Affine(D, 0, DataType.DOUBLE, 1));
        assertEquals("Affine: outputSize must be positive, but is 0.", e.getMessage());
    }
}

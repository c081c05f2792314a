package unrolled.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.tensor.ShapeException;

class TimeDistributedAffineTest {

    private static final int N = 2;
    private static final int T = 3;
    private static final int D = 4;
    private static final int K = 5;

    @Test
    void forwardAppliesTheSameAffineMapAtEveryStepElementByElement() {
        TimeDistributedAffine layer = new TimeDistributedAffine(D, K, DataType.DOUBLE, 7);
        layer.parameters().get("b").assign(TestData.gaussian(9, 1, K));
        INDArray x = TestData.gaussian(1, N, T, D);
        INDArray y = layer.forward(x).output();
        INDArray W = layer.parameters().get("W");
        INDArray b = layer.parameters().get("b");
        assertEquals(3, y.rank());
        for (int n = 0; n < N; n++) {
            for (int t = 0; t < T; t++) {
                for (int k = 0; k < K; k++) {
                    double expected = b.getDouble(0, k);
                    for (int d = 0; d < D; d++) {
                        expected += x.getDouble(n, t, d) * W.getDouble(d, k);
                    }
                    assertEquals(expected, y.getDouble(n, t, k), 1e-12);
                }
            }
        }
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        TimeDistributedAffine layer = new TimeDistributedAffine(D, K, DataType.DOUBLE, 11);
        layer.parameters().get("b").assign(TestData.gaussian(5, 1, K).muli(0.1));
        INDArray x = TestData.gaussian(3, N, T, D);
        INDArray R = TestData.gaussian(6, N, T, K);
        var result = layer.forward(x);
        LayerGradients g = layer.backward(R, result.cache());
        GradientCheck.create()
                .wrt("x", x, g.dx())
                .wrt("W", layer.parameters().get("W"), g.parameters().get("W"))
                .wrt("b", layer.parameters().get("b"), g.parameters().get("b"))
                .run(() -> TestData.dot(layer.forward(x).output(), R))
                .requirePassed();
    }

    @Test
    void weightGradientsAreTheSumOfThePerStepGradients() {
        Affine step = new Affine(D, K, DataType.DOUBLE, 5);
        TimeDistributedAffine layer = new TimeDistributedAffine(step);
        INDArray x = TestData.gaussian(1, N, T, D);
        INDArray dy = TestData.gaussian(2, N, T, K);
        LayerGradients whole = layer.backward(dy, layer.forward(x).cache());
        for (int t = 0; t < T; t++) {
            INDArray xt = x.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all()).dup();
            INDArray dyt = dy.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all()).dup();
            LayerGradients g = step.backward(dyt, step.forward(xt).cache());
            whole.parameters().accumulate("W", g.parameters().get("W").neg());
            whole.parameters().accumulate("b", g.parameters().get("b").neg());
            INDArray dxt = whole.dx().get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all());
            assertEquals(0.0, dxt.sub(g.dx()).amaxNumber().doubleValue(), 1e-12);
        }
        assertEquals(0.0, whole.parameters().get("W").amaxNumber().doubleValue(), 1e-12,
                "dW minus the sum over t of the per-step dW");
        assertEquals(0.0, whole.parameters().get("b").amaxNumber().doubleValue(), 1e-12,
                "db minus the sum over t of the per-step db");
    }

    @Test
    void itSharesTheWeightsOfTheAffineItWraps() {
        Affine step = new Affine(D, K, DataType.DOUBLE, 5);
        TimeDistributedAffine layer = new TimeDistributedAffine(step);
        assertSame(step.parameters().get("W"), layer.parameters().get("W"));
        assertSame(step.parameters().get("b"), layer.parameters().get("b"));
        assertEquals(new Affine(D, K, DataType.DOUBLE, 5).parameters().get("W"),
                new TimeDistributedAffine(D, K, DataType.DOUBLE, 5).parameters().get("W"));
    }

    @Test
    void aNonContiguousInputGivesTheSameResultAsItsCopy() {
        TimeDistributedAffine layer = new TimeDistributedAffine(D, K, DataType.DOUBLE, 2);
        INDArray timeMajor = TestData.gaussian(1, T, N, D);
        INDArray view = timeMajor.permute(1, 0, 2);
        INDArray dy = TestData.gaussian(2, N, T, K);
        var fromView = layer.forward(view);
        var fromCopy = layer.forward(view.dup());
        assertEquals(fromCopy.output(), fromView.output());
        assertEquals(layer.backward(dy, fromCopy.cache()).dx(), layer.backward(dy, fromView.cache()).dx());
    }

    @Test
    void forwardAndBackwardLeaveTheirInputsUnchanged() {
        TimeDistributedAffine layer = new TimeDistributedAffine(D, K, DataType.DOUBLE, 1);
        INDArray x = TestData.gaussian(1, N, T, D);
        INDArray dy = TestData.gaussian(2, N, T, K);
        INDArray x0 = x.dup();
        INDArray dy0 = dy.dup();
        var result = layer.forward(x);
        INDArray y0 = result.output().dup();
        layer.backward(dy, result.cache());
        assertEquals(x0, x);
        assertEquals(dy0, dy);
        assertEquals(y0, result.output());
    }

    @Test
    void floatLayerComputesInFloat() {
        TimeDistributedAffine layer = new TimeDistributedAffine(D, K, DataType.FLOAT, 42);
        var result = layer.forward(TestData.gaussian(1, N, T, D).castTo(DataType.FLOAT));
        assertEquals(DataType.FLOAT, result.output().dataType());
        assertEquals(DataType.FLOAT,
                layer.backward(TestData.gaussian(2, N, T, K).castTo(DataType.FLOAT), result.cache()).dx().dataType());
    }

    @Test
    void aWrongFeatureSizeIsRefusedWithBothShapes() {
        TimeDistributedAffine layer = new TimeDistributedAffine(D, K, DataType.DOUBLE, 1);
        ShapeException e = assertThrows(ShapeException.class, () -> layer.forward(TestData.gaussian(1, N, T, D + 1)));
        assertEquals("TimeDistributedAffine.forward: x must have shape (N, T, D) = (?, ?, 4), but has shape (2, 3, 5).",
                e.getMessage());
    }

    @Test
    void aTimeMajorGradientGetsAHint() {
        TimeDistributedAffine layer = new TimeDistributedAffine(D, K, DataType.DOUBLE, 1);
        var result = layer.forward(TestData.gaussian(1, N, T, D));
        ShapeException e = assertThrows(ShapeException.class,
                () -> layer.backward(TestData.gaussian(2, T, N, K), result.cache()));
        assertEquals("TimeDistributedAffine.backward: dy must have shape (N, T, K) = (2, 3, 5), but has shape (3, 2, 5)."
                + " It looks time-major (T, N, D); this library is batch-first (N, T, D): use x.permute(1, 0, 2).dup().",
                e.getMessage());
    }

    @Test
    void aSingleSequenceWithoutABatchAxisGetsAHint() {
        TimeDistributedAffine layer = new TimeDistributedAffine(D, K, DataType.DOUBLE, 1);
        ShapeException e = assertThrows(ShapeException.class, () -> layer.forward(TestData.gaussian(1, N, D)));
        assertEquals("TimeDistributedAffine.forward: x must have shape (N, T, D) = (?, ?, 4), but has shape (2, 4)."
                + " It has no batch axis; add one with reshape(1, 2, 4).", e.getMessage());
    }
}

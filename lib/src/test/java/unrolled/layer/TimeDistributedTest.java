package unrolled.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.tensor.ShapeException;

class TimeDistributedTest {

    private static final int N = 2;
    private static final int T = 4;
    private static final int D = 3;

    @Test
    void everyStepIsTheLayerAppliedToThatStepAlone() {
        FeedForward ff = new FeedForward(D, 5, 2, DataType.DOUBLE, 1);
        TimeDistributed<FeedForward.Cache> layer = new TimeDistributed<>(ff);
        INDArray x = TestData.gaussian(1, N, T, D);
        INDArray y = layer.forward(x).output();
        for (int t = 0; t < T; t++) {
            INDArray xt = x.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all()).dup();
            INDArray yt = y.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all());
            assertEquals(ff.forward(xt).output(), yt, "step " + t);
        }
    }

    @Test
    void wrappingAnAffineLayerGivesWhatTimeDistributedAffineGives() {
        Affine affine = new Affine(D, 2, DataType.DOUBLE, 4);
        affine.parameters().get("b").assign(TestData.gaussian(5, 1, 2));
        TimeDistributed<Affine.Cache> general = new TimeDistributed<>(affine);
        TimeDistributedAffine special = new TimeDistributedAffine(affine);
        INDArray x = TestData.gaussian(1, N, T, D);
        INDArray dy = TestData.gaussian(2, N, T, 2);
        assertEquals(special.forward(x).output(), general.forward(x).output());
        LayerGradients a = general.backward(dy, general.forward(x).cache());
        LayerGradients b = special.backward(dy, special.forward(x).cache());
        assertEquals(b.dx(), a.dx());
        assertEquals(b.parameters().get("W"), a.parameters().get("W"));
        assertEquals(b.parameters().get("b"), a.parameters().get("b"));
    }

    @Test
    void backwardMatchesFiniteDifferencesWithGradientsSummedOverTime() {
        FeedForward ff = new FeedForward(D, 5, 2, DataType.DOUBLE, 2);
        ff.parameters().get("b1").assign(TestData.gaussian(6, 1, 5).muli(0.3));
        TimeDistributed<FeedForward.Cache> layer = new TimeDistributed<>(ff);
        INDArray x = TestData.gaussian(3, N, T, D);
        INDArray R = TestData.gaussian(4, N, T, 2);
        LayerGradients g = layer.backward(R, layer.forward(x).cache());
        GradientCheck check = GradientCheck.create().wrt("x", x, g.dx());
        for (String name : layer.parameters().names()) {
            check.wrt(name, layer.parameters().get(name), g.parameters().get(name));
        }
        check.run(() -> TestData.dot(layer.forward(x).output(), R)).requirePassed();
    }

    @Test
    void aWrongFeatureSizeIsRefusedWithBothShapes() {
        TimeDistributed<FeedForward.Cache> layer = new TimeDistributed<>(new FeedForward(D, 5, 2, DataType.DOUBLE, 1));
        ShapeException e = assertThrows(ShapeException.class, () -> layer.forward(TestData.gaussian(1, N, T, D + 1)));
        assertEquals("TimeDistributed.forward: x must have shape (N, T, D) = (?, ?, 3), but has shape (2, 4, 4).", e.getMessage());
    }
}

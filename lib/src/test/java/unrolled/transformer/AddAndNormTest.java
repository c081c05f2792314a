package unrolled.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.layer.LayerGradients;
import unrolled.layer.LayerNorm;
import unrolled.tensor.ShapeException;

class AddAndNormTest {

    private static final int N = 2;
    private static final int T = 3;
    private static final int D = 4;

    private static AddAndNorm layer() {
        AddAndNorm layer = new AddAndNorm(D, DataType.DOUBLE);
        layer.parameters().get("gamma").assign(TestData.gaussian(5, 1, D));
        layer.parameters().get("beta").assign(TestData.gaussian(6, 1, D));
        return layer;
    }

    @Test
    void forwardIsTheLayerNormOfTheSum() {
        AddAndNorm layer = layer();
        LayerNorm norm = new LayerNorm(D, DataType.DOUBLE);
        norm.parameters().assign(layer.parameters());
        INDArray x = TestData.gaussian(1, N, T, D);
        INDArray s = TestData.gaussian(2, N, T, D);
        assertEquals(norm.forward(x.add(s)).output(), layer.forward(x, s).output());
    }

    @Test
    void backwardGivesBothTermsTheSameGradientAndMatchesFiniteDifferences() {
        AddAndNorm layer = layer();
        INDArray x = TestData.gaussian(1, N, T, D);
        INDArray s = TestData.gaussian(2, N, T, D);
        INDArray R = TestData.gaussian(3, N, T, D);
        LayerGradients g = layer.backward(R, layer.forward(x, s).cache());
        GradientCheck.create()
                .wrt("x", x, g.dx())
                .wrt("s", s, g.dx())
                .wrt("gamma", layer.parameters().get("gamma"), g.parameters().get("gamma"))
                .wrt("beta", layer.parameters().get("beta"), g.parameters().get("beta"))
                .run(() -> TestData.dot(layer.forward(x, s).output(), R))
                .requirePassed();
    }

    @Test
    void aSublayerOutputOfAnotherShapeIsRefused() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> layer().forward(TestData.gaussian(1, N, T, D), TestData.gaussian(2, N, T + 1, D)));
        assertEquals("AddAndNorm.forward: sublayerOutput must have shape (N, T, D) = (2, 3, 4), but has shape (2, 4, 4).",
                e.getMessage());
    }
}

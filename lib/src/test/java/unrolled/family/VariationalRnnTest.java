package unrolled.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.recurrent.SequenceGradients;
import unrolled.tensor.ShapeException;

class VariationalRnnTest {

    private static final int N = 2;
    private static final int T = 3;
    private static final int D = 2;
    private static final int H = 3;
    private static final int Z = 2;

    @Test
    void backpropagationThroughTimeMatchesFiniteDifferencesWithTheNoiseFixed() {
        VariationalRnn layer = new VariationalRnn(new VariationalRnnCell(D, H, Z, DataType.DOUBLE, 4));
        layer.parameters().get("bq").assign(TestData.gaussian(30, 1, 2 * Z).muli(0.3));
        INDArray x = TestData.gaussian(1, N, T, D);
        INDArray noise = layer.noise(N, T, new Random(2));
        INDArray Rh = TestData.gaussian(3, N, T, H);
        INDArray Rx = TestData.gaussian(4, N, T, D);
        INDArray Rk = TestData.gaussian(5, N, T);
        VariationalRnn.Result result = layer.forward(x, noise);
        SequenceGradients g = layer.backward(Rh, Rx, Rk, result.cache());
        GradientCheck check = GradientCheck.create().wrt("x", x, g.dx());
        for (String name : layer.parameters().names()) {
            check.wrt(name, layer.parameters().get(name), g.parameters().get(name));
        }
        check.run(() -> {
            VariationalRnn.Result again = layer.forward(x, noise);
            return TestData.dot(again.hidden(), Rh) + TestData.dot(again.reconstructions(), Rx) + TestData.dot(again.kl(), Rk);
        }).requirePassed();
    }

    @Test
    void eachStepIsTheCellFedTheStateOfTheStepBefore() {
        VariationalRnnCell cell = new VariationalRnnCell(D, H, Z, DataType.DOUBLE, 4);
        VariationalRnn layer = new VariationalRnn(cell);
        INDArray x = TestData.gaussian(1, N, T, D);
        INDArray noise = layer.noise(N, T, new Random(2));
        VariationalRnn.Result result = layer.forward(x, noise);
        INDArray h = cell.zeroState(N);
        for (int t = 0; t < T; t++) {
            VariationalRnnCell.Result step = cell.forward(
                    x.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all()).dup(), h,
                    noise.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all()).dup());
            h = step.h();
            assertEquals(h, result.hidden().get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all()));
            assertEquals(step.kl().reshape(N), result.kl().get(NDArrayIndex.all(), NDArrayIndex.point(t)));
        }
    }

    @Test
    void generationIsReproducibleFromTheNoiseAndDiffersAcrossNoises() {
        VariationalRnn layer = new VariationalRnn(new VariationalRnnCell(D, H, Z, DataType.DOUBLE, 4));
        INDArray a = layer.generate(layer.noise(N, T, new Random(7)));
        INDArray b = layer.generate(layer.noise(N, T, new Random(7)));
        INDArray c = layer.generate(layer.noise(N, T, new Random(8)));
        assertEquals(a, b);
        assertTrue(!a.equalsWithEps(c, 1e-9));
    }

    @Test
    void noiseForAnotherLengthIsRefusedWithBothShapes() {
        VariationalRnn layer = new VariationalRnn(new VariationalRnnCell(D, H, Z, DataType.DOUBLE, 4));
        ShapeException e = assertThrows(ShapeException.class,
                () -> layer.forward(TestData.gaussian(1, N, T, D), layer.noise(N, T + 1, new Random(1))));
        assertEquals("VariationalRnn.forward: noise must have shape (N, T, Z) = (2, 3, 2), but has shape (2, 4, 2).", e.getMessage());
    }
}

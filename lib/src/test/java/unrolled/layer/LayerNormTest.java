package unrolled.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.tensor.ShapeException;

class LayerNormTest {

    private static final int N = 3;
    private static final int T = 4;
    private static final int D = 5;

    private static LayerNorm layerWithRandomGainAndShift(long seed) {
        LayerNorm layer = new LayerNorm(D, DataType.DOUBLE);
        layer.parameters().get("gamma").assign(TestData.gaussian(seed, 1, D));
        layer.parameters().get("beta").assign(TestData.gaussian(seed + 1, 1, D));
        return layer;
    }

    /** The equation for one vector, with plain Java loops. */
    private static double[] reference(double[] x, INDArray gamma, INDArray beta, double epsilon) {
        double mu = 0;
        for (double v : x) {
            mu += v / x.length;
        }
        double var = 0;
        for (double v : x) {
            var += (v - mu) * (v - mu) / x.length;
        }
        double[] y = new double[x.length];
        for (int d = 0; d < x.length; d++) {
            y[d] = gamma.getDouble(0, d) * (x[d] - mu) / Math.sqrt(var + epsilon) + beta.getDouble(0, d);
        }
        return y;
    }

    @Test
    void forwardOnMatricesMatchesTheEquationComputedElementByElement() {
        LayerNorm layer = layerWithRandomGainAndShift(9);
        INDArray x = TestData.gaussian(1, N, D).muli(3).addi(2);
        INDArray y = layer.forward(x).output();
        for (int n = 0; n < N; n++) {
            double[] expected = reference(x.getRow(n).toDoubleVector(), layer.parameters().get("gamma"),
                    layer.parameters().get("beta"), LayerNorm.DEFAULT_EPSILON);
            for (int d = 0; d < D; d++) {
                assertEquals(expected[d], y.getDouble(n, d), 1e-12);
            }
        }
    }

    @Test
    void forwardOnSequencesNormalisesEveryStepOnItsOwn() {
        LayerNorm layer = layerWithRandomGainAndShift(9);
        INDArray x = TestData.gaussian(1, N, T, D).muli(3).addi(2);
        INDArray y = layer.forward(x).output();
        assertEquals(3, y.rank());
        for (int n = 0; n < N; n++) {
            for (int t = 0; t < T; t++) {
                double[] vector = new double[D];
                for (int d = 0; d < D; d++) {
                    vector[d] = x.getDouble(n, t, d);
                }
                double[] expected = reference(vector, layer.parameters().get("gamma"), layer.parameters().get("beta"),
                        LayerNorm.DEFAULT_EPSILON);
                for (int d = 0; d < D; d++) {
                    assertEquals(expected[d], y.getDouble(n, t, d), 1e-12);
                }
            }
        }
    }

    @Test
    void atInitialisationEachOutputVectorHasMeanZeroAndVarianceOne() {
        LayerNorm layer = new LayerNorm(D, DataType.DOUBLE);
        INDArray y = layer.forward(TestData.gaussian(1, N, D).muli(10).addi(-4)).output();
        for (int n = 0; n < N; n++) {
            double[] row = y.getRow(n).toDoubleVector();
            double mean = 0;
            double var = 0;
            for (double v : row) {
                mean += v / D;
            }
            for (double v : row) {
                var += (v - mean) * (v - mean) / D;
            }
            assertEquals(0.0, mean, 1e-12);
            assertEquals(1.0, var, 1e-5, "σ²/(σ² + ε) is slightly below 1");
        }
    }

    @Test
    void aConstantVectorGivesTheShiftInsteadOfDividingByZero() {
        LayerNorm layer = layerWithRandomGainAndShift(9);
        INDArray y = layer.forward(Nd4j.ones(DataType.DOUBLE, 1, D).muli(7)).output();
        assertEquals(layer.parameters().get("beta"), y);
    }

    @Test
    void backwardOnMatricesMatchesFiniteDifferences() {
        LayerNorm layer = layerWithRandomGainAndShift(11);
        INDArray x = TestData.gaussian(3, N, D);
        INDArray R = TestData.gaussian(6, N, D);
        LayerGradients g = layer.backward(R, layer.forward(x).cache());
        GradientCheck.create()
                .wrt("x", x, g.dx())
                .wrt("gamma", layer.parameters().get("gamma"), g.parameters().get("gamma"))
                .wrt("beta", layer.parameters().get("beta"), g.parameters().get("beta"))
                .run(() -> TestData.dot(layer.forward(x).output(), R))
                .requirePassed();
    }

    @Test
    void backwardOnSequencesMatchesFiniteDifferences() {
        LayerNorm layer = layerWithRandomGainAndShift(12);
        INDArray x = TestData.gaussian(4, N, T, D);
        INDArray R = TestData.gaussian(7, N, T, D);
        LayerGradients g = layer.backward(R, layer.forward(x).cache());
        assertEquals(3, g.dx().rank());
        GradientCheck.create()
                .wrt("x", x, g.dx())
                .wrt("gamma", layer.parameters().get("gamma"), g.parameters().get("gamma"))
                .wrt("beta", layer.parameters().get("beta"), g.parameters().get("beta"))
                .run(() -> TestData.dot(layer.forward(x).output(), R))
                .requirePassed();
    }

    @Test
    void theInputGradientOfEachVectorSumsToZero() {
        // Shifting x by a constant does not change x̂, so ∂L/∂x is orthogonal to (1, …, 1).
        LayerNorm layer = layerWithRandomGainAndShift(13);
        LayerGradients g = layer.backward(TestData.gaussian(2, N, D), layer.forward(TestData.gaussian(1, N, D)).cache());
        for (int n = 0; n < N; n++) {
            assertEquals(0.0, g.dx().getRow(n).sumNumber().doubleValue(), 1e-12);
        }
    }

    @Test
    void forwardAndBackwardLeaveTheirInputsUnchanged() {
        LayerNorm layer = layerWithRandomGainAndShift(1);
        INDArray x = TestData.gaussian(1, N, T, D);
        INDArray dy = TestData.gaussian(2, N, T, D);
        INDArray x0 = x.dup();
        INDArray dy0 = dy.dup();
        LayerNorm.Result result = layer.forward(x);
        INDArray xHat0 = result.cache().xHat().dup();
        INDArray s0 = result.cache().inverseStd().dup();
        layer.backward(dy, result.cache());
        assertEquals(x0, x);
        assertEquals(dy0, dy);
        assertEquals(xHat0, result.cache().xHat());
        assertEquals(s0, result.cache().inverseStd());
    }

    @Test
    void floatLayerComputesInFloatAndAgreesWithDouble() {
        LayerNorm single = new LayerNorm(D, DataType.FLOAT);
        LayerNorm twin = new LayerNorm(D, DataType.DOUBLE);
        INDArray x = TestData.gaussian(1, N, T, D);
        INDArray y = single.forward(x.castTo(DataType.FLOAT)).output();
        assertEquals(DataType.FLOAT, y.dataType());
        double difference = y.castTo(DataType.DOUBLE).sub(twin.forward(x).output()).amaxNumber().doubleValue();
        assertTrue(difference < 1e-5, "FLOAT and DOUBLE differ by " + difference);
    }

    @Test
    void aWrongFeatureSizeIsRefusedWithBothShapes() {
        LayerNorm layer = new LayerNorm(D, DataType.DOUBLE);
        ShapeException e = assertThrows(ShapeException.class, () -> layer.forward(TestData.gaussian(1, N, T, D + 1)));
        assertEquals("LayerNorm.forward: x must have shape (N, T, D) = (?, ?, 5), but has shape (3, 4, 6).", e.getMessage());
        ShapeException matrix = assertThrows(ShapeException.class, () -> layer.forward(TestData.gaussian(1, N, D + 1)));
        assertEquals("LayerNorm.forward: x must have shape (N, D) = (?, 5), but has shape (3, 6).", matrix.getMessage());
    }

    @Test
    void aWrongGradientShapeIsRefusedWithBothShapes() {
        LayerNorm layer = new LayerNorm(D, DataType.DOUBLE);
        LayerNorm.Result result = layer.forward(TestData.gaussian(1, N, T, D));
        ShapeException e = assertThrows(ShapeException.class,
                () -> layer.backward(TestData.gaussian(2, N, D), result.cache()));
        assertEquals("LayerNorm.backward: dy must have shape (N, T, D) = (3, 4, 5), but has shape (3, 5).", e.getMessage());
    }

    @Test
    void aNonPositiveEpsilonIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LayerNorm(D, 0.0, DataType.DOUBLE));
        assertEquals("LayerNorm: epsilon must be positive and finite, but is 0.0.", e.getMessage());
    }
}

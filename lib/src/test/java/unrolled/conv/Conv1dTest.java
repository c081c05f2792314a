package unrolled.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.layer.LayerGradients;
import unrolled.tensor.ShapeException;

class Conv1dTest {

    private static final int N = 2;
    private static final int T = 7;
    private static final int D = 3;
    private static final int F = 4;

    private static Conv1d layer(int kernel, int dilation, Padding padding) {
        Conv1d conv = new Conv1d(D, F, kernel, dilation, padding, DataType.DOUBLE, 5);
        conv.parameters().get("b").assign(TestData.gaussian(9, 1, F));
        return conv;
    }

    /** The definition with loops: y[n, t, f] = b_f + Σ_k Σ_d x[n, t + kδ − left, d]·W[k, d, f], zero outside x. */
    private static double reference(Conv1d conv, INDArray x, int n, int t, int f) {
        INDArray W = conv.parameters().get("W");
        double sum = conv.parameters().get("b").getDouble(0, f);
        for (int k = 0; k < conv.kernelSize(); k++) {
            int s = t + k * conv.dilation() - conv.paddingBefore();
            if (s < 0 || s >= x.size(1)) {
                continue;
            }
            for (int d = 0; d < D; d++) {
                sum += x.getDouble(n, s, d) * W.getDouble(k, d, f);
            }
        }
        return sum;
    }

    @ParameterizedTest(name = "K={0}, δ={1}, {2}")
    @CsvSource({"3, 1, VALID", "3, 2, VALID", "3, 1, SAME", "2, 3, SAME", "4, 1, SAME", "3, 2, CAUSAL", "1, 1, CAUSAL"})
    void forwardMatchesTheDefinitionComputedWithLoops(int kernel, int dilation, Padding padding) {
        Conv1d conv = layer(kernel, dilation, padding);
        INDArray x = TestData.gaussian(1, N, T, D);
        INDArray y = conv.forward(x).output();
        long expectedLength = padding == Padding.VALID ? T - dilation * (kernel - 1) : T;
        assertEquals(expectedLength, y.size(1));
        for (int n = 0; n < N; n++) {
            for (int t = 0; t < y.size(1); t++) {
                for (int f = 0; f < F; f++) {
                    assertEquals(reference(conv, x, n, t, f), y.getDouble(n, t, f), 1e-12);
                }
            }
        }
    }

    @ParameterizedTest(name = "K={0}, δ={1}, {2}")
    @CsvSource({"3, 1, VALID", "3, 2, VALID", "3, 1, SAME", "2, 3, SAME", "4, 2, SAME", "3, 2, CAUSAL", "2, 1, CAUSAL"})
    void backwardMatchesFiniteDifferencesForTheInputAndEveryParameter(int kernel, int dilation, Padding padding) {
        Conv1d conv = layer(kernel, dilation, padding);
        INDArray x = TestData.gaussian(2, N, T, D);
        Conv1d.Result result = conv.forward(x);
        INDArray R = TestData.gaussian(3, result.output().shape());
        LayerGradients g = conv.backward(R, result.cache());
        GradientCheck.create()
                .wrt("x", x, g.dx())
                .wrt("W", conv.parameters().get("W"), g.parameters().get("W"))
                .wrt("b", conv.parameters().get("b"), g.parameters().get("b"))
                .run(() -> TestData.dot(conv.forward(x).output(), R))
                .requirePassed();
    }

    @Test
    void aCausalOutputDoesNotChangeWhenFutureInputsChange() {
        Conv1d conv = layer(3, 2, Padding.CAUSAL);
        INDArray x = TestData.gaussian(4, N, T, D);
        INDArray before = conv.forward(x).output();
        int changedFrom = 4;
        INDArray changed = x.dup();
        for (int t = changedFrom; t < T; t++) {
            for (int d = 0; d < D; d++) {
                changed.putScalar(new long[] {0, t, d}, 100.0 + t);
                changed.putScalar(new long[] {1, t, d}, -50.0);
            }
        }
        INDArray after = conv.forward(changed).output();
        for (int n = 0; n < N; n++) {
            for (int t = 0; t < T; t++) {
                for (int f = 0; f < F; f++) {
                    if (t < changedFrom) {
                        assertEquals(before.getDouble(n, t, f), after.getDouble(n, t, f), 0.0, "y at t = " + t);
                    }
                }
            }
            // and the steps from then on do see the change
            assertTrue(Math.abs(before.getDouble(n, changedFrom, 0) - after.getDouble(n, changedFrom, 0)) > 1e-6);
        }
    }

    @Test
    void aSameOutputDoesSeeTheNextInput() {
        Conv1d conv = layer(3, 1, Padding.SAME);
        INDArray x = TestData.gaussian(4, 1, T, D);
        INDArray changed = x.dup();
        changed.putScalar(new long[] {0, 3, 0}, 10.0);
        double before = conv.forward(x).output().getDouble(0, 2, 0);
        double after = conv.forward(changed).output().getDouble(0, 2, 0);
        assertTrue(Math.abs(before - after) > 1e-6, "with SAME padding y_2 reads x_3");
    }

    @Test
    void theReceptiveFieldAndPaddingFollowFromKernelSizeAndDilation() {
        Conv1d causal = layer(3, 4, Padding.CAUSAL);
        assertEquals(9, causal.receptiveField());
        assertEquals(8, causal.paddingBefore());
        assertEquals(0, causal.paddingAfter());
        Conv1d same = layer(4, 1, Padding.SAME);
        assertEquals(1, same.paddingBefore());
        assertEquals(2, same.paddingAfter());
        assertEquals(10, same.outputLength(10));
        assertEquals(5, layer(3, 2, Padding.VALID).outputLength(9));
    }

    @Test
    void theLayerHasKTimesDTimesFWeightsPlusFBiases() {
        assertEquals(5L * D * F + F, new Conv1d(D, F, 5, Padding.SAME, DataType.DOUBLE, 1).parameters().count());
    }

    @Test
    void floatLayerComputesInFloatAndAgreesWithDouble() {
        Conv1d single = new Conv1d(D, F, 3, 2, Padding.CAUSAL, DataType.FLOAT, 7);
        Conv1d twin = new Conv1d(D, F, 3, 2, Padding.CAUSAL, DataType.DOUBLE, 7);
        INDArray x = TestData.gaussian(1, N, T, D);
        INDArray y = single.forward(x.castTo(DataType.FLOAT)).output();
        assertEquals(DataType.FLOAT, y.dataType());
        double difference = y.castTo(DataType.DOUBLE).sub(twin.forward(x).output()).amaxNumber().doubleValue();
        assertTrue(difference < 1e-5, "FLOAT and DOUBLE differ by " + difference);
    }

    @Test
    void forwardAndBackwardLeaveTheirInputsUnchanged() {
        Conv1d conv = layer(3, 1, Padding.SAME);
        INDArray x = TestData.gaussian(1, N, T, D);
        INDArray dy = TestData.gaussian(2, N, T, F);
        INDArray x0 = x.dup();
        INDArray dy0 = dy.dup();
        conv.backward(dy, conv.forward(x).cache());
        assertEquals(x0, x);
        assertEquals(dy0, dy);
    }

    @Test
    void aWrongFeatureSizeIsRefusedWithBothShapes() {
        Conv1d conv = layer(3, 1, Padding.SAME);
        ShapeException e = assertThrows(ShapeException.class, () -> conv.forward(TestData.gaussian(1, N, T, D + 1)));
        assertEquals("Conv1d.forward: x must have shape (N, T, D) = (?, ?, 3), but has shape (2, 7, 4).", e.getMessage());
    }

    @Test
    void aWrongGradientShapeIsRefusedWithBothShapes() {
        Conv1d conv = layer(3, 1, Padding.VALID);
        Conv1d.Result result = conv.forward(TestData.gaussian(1, N, T, D));
        ShapeException e = assertThrows(ShapeException.class,
                () -> conv.backward(TestData.gaussian(2, N, T, F), result.cache()));
        assertEquals("Conv1d.backward: dy must have shape (N, T', F) = (2, 5, 4), but has shape (2, 7, 4).", e.getMessage());
    }

    @Test
    void aSequenceShorterThanTheReceptiveFieldIsRefusedForValidPadding() {
        Conv1d conv = layer(3, 2, Padding.VALID);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> conv.forward(TestData.gaussian(1, N, 4, D)));
        assertEquals("Conv1d.forward: x has T = 4 steps, but a VALID convolution with receptive field 5 needs at least 5.",
                e.getMessage());
    }

    @Test
    void aNonPositiveDilationIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Conv1d(D, F, 3, 0, Padding.SAME, DataType.DOUBLE, 1));
        assertEquals("Conv1d: dilation must be positive, but is 0.", e.getMessage());
    }
}

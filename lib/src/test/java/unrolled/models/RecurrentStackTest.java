package unrolled.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static unrolled.recurrent.Close.assertClose;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.recurrent.Close;
import unrolled.data.SequenceMask;
import unrolled.tensor.ShapeException;

class RecurrentStackTest {

    private static final int N = 2;
    private static final int T = 4;
    private static final int D = 3;
    private static final int H = 4;

    private static ModelConfiguration configuration(CellType cell, boolean bidirectional, int layers, double dropout) {
        return ModelConfiguration.ofFeatures(D, H, 1).withCell(cell).withBidirectional(bidirectional).withLayers(layers)
                .withDropout(dropout).withSeed(51);
    }

    @Test
    void parametersAreNamedByLayerAndDirection() {
        assertEquals(List.of("layer0.Wx", "layer0.Wh", "layer0.b", "layer1.Wx", "layer1.Wh", "layer1.b"),
                List.copyOf(new RecurrentStack(configuration(CellType.RNN, false, 2, 0)).parameters().names()));
        assertEquals(List.of("layer0.forward.Wx", "layer0.forward.Wh", "layer0.forward.b", "layer0.backward.Wx",
                "layer0.backward.Wh", "layer0.backward.b"),
                List.copyOf(new RecurrentStack(configuration(CellType.LSTM, true, 1, 0)).parameters().names()));
    }

    @ParameterizedTest
    @CsvSource({"RNN, false, 1", "LSTM, false, 3", "GRU, false, 2", "LSTM, true, 2"})
    void inferSummaryIsTheEvaluationForwardsSummaryAndLeavesTheInputsReadable(CellType cell, boolean bidirectional,
            int layers) {
        // dropout between layers: evaluation mode must not apply it, as forward(…, false) does not
        RecurrentStack stack = new RecurrentStack(configuration(cell, bidirectional, layers, 0.5));
        INDArray x = TestData.gaussian(2, N, T, D);
        SequenceMask mask = SequenceMask.ofLengths(new int[] {4, 2}, T);
        INDArray expected = stack.forward(x, null, mask, false).summary();
        // twice: the second call reuses what the first gave back, and must still read only its own arrays
        for (int call = 0; call < 2; call++) {
            assertClose(expected, stack.inferSummary(x, mask), 1e-12, "summary, call " + call);
        }
        assertEquals(TestData.gaussian(2, N, T, D), x);
        assertThrows(ShapeException.class, () -> stack.inferSummary(TestData.gaussian(2, N, T, D + 1), mask));
    }

    @ParameterizedTest
    @CsvSource({"RNN, false", "LSTM, false", "GRU, true", "LSTM, true"})
    void theSummaryIsTheStateAtEachSequencesTrueLastStep(CellType cell, boolean bidirectional) {
        RecurrentStack stack = new RecurrentStack(configuration(cell, bidirectional, 2, 0));
        int[] lengths = {4, 2};
        RecurrentStack.Result result = stack.forward(TestData.gaussian(1, N, T, D), null, SequenceMask.ofLengths(lengths, T),
                false);
        for (int n = 0; n < N; n++) {
            // forward direction: the output at the true last step;  backward direction: the output at step 0
            INDArray last = result.outputs().get(NDArrayIndex.point(n), NDArrayIndex.point(lengths[n] - 1),
                    NDArrayIndex.interval(0, H));
            assertClose(last, result.summary().get(NDArrayIndex.point(n), NDArrayIndex.interval(0, H)), 0, "→h of " + n);
            if (bidirectional) {
                INDArray first = result.outputs().get(NDArrayIndex.point(n), NDArrayIndex.point(0),
                        NDArrayIndex.interval(H, 2 * H));
                assertClose(first, result.summary().get(NDArrayIndex.point(n), NDArrayIndex.interval(H, 2 * H)), 0,
                        "←h of " + n);
            }
        }
        assertEquals(bidirectional ? 2 * H : H, result.summary().size(1));
    }

    @ParameterizedTest
    @CsvSource({"LSTM, false", "RNN, true"})
    void backwardMatchesFiniteDifferencesForTheInputsAndEveryParameter(CellType cell, boolean bidirectional) {
        // two layers with dropout between them, a padded batch, a loss on every output and on the summary
        ModelConfiguration configuration = configuration(cell, bidirectional, 2, 0.3);
        RecurrentStack stack = new RecurrentStack(configuration);
        SequenceMask mask = SequenceMask.ofLengths(new int[] {4, 3}, T);
        INDArray x = TestData.gaussian(2, N, T, D);
        int width = stack.outputSize();
        INDArray R = TestData.gaussian(3, N, T, width);
        INDArray S = TestData.gaussian(4, N, width);
        RecurrentStack.Result result = stack.forward(x, null, mask, true);
        RecurrentStack.Backward g = stack.backward(R, S, result.cache());
        g.parameters().requireMatches("test", stack.parameters());
        assertTrue(g.parameters().globalNorm() > 0.1 && g.dx().norm2Number().doubleValue() > 0.1);

        GradientCheck check = GradientCheck.create().sample(4, 5).wrt("x", x, g.dx());
        for (Map.Entry<String, INDArray> entry : stack.parameters()) {
            check.wrt(entry.getKey(), entry.getValue(), g.parameters().get(entry.getKey()));
        }
        Close.requirePassed("RecurrentStack " + cell + (bidirectional ? " bidirectional" : "") + ", 2 layers, dropout 0.3",
                check.run(() -> {
                    // a fresh stack draws the same dropout masks; it gets the perturbed weights
                    RecurrentStack twin = new RecurrentStack(configuration);
                    twin.parameters().assign(stack.parameters());
                    RecurrentStack.Result r = twin.forward(x, null, mask, true);
                    return TestData.dot(r.outputs(), R) + TestData.dot(r.summary(), S);
                }));
    }

    @Test
    void badShapesAreRefusedWithTheExpectedMessage() {
        RecurrentStack stack = new RecurrentStack(configuration(CellType.GRU, true, 1, 0));
        ShapeException e = assertThrows(ShapeException.class,
                () -> stack.forward(TestData.gaussian(1, N, T, 5), null, null, false));
        assertEquals("RecurrentStack.forward: x must have shape (N, T, D) = (?, ?, 3), but has shape (2, 4, 5).", e.getMessage());
        RecurrentStack.Result result = stack.forward(TestData.gaussian(1, N, T, D), null, null, false);
        e = assertThrows(ShapeException.class, () -> stack.backward(null, TestData.gaussian(2, N, H), result.cache()));
        assertEquals("RecurrentStack.backward: dSummary must have shape (N, 2H) = (2, 8), but has shape (2, 4).",
                e.getMessage());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> stack.forward(TestData.gaussian(1, N, T, D), List.of(), null, false));
        assertEquals("RecurrentStack.forward: initial must be null for a bidirectional body, whose backward direction starts "
                + "at the end of each sequence.", refused.getMessage());
    }
}

package unrolled.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static unrolled.recurrent.Close.assertClose;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.TestData;
import unrolled.cell.RnnCell;
import unrolled.cell.State;
import unrolled.check.GradientCheck;
import unrolled.data.SequenceMask;
import unrolled.layer.Dropout;
import unrolled.tensor.ShapeException;

class StackedRecurrentTest {

    private static final int N = 2;
    private static final int T = 4;
    private static final int D = 3;
    private static final int H = 4;

    /** Three layers D → 4 → 5 → 4, built from seeds so that two calls give identical weights. */
    private static List<RecurrentLayer<MemoryCell.Cache>> layers(long seed) {
        return List.of(
                new RecurrentLayer<>(new MemoryCell(D, H, DataType.DOUBLE, seed)),
                new RecurrentLayer<>(new MemoryCell(H, 5, DataType.DOUBLE, seed + 10)),
                new RecurrentLayer<>(new MemoryCell(5, H, DataType.DOUBLE, seed + 20)));
    }

    @Test
    void parametersAreNamedByLayer() {
        StackedRecurrent<RnnCell.Cache> stacked = new StackedRecurrent<>(List.of(
                new RecurrentLayer<>(new RnnCell(D, H, RnnCell.Activation.TANH, DataType.DOUBLE, 1)),
                new RecurrentLayer<>(new RnnCell(H, H, RnnCell.Activation.TANH, DataType.DOUBLE, 2), InitialState.LEARNED)), null);
        assertEquals(List.of("layer0.Wx", "layer0.Wh", "layer0.b", "layer1.Wx", "layer1.Wh", "layer1.b", "layer1.h0"),
                List.copyOf(stacked.parameters().names()));
    }

    @Test
    void forwardEqualsTheLayersRunOneAfterAnotherWithDropoutBetween() {
        INDArray x = TestData.gaussian(1, N, T, D);
        SequenceMask mask = SequenceMask.ofLengths(new int[] {4, 3}, T);
        StackedRecurrent<MemoryCell.Cache> stacked = new StackedRecurrent<>(layers(1),
                new Dropout(0.3, Dropout.Mode.VARIATIONAL, 2));
        var result = stacked.forward(x, mask, true);

        List<RecurrentLayer<MemoryCell.Cache>> reference = layers(1);
        Dropout dropout = new Dropout(0.3, Dropout.Mode.VARIATIONAL, 2);
        INDArray y = x;
        for (int l = 0; l < 3; l++) {
            var r = reference.get(l).forward(y, mask);
            assertClose(r.finalState().h(), result.finalStates().get(l).h(), 0, "final h of layer " + l);
            assertClose(r.finalState().c(), result.finalStates().get(l).c(), 0, "final c of layer " + l);
            y = l < 2 ? dropout.forward(r.outputs(), true).output() : r.outputs();
        }
        assertClose(y, result.outputs(), 0, "outputs");

        // in evaluation there is no dropout
        INDArray z = x;
        for (RecurrentLayer<MemoryCell.Cache> layer : reference) {
            z = layer.forward(z, mask).outputs();
        }
        assertClose(z, stacked.forward(x, mask, false).outputs(), 0, "evaluation outputs");
    }

    @ParameterizedTest
    @EnumSource(Dropout.Mode.class)
    void backwardMatchesFiniteDifferencesWithDropoutAndPadding(Dropout.Mode mode) {
        // two layers D → 3 → H (more layers or units would only make the check slower, not stricter)
        List<RecurrentLayer<MemoryCell.Cache>> layers = List.of(
                new RecurrentLayer<>(new MemoryCell(D, 3, DataType.DOUBLE, 3)),
                new RecurrentLayer<>(new MemoryCell(3, H, DataType.DOUBLE, 4)));
        SequenceMask mask = SequenceMask.ofLengths(new int[] {4, 2}, T);
        INDArray x = TestData.gaussian(4, N, T, D);
        List<State> initial = List.of(
                new State(TestData.gaussian(7, N, 3), TestData.gaussian(8, N, 3)),
                new State(TestData.gaussian(9, N, H), TestData.gaussian(10, N, H)));
        List<State> dFinal = List.of(
                new State(TestData.gaussian(13, N, 3), null),
                new State(TestData.gaussian(14, N, H), TestData.gaussian(15, N, H)));
        INDArray R = TestData.gaussian(16, N, T, H);
        // the same dropout masks in every evaluation of the loss: a fresh Dropout with the same seed each time
        StackedRecurrent<MemoryCell.Cache> stacked = new StackedRecurrent<>(layers, new Dropout(0.4, mode, 17));
        var result = stacked.forward(x, initial, mask, true);
        StackedRecurrent.BackwardResult g = stacked.backward(R, dFinal, result.cache());
        g.parameters().requireMatches("test", stacked.parameters());
        assertTrue(g.parameters().globalNorm() > 0.1 && g.dx().norm2Number().doubleValue() > 0.1,
                "the check must compare gradients that are far from zero");

        GradientCheck check = GradientCheck.create().wrt("x", x, g.dx());
        for (int l = 0; l < 2; l++) {
            check.wrt("h" + l + " (initial)", initial.get(l).h(), g.dInitial().get(l).h());
            check.wrt("c" + l + " (initial)", initial.get(l).c(), g.dInitial().get(l).c());
        }
        for (var entry : stacked.parameters()) {
            check.wrt(entry.getKey(), entry.getValue(), g.parameters().get(entry.getKey()));
        }
        Close.requirePassed("StackedRecurrent 2 layers, " + mode + " dropout, padding", check.run(() -> {
            var r = new StackedRecurrent<>(layers, new Dropout(0.4, mode, 17)).forward(x, initial, mask, true);
            double loss = TestData.dot(r.outputs(), R);
            for (int l = 0; l < 2; l++) {
                loss += TestData.dot(r.finalStates().get(l).h(), dFinal.get(l).h());
                if (dFinal.get(l).c() != null) {
                    loss += TestData.dot(r.finalStates().get(l).c(), dFinal.get(l).c());
                }
            }
            return loss;
        }));
    }

    @Test
    void theSameSeedsGiveTheSameNumbers() {
        INDArray x = TestData.gaussian(18, N, T, D);
        var a = new StackedRecurrent<>(layers(5), new Dropout(0.5, Dropout.Mode.STANDARD, 6)).forward(x, null, true);
        var b = new StackedRecurrent<>(layers(5), new Dropout(0.5, Dropout.Mode.STANDARD, 6)).forward(x, null, true);
        assertClose(a.outputs(), b.outputs(), 0, "outputs");
        var c = new StackedRecurrent<>(layers(5), new Dropout(0.5, Dropout.Mode.STANDARD, 7)).forward(x, null, true);
        assertTrue(a.outputs().sub(c.outputs()).norm2Number().doubleValue() > 1e-3, "another dropout seed, other numbers");
    }

    @Test
    void carriedLayersAreResetTogether() {
        StackedRecurrent<RnnCell.Cache> stacked = new StackedRecurrent<>(List.of(
                new RecurrentLayer<>(new RnnCell(D, H, RnnCell.Activation.TANH, DataType.DOUBLE, 1), InitialState.CARRIED),
                new RecurrentLayer<>(new RnnCell(H, H, RnnCell.Activation.TANH, DataType.DOUBLE, 2), InitialState.CARRIED)), null);
        INDArray x = TestData.gaussian(19, N, T, D);
        INDArray fresh = stacked.forward(x, null, false).outputs();
        INDArray continued = stacked.forward(x, null, false).outputs();
        assertTrue(fresh.sub(continued).norm2Number().doubleValue() > 1e-6, "the second batch continues the first");
        stacked.reset();
        assertClose(fresh, stacked.forward(x, null, false).outputs(), 0, "after reset");
    }

    @Test
    void mismatchedLayersAndShapesAreRefused() {
        List<RecurrentLayer<RnnCell.Cache>> mismatched = new ArrayList<>();
        mismatched.add(new RecurrentLayer<>(new RnnCell(D, H, RnnCell.Activation.TANH, DataType.DOUBLE, 1)));
        mismatched.add(new RecurrentLayer<>(new RnnCell(3, H, RnnCell.Activation.TANH, DataType.DOUBLE, 2)));
        IllegalArgumentException sizes = assertThrows(IllegalArgumentException.class, () -> new StackedRecurrent<>(mismatched, null));
        assertEquals("StackedRecurrent: layer 1 must read inputs of size D = 4 (layer 0's hidden size H), but reads D = 3.",
                sizes.getMessage());
        RnnCell cell = new RnnCell(H, H, RnnCell.Activation.TANH, DataType.DOUBLE, 1);
        IllegalArgumentException shared = assertThrows(IllegalArgumentException.class,
                () -> new StackedRecurrent<>(List.of(new RecurrentLayer<>(cell), new RecurrentLayer<>(cell)), null));
        assertEquals("StackedRecurrent: layers 0 and 1 share one cell; each layer needs its own weights.", shared.getMessage());
        StackedRecurrent<MemoryCell.Cache> stacked = new StackedRecurrent<>(layers(1), null);
        var cache = stacked.forward(TestData.gaussian(1, N, T, D), null, false).cache();
        ShapeException dOut = assertThrows(ShapeException.class,
                () -> stacked.backward(Nd4j.zeros(DataType.DOUBLE, N, T, 5), null, cache));
        assertEquals("StackedRecurrent.backward: dOutputs must have shape (N, T, H) = (2, 4, 4), but has shape (2, 4, 5).",
                dOut.getMessage());
        ShapeException timeMajor = assertThrows(ShapeException.class,
                () -> stacked.forward(TestData.gaussian(1, T, N, D), SequenceMask.ofLengths(new int[] {4, 4}, T), false));
        assertTrue(timeMajor.getMessage().startsWith("StackedRecurrent.forward: mask must have shape (N, T) = (4, 2), "
                + "but has shape (2, 4). If x is time-major"), timeMajor.getMessage());
    }
}

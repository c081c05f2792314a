package unrolled.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static unrolled.recurrent.Close.assertClose;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.TestData;
import unrolled.cell.RnnCell;
import unrolled.cell.State;
import unrolled.check.GradientCheck;
import unrolled.data.SequenceMask;
import unrolled.tensor.ShapeException;

class BidirectionalTest {

    private static final int T = 4;
    private static final int D = 3;
    private static final int H = 4;

    private static RecurrentLayer<RnnCell.Cache> layer(long seed, InitialState initialState) {
        return new RecurrentLayer<>(RecurrentLayerTest.rnn(RnnCell.Activation.TANH, seed), initialState);
    }

    @ParameterizedTest
    @EnumSource(Bidirectional.Merge.class)
    void equalsAForwardLayerPlusAReversedOneRunByHandAlsoWithPadding(Bidirectional.Merge merge) {
        int[] lengths = {4, 2, 3};
        SequenceMask mask = SequenceMask.ofLengths(lengths, T);
        INDArray x = TestData.gaussian(1, 3, T, D);
        Bidirectional<RnnCell.Cache> bi = new Bidirectional<>(layer(1, InitialState.ZEROS), layer(2, InitialState.ZEROS), merge);
        var result = bi.forward(x, mask);
        int width = merge == Bidirectional.Merge.CONCAT ? 2 * H : H;
        assertEquals(width, bi.outputSize());

        // the reference: each sequence alone, unpadded; the backward direction on a copy reversed by hand
        RecurrentLayer<RnnCell.Cache> forward = layer(1, InitialState.ZEROS);
        RecurrentLayer<RnnCell.Cache> backward = layer(2, InitialState.ZEROS);
        for (int n = 0; n < lengths.length; n++) {
            int L = lengths[n];
            INDArray xn = x.get(NDArrayIndex.interval(n, n + 1), NDArrayIndex.interval(0, L), NDArrayIndex.all()).dup();
            INDArray reversed = Nd4j.zeros(DataType.DOUBLE, 1, L, D);
            for (int t = 0; t < L; t++) {
                for (int d = 0; d < D; d++) {
                    reversed.putScalar(new long[] {0, t, d}, xn.getDouble(0, L - 1 - t, d));
                }
            }
            var f = forward.forward(xn);
            var b = backward.forward(reversed);
            for (int t = 0; t < T; t++) {
                for (int j = 0; j < H; j++) {
                    double yf = t < L ? f.outputs().getDouble(0, t, j) : 0;
                    double yb = t < L ? b.outputs().getDouble(0, L - 1 - t, j) : 0;
                    if (merge == Bidirectional.Merge.CONCAT) {
                        assertEquals(yf, result.outputs().getDouble(n, t, j), 1e-14, "→h n=" + n + " t=" + t);
                        assertEquals(yb, result.outputs().getDouble(n, t, H + j), 1e-14, "←h n=" + n + " t=" + t);
                    } else {
                        assertEquals(yf + yb, result.outputs().getDouble(n, t, j), 1e-14, "→h + ←h n=" + n + " t=" + t);
                    }
                }
            }
            for (int j = 0; j < H; j++) {
                assertEquals(f.finalState().h().getDouble(0, j), result.forwardFinal().h().getDouble(n, j), 1e-14);
                assertEquals(b.finalState().h().getDouble(0, j), result.backwardFinal().h().getDouble(n, j), 1e-14);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Bidirectional.Merge.class)
    void backwardMatchesFiniteDifferencesWithPadding(Bidirectional.Merge merge) {
        Bidirectional<RnnCell.Cache> bi = new Bidirectional<>(layer(3, InitialState.ZEROS), layer(4, InitialState.LEARNED), merge);
        bi.parameters().get("backward.h0").assign(TestData.gaussian(5, 1, H));
        SequenceMask mask = SequenceMask.ofLengths(new int[] {4, 2}, T);
        INDArray x = TestData.gaussian(6, 2, T, D);
        INDArray R = TestData.gaussian(7, 2, T, bi.outputSize());
        INDArray Rf = TestData.gaussian(8, 2, H);
        INDArray Rb = TestData.gaussian(9, 2, H);
        var result = bi.forward(x, mask);
        Bidirectional.BackwardResult g = bi.backward(R, State.of(Rf), State.of(Rb), result.cache());
        g.parameters().requireMatches("test", bi.parameters());
        GradientCheck check = GradientCheck.create().wrt("x", x, g.dx());
        for (var entry : bi.parameters()) {
            check.wrt(entry.getKey(), entry.getValue(), g.parameters().get(entry.getKey()));
        }
        Close.requirePassed("Bidirectional " + merge + " with padding", check.run(() -> {
            var r = bi.forward(x, mask);
            return TestData.dot(r.outputs(), R) + TestData.dot(r.forwardFinal().h(), Rf)
                    + TestData.dot(r.backwardFinal().h(), Rb);
        }));
        for (int t = 2; t < T; t++) {
            for (int d = 0; d < D; d++) {
                assertEquals(0.0, g.dx().getDouble(1, t, d), 0.0, "no gradient into padding");
            }
        }
    }

    @Test
    void parametersAreNamedByDirection() {
        Bidirectional<RnnCell.Cache> bi = new Bidirectional<>(layer(1, InitialState.LEARNED), layer(2, InitialState.ZEROS),
                Bidirectional.Merge.CONCAT);
        assertEquals(List.of("forward.Wx", "forward.Wh", "forward.b", "forward.h0", "backward.Wx", "backward.Wh", "backward.b"),
                List.copyOf(bi.parameters().names()));
    }

    @Test
    void badConfigurationsAndShapesAreRefused() {
        IllegalArgumentException carried = assertThrows(IllegalArgumentException.class,
                () -> new Bidirectional<>(layer(1, InitialState.CARRIED), layer(2, InitialState.ZEROS), Bidirectional.Merge.SUM));
        assertEquals("Bidirectional: a bidirectional layer is stateless (its backward direction starts at the end of each "
                + "sequence), so it cannot carry state between batches; use InitialState.ZEROS or LEARNED, not CARRIED.",
                carried.getMessage());
        RecurrentLayer<RnnCell.Cache> one = layer(1, InitialState.ZEROS);
        IllegalArgumentException shared = assertThrows(IllegalArgumentException.class,
                () -> new Bidirectional<>(one, one, Bidirectional.Merge.CONCAT));
        assertEquals("Bidirectional: forwardLayer and backwardLayer must have two different cells: each direction has its own "
                + "weights.", shared.getMessage());
        RecurrentLayer<RnnCell.Cache> wide = new RecurrentLayer<>(new RnnCell(D, H + 1, RnnCell.Activation.TANH, DataType.DOUBLE, 1));
        IllegalArgumentException sum = assertThrows(IllegalArgumentException.class,
                () -> new Bidirectional<>(layer(1, InitialState.ZEROS), wide, Bidirectional.Merge.SUM));
        assertEquals("Bidirectional: SUM needs equal hidden sizes, but the forward layer has H = 4 and the backward layer H = 5; "
                + "use CONCAT.", sum.getMessage());
        Bidirectional<RnnCell.Cache> bi = new Bidirectional<>(layer(1, InitialState.ZEROS), wide, Bidirectional.Merge.CONCAT);
        var cache = bi.forward(TestData.gaussian(1, 2, T, D)).cache();
        ShapeException dOut = assertThrows(ShapeException.class,
                () -> bi.backward(Nd4j.zeros(DataType.DOUBLE, 2, T, 8), null, null, cache));
        assertEquals("Bidirectional.backward: dOutputs must have shape (N, T, H→ + H←) = (2, 4, 9), but has shape (2, 4, 8).",
                dOut.getMessage());
    }
}

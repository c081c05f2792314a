package unrolled.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static unrolled.recurrent.Close.assertClose;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.TestData;
import unrolled.cell.GruCell;
import unrolled.cell.LstmCell;
import unrolled.cell.RecurrentCell;
import unrolled.cell.RnnCell;
import unrolled.cell.State;
import unrolled.cell.Step;
import unrolled.cell.StepGradients;
import unrolled.check.GradientCheck;
import unrolled.data.SequenceMask;
import unrolled.param.Gradients;
import unrolled.tensor.ShapeException;

class RecurrentLayerTest {

    private static final int N = 2;
    private static final int T = 4;
    private static final int D = 3;
    private static final int H = 4;

    static RnnCell rnn(RnnCell.Activation activation, long seed) {
        RnnCell cell = new RnnCell(D, H, activation, DataType.DOUBLE, seed);
        cell.parameters().get("b").assign(TestData.gaussian(seed + 100, 1, H).muli(0.1));
        return cell;
    }

    static INDArray step(INDArray a, int t) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all()).dup();
    }

    @ParameterizedTest
    @EnumSource(RnnCell.Activation.class)
    void forwardAndBackwardEqualAManualLoopOverTheCell(RnnCell.Activation activation) {
        RnnCell cell = rnn(activation, 3);
        RecurrentLayer<RnnCell.Cache> layer = new RecurrentLayer<>(cell);
        INDArray x = TestData.gaussian(1, N, T, D);
        INDArray h0 = TestData.gaussian(2, N, H);
        INDArray R = TestData.gaussian(3, N, T, H);
        INDArray Rf = TestData.gaussian(4, N, H);

        var result = layer.forward(x, State.of(h0), null);
        // the reference: the cell called by hand, step by step
        List<RnnCell.Cache> caches = new ArrayList<>();
        INDArray h = h0;
        for (int t = 0; t < T; t++) {
            Step<RnnCell.Cache> s = cell.forward(step(x, t), State.of(h));
            caches.add(s.cache());
            h = s.state().h();
            assertClose(h, step(result.outputs(), t), 0, "h_" + t);
        }
        assertClose(h, result.finalState().h(), 0, "final h");
        assertNull(result.finalState().c());

        SequenceGradients g = layer.backward(R, State.of(Rf), result.cache());
        INDArray dh = Rf;
        INDArray dWx = Nd4j.zeros(DataType.DOUBLE, D, H);
        INDArray dWh = Nd4j.zeros(DataType.DOUBLE, H, H);
        INDArray db = Nd4j.zeros(DataType.DOUBLE, 1, H);
        for (int t = T - 1; t >= 0; t--) {
            dh = dh.add(step(R, t));
            assertClose(dh, g.dStates().get(t).h(), 1e-14, "dL/dh_" + t);
            StepGradients s = cell.backward(State.of(dh), caches.get(t));
            dWx.addi(s.parameters().get("Wx"));
            dWh.addi(s.parameters().get("Wh"));
            db.addi(s.parameters().get("b"));
            assertClose(s.dx(), step(g.dx(), t), 1e-14, "dx_" + t);
            dh = s.dPrevious().h();
        }
        assertClose(dh, g.dInitial().h(), 1e-14, "d initial h");
        assertClose(dWx, g.parameters().get("Wx"), 1e-13, "dWx = Σ_t");
        assertClose(dWh, g.parameters().get("Wh"), 1e-13, "dWh = Σ_t");
        assertClose(db, g.parameters().get("b"), 1e-13, "db = Σ_t");
        g.parameters().requireMatches("test", layer.parameters());
    }

    @ParameterizedTest
    @EnumSource(RnnCell.Activation.class)
    void backwardMatchesFiniteDifferences(RnnCell.Activation activation) {
        RecurrentLayer<RnnCell.Cache> layer = new RecurrentLayer<>(rnn(activation, 11));
        INDArray x = TestData.gaussian(5, N, T, D);
        INDArray h0 = TestData.gaussian(6, N, H);
        INDArray R = TestData.gaussian(7, N, T, H);
        INDArray Rf = TestData.gaussian(8, N, H);
        var result = layer.forward(x, State.of(h0), null);
        SequenceGradients g = layer.backward(R, State.of(Rf), result.cache());
        Close.requirePassed("RecurrentLayer " + activation, check(layer, x, h0, null, g)
                .run(() -> {
                    var r = layer.forward(x, State.of(h0), null);
                    return TestData.dot(r.outputs(), R) + TestData.dot(r.finalState().h(), Rf);
                }));
    }

    @Test
    void backwardMatchesFiniteDifferencesForACellWithACellStateAndPadding() {
        RecurrentLayer<MemoryCell.Cache> layer = new RecurrentLayer<>(new MemoryCell(D, H, DataType.DOUBLE, 13));
        SequenceMask mask = SequenceMask.ofLengths(new int[] {T, 2}, T);
        INDArray x = TestData.gaussian(9, N, T, D);
        INDArray h0 = TestData.gaussian(10, N, H);
        INDArray c0 = TestData.gaussian(11, N, H);
        INDArray R = TestData.gaussian(12, N, T, H);
        INDArray Rh = TestData.gaussian(13, N, H);
        INDArray Rc = TestData.gaussian(14, N, H);
        var result = layer.forward(x, new State(h0, c0), mask);
        SequenceGradients g = layer.backward(R, new State(Rh, Rc), result.cache());
        Close.requirePassed("RecurrentLayer MemoryCell (h, c) with padding", check(layer, x, h0, c0, g)
                .run(() -> {
                    var r = layer.forward(x, new State(h0, c0), mask);
                    return TestData.dot(r.outputs(), R) + TestData.dot(r.finalState().h(), Rh)
                            + TestData.dot(r.finalState().c(), Rc);
                }));
    }

    @Test
    void backwardMatchesFiniteDifferencesForAnLstmWithPadding() {
        LstmCell cell = new LstmCell(D, H, DataType.DOUBLE, 31);
        cell.parameters().get("b").addi(TestData.gaussian(32, 1, 4 * H).muli(0.1));
        RecurrentLayer<LstmCell.Cache> layer = new RecurrentLayer<>(cell);
        SequenceMask mask = SequenceMask.ofLengths(new int[] {T, 2}, T);
        INDArray x = TestData.gaussian(33, N, T, D);
        INDArray h0 = TestData.gaussian(34, N, H);
        INDArray c0 = TestData.gaussian(35, N, H);
        INDArray R = TestData.gaussian(36, N, T, H);
        INDArray Rh = TestData.gaussian(37, N, H);
        INDArray Rc = TestData.gaussian(38, N, H);
        SequenceGradients g = layer.backward(R, new State(Rh, Rc), layer.forward(x, new State(h0, c0), mask).cache());
        Close.requirePassed("RecurrentLayer LstmCell with padding", check(layer, x, h0, c0, g)
                .run(() -> {
                    var r = layer.forward(x, new State(h0, c0), mask);
                    return TestData.dot(r.outputs(), R) + TestData.dot(r.finalState().h(), Rh)
                            + TestData.dot(r.finalState().c(), Rc);
                }));
    }

    @Test
    void backwardMatchesFiniteDifferencesForAGruWithPadding() {
        GruCell cell = new GruCell(D, H, DataType.DOUBLE, 41);
        cell.parameters().get("bx").addi(TestData.gaussian(42, 1, 3 * H).muli(0.1));
        cell.parameters().get("bh").addi(TestData.gaussian(43, 1, 3 * H).muli(0.1));
        RecurrentLayer<GruCell.Cache> layer = new RecurrentLayer<>(cell);
        SequenceMask mask = SequenceMask.ofLengths(new int[] {3, T}, T);
        INDArray x = TestData.gaussian(44, N, T, D);
        INDArray h0 = TestData.gaussian(45, N, H);
        INDArray R = TestData.gaussian(46, N, T, H);
        INDArray Rh = TestData.gaussian(47, N, H);
        SequenceGradients g = layer.backward(R, State.of(Rh), layer.forward(x, State.of(h0), mask).cache());
        Close.requirePassed("RecurrentLayer GruCell with padding", check(layer, x, h0, null, g)
                .run(() -> {
                    var r = layer.forward(x, State.of(h0), mask);
                    return TestData.dot(r.outputs(), R) + TestData.dot(r.finalState().h(), Rh);
                }));
    }

    @Test
    void aPaddedBatchEqualsItsSequencesRunOneByOneForAnLstm() {
        paddedBatchEqualsOneByOne(() -> new LstmCell(D, H, DataType.DOUBLE, 51));
    }

    @Test
    void aPaddedBatchEqualsItsSequencesRunOneByOneForAGru() {
        paddedBatchEqualsOneByOne(() -> new GruCell(D, H, DataType.DOUBLE, 53));
    }

    private static GradientCheck check(RecurrentLayer<?> layer, INDArray x, INDArray h0, INDArray c0, SequenceGradients g) {
        GradientCheck check = GradientCheck.create().wrt("x", x, g.dx()).wrt("h0 (initial)", h0, g.dInitial().h());
        if (c0 != null) {
            check.wrt("c0 (initial)", c0, g.dInitial().c());
        }
        for (var entry : layer.parameters()) {
            check.wrt(entry.getKey(), entry.getValue(), g.parameters().get(entry.getKey()));
        }
        return check;
    }

    @Test
    void aPaddedBatchEqualsItsSequencesRunOneByOne() {
        paddedBatchEqualsOneByOne(() -> rnn(RnnCell.Activation.TANH, 17));
    }

    @Test
    void aPaddedBatchEqualsItsSequencesRunOneByOneForACellWithACellState() {
        paddedBatchEqualsOneByOne(() -> new MemoryCell(D, H, DataType.DOUBLE, 19));
    }

    private static <C> void paddedBatchEqualsOneByOne(Supplier<RecurrentCell<C>> cells) {
        int[] lengths = {T, 1, 3};
        int n = lengths.length;
        RecurrentLayer<C> layer = new RecurrentLayer<>(cells.get());
        boolean hasC = layer.hasCellState();
        SequenceMask mask = SequenceMask.ofLengths(lengths, T);
        // padding holds large garbage, and its output gradients are non-zero: both must be ignored
        INDArray x = TestData.gaussian(20, n, T, D);
        INDArray R = TestData.gaussian(21, n, T, H);
        for (int i = 0; i < n; i++) {
            for (int t = lengths[i]; t < T; t++) {
                x.get(NDArrayIndex.point(i), NDArrayIndex.point(t), NDArrayIndex.all()).assign(1e3 * (t + 1));
            }
        }
        INDArray h0 = TestData.gaussian(22, n, H);
        INDArray c0 = hasC ? TestData.gaussian(23, n, H) : null;
        INDArray Rh = TestData.gaussian(24, n, H);
        INDArray Rc = hasC ? TestData.gaussian(25, n, H) : null;
        var batch = layer.forward(x, new State(h0, c0), mask);
        SequenceGradients g = layer.backward(R, new State(Rh, Rc), batch.cache());

        Gradients summed = new Gradients();
        for (int i = 0; i < n; i++) {
            int L = lengths[i];
            INDArray xi = x.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.interval(0, L), NDArrayIndex.all()).dup();
            INDArray Ri = R.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.interval(0, L), NDArrayIndex.all()).dup();
            var alone = layer.forward(xi, new State(row(h0, i), hasC ? row(c0, i) : null), null);
            SequenceGradients gi = layer.backward(Ri, new State(row(Rh, i), hasC ? row(Rc, i) : null), alone.cache());
            for (int t = 0; t < T; t++) {
                INDArray y = batch.outputs().get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.point(t), NDArrayIndex.all());
                INDArray dx = g.dx().get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.point(t), NDArrayIndex.all());
                if (t < L) {
                    assertClose(step(alone.outputs(), t), y, 1e-12, "sequence " + i + " y_" + t);
                    assertClose(step(gi.dx(), t), dx, 1e-12, "sequence " + i + " dx_" + t);
                } else {
                    assertClose(Nd4j.zeros(DataType.DOUBLE, 1, H), y, 0, "sequence " + i + " padded y_" + t);
                    assertClose(Nd4j.zeros(DataType.DOUBLE, 1, D), dx, 0, "sequence " + i + " padded dx_" + t);
                }
            }
            assertClose(alone.finalState().h(), row(batch.finalState().h(), i), 1e-12, "sequence " + i + " final h");
            assertClose(gi.dInitial().h(), row(g.dInitial().h(), i), 1e-12, "sequence " + i + " d initial h");
            if (hasC) {
                assertClose(alone.finalState().c(), row(batch.finalState().c(), i), 1e-12, "sequence " + i + " final c");
                assertClose(gi.dInitial().c(), row(g.dInitial().c(), i), 1e-12, "sequence " + i + " d initial c");
            }
            for (var entry : gi.parameters()) {
                summed.accumulate(entry.getKey(), entry.getValue());
            }
        }
        for (var entry : summed) {
            assertClose(entry.getValue(), g.parameters().get(entry.getKey()), 1e-11, "Σ_n d" + entry.getKey());
        }
    }

    private static INDArray row(INDArray a, int i) {
        return a.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all()).dup();
    }

    @Test
    void learnedInitialStateGetsTheGradientSummedOverTheBatch() {
        RecurrentLayer<MemoryCell.Cache> layer = new RecurrentLayer<>(new MemoryCell(D, H, DataType.DOUBLE, 29), InitialState.LEARNED);
        assertEquals(List.of("Wx", "Wh", "b", "h0", "c0"), List.copyOf(layer.parameters().names()));
        INDArray h0 = layer.parameters().get("h0").assign(TestData.gaussian(30, 1, H));
        INDArray c0 = layer.parameters().get("c0").assign(TestData.gaussian(31, 1, H));
        INDArray x = TestData.gaussian(32, 3, T, D);
        INDArray R = TestData.gaussian(33, 3, T, H);
        INDArray Rh = TestData.gaussian(34, 3, H);

        var result = layer.forward(x);
        // the same as starting every sequence explicitly from h0, c0
        INDArray h0s = Nd4j.vstack(h0, h0, h0);
        INDArray c0s = Nd4j.vstack(c0, c0, c0);
        var explicit = layer.forward(x, new State(h0s, c0s), null);
        assertClose(explicit.outputs(), result.outputs(), 0, "outputs from h0");

        SequenceGradients g = layer.backward(R, State.of(Rh), result.cache());
        INDArray dh0 = Nd4j.zeros(DataType.DOUBLE, 1, H);
        INDArray dc0 = Nd4j.zeros(DataType.DOUBLE, 1, H);
        for (int n = 0; n < 3; n++) {
            dh0.addi(row(g.dInitial().h(), n));
            dc0.addi(row(g.dInitial().c(), n));
        }
        assertClose(dh0, g.parameters().get("h0"), 1e-14, "dh0 = Σ_n dh_{-1}[n]");
        assertClose(dc0, g.parameters().get("c0"), 1e-14, "dc0 = Σ_n dc_{-1}[n]");
        g.parameters().requireMatches("test", layer.parameters());
        GradientCheck check = GradientCheck.create().wrt("x", x, g.dx());
        for (var entry : layer.parameters()) {
            check.wrt(entry.getKey(), entry.getValue(), g.parameters().get(entry.getKey()));
        }
        Close.requirePassed("RecurrentLayer LEARNED h0, c0", check.run(() -> {
            var r = layer.forward(x);
            return TestData.dot(r.outputs(), R) + TestData.dot(r.finalState().h(), Rh);
        }));

        // from an explicit initial state, h0 and c0 play no part: zero gradient
        SequenceGradients fromExplicit = layer.backward(R, State.of(Rh), explicit.cache());
        assertClose(Nd4j.zeros(DataType.DOUBLE, 1, H), fromExplicit.parameters().get("h0"), 0, "dh0 from an explicit state");
        assertClose(Nd4j.zeros(DataType.DOUBLE, 1, H), fromExplicit.parameters().get("c0"), 0, "dc0 from an explicit state");
    }

    @Test
    void aCarriedStateIsReusedDetachedAndReset() {
        RecurrentLayer<RnnCell.Cache> carried = new RecurrentLayer<>(rnn(RnnCell.Activation.TANH, 37), InitialState.CARRIED);
        RecurrentLayer<RnnCell.Cache> reference = new RecurrentLayer<>(rnn(RnnCell.Activation.TANH, 37));
        INDArray x1 = TestData.gaussian(38, N, T, D);
        INDArray x2 = TestData.gaussian(39, N, T, D);
        assertNull(carried.carriedState());

        var first = carried.forward(x1);
        assertClose(reference.forward(x1).outputs(), first.outputs(), 0, "first batch starts from zeros");
        INDArray final1 = first.finalState().h().dup();
        first.finalState().h().addi(100); // the carried state is a copy: changing the result does not change it
        assertClose(final1, carried.carriedState().h(), 0, "carried = final state of batch 1");

        var second = carried.forward(x2);
        assertClose(reference.forward(x2, State.of(final1), null).outputs(), second.outputs(), 0, "batch 2 continues batch 1");
        SequenceGradients g = carried.backward(TestData.gaussian(40, N, T, H), null, second.cache());
        assertFalse(g.parameters().contains("h0"), "a carried state is not a parameter");

        carried.reset();
        assertNull(carried.carriedState());
        assertClose(reference.forward(x2).outputs(), carried.forward(x2).outputs(), 0, "after reset, zeros again");
    }

    @Test
    void aCarriedLayerRefusesABatchSizeChange() {
        RecurrentLayer<RnnCell.Cache> layer = new RecurrentLayer<>(rnn(RnnCell.Activation.TANH, 41), InitialState.CARRIED);
        layer.forward(TestData.gaussian(42, N, T, D));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(TestData.gaussian(43, 3, T, D)));
        assertEquals("RecurrentLayer.forward: this layer is stateful (CARRIED) and carries the state of 2 sequences from the "
                + "previous batch, but this batch has N = 3. Keep the batch size fixed, or call reset() to start new sequences.",
                e.getMessage());
        layer.reset();
        assertEquals(3, layer.forward(TestData.gaussian(43, 3, T, D)).outputs().size(0));
    }

    @Test
    void forwardAndBackwardLeaveInputsAndCachesUnchanged() {
        RecurrentLayer<RnnCell.Cache> layer = new RecurrentLayer<>(rnn(RnnCell.Activation.TANH, 47));
        INDArray x = TestData.gaussian(48, N, T, D);
        INDArray h0 = TestData.gaussian(49, N, H);
        INDArray maskArray = Nd4j.createFromArray(new double[][] {{1, 1, 1, 1}, {1, 1, 0, 0}});
        INDArray R = TestData.gaussian(50, N, T, H);
        INDArray Rf = TestData.gaussian(51, N, H);
        INDArray[] before = {x.dup(), h0.dup(), maskArray.dup(), R.dup(), Rf.dup()};
        var result = layer.forward(x, State.of(h0), SequenceMask.of(maskArray));
        List<INDArray> cached = new ArrayList<>();
        for (RnnCell.Cache c : result.cache().steps()) {
            cached.add(c.x().dup());
            cached.add(c.hPrev().dup());
            cached.add(c.h().dup());
        }
        INDArray outputs = result.outputs().dup();
        layer.backward(R, State.of(Rf), result.cache());
        layer.backward(R, State.of(Rf), result.cache());
        INDArray[] after = {x, h0, maskArray, R, Rf};
        for (int i = 0; i < before.length; i++) {
            assertClose(before[i], after[i], 0, "input " + i);
        }
        int i = 0;
        for (RnnCell.Cache c : result.cache().steps()) {
            assertClose(cached.get(i++), c.x(), 0, "cached x");
            assertClose(cached.get(i++), c.hPrev(), 0, "cached hPrev");
            assertClose(cached.get(i++), c.h(), 0, "cached h");
        }
        assertClose(outputs, result.outputs(), 0, "outputs");
    }

    @Test
    void theSameSeedGivesTheSameNumbers() {
        INDArray x = TestData.gaussian(52, N, T, D).castTo(DataType.FLOAT);
        var a = new RecurrentLayer<>(new RnnCell(D, H, RnnCell.Activation.TANH, DataType.FLOAT, 53)).forward(x);
        var b = new RecurrentLayer<>(new RnnCell(D, H, RnnCell.Activation.TANH, DataType.FLOAT, 53)).forward(x);
        assertClose(a.outputs(), b.outputs(), 0, "outputs");
        assertEquals(DataType.FLOAT, a.outputs().dataType());
        INDArray R = TestData.gaussian(54, N, T, H).castTo(DataType.FLOAT);
        var layer = new RecurrentLayer<>(new RnnCell(D, H, RnnCell.Activation.TANH, DataType.FLOAT, 53));
        SequenceGradients g = layer.backward(R, null, layer.forward(x).cache());
        assertEquals(DataType.FLOAT, g.dx().dataType());
        assertEquals(DataType.FLOAT, g.parameters().get("Wh").dataType());
    }

    @Test
    void aTimeMajorInputIsRefusedWithAHint() {
        RecurrentLayer<RnnCell.Cache> layer = new RecurrentLayer<>(rnn(RnnCell.Activation.TANH, 1));
        ShapeException e = assertThrows(ShapeException.class,
                () -> layer.forward(TestData.gaussian(1, T, N, D), State.of(TestData.gaussian(2, N, H)), null));
        assertEquals("RecurrentLayer.forward: x must have shape (N, T, D) = (2, ?, 3), but has shape (4, 2, 3). "
                + "It looks time-major (T, N, D); this library is batch-first (N, T, D): use x.permute(1, 0, 2).dup().",
                e.getMessage());
    }

    @Test
    void aMaskOfTheWrongShapeIsRefused() {
        RecurrentLayer<RnnCell.Cache> layer = new RecurrentLayer<>(rnn(RnnCell.Activation.TANH, 1));
        ShapeException e = assertThrows(ShapeException.class,
                () -> layer.forward(TestData.gaussian(1, N, T, D), SequenceMask.ofLengths(new int[] {5, 2}, 5)));
        assertEquals("RecurrentLayer.forward: mask must have shape (N, T) = (2, 4), but has shape (2, 5).", e.getMessage());
        ShapeException timeMajor = assertThrows(ShapeException.class,
                () -> layer.forward(TestData.gaussian(1, T, N, D), SequenceMask.ofLengths(new int[] {4, 2}, T)));
        assertEquals("RecurrentLayer.forward: mask must have shape (N, T) = (4, 2), but has shape (2, 4). "
                + "If x is time-major (T, N, D), make it batch-first (N, T, D) with x.permute(1, 0, 2).dup().",
                timeMajor.getMessage());
    }

    @Test
    void otherBadArgumentsAreRefusedWithTheirShapes() {
        RecurrentLayer<RnnCell.Cache> layer = new RecurrentLayer<>(rnn(RnnCell.Activation.TANH, 1));
        INDArray x = TestData.gaussian(1, N, T, D);
        var cache = layer.forward(x).cache();
        ShapeException dOut = assertThrows(ShapeException.class,
                () -> layer.backward(TestData.gaussian(2, N, T, H + 1), null, cache));
        assertEquals("RecurrentLayer.backward: dOutputs must have shape (N, T, H) = (2, 4, 4), but has shape (2, 4, 5).",
                dOut.getMessage());
        ShapeException initial = assertThrows(ShapeException.class,
                () -> layer.forward(x, State.of(TestData.gaussian(3, N, H + 2)), null));
        assertEquals("RecurrentLayer.forward: initial.h must have shape (N, H) = (2, 4), but has shape (2, 6).",
                initial.getMessage());
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(x, new State(TestData.gaussian(3, N, H), TestData.gaussian(4, N, H)), null));
        assertEquals("RecurrentLayer.forward: initial.c must be null, because RnnCell(D=3, H=4, TANH, DOUBLE) has no cell state.",
                c.getMessage());
        ShapeException type = assertThrows(ShapeException.class, () -> layer.forward(x.castTo(DataType.FLOAT)));
        assertEquals("RecurrentLayer.forward: x must have data type DOUBLE, but has FLOAT. Convert it with castTo(DataType.DOUBLE).",
                type.getMessage());
        RecurrentLayer<MemoryCell.Cache> memory = new RecurrentLayer<>(new MemoryCell(D, H, DataType.DOUBLE, 1));
        ShapeException noC = assertThrows(ShapeException.class,
                () -> memory.forward(x, State.of(TestData.gaussian(3, N, H)), null));
        assertEquals("RecurrentLayer.forward: initial.c must be an array of shape (N, H) = (2, 4), but is null.",
                noC.getMessage());
    }
}

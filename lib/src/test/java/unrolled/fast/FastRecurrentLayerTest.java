package unrolled.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static unrolled.fast.Agree.agree;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.TestData;
import unrolled.cell.LstmCell;
import unrolled.cell.RecurrentCell;
import unrolled.cell.State;
import unrolled.check.GradientCheck;
import unrolled.optim.Adam;
import unrolled.param.Gradients;
import unrolled.recurrent.Bidirectional;
import unrolled.recurrent.InitialState;
import unrolled.recurrent.MemoryCell;
import unrolled.recurrent.RecurrentLayer;
import unrolled.recurrent.SequenceGradients;
import unrolled.data.SequenceMask;
import unrolled.recurrent.StackedRecurrent;
import unrolled.tensor.ShapeException;

/**
 * The fast path against the reference: {@link RecurrentLayer} over the same cell, on the same inputs, must give the
 * same outputs, final states and every gradient, to 1e-12 of each array's scale in DOUBLE and 1e-4 in FLOAT
 * ({@link Agree}). The reference is itself gradient-checked in {@code unrolled.recurrent}; the fast path is also
 * gradient-checked directly, in DOUBLE.
 */
class FastRecurrentLayerTest {

    private static final int N = 3;
    private static final int T = 6;
    private static final int D = 3;
    private static final int H = 5;
    /** Uneven lengths: a full sequence, a short one, and one that is all padding. */
    private static final int[] LENGTHS = {T, 2, 0};

    static Stream<Arguments> cellsAndTypes() {
        return Stream.of(Cells.values()).flatMap(kind -> Stream.of(DataType.DOUBLE, DataType.FLOAT)
                .map(type -> Arguments.of(kind, type)));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static RecurrentLayer<Object> layer(Cells kind, DataType type, InitialState policy, long seed) {
        return new RecurrentLayer(kind.create(D, H, type, seed), policy);
    }

    private static INDArray gaussian(long seed, DataType type, long... shape) {
        return Cells.gaussian(seed, type, shape);
    }

    private static State state(RecurrentLayer<?> layer, long seed, DataType type) {
        return new State(gaussian(seed, type, N, H), layer.hasCellState() ? gaussian(seed + 1, type, N, H) : null);
    }

    static void agreeResults(RecurrentLayer.Result<?> expected, RecurrentLayer.Result<?> actual) {
        agree(expected.outputs(), actual.outputs(), "outputs");
        agreeStates(expected.finalState(), actual.finalState(), "final state");
    }

    static void agreeStates(State expected, State actual, String what) {
        agree(expected.h(), actual.h(), what + " h");
        if (expected.c() == null) {
            assertNull(actual.c(), what + " c");
        } else {
            agree(expected.c(), actual.c(), what + " c");
        }
    }

    static void agreeGradients(Gradients expected, Gradients actual, String prefix) {
        assertEquals(List.copyOf(expected.names()), List.copyOf(actual.names()), prefix + "parameter names and order");
        for (Map.Entry<String, INDArray> entry : expected) {
            agree(entry.getValue(), actual.get(entry.getKey()), prefix + "d" + entry.getKey());
        }
    }

    static void agreeGradients(SequenceGradients expected, SequenceGradients actual) {
        agree(expected.dx(), actual.dx(), "dx");
        agreeStates(expected.dInitial(), actual.dInitial(), "d initial");
        agreeGradients(expected.parameters(), actual.parameters(), "");
        assertEquals(expected.dStates().size(), actual.dStates().size(), "dStates size");
        for (int t = 0; t < expected.dStates().size(); t++) {
            agreeStates(expected.dStates().get(t), actual.dStates().get(t), "dL/dstate_" + t);
        }
    }

    @ParameterizedTest
    @MethodSource("cellsAndTypes")
    void agreesWithTheReferenceFromAGivenState(Cells kind, DataType type) {
        RecurrentLayer<Object> reference = layer(kind, type, InitialState.ZEROS, 7);
        FastRecurrentLayer<Object> fast = new FastRecurrentLayer<>(reference);
        INDArray x = gaussian(1, type, N, T, D);
        State initial = state(reference, 2, type);
        INDArray dy = gaussian(4, type, N, T, H);
        State dFinal = state(reference, 5, type);

        var expected = reference.forward(x, initial, null);
        var actual = fast.forward(x, initial, null);
        agreeResults(expected, actual);
        agreeGradients(reference.backward(dy, dFinal, expected.cache()), fast.backward(dy, dFinal, actual.cache()));
    }

    @ParameterizedTest
    @MethodSource("cellsAndTypes")
    void agreesWithTheReferenceOnUnevenLengths(Cells kind, DataType type) {
        RecurrentLayer<Object> reference = layer(kind, type, InitialState.ZEROS, 8);
        FastRecurrentLayer<Object> fast = new FastRecurrentLayer<>(reference);
        SequenceMask mask = SequenceMask.ofLengths(LENGTHS, T);
        INDArray x = gaussian(11, type, N, T, D);
        State initial = state(reference, 12, type);
        INDArray dy = gaussian(14, type, N, T, H);
        State dFinal = state(reference, 15, type);

        var expected = reference.forward(x, initial, mask);
        var actual = fast.forward(x, initial, mask);
        agreeResults(expected, actual);
        agreeGradients(reference.backward(dy, dFinal, expected.cache()), fast.backward(dy, dFinal, actual.cache()));
        // without dFinal, from the zero state of the policy
        var expectedZero = reference.forward(x, mask);
        var actualZero = fast.forward(x, mask);
        agreeResults(expectedZero, actualZero);
        agreeGradients(reference.backward(dy, null, expectedZero.cache()), fast.backward(dy, null, actualZero.cache()));
    }

    @ParameterizedTest
    @MethodSource("cellsAndTypes")
    void agreesWithTheReferenceForALearnedInitialState(Cells kind, DataType type) {
        RecurrentLayer<Object> reference = layer(kind, type, InitialState.LEARNED, 9);
        reference.parameters().get("h0").assign(gaussian(21, type, 1, H));
        if (reference.hasCellState()) {
            reference.parameters().get("c0").assign(gaussian(22, type, 1, H));
        }
        FastRecurrentLayer<Object> fast = new FastRecurrentLayer<>(reference);
        SequenceMask mask = SequenceMask.ofLengths(new int[] {3, T, 1}, T);
        INDArray x = gaussian(23, type, N, T, D);
        INDArray dy = gaussian(24, type, N, T, H);

        var expected = reference.forward(x, mask);
        var actual = fast.forward(x, mask);
        agreeResults(expected, actual);
        SequenceGradients g = fast.backward(dy, null, actual.cache());
        agreeGradients(reference.backward(dy, null, expected.cache()), g);
        assertEquals(List.copyOf(reference.parameters().names()), List.copyOf(g.parameters().names()));
    }

    @ParameterizedTest
    @EnumSource(Cells.class)
    void carriesItsStateAcrossCallsAsTheReferenceDoes(Cells kind) {
        DataType type = DataType.DOUBLE;
        RecurrentLayer<Object> reference = layer(kind, type, InitialState.CARRIED, 10);
        FastRecurrentLayer<Object> fast = new FastRecurrentLayer<>(reference);
        for (int call = 0; call < 3; call++) {
            INDArray x = gaussian(30 + call, type, N, T, D);
            agreeResults(reference.forward(x), fast.forward(x));
            agreeStates(reference.carriedState(), fast.carriedState(), "carried after call " + call);
        }
        fast.reset();
        assertNull(fast.carriedState());
    }

    @ParameterizedTest
    @MethodSource("cellsAndTypes")
    void bidirectionalOverFastLayersAgrees(Cells kind, DataType type) {
        RecurrentLayer<Object> forwardLayer = layer(kind, type, InitialState.ZEROS, 12);
        RecurrentLayer<Object> backwardLayer = layer(kind, type, InitialState.ZEROS, 13);
        Bidirectional<Object> reference = new Bidirectional<>(forwardLayer, backwardLayer, Bidirectional.Merge.CONCAT);
        FastRecurrentLayer<Object> fastForward = new FastRecurrentLayer<>(forwardLayer);
        FastRecurrentLayer<Object> fastBackward = new FastRecurrentLayer<>(backwardLayer);
        SequenceMask mask = SequenceMask.ofLengths(new int[] {T, 4, 1}, T);
        INDArray x = gaussian(51, type, N, T, D);
        INDArray dy = gaussian(52, type, N, T, 2 * H);
        State dForwardFinal = state(forwardLayer, 53, type);
        State dBackwardFinal = state(backwardLayer, 55, type);

        var expected = reference.forward(x, mask);
        Bidirectional.BackwardResult expectedGradients = reference.backward(dy, dForwardFinal, dBackwardFinal, expected.cache());

        // →h = fast(x), ←h = reverse(fast'(reverse(x))), each sequence reversed within its length; y = [→h, ←h]
        var forward = fastForward.forward(x, mask);
        var backward = fastBackward.forward(mask.reverse(x), mask);
        agree(expected.outputs(), Nd4j.concat(2, forward.outputs(), mask.reverse(backward.outputs())), "outputs");
        agreeStates(expected.forwardFinal(), forward.finalState(), "forward final");
        agreeStates(expected.backwardFinal(), backward.finalState(), "backward final");
        SequenceGradients gf = fastForward.backward(part(dy, 0, H), dForwardFinal, forward.cache());
        SequenceGradients gb = fastBackward.backward(mask.reverse(part(dy, H, 2 * H)), dBackwardFinal, backward.cache());
        agree(expectedGradients.dx(), gf.dx().add(mask.reverse(gb.dx())), "dx");
        agreeStates(expectedGradients.dForwardInitial(), gf.dInitial(), "d forward initial");
        agreeStates(expectedGradients.dBackwardInitial(), gb.dInitial(), "d backward initial");
        agreeGradients(expectedGradients.parameters(),
                new Gradients().accumulateAll("forward", gf.parameters()).accumulateAll("backward", gb.parameters()), "");
    }

    @ParameterizedTest
    @MethodSource("cellsAndTypes")
    void stackedFastLayersAgree(Cells kind, DataType type) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        RecurrentLayer<Object> top = new RecurrentLayer(kind.create(H, 4, type, 15), InitialState.ZEROS);
        RecurrentLayer<Object> bottom = layer(kind, type, InitialState.ZEROS, 14);
        StackedRecurrent<Object> reference = new StackedRecurrent<>(List.of(bottom, top), null);
        FastRecurrentLayer<Object> fastBottom = new FastRecurrentLayer<>(bottom);
        FastRecurrentLayer<Object> fastTop = new FastRecurrentLayer<>(top);
        SequenceMask mask = SequenceMask.ofLengths(new int[] {2, T, 5}, T);
        INDArray x = gaussian(61, type, N, T, D);
        INDArray dy = gaussian(62, type, N, T, 4);

        var expected = reference.forward(x, mask, true);
        StackedRecurrent.BackwardResult expectedGradients = reference.backward(dy, null, expected.cache());

        // y⁽⁰⁾ = bottom(x), y⁽¹⁾ = top(y⁽⁰⁾); backward top first, its dx is the bottom's dOutputs
        var first = fastBottom.forward(x, mask);
        var second = fastTop.forward(first.outputs(), mask);
        agree(expected.outputs(), second.outputs(), "outputs");
        agreeStates(expected.finalStates().get(0), first.finalState(), "bottom final");
        agreeStates(expected.finalStates().get(1), second.finalState(), "top final");
        SequenceGradients g1 = fastTop.backward(dy, null, second.cache());
        SequenceGradients g0 = fastBottom.backward(g1.dx(), null, first.cache());
        agree(expectedGradients.dx(), g0.dx(), "dx");
        agreeGradients(expectedGradients.parameters(),
                new Gradients().accumulateAll("layer0", g0.parameters()).accumulateAll("layer1", g1.parameters()), "");
    }

    @ParameterizedTest
    @EnumSource(Cells.class)
    void backwardMatchesFiniteDifferences(Cells kind) {
        DataType type = DataType.DOUBLE;
        RecurrentLayer<Object> reference = layer(kind, type, InitialState.LEARNED, 16);
        FastRecurrentLayer<Object> fast = new FastRecurrentLayer<>(reference);
        SequenceMask mask = SequenceMask.ofLengths(new int[] {T, 3, 1}, T);
        INDArray x = gaussian(71, type, N, T, D);
        INDArray R = gaussian(72, type, N, T, H);
        INDArray Rf = gaussian(73, type, N, H);
        var result = fast.forward(x, mask);
        SequenceGradients g = fast.backward(R, State.of(Rf), result.cache());

        GradientCheck check = GradientCheck.create().wrt("x", x, g.dx());
        for (Map.Entry<String, INDArray> entry : fast.parameters()) {
            check.wrt(entry.getKey(), entry.getValue(), g.parameters().get(entry.getKey()));
        }
        // L = Σ y ⊙ R + Σ h_final ⊙ Rf
        GradientCheck.Report report = check.run(() -> {
            var r = fast.forward(x, mask);
            return TestData.dot(r.outputs(), R) + TestData.dot(r.finalState().h(), Rf);
        });
        if (Boolean.getBoolean("unrolled.report")) {
            System.out.printf("GRADCHECK fast %-10s max relative error %.3e%n", kind, report.maxRelativeError());
        }
        report.requirePassed();
    }

    @Test
    void sharesTheCellsLiveParameters() {
        DataType type = DataType.DOUBLE;
        RecurrentLayer<Object> reference = layer(Cells.LSTM, type, InitialState.ZEROS, 17);
        FastRecurrentLayer<Object> fast = new FastRecurrentLayer<>(reference);
        assertSame(reference.parameters(), fast.parameters());
        INDArray x = gaussian(81, type, N, T, D);
        INDArray before = fast.forward(x).outputs();
        // an optimiser's in-place update of the cell's weights is seen by the fast path at once
        reference.cell().parameters().get("Wh").muli(0.5);
        reference.cell().parameters().get("b").addi(0.25);
        INDArray after = fast.forward(x).outputs();
        agree(reference.forward(x).outputs(), after, "outputs after the update");
        assertEquals(true, before.sub(after).amaxNumber().doubleValue() > 1e-3, "the update changed the outputs");
    }

    @ParameterizedTest
    @EnumSource(Cells.class)
    void cacheStepsAreTheCellsOwnCaches(Cells kind) {
        DataType type = DataType.DOUBLE;
        RecurrentLayer<Object> reference = layer(kind, type, InitialState.ZEROS, 18);
        FastRecurrentLayer<Object> fast = new FastRecurrentLayer<>(reference);
        SequenceMask mask = SequenceMask.ofLengths(new int[] {T, 4, 2}, T);
        INDArray x = gaussian(91, type, N, T, D);
        INDArray dy = gaussian(92, type, N, T, H);
        var actual = fast.forward(x, mask);
        var expected = reference.forward(x, mask);
        assertEquals(T, actual.cache().length());
        assertSame(expected.cache().steps().get(0).getClass(), actual.cache().steps().get(0).getClass());
        // the reference backward, run on the fast cache's step records, gives the reference's gradients
        agreeGradients(reference.backward(dy, null, expected.cache()), reference.backward(dy, null, actual.cache()));
        if (kind == Cells.LSTM) {
            LstmCell.Cache fastStep = (LstmCell.Cache) actual.cache().steps().get(3);
            LstmCell.Cache referenceStep = (LstmCell.Cache) expected.cache().steps().get(3);
            agree(referenceStep.f(), fastStep.f(), "forget gate at t = 3");
        }
    }

    @ParameterizedTest
    @MethodSource("cellsAndTypes")
    void reusedBuffersGiveTheSameNumbersCallAfterCall(Cells kind, DataType type) {
        RecurrentLayer<Object> reference = layer(kind, type, InitialState.ZEROS, 24);
        FastRecurrentLayer<Object> fast = new FastRecurrentLayer<>(reference);
        // unpadded, padded, then unpadded again: each pass overwrites the buffers the one before it used
        int[][] lengths = {{T, T, T}, {1, T, 0}, {T, 3, T}, {2, 2, 2}};
        for (int call = 0; call < lengths.length; call++) {
            SequenceMask mask = SequenceMask.ofLengths(lengths[call], T);
            INDArray x = gaussian(121 + call, type, N, T, D);
            INDArray dy = gaussian(131 + call, type, N, T, H);
            var expected = reference.forward(x, mask);
            var actual = fast.forward(x, mask);
            agreeResults(expected, actual);
            agreeGradients(reference.backward(dy, null, expected.cache()), fast.backward(dy, null, actual.cache()));
            agree(expected.outputs(), fast.infer(x, mask).outputs(), "inference outputs, call " + call);
        }
    }

    @Test
    void refusesACacheWhoseBuffersWereReused() {
        RecurrentLayer<Object> reference = layer(Cells.LSTM, DataType.FLOAT, InitialState.ZEROS, 25);
        FastRecurrentLayer<Object> fast = new FastRecurrentLayer<>(reference);
        INDArray x = gaussian(141, DataType.FLOAT, N, T, D);
        INDArray dy = gaussian(142, DataType.FLOAT, N, T, H);
        var first = fast.forward(x);
        fast.backward(dy, null, first.cache());
        fast.backward(dy, null, first.cache());
        fast.forward(x);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> fast.backward(dy, null, first.cache()));
        assertEquals("FastRecurrentLayer.backward: this cache has been through backward already and its buffers have since "
                + "been reused by a later forward of this layer; run forward again.", e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Cells.class)
    void stateGradientsReadBeforeTheNextBackwardKeepTheirValues(Cells kind) {
        RecurrentLayer<Object> reference = layer(kind, DataType.DOUBLE, InitialState.ZEROS, 26);
        FastRecurrentLayer<Object> fast = new FastRecurrentLayer<>(reference);
        SequenceMask mask = SequenceMask.ofLengths(new int[] {T, 2, 4}, T);
        INDArray x = gaussian(151, DataType.DOUBLE, N, T, D);
        INDArray dy = gaussian(152, DataType.DOUBLE, N, T, H);
        var expected = reference.backward(dy, null, reference.forward(x, mask).cache());
        var actual = fast.forward(x, mask);
        SequenceGradients first = fast.backward(dy, null, actual.cache());
        State last = first.dStates().get(T - 1);
        // a second backward pass with another dy reuses the work buffer the first pass's dStates were left in
        fast.backward(gaussian(153, DataType.DOUBLE, N, T, H), null, actual.cache());
        agreeStates(expected.dStates().get(T - 1), last, "dL/dstate_" + (T - 1) + " read before the next backward");
        for (int t = 0; t < T; t++) {
            agreeStates(expected.dStates().get(t), first.dStates().get(t), "dL/dstate_" + t + " after the next backward");
        }
    }

    @Test
    void refusesStateGradientsFirstReadAfterTheNextBackward() {
        RecurrentLayer<Object> reference = layer(Cells.GRU, DataType.FLOAT, InitialState.ZEROS, 27);
        FastRecurrentLayer<Object> fast = new FastRecurrentLayer<>(reference);
        INDArray x = gaussian(161, DataType.FLOAT, N, T, D);
        INDArray dy = gaussian(162, DataType.FLOAT, N, T, H);
        var result = fast.forward(x);
        SequenceGradients stale = fast.backward(dy, null, result.cache());
        SequenceGradients current = fast.backward(dy, null, result.cache());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> stale.dStates().get(0));
        assertEquals("FastRecurrentLayer: these dStates were first read after a later backward pass of the same layer, "
                + "which has reused their buffers; read (or copy) dStates before calling backward on the layer again.",
                e.getMessage());
        assertEquals(T, current.dStates().size());
        agree(current.dx(), stale.dx(), "dx of two passes over the same cache and dy");
        current.dStates().get(0);
    }

    @ParameterizedTest
    @MethodSource("cellsAndTypes")
    void releasingEachCallsResultsKeepsLaterCallsExact(Cells kind, DataType type) {
        RecurrentLayer<Object> reference = layer(kind, type, InitialState.LEARNED, 28);
        FastRecurrentLayer<Object> fast = new FastRecurrentLayer<>(reference);
        // a training loop that gives every call's results back: the next calls run on the memory they leave
        int[][] lengths = {{T, T, T}, {1, T, 0}, {T, 3, T}};
        for (int call = 0; call < lengths.length; call++) {
            SequenceMask mask = SequenceMask.ofLengths(lengths[call], T);
            INDArray x = gaussian(171 + call, type, N, T, D);
            INDArray dy = gaussian(181 + call, type, N, T, H);
            State dFinal = state(reference, 191 + call, type);
            var expected = reference.forward(x, mask);
            var actual = fast.forward(x, mask);
            agreeResults(expected, actual);
            // outputs released before backward: backward does not read them
            fast.release(actual);
            assertEquals(true, actual.outputs().wasClosed(), "outputs released");
            assertEquals(true, actual.finalState().h().wasClosed(), "final h released");
            SequenceGradients gradients = fast.backward(dy, dFinal, actual.cache());
            agreeGradients(reference.backward(dy, dFinal, expected.cache()), gradients);
            fast.release(gradients);
            assertEquals(true, gradients.dx().wasClosed(), "dx released");
            assertEquals(true, gradients.dInitial().h().wasClosed(), "dh0 released");
            for (String name : gradients.parameters().names()) {
                assertEquals(true, gradients.parameters().get(name).wasClosed(), name + " gradient released");
            }
            fast.release(gradients);
            var inference = fast.infer(x, mask);
            agree(expected.outputs(), inference.outputs(), "inference outputs, call " + call);
            fast.release(inference);
            assertEquals(true, inference.outputs().wasClosed(), "inference outputs released");
        }
    }

    @ParameterizedTest
    @EnumSource(Cells.class)
    void aTrainingLoopThatReleasesLearnsExactlyAsOneThatKeeps(Cells kind) {
        // two copies of one layer, trained on the same batches, one releasing every step's results
        FastRecurrentLayer<Object> keeping = new FastRecurrentLayer<>(layer(kind, DataType.DOUBLE, InitialState.ZEROS, 32));
        FastRecurrentLayer<Object> releasing = new FastRecurrentLayer<>(layer(kind, DataType.DOUBLE, InitialState.ZEROS, 32));
        Adam keepingOptimizer = new Adam(0.01);
        Adam releasingOptimizer = new Adam(0.01);
        for (int step = 0; step < 5; step++) {
            INDArray x = gaussian(221 + step, DataType.DOUBLE, N, T, D);
            INDArray dy = gaussian(231 + step, DataType.DOUBLE, N, T, H);
            var kept = keeping.forward(x);
            keepingOptimizer.step(keeping.parameters(), keeping.backward(dy, null, kept.cache()).parameters());
            var result = releasing.forward(x);
            SequenceGradients gradients = releasing.backward(dy, null, result.cache());
            releasingOptimizer.step(releasing.parameters(), gradients.parameters());
            releasing.release(result);
            releasing.release(gradients);
        }
        for (String name : keeping.parameters().names()) {
            assertEquals(keeping.parameters().get(name), releasing.parameters().get(name), name + " after 5 steps");
        }
    }

    @Test
    void refusesToReleaseAnotherLayersResults() {
        RecurrentLayer<Object> reference = layer(Cells.RNN_TANH, DataType.FLOAT, InitialState.ZEROS, 29);
        FastRecurrentLayer<Object> fast = new FastRecurrentLayer<>(reference);
        FastRecurrentLayer<Object> other = new FastRecurrentLayer<>(layer(Cells.RNN_TANH, DataType.FLOAT, InitialState.ZEROS, 30));
        INDArray x = gaussian(201, DataType.FLOAT, N, T, D);
        INDArray dy = gaussian(202, DataType.FLOAT, N, T, H);
        var mine = fast.forward(x);
        var theirs = other.forward(x);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fast.release(theirs));
        assertEquals("FastRecurrentLayer.release: result must be what this layer's forward returned, but its cache or "
                + "outputs come from elsewhere; release only this layer's own results.", e.getMessage());
        var referenceResult = reference.forward(x);
        assertThrows(IllegalArgumentException.class, () -> fast.release(referenceResult));
        var swapped = new RecurrentLayer.Result<>(theirs.outputs(), mine.finalState(), mine.cache());
        assertThrows(IllegalArgumentException.class, () -> fast.release(swapped));
        SequenceGradients referenceGradients = reference.backward(dy, null, referenceResult.cache());
        e = assertThrows(IllegalArgumentException.class, () -> fast.release(referenceGradients));
        assertEquals("FastRecurrentLayer.release: gradients must be what this layer's backward returned, but come from "
                + "elsewhere; release only this layer's own results.", e.getMessage());
        SequenceGradients theirGradients = other.backward(dy, null, theirs.cache());
        assertThrows(IllegalArgumentException.class, () -> fast.release(theirGradients));
        assertEquals(false, theirs.outputs().wasClosed(), "nothing was released by a refused call");
        assertEquals(false, theirGradients.dx().wasClosed(), "nothing was released by a refused call");
    }

    @Test
    void releasedArraysCannotBeReadAgain() {
        RecurrentLayer<Object> reference = layer(Cells.LSTM, DataType.FLOAT, InitialState.ZEROS, 31);
        FastRecurrentLayer<Object> fast = new FastRecurrentLayer<>(reference);
        INDArray dy = gaussian(212, DataType.FLOAT, N, T, H);
        var result = fast.forward(gaussian(211, DataType.FLOAT, N, T, D));
        SequenceGradients gradients = fast.backward(dy, null, result.cache());
        fast.release(result);
        fast.release(gradients);
        // the released outputs fed back in as inputs
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fast.backward(result.outputs(), null, result.cache()));
        assertEquals("FastRecurrentLayer.backward: dOutputs must be a live array, but its memory has been released (closed) "
                + "and can no longer be read.", e.getMessage());
        IllegalStateException stale = assertThrows(IllegalStateException.class, () -> gradients.dStates().get(0));
        assertEquals("FastRecurrentLayer: these dStates were released with the rest of their backward pass's gradients "
                + "(release(gradients)); read them before releasing.", stale.getMessage());
        // the caller's own x, closed between forward and backward
        INDArray x = gaussian(213, DataType.FLOAT, N, T, D);
        var second = fast.forward(x);
        x.close();
        IllegalStateException gone = assertThrows(IllegalStateException.class, () -> fast.backward(dy, null, second.cache()));
        assertEquals("FastRecurrentLayer.backward: the x of this cache's forward pass has been released (closed) since; "
                + "backward reads x for the gradient of Wx, so release x only after backward.", gone.getMessage());
        assertThrows(IllegalArgumentException.class, () -> fast.forward(x));
    }

    @Test
    void inferGivesTheForwardOutputsAndFinalState() {
        DataType type = DataType.FLOAT;
        RecurrentLayer<Object> reference = layer(Cells.GRU, type, InitialState.ZEROS, 19);
        FastRecurrentLayer<Object> fast = new FastRecurrentLayer<>(reference);
        SequenceMask mask = SequenceMask.ofLengths(new int[] {T, 4, 2}, T);
        INDArray x = gaussian(95, type, N, T, D);
        var expected = reference.forward(x, mask);
        FastRecurrentLayer.Inference inference = fast.infer(x, mask);
        agree(expected.outputs(), inference.outputs(), "outputs");
        agreeStates(expected.finalState(), inference.finalState(), "final state");
    }

    @ParameterizedTest
    @EnumSource(Cells.class)
    void doesNotModifyInputsOrCaches(Cells kind) {
        DataType type = DataType.DOUBLE;
        RecurrentLayer<Object> reference = layer(kind, type, InitialState.ZEROS, 20);
        FastRecurrentLayer<Object> fast = new FastRecurrentLayer<>(reference);
        SequenceMask mask = SequenceMask.ofLengths(new int[] {T, 4, 2}, T);
        INDArray x = gaussian(101, type, N, T, D);
        State initial = state(reference, 102, type);
        INDArray dy = gaussian(104, type, N, T, H);
        State dFinal = state(reference, 105, type);
        INDArray x0 = x.dup();
        INDArray h0 = initial.h().dup();
        INDArray dy0 = dy.dup();
        INDArray dh0 = dFinal.h().dup();
        var result = fast.forward(x, initial, mask);
        INDArray outputs = result.outputs().dup();
        SequenceGradients first = fast.backward(dy, dFinal, result.cache());
        // dStates are copied out of the layer's work buffer when first read, which must come before its next backward
        first.dStates().get(0);
        // changing the returned outputs and final state must not reach the cache
        result.outputs().assign(7.0);
        result.finalState().h().assign(7.0);
        SequenceGradients second = fast.backward(dy, dFinal, result.cache());
        agree(x0, x, "x");
        agree(h0, initial.h(), "initial h");
        agree(dy0, dy, "dOutputs");
        agree(dh0, dFinal.h(), "dFinal h");
        agreeGradients(first, second);
        agree(outputs, fast.forward(x, initial, mask).outputs(), "outputs of a second forward");
    }

    @Test
    void acceptsViewsAsInputs() {
        DataType type = DataType.DOUBLE;
        RecurrentLayer<Object> reference = layer(Cells.LSTM, type, InitialState.ZEROS, 21);
        FastRecurrentLayer<Object> fast = new FastRecurrentLayer<>(reference);
        INDArray wide = gaussian(111, type, N, T + 2, D);
        INDArray x = wide.get(NDArrayIndex.all(), NDArrayIndex.interval(1, T + 1), NDArrayIndex.all());
        INDArray dyWide = gaussian(112, type, N, 2 * T, H);
        INDArray dy = dyWide.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2, 2 * T), NDArrayIndex.all());
        var expected = reference.forward(x.dup());
        var actual = fast.forward(x);
        agreeResults(expected, actual);
        agreeGradients(reference.backward(dy.dup(), null, expected.cache()), fast.backward(dy, null, actual.cache()));
    }

    @Test
    void badShapesThrowTheDocumentedMessage() {
        FastRecurrentLayer<Object> fast = new FastRecurrentLayer<>(layer(Cells.LSTM, DataType.DOUBLE, InitialState.ZEROS, 22));
        ShapeException e = assertThrows(ShapeException.class,
                () -> fast.forward(Nd4j.zeros(DataType.DOUBLE, N, T, D + 1)));
        assertEquals("FastRecurrentLayer.forward: x must have shape (N, T, D) = (?, ?, 3), but has shape (3, 6, 4).", e.getMessage());
        ShapeException c = assertThrows(ShapeException.class, () -> fast.forward(Nd4j.zeros(DataType.DOUBLE, N, T, D),
                new State(Nd4j.zeros(DataType.DOUBLE, N, H), Nd4j.zeros(DataType.DOUBLE, N, H + 1)), null));
        assertEquals("FastRecurrentLayer.forward: initial.c must have shape (N, H) = (3, 5), but has shape (3, 6).", c.getMessage());
        var result = fast.forward(Nd4j.zeros(DataType.DOUBLE, N, T, D));
        ShapeException d = assertThrows(ShapeException.class,
                () -> fast.backward(Nd4j.zeros(DataType.DOUBLE, N, T - 1, H), null, result.cache()));
        assertEquals("FastRecurrentLayer.backward: dOutputs must have shape (N, T, H) = (3, 6, 5), but has shape (3, 5, 5).",
                d.getMessage());
    }

    @Test
    void refusesAReferenceCacheAndUnsupportedCells() {
        RecurrentLayer<Object> reference = layer(Cells.RNN_TANH, DataType.DOUBLE, InitialState.ZEROS, 23);
        FastRecurrentLayer<Object> fast = new FastRecurrentLayer<>(reference);
        var result = reference.forward(Nd4j.zeros(DataType.DOUBLE, N, T, D));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fast.backward(Nd4j.zeros(DataType.DOUBLE, N, T, H), null, result.cache()));
        assertEquals("FastRecurrentLayer.backward: cache must come from this layer's forward, but it was made by another "
                + "layer (a RecurrentLayer's cache goes to RecurrentLayer.backward).", e.getMessage());
        RecurrentCell<MemoryCell.Cache> memory = new MemoryCell(D, H, DataType.DOUBLE, 1);
        assertEquals(false, FastRecurrentLayer.supports(memory));
        IllegalArgumentException u = assertThrows(IllegalArgumentException.class, () -> FastRecurrentLayer.of(memory));
        assertEquals("FastRecurrentLayer: there is no fast path for " + memory
                + "; the fast path covers LstmCell, GruCell and RnnCell.", u.getMessage());
    }


    private static INDArray part(INDArray a, int from, int to) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(from, to)).dup();
    }

    @AfterAll
    static void report() {
        if (Boolean.getBoolean("unrolled.report")) {
            System.out.printf("AGREEMENT worst relative error: DOUBLE %.3e, FLOAT %.3e%n", Agree.worstDouble, Agree.worstFloat);
        }
    }
}

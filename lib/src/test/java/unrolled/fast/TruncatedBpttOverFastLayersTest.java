package unrolled.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static unrolled.fast.Agree.agree;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.cell.State;
import unrolled.recurrent.InitialState;
import unrolled.recurrent.RecurrentLayer;
import unrolled.recurrent.SequenceGradients;
import unrolled.data.SequenceMask;
import unrolled.recurrent.TruncatedBptt;

/**
 * {@link TruncatedBptt} over a {@link FastRecurrentLayer} against {@link TruncatedBptt} over the reference
 * {@link RecurrentLayer} it speeds up: the same chunks, the same state carried forward across chunk boundaries, the
 * same gradient cut at each boundary, so every output and gradient must agree to round-off ({@link Agree}).
 */
class TruncatedBpttOverFastLayersTest {

    private static final int N = 3;
    private static final int T = 7;
    private static final int D = 3;
    private static final int H = 5;

    static Stream<Arguments> cellsTypesAndWindows() {
        // k = 3: chunks [0, 3), [3, 6), [6, 7), the last shorter than the window; k = T: one chunk, full BPTT
        return Stream.of(Cells.values()).flatMap(kind -> Stream.of(DataType.DOUBLE, DataType.FLOAT)
                .flatMap(type -> Stream.of(3, T).map(window -> Arguments.of(kind, type, window))));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static RecurrentLayer<Object> layer(Cells kind, DataType type, InitialState policy, long seed) {
        return new RecurrentLayer(kind.create(D, H, type, seed), policy);
    }

    private static State state(RecurrentLayer<?> layer, long seed, DataType type) {
        return new State(Cells.gaussian(seed, type, N, H),
                layer.hasCellState() ? Cells.gaussian(seed + 1, type, N, H) : null);
    }

    private static void agreeStates(State expected, State actual, String what) {
        agree(expected.h(), actual.h(), what + " h");
        assertEquals(expected.c() == null, actual.c() == null, what + ": c present");
        if (expected.c() != null) {
            agree(expected.c(), actual.c(), what + " c");
        }
    }

    private static void agreeGradients(SequenceGradients expected, SequenceGradients actual) {
        agree(expected.dx(), actual.dx(), "dx");
        agreeStates(expected.dInitial(), actual.dInitial(), "d initial");
        assertEquals(expected.parameters().names(), actual.parameters().names(), "parameter names and order");
        for (Map.Entry<String, INDArray> entry : expected.parameters()) {
            agree(entry.getValue(), actual.parameters().get(entry.getKey()), "d" + entry.getKey());
        }
        assertEquals(expected.dStates().size(), actual.dStates().size(), "dStates size");
        for (int t = 0; t < expected.dStates().size(); t++) {
            agreeStates(expected.dStates().get(t), actual.dStates().get(t), "dL/dstate_" + t + " inside its chunk");
        }
    }

    @ParameterizedTest
    @MethodSource("cellsTypesAndWindows")
    void agreesWithTheReferenceFromAGivenStateWithPadding(Cells kind, DataType type, int window) {
        RecurrentLayer<Object> reference = layer(kind, type, InitialState.ZEROS, 11);
        FastRecurrentLayer<Object> fast = new FastRecurrentLayer<>(reference);
        // a full sequence, one ending inside the second chunk, one ending exactly at the first boundary
        SequenceMask mask = SequenceMask.ofLengths(new int[] {T, 5, 3}, T);
        INDArray x = Cells.gaussian(41, type, N, T, D);
        State initial = state(reference, 42, type);
        INDArray dy = Cells.gaussian(44, type, N, T, H);
        State dFinal = state(reference, 45, type);

        TruncatedBptt<Object> slow = new TruncatedBptt<>(reference, window);
        TruncatedBptt<Object> quick = new TruncatedBptt<>(fast, window);
        var expected = slow.forward(x, initial, mask);
        var actual = quick.forward(x, initial, mask);
        agree(expected.outputs(), actual.outputs(), "outputs");
        agreeStates(expected.finalState(), actual.finalState(), "final state");
        agreeGradients(slow.backward(dy, dFinal, expected.cache()), quick.backward(dy, dFinal, actual.cache()));
    }

    @ParameterizedTest
    @EnumSource(Cells.class)
    void aLearnedInitialStateGetsItsGradientThroughTheFirstChunkAsInTheReference(Cells kind) {
        DataType type = DataType.DOUBLE;
        RecurrentLayer<Object> reference = layer(kind, type, InitialState.LEARNED, 12);
        reference.parameters().get("h0").assign(Cells.gaussian(51, type, 1, H));
        if (reference.hasCellState()) {
            reference.parameters().get("c0").assign(Cells.gaussian(52, type, 1, H));
        }
        FastRecurrentLayer<Object> fast = new FastRecurrentLayer<>(reference);
        INDArray x = Cells.gaussian(53, type, N, T, D);
        INDArray dy = Cells.gaussian(54, type, N, T, H);

        TruncatedBptt<Object> slow = new TruncatedBptt<>(reference, 2);
        TruncatedBptt<Object> quick = new TruncatedBptt<>(fast, 2);
        var expected = slow.forward(x);
        var actual = quick.forward(x);
        agree(expected.outputs(), actual.outputs(), "outputs");
        SequenceGradients g = quick.backward(dy, null, actual.cache());
        agreeGradients(slow.backward(dy, null, expected.cache()), g);
        assertTrue(g.parameters().get("h0").norm2Number().doubleValue() > 1e-6, "h0 must receive a gradient");
    }

    @ParameterizedTest
    @EnumSource(Cells.class)
    void aCarriedStateFlowsAcrossChunksAndCallsAsInTheReference(Cells kind) {
        DataType type = DataType.DOUBLE;
        RecurrentLayer<Object> reference = layer(kind, type, InitialState.CARRIED, 13);
        // the fast layer carries its own state, separate from the reference layer's
        FastRecurrentLayer<Object> fast = new FastRecurrentLayer<>(reference);
        TruncatedBptt<Object> slow = new TruncatedBptt<>(reference, 3);
        TruncatedBptt<Object> quick = new TruncatedBptt<>(fast, 3);
        for (int call = 0; call < 2; call++) {
            INDArray x = Cells.gaussian(60 + call, type, N, T, D);
            INDArray dy = Cells.gaussian(70 + call, type, N, T, H);
            var expected = slow.forward(x);
            var actual = quick.forward(x);
            agree(expected.outputs(), actual.outputs(), "outputs of call " + call);
            agreeStates(expected.finalState(), actual.finalState(), "final state of call " + call);
            agreeStates(reference.carriedState(), fast.carriedState(), "carried after call " + call);
            agreeStates(actual.finalState(), fast.carriedState(), "carried = final state of the whole sequence");
            agreeGradients(slow.backward(dy, null, expected.cache()), quick.backward(dy, null, actual.cache()));
        }
    }

    @ParameterizedTest
    @EnumSource(Cells.class)
    void theFastLayerCutsTheGradientAtChunkBoundaries(Cells kind) {
        DataType type = DataType.DOUBLE;
        FastRecurrentLayer<Object> fast = new FastRecurrentLayer<>(layer(kind, type, InitialState.ZEROS, 14));
        INDArray x = Cells.gaussian(81, type, N, T, D);
        INDArray dy = Cells.gaussian(82, type, N, T, H);
        var full = fast.forward(x);
        SequenceGradients g = fast.backward(dy, null, full.cache());
        TruncatedBptt<Object> truncated = new TruncatedBptt<>(fast, 2);
        var chunked = truncated.forward(x);
        SequenceGradients gt = truncated.backward(dy, null, chunked.cache());
        // the same forward pass, but a different gradient: the recurrent weights miss the cross-boundary terms
        agree(full.outputs(), chunked.outputs(), "outputs");
        double difference = g.parameters().get("Wh").sub(gt.parameters().get("Wh")).norm2Number().doubleValue();
        assertTrue(difference > 1e-6, "truncation must change dWh, but the difference is " + difference);
    }
}

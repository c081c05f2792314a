package unrolled.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static unrolled.recurrent.Close.assertClose;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.TestData;
import unrolled.cell.RnnCell;
import unrolled.cell.State;
import unrolled.data.SequenceMask;
import unrolled.param.Gradients;
import unrolled.tensor.ShapeException;

class TruncatedBpttTest {

    private static final int N = 3;
    private static final int T = 5;
    private static final int D = 3;
    private static final int H = 4;

    private static RecurrentLayer<MemoryCell.Cache> memoryLayer() {
        return new RecurrentLayer<>(new MemoryCell(D, H, DataType.DOUBLE, 3));
    }

    private static INDArray steps(INDArray a, int from, int to) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup();
    }

    @ParameterizedTest
    @ValueSource(ints = {T, T + 3})
    void equalsFullBpttWhenTheWindowCoversTheSequence(int window) {
        RecurrentLayer<MemoryCell.Cache> layer = memoryLayer();
        TruncatedBptt<MemoryCell.Cache> truncated = new TruncatedBptt<>(layer, window);
        SequenceMask mask = SequenceMask.ofLengths(new int[] {5, 2, 4}, T);
        INDArray x = TestData.gaussian(1, N, T, D);
        State initial = new State(TestData.gaussian(2, N, H), TestData.gaussian(3, N, H));
        INDArray R = TestData.gaussian(4, N, T, H);
        State dFinal = new State(TestData.gaussian(5, N, H), TestData.gaussian(6, N, H));

        var full = layer.forward(x, initial, mask);
        SequenceGradients g = layer.backward(R, dFinal, full.cache());
        var chunked = truncated.forward(x, initial, mask);
        SequenceGradients gt = truncated.backward(R, dFinal, chunked.cache());
        assertClose(full.outputs(), chunked.outputs(), 0, "outputs");
        assertClose(full.finalState().h(), chunked.finalState().h(), 0, "final h");
        assertClose(full.finalState().c(), chunked.finalState().c(), 0, "final c");
        assertClose(g.dx(), gt.dx(), 0, "dx");
        assertClose(g.dInitial().h(), gt.dInitial().h(), 0, "d initial h");
        assertClose(g.dInitial().c(), gt.dInitial().c(), 0, "d initial c");
        for (var entry : g.parameters()) {
            assertClose(entry.getValue(), gt.parameters().get(entry.getKey()), 0, "d" + entry.getKey());
        }
    }

    @Test
    void aShorterWindowStopsTheGradientAtChunkBoundariesAndEqualsAManualChunkedComputation() {
        int k = 2; // chunks [0, 2), [2, 4), [4, 5)
        RecurrentLayer<MemoryCell.Cache> layer = memoryLayer();
        TruncatedBptt<MemoryCell.Cache> truncated = new TruncatedBptt<>(layer, k);
        SequenceMask mask = SequenceMask.ofLengths(new int[] {5, 3, 1}, T);
        INDArray x = TestData.gaussian(7, N, T, D);
        State initial = new State(TestData.gaussian(8, N, H), TestData.gaussian(9, N, H));
        INDArray R = TestData.gaussian(10, N, T, H);
        State dFinal = new State(TestData.gaussian(11, N, H), TestData.gaussian(12, N, H));
        var chunked = truncated.forward(x, initial, mask);
        SequenceGradients gt = truncated.backward(R, dFinal, chunked.cache());

        // the reference, by hand: run each chunk from a copy of the previous chunk's final state
        Gradients summed = new Gradients();
        State state = initial;
        int[][] chunks = {{0, 2}, {2, 4}, {4, 5}};
        for (int j = 0; j < chunks.length; j++) {
            int from = chunks[j][0];
            int to = chunks[j][1];
            var r = layer.forward(steps(x, from, to), state, mask.window(from, to));
            assertClose(r.outputs(), steps(chunked.outputs(), from, to), 0, "outputs of chunk " + j);
            SequenceGradients gj = layer.backward(steps(R, from, to), j == chunks.length - 1 ? dFinal : null, r.cache());
            assertClose(gj.dx(), steps(gt.dx(), from, to), 1e-15, "dx of chunk " + j);
            if (j == 0) {
                assertClose(gj.dInitial().h(), gt.dInitial().h(), 1e-15, "d initial h");
            }
            for (var entry : gj.parameters()) {
                summed.accumulate(entry.getKey(), entry.getValue());
            }
            state = new State(r.finalState().h().dup(), r.finalState().c().dup());
        }
        for (var entry : summed) {
            assertClose(entry.getValue(), gt.parameters().get(entry.getKey()), 1e-13, "Σ_chunks d" + entry.getKey());
        }

        // the forward pass is the same as the full one, but the gradients are not
        var full = layer.forward(x, initial, mask);
        SequenceGradients g = layer.backward(R, dFinal, full.cache());
        assertClose(full.outputs(), chunked.outputs(), 0, "outputs");
        double difference = g.parameters().get("Wh").sub(gt.parameters().get("Wh")).norm2Number().doubleValue();
        assertTrue(difference > 1e-3, "truncation must change dWh, but the difference is " + difference);
        double dxDifference = g.dx().sub(gt.dx()).norm2Number().doubleValue();
        assertTrue(dxDifference > 1e-3, "truncation must change dx, but the difference is " + dxDifference);
    }

    @Test
    void aLearnedInitialStateIsReachedThroughTheFirstChunkOnly() {
        RecurrentLayer<RnnCell.Cache> layer = new RecurrentLayer<>(RecurrentLayerTest.rnn(RnnCell.Activation.TANH, 5),
                InitialState.LEARNED);
        layer.parameters().get("h0").assign(TestData.gaussian(13, 1, H));
        TruncatedBptt<RnnCell.Cache> truncated = new TruncatedBptt<>(layer, 2);
        INDArray x = TestData.gaussian(14, N, T, D);
        INDArray R = TestData.gaussian(15, N, T, H);
        SequenceGradients gt = truncated.backward(R, null, truncated.forward(x).cache());
        var first = layer.forward(steps(x, 0, 2));
        SequenceGradients g0 = layer.backward(steps(R, 0, 2), null, first.cache());
        assertClose(g0.parameters().get("h0"), gt.parameters().get("h0"), 1e-15, "dh0 from chunk 0");
    }

    @Test
    void aCarriedLayerRemembersTheFinalStateOfTheWholeSequence() {
        RecurrentLayer<RnnCell.Cache> layer = new RecurrentLayer<>(RecurrentLayerTest.rnn(RnnCell.Activation.TANH, 5),
                InitialState.CARRIED);
        var result = new TruncatedBptt<>(layer, 2).forward(TestData.gaussian(16, N, T, D));
        assertClose(result.finalState().h(), layer.carriedState().h(), 0, "carried");
    }

    @Test
    void badArgumentsAreRefused() {
        IllegalArgumentException window = assertThrows(IllegalArgumentException.class,
                () -> new TruncatedBptt<>(memoryLayer(), 0));
        assertEquals("TruncatedBptt: window must be positive, but is 0.", window.getMessage());
        TruncatedBptt<MemoryCell.Cache> truncated = new TruncatedBptt<>(memoryLayer(), 2);
        var cache = truncated.forward(TestData.gaussian(1, N, T, D)).cache();
        ShapeException dOut = assertThrows(ShapeException.class,
                () -> truncated.backward(Nd4j.zeros(DataType.DOUBLE, N, T - 1, H), null, cache));
        assertEquals("TruncatedBptt.backward: dOutputs must have shape (N, T, H) = (3, 5, 4), but has shape (3, 4, 4).",
                dOut.getMessage());
        ShapeException mask = assertThrows(ShapeException.class,
                () -> truncated.forward(TestData.gaussian(1, N, T, D), SequenceMask.ofLengths(new int[] {1, 2}, T)));
        assertEquals("TruncatedBptt.forward: mask must have shape (N, T) = (3, 5), but has shape (2, 5).", mask.getMessage());
    }
}

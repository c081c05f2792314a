package unrolled.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static unrolled.fast.Agree.agree;

import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.Stream;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.cell.State;
import unrolled.recurrent.RecurrentLayer;
import unrolled.recurrent.SequenceGradients;
import unrolled.data.SequenceMask;

/**
 * The fast path split into lanes (sequences of the batch walked through time on separate threads) gives the reference's
 * numbers, whatever the split: lanes are forced here, so the test runs them even on a one-core machine and at sizes too
 * small for the layer to choose them.
 */
class LanesTest {

    private static final int N = 5;
    private static final int T = 6;
    private static final int D = 3;
    private static final int H = 4;

    @AfterEach
    void stopForcing() {
        Lanes.forced = 0;
    }

    static Stream<Arguments> cellsTypesAndLanes() {
        return Stream.of(Cells.values()).flatMap(kind -> Stream.of(DataType.DOUBLE, DataType.FLOAT)
                .flatMap(type -> Stream.of(2, 3, N).map(lanes -> Arguments.of(kind, type, lanes))));
    }

    @ParameterizedTest
    @MethodSource("cellsTypesAndLanes")
    void lanesAgreeWithTheReference(Cells kind, DataType type, int lanes) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        RecurrentLayer<Object> reference = new RecurrentLayer(kind.create(D, H, type, 17));
        FastRecurrentLayer<Object> fast = new FastRecurrentLayer<>(reference);
        SequenceMask mask = SequenceMask.ofLengths(new int[] {T, 2, 0, 5, T}, T);
        INDArray x = Cells.gaussian(1, type, N, T, D);
        State initial = new State(Cells.gaussian(2, type, N, H), reference.hasCellState() ? Cells.gaussian(3, type, N, H) : null);
        INDArray dy = Cells.gaussian(4, type, N, T, H);
        State dFinal = new State(Cells.gaussian(5, type, N, H), reference.hasCellState() ? Cells.gaussian(6, type, N, H) : null);
        int blasThreads = openblas_nolapack.blas_get_num_threads();

        Lanes.forced = lanes;
        var actual = fast.forward(x, initial, mask);
        SequenceGradients g = fast.backward(dy, dFinal, actual.cache());
        Lanes.forced = 0;
        var expected = reference.forward(x, initial, mask);
        SequenceGradients e = reference.backward(dy, dFinal, expected.cache());

        agree(expected.outputs(), actual.outputs(), "outputs");
        agree(expected.finalState().h(), actual.finalState().h(), "final h");
        agree(e.dx(), g.dx(), "dx");
        agree(e.dInitial().h(), g.dInitial().h(), "d initial h");
        if (reference.hasCellState()) {
            agree(expected.finalState().c(), actual.finalState().c(), "final c");
            agree(e.dInitial().c(), g.dInitial().c(), "d initial c");
        }
        for (Map.Entry<String, INDArray> entry : e.parameters()) {
            agree(entry.getValue(), g.parameters().get(entry.getKey()), "d" + entry.getKey());
        }
        assertEquals(blasThreads, openblas_nolapack.blas_get_num_threads(), "OpenBLAS's thread count is restored");
    }

    @Test
    void everySequenceIsRunByExactlyOneLane() {
        for (int lanes = 1; lanes <= 7; lanes++) {
            AtomicIntegerArray visits = new AtomicIntegerArray(7);
            Lanes.run(lanes, 7, (lane, from, to) -> {
                for (int n = from; n < to; n++) {
                    visits.incrementAndGet(n);
                }
            });
            for (int n = 0; n < 7; n++) {
                assertEquals(1, visits.get(n), "sequence " + n + " with " + lanes + " lanes");
            }
        }
    }

    /**
     * OpenBLAS's own count, read from the library (JavaCPP's {@code blas_get_num_threads} returns the last value set
     * through JavaCPP). JavaCPP ships no function-pointer type for {@code int f(void)}; the one for {@code int f(int)}
     * calls it with an argument the function ignores, which is harmless in the x86-64 and AArch64 calling conventions.
     */
    private static final class OpenBlasThreads extends org.bytedeco.openblas.presets.openblas_nolapack.MklSetNumThreadsLocal {
        OpenBlasThreads() {
            super();
            put(Loader.addressof("openblas_get_num_threads"));
        }

        int count() {
            return call(0);
        }
    }

    @Test
    void openBlasRunsOneThreadInsideLanesAndItsSettingReturnsAfter() {
        Loader.load(openblas_nolapack.class);
        OpenBlasThreads threads = new OpenBlasThreads();
        int before = threads.count();
        AtomicIntegerArray inside = new AtomicIntegerArray(2);
        Lanes.run(2, 2, (lane, from, to) -> inside.set(lane, threads.count()));
        assertEquals(1, inside.get(0), "lane 0");
        assertEquals(1, inside.get(1), "lane 1");
        assertEquals(before, threads.count(), "after");
        assertEquals(openblas_nolapack.blas_get_num_threads(), threads.count(), "as Threads set it");
    }

    @Test
    void aFailureInAnyLaneReachesTheCaller() {
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> Lanes.run(3, 6, (lane, from, to) -> {
            if (lane == 2) {
                throw new IllegalStateException("lane 2 failed");
            }
        }));
        assertEquals("lane 2 failed", failure.getMessage());
    }

    @Test
    void smallPassesUseOneLane() {
        assertEquals(1, Lanes.count(64, Lanes.MINIMUM_WORK - 1));
        assertEquals(1, Lanes.count(1, Lanes.MINIMUM_WORK * 100));
    }
}

package unrolled.fast;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
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
 * The time loop allocates nothing per step.
 *
 * <p>Method: {@code ThreadMXBean.getThreadAllocatedBytes} counts every byte this thread allocates on the Java heap.
 * Any ND4J call allocates heap objects (the INDArray, its shape information, the op), and so does any off-heap buffer
 * (its DataBuffer and Pointer wrappers), so a per-step allocation of either kind shows up as heap bytes that grow
 * with T. We measure a forward + backward pass (with a mask, so the padding branch runs too) at T = 10 and at T = 100,
 * after warming up so that the JIT's one-off allocations are over and its optimising compiler has compiled the loops
 * (repeating the measurement after more warm-up until it has, for up to 90 s), take the smallest of several repetitions of each,
 * and require the slope (bytes(T = 100) − bytes(T = 10)) / 90 to be below 8 bytes per step: a single object per step
 * would cost at least 16. The constant part (per-call buffers and wrappers) cancels in the difference. The reference
 * layer, for comparison, allocates kilobytes per step. With lanes (forced here, as the sizes are too small for the layer
 * to choose them), the bytes of the lane threads are counted too.
 */
class FastRecurrentLayerAllocationTest {

    private static final int N = 4;
    private static final int D = 3;
    private static final int H = 8;

    static Stream<Arguments> cellsAndLanes() {
        return Stream.of(Cells.values()).flatMap(kind -> Stream.of(1, 2).map(lanes -> Arguments.of(kind, lanes)));
    }

    @AfterEach
    void stopForcing() {
        Lanes.forced = 0;
    }

    @ParameterizedTest
    @MethodSource("cellsAndLanes")
    void theTimeLoopAllocatesNothingPerStep(Cells kind, int lanes) {
        Lanes.forced = lanes;
        counted = null;
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        @SuppressWarnings({"unchecked", "rawtypes"})
        RecurrentLayer<Object> reference = new RecurrentLayer(kind.create(D, H, DataType.FLOAT, 5));
        // one layer per length, so that each reuses its own work buffers call after call (a layer that alternates
        // between lengths would reallocate them, a constant cost that would not cancel in the difference)
        FastRecurrentLayer<Object> fastShort = new FastRecurrentLayer<>(reference);
        FastRecurrentLayer<Object> fastLong = new FastRecurrentLayer<>(reference);
        // a first pass starts the lane threads, so that they are found and their start-up is not measured
        bytes(threads, fastShort, 10);
        counted = null;
        // the vector path's intermediate vectors live in registers only once the JIT's optimising compiler (C2) has
        // compiled its loops; interpreted or C1-compiled, each is a heap object. C2 compiles in the background, so
        // the measurement is repeated, with more warm-up passes in between, until it sees the compiled loops (for at
        // most 90 s: in the whole suite, with a hundred test classes' code to compile, the compiler's queue is long and
        // 20 s proved too short once the encoder-decoder's and Transformer's fast paths joined it): what must hold is
        // the steady state, with no allocation per step.
        long shortRun = Long.MAX_VALUE;
        long longRun = Long.MAX_VALUE;
        double perStep = Double.NaN;
        int rounds = 0;
        long deadline = System.nanoTime() + 90_000_000_000L;
        for (; !(perStep < 8) && System.nanoTime() < deadline; rounds++) {
            for (int warmUp = 0; warmUp < 100; warmUp++) {
                bytes(threads, fastLong, 100);
            }
            shortRun = Long.MAX_VALUE;
            longRun = Long.MAX_VALUE;
            for (int repeat = 0; repeat < 30; repeat++) {
                shortRun = Math.min(shortRun, bytes(threads, fastShort, 10));
                longRun = Math.min(longRun, bytes(threads, fastLong, 100));
            }
            perStep = (longRun - shortRun) / 90.0;
        }
        if (Boolean.getBoolean("unrolled.report")) {
            System.out.printf("ALLOCATION %-9s lanes %d  T=10: %d bytes, T=100: %d bytes, %.2f bytes per step (%d rounds)%n",
                    kind, lanes, shortRun, longRun, perStep, rounds);
        }
        assertTrue(perStep < 8, "the time loop allocates " + perStep + " bytes per step (T=10: " + shortRun
                + " bytes, T=100: " + longRun + " bytes) after " + rounds + " rounds of warm-up");
    }

    private static long bytes(ThreadMXBean threads, FastRecurrentLayer<Object> fast, int steps) {
        INDArray x = Cells.gaussian(1, DataType.FLOAT, N, steps, D);
        INDArray dy = Cells.gaussian(2, DataType.FLOAT, N, steps, H);
        SequenceMask mask = SequenceMask.ofLengths(new int[] {steps, steps / 2, 1, steps}, steps);
        long before = allocated(threads);
        var result = fast.forward(x, mask);
        SequenceGradients g = fast.backward(dy, (State) null, result.cache());
        long after = allocated(threads);
        if (g.dx() == null) {
            throw new AssertionError("no dx");
        }
        return after - before;
    }

    /** @return the bytes allocated so far by this thread and by the lane threads (found once, outside the measurements) */
    private static long allocated(ThreadMXBean threads) {
        if (counted == null) {
            counted = Stream.concat(Stream.of(Thread.currentThread()), Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> thread.getName().equals("unrolled-fast-lane"))).mapToLong(Thread::getId).toArray();
        }
        long bytes = 0;
        for (long id : counted) {
            bytes += threads.getThreadAllocatedBytes(id);
        }
        return bytes;
    }

    /** The threads whose allocations count: this one and the lanes'. */
    private static long[] counted;
}

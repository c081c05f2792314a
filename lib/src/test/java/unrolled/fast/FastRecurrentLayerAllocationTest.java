package unrolled.fast;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.cell.State;
import unrolled.recurrent.RecurrentLayer;
import unrolled.recurrent.SequenceGradients;
import unrolled.recurrent.SequenceMask;

/**
 * The time loop allocates nothing per step.
 *
 * <p>Method: {@code ThreadMXBean.getThreadAllocatedBytes} counts every byte this thread allocates on the Java heap.
 * Any ND4J call allocates heap objects (the INDArray, its shape information, the op), and so does any off-heap buffer
 * (its DataBuffer and Pointer wrappers), so a per-step allocation of either kind shows up as heap bytes that grow
 * with T. We measure a forward + backward pass (with a mask, so the padding branch runs too) at T = 10 and at T = 100,
 * after warming up so that the JIT's one-off allocations are over, take the smallest of several repetitions of each,
 * and require the slope (bytes(T = 100) − bytes(T = 10)) / 90 to be below 8 bytes per step: a single object per step
 * would cost at least 16. The constant part (per-call buffers and wrappers) cancels in the difference. The reference
 * layer, for comparison, allocates kilobytes per step.
 */
class FastRecurrentLayerAllocationTest {

    private static final int N = 4;
    private static final int D = 3;
    private static final int H = 8;

    @ParameterizedTest
    @EnumSource(Cells.class)
    void theTimeLoopAllocatesNothingPerStep(Cells kind) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        @SuppressWarnings({"unchecked", "rawtypes"})
        RecurrentLayer<Object> reference = new RecurrentLayer(kind.create(D, H, DataType.FLOAT, 5));
        FastRecurrentLayer<Object> fast = new FastRecurrentLayer<>(reference);
        long shortRun = Long.MAX_VALUE;
        long longRun = Long.MAX_VALUE;
        for (int repeat = 0; repeat < 30; repeat++) {
            shortRun = Math.min(shortRun, bytes(threads, fast, 10));
            longRun = Math.min(longRun, bytes(threads, fast, 100));
        }
        double perStep = (longRun - shortRun) / 90.0;
        if (Boolean.getBoolean("unrolled.report")) {
            System.out.printf("ALLOCATION %-9s T=10: %d bytes, T=100: %d bytes, %.2f bytes per step%n", kind, shortRun, longRun, perStep);
        }
        assertTrue(perStep < 8, "the time loop allocates " + perStep + " bytes per step (T=10: " + shortRun
                + " bytes, T=100: " + longRun + " bytes)");
    }

    private static long bytes(ThreadMXBean threads, FastRecurrentLayer<Object> fast, int steps) {
        INDArray x = Cells.gaussian(1, DataType.FLOAT, N, steps, D);
        INDArray dy = Cells.gaussian(2, DataType.FLOAT, N, steps, H);
        SequenceMask mask = SequenceMask.ofLengths(new int[] {steps, steps / 2, 1, steps}, steps);
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        var result = fast.forward(x, mask);
        SequenceGradients g = fast.backward(dy, (State) null, result.cache());
        long after = threads.getThreadAllocatedBytes(id);
        if (g.dx() == null) {
            throw new AssertionError("no dx");
        }
        return after - before;
    }
}

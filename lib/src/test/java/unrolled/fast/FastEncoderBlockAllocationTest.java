package unrolled.fast;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.layer.LayerGradients;
import unrolled.data.SequenceMask;
import unrolled.transformer.TransformerEncoderBlock;

/**
 * The fast encoder block allocates nothing per position.
 *
 * <p>Method, as for the recurrent fast path: {@code ThreadMXBean.getThreadAllocatedBytes} counts every byte this
 * thread allocates on the Java heap, and any ND4J call or off-heap buffer allocates heap objects too, so work done per
 * position with objects shows up as heap bytes that grow with T. We measure a forward + backward pass (causal, with
 * padded keys, so the masked rows run too) at T = 8 and T = 32 for the same N, each through its own fast block so that
 * each reuses its own buffers, after warming up until the JIT's optimising compiler has compiled the loops (for up to
 * 60 s: the suite runs on a loaded machine), take the smallest of several repetitions of each, and require the slope
 * (bytes(T = 32) − bytes(T = 8)) / (N·24) to be below 8 bytes per position: a single object per position would cost
 * at least 16. The constant part (the returned arrays, the gradients' wrappers) cancels in the difference.
 */
class FastEncoderBlockAllocationTest {

    private static final int N = 3;
    private static final int D = 8;
    private static final int SHORT = 8;
    private static final int LONG = 32;

    @Test
    void aPassAllocatesNothingPerPosition() {
        requireNothingPerPosition(false);
    }

    /** The same with gradient only at the last step, where the backward pass works on one row per sequence. */
    @Test
    void aPassFromTheLastStepAloneAllocatesNothingPerPosition() {
        requireNothingPerPosition(true);
    }

    private static void requireNothingPerPosition(boolean lastStepOnly) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        TransformerEncoderBlock reference = new TransformerEncoderBlock(D, 2, 16, DataType.FLOAT, 5);
        FastEncoderBlock fastShort = new FastEncoderBlock(reference);
        FastEncoderBlock fastLong = new FastEncoderBlock(reference);
        long shortRun = Long.MAX_VALUE;
        long longRun = Long.MAX_VALUE;
        double perPosition = Double.NaN;
        int rounds = 0;
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (; !(perPosition < 8) && System.nanoTime() < deadline; rounds++) {
            for (int warmUp = 0; warmUp < 50; warmUp++) {
                bytes(threads, fastLong, LONG, lastStepOnly);
                bytes(threads, fastShort, SHORT, lastStepOnly);
            }
            shortRun = Long.MAX_VALUE;
            longRun = Long.MAX_VALUE;
            for (int repeat = 0; repeat < 20; repeat++) {
                shortRun = Math.min(shortRun, bytes(threads, fastShort, SHORT, lastStepOnly));
                longRun = Math.min(longRun, bytes(threads, fastLong, LONG, lastStepOnly));
            }
            perPosition = (longRun - shortRun) / (double) (N * (LONG - SHORT));
        }
        if (Boolean.getBoolean("unrolled.report")) {
            System.out.printf("ALLOCATION encoder block%s  T=%d: %d bytes, T=%d: %d bytes, %.2f bytes per position (%d rounds)%n",
                    lastStepOnly ? " (last step)" : "", SHORT, shortRun, LONG, longRun, perPosition, rounds);
        }
        assertTrue(perPosition < 8, "a pass allocates " + perPosition + " bytes per position (T=" + SHORT + ": " + shortRun
                + " bytes, T=" + LONG + ": " + longRun + " bytes) after " + rounds + " rounds of warm-up");
    }

    private static long bytes(ThreadMXBean threads, FastEncoderBlock fast, int steps, boolean lastStepOnly) {
        INDArray x = Cells.gaussian(1, DataType.FLOAT, N, steps, D);
        INDArray dy = Cells.gaussian(2, DataType.FLOAT, N, steps, D);
        if (lastStepOnly) {
            dy.get(NDArrayIndex.all(), NDArrayIndex.interval(0, steps - 1), NDArrayIndex.all()).assign(0);
        }
        SequenceMask mask = SequenceMask.ofLengths(new int[] {steps, steps / 2, 1}, steps);
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        FastEncoderBlock.Tape tape = fast.forward(x, mask, true);
        LayerGradients g = fast.backward(dy, tape);
        long after = threads.getThreadAllocatedBytes(id);
        if (g.dx() == null) {
            throw new AssertionError("no dx");
        }
        return after - before;
    }
}

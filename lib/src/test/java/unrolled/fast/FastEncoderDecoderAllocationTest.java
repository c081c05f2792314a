package unrolled.fast;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import unrolled.models.CellType;
import unrolled.seq2seq.AttentionType;
import unrolled.seq2seq.EncoderDecoder;
import unrolled.seq2seq.Seq2SeqBatch;
import unrolled.seq2seq.Seq2SeqConfiguration;

/**
 * The encoder–decoder's fast training step allocates nothing per decoder step.
 *
 * <p>Method, as in {@link FastRecurrentLayerAllocationTest}: {@code ThreadMXBean.getThreadAllocatedBytes} counts the
 * heap bytes this thread allocates during one {@code lossAndGradients} call, on the same sources with targets of 4 and
 * of 40 steps (one model per length, so that each reuses its own buffers). The encoder, the embedding and the
 * gradients returned cost the same at both lengths and cancel in the difference; what is left is the decoder's time
 * loop, which must cost under 8 bytes per step (a single object per step would cost at least 16). The smallest of
 * several repetitions is taken, after warming up until the JIT's optimising compiler has compiled the loops (the
 * measurement is repeated with more warm-up in between, for up to 60 s: the whole suite runs on a loaded machine).
 */
class FastEncoderDecoderAllocationTest {

    private static final int SHORT = 4;
    private static final int LONG = 40;

    static Stream<Arguments> configurations() {
        return Stream.of(Arguments.of(CellType.GRU, AttentionType.BAHDANAU), Arguments.of(CellType.LSTM, AttentionType.LUONG_GENERAL),
                Arguments.of(CellType.GRU, AttentionType.NONE));
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void theDecoderStepsAllocateNothingPerStep(CellType cell, AttentionType attention) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        EncoderDecoder shortModel = model(cell, attention);
        EncoderDecoder longModel = model(cell, attention);
        Seq2SeqBatch shortBatch = batch(SHORT);
        Seq2SeqBatch longBatch = batch(LONG);
        long shortRun = Long.MAX_VALUE;
        long longRun = Long.MAX_VALUE;
        double perStep = Double.NaN;
        int rounds = 0;
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (; !(perStep < 8) && System.nanoTime() < deadline; rounds++) {
            for (int warmUp = 0; warmUp < 50; warmUp++) {
                bytes(threads, longModel, longBatch);
                bytes(threads, shortModel, shortBatch);
            }
            shortRun = Long.MAX_VALUE;
            longRun = Long.MAX_VALUE;
            for (int repeat = 0; repeat < 20; repeat++) {
                shortRun = Math.min(shortRun, bytes(threads, shortModel, shortBatch));
                longRun = Math.min(longRun, bytes(threads, longModel, longBatch));
            }
            perStep = (longRun - shortRun) / (double) (LONG - SHORT);
        }
        if (Boolean.getBoolean("unrolled.report")) {
            System.out.printf("ALLOCATION %s %s  T=%d: %d bytes, T=%d: %d bytes, %.2f bytes per step (%d rounds)%n", cell,
                    attention, SHORT, shortRun, LONG, longRun, perStep, rounds);
        }
        assertTrue(perStep < 8, "the decoder allocates " + perStep + " bytes per step (T=" + SHORT + ": " + shortRun
                + " bytes, T=" + LONG + ": " + longRun + " bytes) after " + rounds + " rounds of warm-up");
    }

    private static EncoderDecoder model(CellType cell, AttentionType attention) {
        EncoderDecoder model = new EncoderDecoder(Seq2SeqConfiguration.of(9, 9, 4, 8).withCell(cell).withAttention(attention)
                .withDataType(DataType.FLOAT).withSeed(3));
        assertTrue(model.usesFastPath());
        return model;
    }

    /** Three sources of mixed lengths (the same at every target length), targets of {@code steps} − 1 tokens and &lt;eos&gt;. */
    private static Seq2SeqBatch batch(int steps) {
        List<int[]> sources = List.of(new int[] {4, 5, 6, 7, 8}, new int[] {5, 6}, new int[] {8, 7, 6});
        List<int[]> targets = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            int[] target = new int[steps - 1];
            for (int t = 0; t < target.length; t++) {
                target[t] = 4 + (t + i) % 5;
            }
            targets.add(target);
        }
        return Seq2SeqBatch.of(sources, targets);
    }

    private static long bytes(ThreadMXBean threads, EncoderDecoder model, Seq2SeqBatch batch) {
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        double loss = model.lossAndGradients(batch, 1.0).loss();
        long after = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        if (!(loss > 0)) {
            throw new AssertionError("no loss");
        }
        return after - before;
    }
}

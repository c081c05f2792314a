package unrolled.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.attention.AdditiveAttention;
import unrolled.attention.Attention;
import unrolled.attention.LuongAttention;
import unrolled.cell.RecurrentCell;
import unrolled.data.Vocabulary;
import unrolled.layer.Affine;
import unrolled.layer.Embedding;
import unrolled.models.CellType;
import unrolled.data.SequenceMask;
import unrolled.seq2seq.AttentionType;

/**
 * Greedy decoding and beam search on {@link FastDecoding} allocate nothing per decoder step beyond their results.
 *
 * <p>Method, as in {@link FastEncoderDecoderAllocationTest}: {@code ThreadMXBean.getThreadAllocatedBytes} counts the
 * heap bytes of one call at a limit of 4 and of 40 tokens, with &lt;eos&gt; held down so that every row (every
 * prefix) runs to the limit. The result itself grows with the limit (N rows of tokens for greedy, k prefixes of tokens
 * for the beam), so the bytes of allocating exactly those arrays are measured the same way and taken off; what is left
 * must grow by under 8 bytes per step (a single object per step would cost at least 16). The smallest of several
 * repetitions is taken, after warming up until the optimising compiler has compiled the loops (for up to 60 s).
 */
class FastDecodingAllocationTest {

    private static final int SHORT = 4;
    private static final int LONG = 40;
    private static final int V = 9;
    private static final int E = 4;
    private static final int H = 8;
    private static final int WIDTH = 3;
    /** Where allocated arrays escape to, so that the compiler cannot leave them out. */
    static volatile Object sink;

    @ParameterizedTest
    @MethodSource("unrolled.fast.FastEncoderDecoderAllocationTest#configurations")
    void greedyAndBeamSearchAllocateNothingPerStep(CellType cell, AttentionType attention) {
        FastDecoding decoding = decoding(cell, attention);
        INDArray sources = Nd4j.createFromArray(new int[][] {{4, 5, 6, 7, 8}, {5, 6, 0, 0, 0}, {8, 7, 6, 0, 0}});
        SequenceMask mask = SequenceMask.ofLengths(new int[] {5, 2, 3}, 5);
        FastDecoding.Source source = decoding.source(new int[] {4, 5, 6, 7});
        int[] added = {0};
        FastDecoding.Hypotheses count = (tokens, logProbability, length, finished) -> added[0]++;
        // the calls, and the arrays their results hold
        Step greedyShort = () -> decoding.greedy(sources, mask, SHORT);
        Step greedyLong = () -> decoding.greedy(sources, mask, LONG);
        Step resultShort = () -> tokenArrays(3, SHORT);
        Step resultLong = () -> tokenArrays(3, LONG);
        Step beamShort = () -> source.beamSearch(WIDTH, SHORT, count);
        Step beamLong = () -> source.beamSearch(WIDTH, LONG, count);
        Step prefixesShort = () -> tokenArrays(WIDTH, SHORT);
        Step prefixesLong = () -> tokenArrays(WIDTH, LONG);
        int[][] tokens = decoding.greedy(sources, mask, LONG);
        for (int[] row : tokens) {
            assertEquals(LONG, row.length, "<eos> is held down: every row runs to the limit");
        }
        source.beamSearch(WIDTH, LONG, count);
        assertEquals(WIDTH, added[0], "nothing finishes: the search hands over its k prefixes at the limit");
        double greedyPerStep = Double.NaN;
        double beamPerStep = Double.NaN;
        int rounds = 0;
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (; !(greedyPerStep < 8 && beamPerStep < 8) && System.nanoTime() < deadline; rounds++) {
            for (int warmUp = 0; warmUp < 100; warmUp++) {
                greedyShort.run();
                greedyLong.run();
                beamShort.run();
                beamLong.run();
            }
            greedyPerStep = (least(greedyLong) - least(resultLong) - least(greedyShort) + least(resultShort)) / (double) (LONG - SHORT);
            beamPerStep = (least(beamLong) - least(prefixesLong) - least(beamShort) + least(prefixesShort)) / (double) (LONG - SHORT);
        }
        if (Boolean.getBoolean("unrolled.report")) {
            System.out.printf("ALLOCATION %s %s greedy %.2f, beam %.2f bytes per step beyond the results (%d rounds)%n", cell,
                    attention, greedyPerStep, beamPerStep, rounds);
        }
        assertTrue(greedyPerStep < 8, "greedy allocates " + greedyPerStep + " bytes per step beyond its result");
        assertTrue(beamPerStep < 8, "the beam search allocates " + beamPerStep + " bytes per step beyond its prefixes");
    }

    /** A call whose allocation is measured. */
    private interface Step {
        void run();
    }

    /** Allocates what a result of {@code rows} token arrays of {@code length} holds. */
    private static void tokenArrays(int rows, int length) {
        int[][] arrays = new int[rows][];
        for (int i = 0; i < rows; i++) {
            arrays[i] = new int[length];
        }
        sink = arrays;
    }

    /** @return the fewest bytes this thread allocated in one call, over 20 calls */
    private static long least(Step step) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long least = Long.MAX_VALUE;
        for (int repeat = 0; repeat < 20; repeat++) {
            long before = threads.getThreadAllocatedBytes(id);
            step.run();
            least = Math.min(least, threads.getThreadAllocatedBytes(id) - before);
        }
        return least;
    }

    /** The encoder–decoder's parts, FLOAT, &lt;eos&gt; held down in the readout's bias. */
    private static FastDecoding decoding(CellType cell, AttentionType attention) {
        DataType type = DataType.FLOAT;
        Embedding source = new Embedding(V, E, Vocabulary.PAD_ID, type, 1);
        RecurrentCell<?> encoder = cell.create(E, H, type, 2);
        Embedding target = new Embedding(V, E, Vocabulary.PAD_ID, type, 3);
        RecurrentCell<?> decoder = cell.create(attention == AttentionType.BAHDANAU ? E + H : E, H, type, 4);
        Attention<?> attend = switch (attention) {
            case NONE -> null;
            case BAHDANAU -> new AdditiveAttention(H, H, H, type, 5);
            case LUONG_DOT -> new LuongAttention(LuongAttention.Score.DOT, H, H, type, 5);
            case LUONG_GENERAL -> new LuongAttention(LuongAttention.Score.GENERAL, H, H, type, 5);
        };
        Affine output = new Affine(attention == AttentionType.NONE ? H : 2 * H, V, type, 6);
        output.parameters().get("b").putScalar(0, Vocabulary.EOS_ID, -1e4);
        return new FastDecoding(source, encoder, new FastEncoderDecoder(target, decoder, attend, output, Vocabulary.BOS_ID,
                Vocabulary.EOS_ID));
    }
}

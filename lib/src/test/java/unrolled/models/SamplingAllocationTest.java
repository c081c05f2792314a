package unrolled.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import unrolled.data.Vocabulary;

/**
 * Generating one character at a time allocates nothing per character.
 *
 * <p>Method: {@code ThreadMXBean.getThreadAllocatedBytes} counts every byte this thread allocates on the Java heap. We
 * measure {@link CharLanguageModel#generate} of 50 and of 500 characters (the &lt;eos&gt; logit held down, so that every
 * call draws them all), take the smallest of several repetitions of each, and require the slope (bytes(500) −
 * bytes(50)) / 450 to be below 8 bytes per character: the returned int[] costs 4, a single object per character at
 * least 16. The per-call part (the copy of the weights, the buffers) cancels in the difference. The vector loops'
 * intermediate vectors stay in registers only once the JIT's optimising compiler has compiled them, so the
 * measurement is repeated after more warm-up until it has (for at most 60 s: in the whole suite the compiler's queue is
 * long).
 */
class SamplingAllocationTest {

    @ParameterizedTest
    @CsvSource({"FLOAT, 0", "FLOAT, 5", "DOUBLE, 0"})
    void generatingAllocatesNothingPerCharacter(DataType type, int topK) {
        CharLanguageModel model = new CharLanguageModel(ModelConfiguration.ofTokens(40, 8, 32, 40).withCell(CellType.LSTM)
                .withDataType(type).withSeed(2));
        model.parameters().get("output.b").putScalar(0, Vocabulary.EOS_ID, -1e4);
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        int[] prompt = {1, 7, 9};
        assertEquals(500, model.generate(prompt, 500, 0.5, topK, 1).length);
        long shortRun = Long.MAX_VALUE;
        long longRun = Long.MAX_VALUE;
        double perCharacter = Double.NaN;
        int rounds = 0;
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (; !(perCharacter < 8) && System.nanoTime() < deadline; rounds++) {
            for (int warmUp = 0; warmUp < 20; warmUp++) {
                model.generate(prompt, 500, 0.5, topK, warmUp);
            }
            shortRun = Long.MAX_VALUE;
            longRun = Long.MAX_VALUE;
            for (int repeat = 0; repeat < 10; repeat++) {
                shortRun = Math.min(shortRun, bytes(threads, model, prompt, 50, topK, repeat));
                longRun = Math.min(longRun, bytes(threads, model, prompt, 500, topK, repeat));
            }
            perCharacter = (longRun - shortRun) / 450.0;
        }
        assertTrue(perCharacter < 8, "generate allocates " + perCharacter + " bytes per character (50: " + shortRun
                + " bytes, 500: " + longRun + " bytes) after " + rounds + " rounds of warm-up");
    }

    private static long bytes(ThreadMXBean threads, CharLanguageModel model, int[] prompt, int length, int topK, long seed) {
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        int[] written = model.generate(prompt, length, 0.5, topK, seed);
        long after = threads.getThreadAllocatedBytes(id);
        if (written.length != length) {
            throw new AssertionError("wrote " + written.length + " of " + length);
        }
        return after - before;
    }
}

package unrolled.data;

import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.tensor.Shapes;

/**
 * The classic synthetic benchmarks of long-range memory, generated from a seed. Each isolates one thing a
 * recurrent network must do: carry two numbers across T steps (adding), store a sequence and replay it after a
 * delay (copy), remember what it saw exactly k steps ago (delayed recall), or integrate every bit it has seen
 * (parity). A vanilla RNN fails them once T or k grows; an LSTM or GRU solves them: the whole point of the
 * memory notebooks.
 *
 * <p>Every task returns a {@link Batch} whose sequences are all T steps long (mask of ones, lengths T). Inputs
 * are features (N, T, D) in the requested type, DOUBLE or FLOAT; symbols are one-hot encoded. Class targets
 * are ids of type {@link Batch#ID_TYPE} (INT) for a softmax cross-entropy; binary and real targets are in the
 * requested floating type. The random numbers come from {@code java.util.Random(seed)}: the same seed gives
 * the same batch.
 */
public final class SyntheticTasks {

    /** What the parity task asks for. */
    public enum Readout {
        /** Many-to-one: the parity of the whole sequence, read after the last step. */
        LAST_STEP,
        /** Many-to-many: at every step, the parity of the bits seen so far. */
        EVERY_STEP
    }

    private SyntheticTasks() {
    }

    /**
     * The adding problem (Hochreiter &amp; Schmidhuber, 1997; in this form Le et al., 2015). Each step carries a
     * value and a marker; exactly two steps are marked, one in each half of the sequence; the target is the sum
     * of the two marked values:
     * <pre>
     *   inputs[n, t, 0] = v_t ~ U[0, 1)                        the values
     *   inputs[n, t, 1] = 1 if t ∈ {a, b} else 0                 the markers, a ∈ [0, ⌊T/2⌋), b ∈ [⌊T/2⌋, T)
     *   targets[n, 0]   = v_a + v_b                              (N, 1)
     * </pre>
     * Always predicting 1 gives a mean squared error of 1/6 (the variance of v_a + v_b): a model must beat that.
     *
     * @param n N, the number of sequences, positive
     * @param steps T, at least 2
     * @param seed the seed
     * @param dataType DOUBLE or FLOAT
     * @return inputs (N, T, 2), targets (N, 1), mask of ones, lengths T
     */
    public static Batch adding(int n, int steps, long seed, DataType dataType) {
        String method = "SyntheticTasks.adding";
        Shapes.requirePositive(method, "n", n);
        requireAtLeast(method, "steps", steps, 2);
        Shapes.requireFloating(method, dataType);
        Random random = new Random(seed);
        int half = steps / 2;
        double[] x = new double[n * steps * 2];
        double[] y = new double[n];
        for (int row = 0; row < n; row++) {
            double[] v = new double[steps];
            for (int t = 0; t < steps; t++) {
                v[t] = random.nextDouble();
                x[(row * steps + t) * 2] = v[t];
            }
            int a = random.nextInt(half);
            int b = half + random.nextInt(steps - half);
            x[(row * steps + a) * 2 + 1] = 1.0;
            x[(row * steps + b) * 2 + 1] = 1.0;
            // y = v_a + v_b, from the values as stored in the requested type
            y[row] = round(v[a], dataType) + round(v[b], dataType);
        }
        return allSteps(Nd4j.createFromArray(x).reshape('c', n, steps, 2).castTo(dataType),
                Nd4j.createFromArray(y).reshape('c', n, 1).castTo(dataType));
    }

    /**
     * The copy task (Hochreiter &amp; Schmidhuber, 1997; in this form Arjovsky et al., 2016): read L symbols, wait,
     * and after a "go" signal write them back in order. With an alphabet of S symbols the classes are
     * <pre>
     *   0 … S−1   the symbols to copy
     *   S         blank
     *   S + 1     go (the delimiter)
     * </pre>
     * and one sequence of T = 2L + delay steps is laid out as
     * <pre>
     *   step:     0 … L−1       L … L+delay−2     L+delay−1     L+delay … 2L+delay−1
     *   input:    s_0 … s_{L−1}  blank …           go            blank …
     *   target:   blank …        blank …           blank         s_0 … s_{L−1}
     * </pre>
     * Inputs are one-hot over the S + 2 classes; targets are class ids. Always predicting blank and then a
     * uniform guess gives the baseline cross-entropy L·ln(S) / T per step.
     *
     * @param n N, positive
     * @param length L, the number of symbols to copy, positive
     * @param delay the steps from the last symbol to the go signal, positive (delay − 1 blanks in between)
     * @param alphabetSize S, at least 2
     * @param seed the seed
     * @param dataType DOUBLE or FLOAT
     * @return inputs (N, T, S + 2) one-hot, targets (N, T) INT ids, mask of ones, lengths T, T = 2L + delay
     */
    public static Batch copy(int n, int length, int delay, int alphabetSize, long seed, DataType dataType) {
        String method = "SyntheticTasks.copy";
        Shapes.requirePositive(method, "n", n);
        Shapes.requirePositive(method, "length", length);
        Shapes.requirePositive(method, "delay", delay);
        requireAtLeast(method, "alphabetSize", alphabetSize, 2);
        Shapes.requireFloating(method, dataType);
        Random random = new Random(seed);
        int blank = alphabetSize;
        int go = alphabetSize + 1;
        int steps = 2 * length + delay;
        int[][] input = new int[n][steps];
        int[][] target = new int[n][steps];
        for (int row = 0; row < n; row++) {
            Arrays.fill(input[row], blank);
            Arrays.fill(target[row], blank);
            for (int t = 0; t < length; t++) {
                int symbol = random.nextInt(alphabetSize);
                input[row][t] = symbol;
                target[row][length + delay + t] = symbol;
            }
            input[row][length + delay - 1] = go;
        }
        return allSteps(oneHot(input, alphabetSize + 2, dataType), ids(target));
    }

    /**
     * Delayed recall: at every step, output the symbol that was input k steps earlier. With an alphabet of S
     * symbols, class S means "nothing to recall yet":
     * <pre>
     *   inputs[n, t, :]  = one-hot(s_t),   s_t ~ uniform over 0 … S−1          (N, T, S)
     *   targets[n, t]    = s_{t−k} if t ≥ k, else S                          (N, T) ids in 0 … S
     * </pre>
     * The network needs a memory of the last k symbols; k = 0 is the identity, a sanity check.
     *
     * @param n N, positive
     * @param steps T, greater than the lag
     * @param lag k, at least 0
     * @param alphabetSize S, at least 2
     * @param seed the seed
     * @param dataType DOUBLE or FLOAT
     * @return inputs (N, T, S) one-hot, targets (N, T) INT ids over S + 1 classes, mask of ones, lengths T
     */
    public static Batch delayedRecall(int n, int steps, int lag, int alphabetSize, long seed, DataType dataType) {
        String method = "SyntheticTasks.delayedRecall";
        Shapes.requirePositive(method, "n", n);
        Shapes.requirePositive(method, "steps", steps);
        if (lag < 0 || lag >= steps) {
            throw new IllegalArgumentException(method + ": lag must be in [0, T) = [0, " + steps + "), but is " + lag + ".");
        }
        requireAtLeast(method, "alphabetSize", alphabetSize, 2);
        Shapes.requireFloating(method, dataType);
        Random random = new Random(seed);
        int[][] input = new int[n][steps];
        int[][] target = new int[n][steps];
        for (int row = 0; row < n; row++) {
            for (int t = 0; t < steps; t++) {
                input[row][t] = random.nextInt(alphabetSize);
            }
            // y_t = s_{t−k} for t ≥ k, else the "nothing yet" class S
            for (int t = 0; t < steps; t++) {
                target[row][t] = t >= lag ? input[row][t - lag] : alphabetSize;
            }
        }
        return allSteps(oneHot(input, alphabetSize, dataType), ids(target));
    }

    /**
     * The parity (XOR) of a bit sequence, each bit 0 or 1 with probability ½:
     * <pre>
     *   inputs[n, t, 0]     = b_t ∈ {0, 1}                                   (N, T, 1)
     *   LAST_STEP:  targets[n, 0]     = (b_0 + … + b_{T−1}) mod 2            (N, 1)
     *   EVERY_STEP: targets[n, t, 0]  = (b_0 + … + b_t) mod 2                (N, T, 1)
     * </pre>
     * The many-to-one form is hard: flipping any single bit flips the answer, so nothing short of counting every
     * bit helps, and the loss gives no partial credit. The many-to-many form supervises every step and only asks
     * for one XOR per step. Targets are 0/1 in the floating type, for a sigmoid and binary cross-entropy.
     *
     * @param n N, positive
     * @param steps T, positive
     * @param readout LAST_STEP or EVERY_STEP
     * @param seed the seed
     * @param dataType DOUBLE or FLOAT
     * @return inputs (N, T, 1), targets (N, 1) or (N, T, 1), mask of ones, lengths T
     */
    public static Batch parity(int n, int steps, Readout readout, long seed, DataType dataType) {
        String method = "SyntheticTasks.parity";
        Shapes.requirePositive(method, "n", n);
        Shapes.requirePositive(method, "steps", steps);
        if (readout == null) {
            throw new IllegalArgumentException(method + ": readout must be LAST_STEP or EVERY_STEP, but is null.");
        }
        Shapes.requireFloating(method, dataType);
        Random random = new Random(seed);
        double[] x = new double[n * steps];
        double[] running = new double[n * steps];
        double[] last = new double[n];
        for (int row = 0; row < n; row++) {
            int parity = 0;
            for (int t = 0; t < steps; t++) {
                int bit = random.nextBoolean() ? 1 : 0;
                x[row * steps + t] = bit;
                // p_t = p_{t−1} XOR b_t
                parity ^= bit;
                running[row * steps + t] = parity;
            }
            last[row] = parity;
        }
        INDArray inputs = Nd4j.createFromArray(x).reshape('c', n, steps, 1).castTo(dataType);
        INDArray targets = readout == Readout.LAST_STEP
                ? Nd4j.createFromArray(last).reshape('c', n, 1).castTo(dataType)
                : Nd4j.createFromArray(running).reshape('c', n, steps, 1).castTo(dataType);
        return allSteps(inputs, targets);
    }

    private static double round(double value, DataType dataType) {
        return dataType == DataType.FLOAT ? (float) value : value;
    }

    private static INDArray ids(int[][] ids) {
        return Nd4j.createFromArray(ids).castTo(Batch.ID_TYPE);
    }

    private static INDArray oneHot(int[][] ids, int classes, DataType dataType) {
        return Batching.oneHot(ids(ids), classes, dataType);
    }

    private static Batch allSteps(INDArray inputs, INDArray targets) {
        // no padding: every L_n = T
        return new Batch(inputs, targets, SequenceMask.full(inputs.size(0), inputs.size(1)), inputs.dataType());
    }

    private static void requireAtLeast(String method, String name, int value, int least) {
        if (value < least) {
            throw new IllegalArgumentException(method + ": " + name + " must be at least " + least + ", but is " + value
                    + ".");
        }
    }
}

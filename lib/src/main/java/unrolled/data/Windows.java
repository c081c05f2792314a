package unrolled.data;

import java.util.Objects;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.tensor.ShapeException;
import unrolled.tensor.Shapes;

/**
 * Sliding windows over a time series, the way a recurrent network learns to forecast.
 *
 * <p>A series of L time steps with D channels is an (L, D) array s. Window n starts at time
 * {@code start = n·stride} and sees T consecutive steps; what it must predict depends on the task:
 * <pre>
 *   next values   inputs  x[n] = s[start … start+T−1, :]          (N, T, D)
 *                 targets y[n] = s[start+T … start+T+K−1, c]      (N, K)   the K steps after the window, channel c
 *                 N = ⌊(L − T − K) / stride⌋ + 1
 *   shifted       inputs  x[n] = s[start … start+T−1, :]          (N, T, D)
 *                 targets y[n] = s[start+1 … start+T, :]          (N, T, D) every step predicts the next one
 *                 N = ⌊(L − T − 1) / stride⌋ + 1
 * </pre>
 * Windows overlap when stride &lt; T (more training examples, strongly correlated); stride = T gives disjoint
 * windows. Every window has all T steps, so masks are all 1 and lengths all T.
 *
 * <p>A forecaster must be validated on the future, not on a random subset: {@link #split} cuts the series at
 * one time and windows each side separately, so no validation window (inputs or targets) shares a single time
 * step with the training data, and no training target lies in the validation period.
 */
public final class Windows {

    /**
     * A chronological split.
     *
     * @param train the windows of s[0 … boundary−1]
     * @param validation the windows of s[boundary … L−1]
     * @param boundary the first time step of the validation period
     */
    public record Split(Batch train, Batch validation, int boundary) {
    }

    private Windows() {
    }

    /**
     * A univariate series as an (L, 1) array.
     *
     * @param values s_0 … s_{L−1}, not empty
     * @param dataType DOUBLE or FLOAT
     * @return (L, 1)
     */
    public static INDArray series(double[] values, DataType dataType) {
        Objects.requireNonNull(values, "Windows.series: values must not be null");
        Shapes.requireFloating("Windows.series", dataType);
        if (values.length == 0) {
            throw new IllegalArgumentException("Windows.series: values must hold at least one time step, but is empty.");
        }
        return Nd4j.createFromArray(values.clone()).reshape('c', values.length, 1).castTo(dataType);
    }

    /**
     * The number of windows of a given span that fit in a series.
     *
     * @param length L, the series' length
     * @param span the time steps one window needs: T + K for next values, T + 1 for shifted
     * @param stride the step between window starts, positive
     * @return ⌊(L − span) / stride⌋ + 1, or 0 if the series is shorter than one window
     */
    public static int count(int length, int span, int stride) {
        Shapes.requirePositive("Windows.count", "stride", stride);
        return length < span ? 0 : (length - span) / stride + 1;
    }

    /**
     * Windows whose targets are the K values after them in one channel.
     *
     * @param series (L, D), DOUBLE or FLOAT
     * @param steps T, the window length, positive
     * @param horizon K, how many future steps to predict, positive
     * @param stride the step between window starts, positive
     * @param targetChannel c in [0, D), the channel to predict
     * @return inputs (N, T, D), targets (N, K) in the series' type, mask of ones (N, T), lengths T
     */
    public static Batch nextValues(INDArray series, int steps, int horizon, int stride, int targetChannel) {
        String method = "Windows.nextValues";
        double[][] s = check(method, series, steps, stride);
        Shapes.requirePositive(method, "horizon", horizon);
        int d = s[0].length;
        if (targetChannel < 0 || targetChannel >= d) {
            throw new IllegalArgumentException(method + ": targetChannel must be in [0, D) = [0, " + d + "), but is "
                    + targetChannel + ".");
        }
        int n = requireWindows(method, s.length, steps, horizon, "T + K", stride);
        double[] x = new double[n * steps * d];
        double[] y = new double[n * horizon];
        for (int window = 0; window < n; window++) {
            int start = window * stride;
            copySteps(s, start, steps, x, window * steps * d);
            // y[n, k] = s[start + T + k, c]
            for (int k = 0; k < horizon; k++) {
                y[window * horizon + k] = s[start + steps + k][targetChannel];
            }
        }
        DataType type = series.dataType();
        return filled(Nd4j.createFromArray(x).reshape('c', n, steps, d).castTo(type),
                Nd4j.createFromArray(y).reshape('c', n, horizon).castTo(type));
    }

    /**
     * Windows of a univariate series whose targets are the K values after them.
     *
     * @param series s_0 … s_{L−1}
     * @param steps T, positive
     * @param horizon K, positive
     * @param stride positive
     * @param dataType DOUBLE or FLOAT
     * @return inputs (N, T, 1), targets (N, K), mask of ones, lengths T
     */
    public static Batch nextValues(double[] series, int steps, int horizon, int stride, DataType dataType) {
        return nextValues(series(series, dataType), steps, horizon, stride, 0);
    }

    /**
     * Windows whose targets are the same window shifted one step into the future (many-to-many forecasting).
     *
     * @param series (L, D), DOUBLE or FLOAT
     * @param steps T, the window length, positive
     * @param stride the step between window starts, positive
     * @return inputs (N, T, D), targets (N, T, D) with targets[n, t] = inputs[n, t + 1] for t &lt; T − 1, in the
     *     series' type; mask of ones (N, T); lengths T
     */
    public static Batch shifted(INDArray series, int steps, int stride) {
        String method = "Windows.shifted";
        double[][] s = check(method, series, steps, stride);
        int d = s[0].length;
        int n = requireWindows(method, s.length, steps, 1, "T + 1", stride);
        double[] x = new double[n * steps * d];
        double[] y = new double[n * steps * d];
        for (int window = 0; window < n; window++) {
            int start = window * stride;
            copySteps(s, start, steps, x, window * steps * d);
            copySteps(s, start + 1, steps, y, window * steps * d);
        }
        DataType type = series.dataType();
        return filled(Nd4j.createFromArray(x).reshape('c', n, steps, d).castTo(type),
                Nd4j.createFromArray(y).reshape('c', n, steps, d).castTo(type));
    }

    /**
     * Shifted windows of a univariate series.
     *
     * @param series s_0 … s_{L−1}
     * @param steps T, positive
     * @param stride positive
     * @param dataType DOUBLE or FLOAT
     * @return inputs (N, T, 1), targets (N, T, 1), mask of ones, lengths T
     */
    public static Batch shifted(double[] series, int steps, int stride, DataType dataType) {
        return shifted(series(series, dataType), steps, stride);
    }

    /**
     * Splits a series chronologically and windows each part on its own:
     * <pre>
     *   boundary = ⌊L · trainFraction⌋,   train = windowing(s[0 … boundary−1]),   validation = windowing(s[boundary … L−1])
     * </pre>
     * No window crosses the boundary, so validation never sees a training time step and training never sees the
     * validation period. The price: the steps near the boundary serve only one side's inputs.
     *
     * @param series (L, D), DOUBLE or FLOAT
     * @param trainFraction the share of time steps for training, strictly between 0 and 1
     * @param windowing how to window each part, e.g. {@code s -> Windows.nextValues(s, 24, 1, 1, 0)}
     * @return both parts' windows and the boundary
     */
    public static Split split(INDArray series, double trainFraction, Function<INDArray, Batch> windowing) {
        String method = "Windows.split";
        Shapes.require(method, "series", series, "(L, D)", Shapes.ANY, Shapes.ANY);
        Objects.requireNonNull(windowing, method + ": windowing must not be null");
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException(method + ": trainFraction must be strictly between 0 and 1, but is "
                    + trainFraction + ".");
        }
        int length = Math.toIntExact(series.size(0));
        int boundary = (int) Math.floor(length * trainFraction);
        if (boundary == 0 || boundary == length) {
            throw new IllegalArgumentException(method + ": trainFraction = " + trainFraction + " of L = " + length
                    + " time steps leaves the " + (boundary == 0 ? "training" : "validation") + " part empty.");
        }
        INDArray past = series.get(NDArrayIndex.interval(0, boundary), NDArrayIndex.all()).dup();
        INDArray future = series.get(NDArrayIndex.interval(boundary, length), NDArrayIndex.all()).dup();
        return new Split(windowed(method, "training", past, windowing), windowed(method, "validation", future, windowing),
                boundary);
    }

    private static Batch windowed(String method, String part, INDArray segment, Function<INDArray, Batch> windowing) {
        try {
            return windowing.apply(segment);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(method + ": the " + part + " part (" + segment.size(0) + " time steps) "
                    + "cannot be windowed: " + e.getMessage(), e);
        }
    }

    private static double[][] check(String method, INDArray series, int steps, int stride) {
        Shapes.require(method, "series", series, "(L, D)", Shapes.ANY, Shapes.ANY);
        if (series.dataType() != DataType.DOUBLE && series.dataType() != DataType.FLOAT) {
            throw new ShapeException(method + ": series must have data type DOUBLE or FLOAT, but has "
                    + series.dataType() + ".");
        }
        Shapes.requirePositive(method, "steps", steps);
        Shapes.requirePositive(method, "stride", stride);
        if (series.size(0) == 0 || series.size(1) == 0) {
            throw new ShapeException(method + ": series must have at least one time step and one channel, but has shape "
                    + Shapes.of(series) + ".");
        }
        return series.castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    private static int requireWindows(String method, int length, int steps, int after, String spanSymbols, int stride) {
        int span = steps + after;
        if (length < span) {
            throw new IllegalArgumentException(method + ": the series must have at least " + spanSymbols + " = " + span
                    + " time steps for one window, but has L = " + length + ".");
        }
        return count(length, span, stride);
    }

    /** Copies s[start … start+steps−1, :] into out from offset, time-major within the window. */
    private static void copySteps(double[][] s, int start, int steps, double[] out, int offset) {
        int d = s[0].length;
        for (int t = 0; t < steps; t++) {
            System.arraycopy(s[start + t], 0, out, offset + t * d, d);
        }
    }

    private static Batch filled(INDArray inputs, INDArray targets) {
        // no padding: every L_n = T
        return new Batch(inputs, targets, SequenceMask.full(inputs.size(0), inputs.size(1)), inputs.dataType());
    }
}

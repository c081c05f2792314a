package unrolled.metrics;

import java.util.Objects;

/**
 * Forecast errors, in the series' own units (RMSE, MAE) or relative to a baseline (MASE):
 * <pre>
 *   RMSE = √( Σ_t (s_t − ŝ_t)² / n )          punishes large misses; in the unit of s
 *   MAE  = Σ_t |s_t − ŝ_t| / n                 the typical miss; in the unit of s
 *   MASE = MAE / Q,   Q = Σ_{t=m}^{L−1} |s_t − s_{t−m}| / (L − m)   over the training series s_0 … s_{L−1}
 * </pre>
 * Q is the in-sample mean absolute error of the one-step seasonal-naive forecast (Hyndman and Koehler, 2006), so
 * MASE &lt; 1 means the forecast misses by less, on average, than "the same season last period" did on the training
 * data; it has no unit and can be compared across series.
 */
public final class ForecastErrors {

    private ForecastErrors() {
    }

    /**
     * Root mean squared error.
     *
     * @param actual s, n ≥ 1 values
     * @param forecast ŝ, n values
     * @return √(Σ (s − ŝ)² / n), in the unit of s
     */
    public static double rmse(double[] actual, double[] forecast) {
        requirePaired("ForecastErrors.rmse", actual, forecast);
        double sum = 0;
        for (int t = 0; t < actual.length; t++) {
            double error = actual[t] - forecast[t];
            sum += error * error;
        }
        return Math.sqrt(sum / actual.length);
    }

    /**
     * Mean absolute error.
     *
     * @param actual s, n ≥ 1 values
     * @param forecast ŝ, n values
     * @return Σ |s − ŝ| / n, in the unit of s
     */
    public static double mae(double[] actual, double[] forecast) {
        requirePaired("ForecastErrors.mae", actual, forecast);
        return meanAbsoluteError(actual, forecast);
    }

    /**
     * Mean absolute scaled error: the MAE divided by the training series' in-sample seasonal-naive MAE.
     *
     * @param actual s, n ≥ 1 values
     * @param forecast ŝ, n values
     * @param training the training series s_0 … s_{L−1}, L &gt; period, not constant at lag m
     * @param period m, the season's length (1 scales by the naive forecast's error instead)
     * @return MAE / Q, no unit; below 1 beats the in-sample seasonal-naive forecast
     */
    public static double mase(double[] actual, double[] forecast, double[] training, int period) {
        String method = "ForecastErrors.mase";
        requirePaired(method, actual, forecast);
        Objects.requireNonNull(training, method + ": training must not be null");
        if (period < 1) {
            throw new IllegalArgumentException(method + ": period must be at least 1, but is " + period + ".");
        }
        if (training.length <= period) {
            throw new IllegalArgumentException(method + ": training must hold more than m = " + period
                    + " values, but has L = " + training.length + ".");
        }
        // Q = Σ_{t=m}^{L−1} |s_t − s_{t−m}| / (L − m)
        double scale = 0;
        for (int t = period; t < training.length; t++) {
            scale += Math.abs(training[t] - training[t - period]);
        }
        scale /= training.length - period;
        if (!(scale > 0)) {
            throw new IllegalArgumentException(method + ": the training series must change at lag m = " + period
                    + ", but s_t = s_{t−m} for every t, so the scale Q is 0.");
        }
        return meanAbsoluteError(actual, forecast) / scale;
    }

    private static double meanAbsoluteError(double[] actual, double[] forecast) {
        double sum = 0;
        for (int t = 0; t < actual.length; t++) {
            sum += Math.abs(actual[t] - forecast[t]);
        }
        return sum / actual.length;
    }

    private static void requirePaired(String method, double[] actual, double[] forecast) {
        Objects.requireNonNull(actual, method + ": actual must not be null");
        Objects.requireNonNull(forecast, method + ": forecast must not be null");
        if (actual.length == 0) {
            throw new IllegalArgumentException(method + ": actual must hold at least one value, but is empty.");
        }
        if (forecast.length != actual.length) {
            throw new IllegalArgumentException(method + ": forecast must have n = " + actual.length
                    + " values, one per actual value, but has " + forecast.length + ".");
        }
    }
}

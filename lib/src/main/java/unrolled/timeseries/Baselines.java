package unrolled.timeseries;

import java.util.Objects;

/**
 * The forecasts every model of a time series must beat before it deserves a second look. Both read only the
 * observed history s_0 … s_{L−1} and forecast the next H values:
 * <pre>
 *   naive            ŝ_{L−1+h} = s_{L−1}                              the last value, for every h = 1 … H
 *   seasonal naive   ŝ_{L−1+h} = s_{L−1+h−m·k},  k = ⌈h / m⌉          the same season of the last observed period
 * </pre>
 * For h ≤ m, seasonal naive is simply s_{L−1+h−m}: "the same month last year" for monthly data with m = 12.
 * The naive forecast is the seasonal-naive forecast with period m = 1.
 */
public final class Baselines {

    private Baselines() {
    }

    /**
     * The naive forecast: the last observed value, repeated.
     *
     * @param history s_0 … s_{L−1}, L ≥ 1
     * @param horizon H, the number of future values, ≥ 1
     * @return ŝ_L … ŝ_{L+H−1}, H values
     */
    public static double[] naive(double[] history, int horizon) {
        return forecast("Baselines.naive", history, 1, horizon);
    }

    /**
     * The seasonal-naive forecast: each future value is the value one season earlier, from the last observed
     * period.
     *
     * @param history s_0 … s_{L−1}, L ≥ period
     * @param period m, the season's length in steps (12 for monthly data with a yearly cycle), ≥ 1
     * @param horizon H, the number of future values, ≥ 1
     * @return ŝ_L … ŝ_{L+H−1}, H values
     */
    public static double[] seasonalNaive(double[] history, int period, int horizon) {
        return forecast("Baselines.seasonalNaive", history, period, horizon);
    }

    private static double[] forecast(String method, double[] history, int period, int horizon) {
        Objects.requireNonNull(history, method + ": history must not be null");
        if (period < 1) {
            throw new IllegalArgumentException(method + ": period must be at least 1, but is " + period + ".");
        }
        if (horizon < 1) {
            throw new IllegalArgumentException(method + ": horizon must be at least 1, but is " + horizon + ".");
        }
        if (history.length < period) {
            throw new IllegalArgumentException(method + ": history must hold at least one period, m = " + period
                    + " values, but has L = " + history.length + ".");
        }
        int length = history.length;
        double[] forecast = new double[horizon];
        for (int h = 1; h <= horizon; h++) {
            // ŝ_{L−1+h} = s_{L−1+h−m·⌈h/m⌉}
            int back = period * ((h + period - 1) / period);
            forecast[h - 1] = history[length - 1 + h - back];
        }
        return forecast;
    }
}

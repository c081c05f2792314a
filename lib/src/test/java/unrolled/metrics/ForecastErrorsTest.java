package unrolled.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ForecastErrorsTest {

    // errors s − ŝ = 0, −2, 3
    private static final double[] ACTUAL = {1, 2, 3};
    private static final double[] FORECAST = {1, 4, 0};

    @Test
    void rmseAndMaeMatchHandComputedValues() {
        assertEquals(Math.sqrt(13.0 / 3), ForecastErrors.rmse(ACTUAL, FORECAST), 1e-12);
        assertEquals(5.0 / 3, ForecastErrors.mae(ACTUAL, FORECAST), 1e-12);
    }

    @Test
    void maseDividesByTheInSampleSeasonalNaiveError() {
        double[] training = {0, 1, 3, 6};
        // m = 1: |1 − 0|, |3 − 1|, |6 − 3| → Q = 2;  m = 2: |3 − 0|, |6 − 1| → Q = 4
        assertEquals(5.0 / 3 / 2, ForecastErrors.mase(ACTUAL, FORECAST, training, 1), 1e-12);
        assertEquals(5.0 / 3 / 4, ForecastErrors.mase(ACTUAL, FORECAST, training, 2), 1e-12);
    }

    @Test
    void aPerfectForecastHasZeroError() {
        assertEquals(0, ForecastErrors.rmse(ACTUAL, ACTUAL), 0);
        assertEquals(0, ForecastErrors.mase(ACTUAL, ACTUAL, new double[] {0, 1, 3}, 1), 0);
    }

    @Test
    void mismatchedLengthsAndAFlatTrainingSeriesAreRefused() {
        IllegalArgumentException lengths = assertThrows(IllegalArgumentException.class,
                () -> ForecastErrors.rmse(ACTUAL, new double[] {1, 2}));
        assertEquals("ForecastErrors.rmse: forecast must have n = 3 values, one per actual value, but has 2.",
                lengths.getMessage());
        IllegalArgumentException flat = assertThrows(IllegalArgumentException.class,
                () -> ForecastErrors.mase(ACTUAL, FORECAST, new double[] {5, 5, 5}, 1));
        assertEquals("ForecastErrors.mase: the training series must change at lag m = 1, but s_t = s_{t−m} for every t, "
                + "so the scale Q is 0.", flat.getMessage());
    }
}

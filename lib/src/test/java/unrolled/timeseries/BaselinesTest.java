package unrolled.timeseries;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BaselinesTest {

    private static final double[] HISTORY = {1, 2, 3, 4, 5, 6};

    @Test
    void naiveRepeatsTheLastValue() {
        assertArrayEquals(new double[] {6, 6, 6}, Baselines.naive(HISTORY, 3), 0);
    }

    @Test
    void seasonalNaiveRepeatsTheLastObservedPeriod() {
        // m = 4: the last period is 3, 4, 5, 6; beyond one period it starts again.
        assertArrayEquals(new double[] {3, 4, 5, 6, 3, 4}, Baselines.seasonalNaive(HISTORY, 4, 6), 0);
    }

    @Test
    void seasonalNaiveWithPeriodOneIsNaive() {
        assertArrayEquals(Baselines.naive(HISTORY, 5), Baselines.seasonalNaive(HISTORY, 1, 5), 0);
    }

    @Test
    void aHistoryShorterThanOnePeriodIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Baselines.seasonalNaive(HISTORY, 12, 1));
        assertEquals("Baselines.seasonalNaive: history must hold at least one period, m = 12 values, but has L = 6.",
                e.getMessage());
    }
}

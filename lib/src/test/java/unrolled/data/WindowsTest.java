package unrolled.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class WindowsTest {

    /** s_t = t: every value names its own time step. */
    private static double[] ramp(int length) {
        double[] s = new double[length];
        for (int t = 0; t < length; t++) {
            s[t] = t;
        }
        return s;
    }

    /** x[n, :, 0] of an (N, T, 1) array. */
    private static double[] channel0(INDArray x, int n) {
        double[] values = new double[(int) x.size(1)];
        for (int t = 0; t < values.length; t++) {
            values[t] = x.getDouble(n, t, 0);
        }
        return values;
    }

    @Test
    void nextValueWindowsMatchAHandComputation() {
        // L = 10, T = 3, K = 2, stride 2: N = ⌊(10 − 5) / 2⌋ + 1 = 3 windows starting at 0, 2, 4.
        Batch batch = Windows.nextValues(ramp(10), 3, 2, 2, DataType.DOUBLE);
        assertArrayEquals(new long[] {3, 3, 1}, batch.inputs().shape());
        assertArrayEquals(new long[] {3, 2}, batch.targets().shape());
        assertArrayEquals(new double[] {0, 1, 2}, channel0(batch.inputs(), 0));
        assertArrayEquals(new double[] {3, 4}, batch.targets().getRow(0).toDoubleVector());
        assertArrayEquals(new double[] {2, 3, 4}, channel0(batch.inputs(), 1));
        assertArrayEquals(new double[] {4, 5, 6}, channel0(batch.inputs(), 2));
        assertArrayEquals(new double[] {7, 8}, batch.targets().getRow(2).toDoubleVector());
        assertArrayEquals(new int[] {3, 3, 3}, batch.lengths());
        assertEquals(Nd4j.ones(DataType.DOUBLE, 3, 3), batch.mask());
    }

    @Test
    void multivariateWindowsKeepEveryChannelAndPredictTheChosenOne() {
        // channel 0: t, channel 1: 100 + t; L = 8, T = 4, K = 1, stride 1: N = 4.
        double[][] s = new double[8][2];
        for (int t = 0; t < 8; t++) {
            s[t][0] = t;
            s[t][1] = 100 + t;
        }
        INDArray series = Nd4j.createFromArray(s).castTo(DataType.FLOAT);
        Batch batch = Windows.nextValues(series, 4, 1, 1, 1);
        assertArrayEquals(new long[] {4, 4, 2}, batch.inputs().shape());
        assertEquals(DataType.FLOAT, batch.inputs().dataType());
        assertEquals(DataType.FLOAT, batch.targets().dataType());
        for (int n = 0; n < 4; n++) {
            for (int t = 0; t < 4; t++) {
                assertEquals(n + t, batch.inputs().getDouble(n, t, 0));
                assertEquals(100 + n + t, batch.inputs().getDouble(n, t, 1));
            }
            assertEquals(100 + n + 4, batch.targets().getDouble(n, 0), "the step after the window, channel 1");
        }
    }

    @Test
    void shiftedWindowsPredictEveryNextStep() {
        // s_t = t², L = 7, T = 3, stride 3: N = ⌊(7 − 4) / 3⌋ + 1 = 2 windows starting at 0 and 3.
        double[] s = new double[7];
        for (int t = 0; t < 7; t++) {
            s[t] = t * t;
        }
        Batch batch = Windows.shifted(s, 3, 3, DataType.DOUBLE);
        assertArrayEquals(new long[] {2, 3, 1}, batch.inputs().shape());
        assertArrayEquals(new long[] {2, 3, 1}, batch.targets().shape());
        assertArrayEquals(new double[] {0, 1, 4}, channel0(batch.inputs(), 0));
        assertArrayEquals(new double[] {1, 4, 9}, channel0(batch.targets(), 0));
        assertArrayEquals(new double[] {9, 16, 25}, channel0(batch.inputs(), 1));
        assertArrayEquals(new double[] {16, 25, 36}, channel0(batch.targets(), 1));
    }

    @Test
    void countFollowsTheFormula() {
        assertEquals(6, Windows.count(10, 5, 1));
        assertEquals(3, Windows.count(10, 5, 2));
        assertEquals(2, Windows.count(10, 5, 3));
        assertEquals(1, Windows.count(5, 5, 7));
        assertEquals(0, Windows.count(4, 5, 1));
    }

    @Test
    void theChronologicalSplitNeverLetsAValidationWindowTouchTrainingData() {
        int length = 100;
        Windows.Split split = Windows.split(Windows.series(ramp(length), DataType.DOUBLE), 0.7,
                s -> Windows.nextValues(s, 5, 2, 1, 0));
        assertEquals(70, split.boundary());
        // Values are time indices: every training value (inputs and targets) is before the boundary, every
        // validation value at or after it.
        double trainMax = Math.max(split.train().inputs().maxNumber().doubleValue(),
                split.train().targets().maxNumber().doubleValue());
        double validationMin = Math.min(split.validation().inputs().minNumber().doubleValue(),
                split.validation().targets().minNumber().doubleValue());
        assertEquals(69.0, trainMax);
        assertEquals(70.0, validationMin);
        assertEquals(70 - 7 + 1, split.train().batchSize());
        assertEquals(30 - 7 + 1, split.validation().batchSize());
        assertEquals(99.0, split.validation().targets().maxNumber().doubleValue(), "the last window reaches the end");
    }

    @Test
    void aSeriesTooShortForOneWindowIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Windows.nextValues(ramp(4), 3, 2, 1, DataType.DOUBLE));
        assertEquals("Windows.nextValues: the series must have at least T + K = 5 time steps for one window, but has"
                + " L = 4.", e.getMessage());
        IllegalArgumentException split = assertThrows(IllegalArgumentException.class,
                () -> Windows.split(Windows.series(ramp(20), DataType.DOUBLE), 0.9, s -> Windows.shifted(s, 4, 1)));
        assertEquals("Windows.split: the validation part (2 time steps) cannot be windowed: Windows.shifted: the series"
                + " must have at least T + 1 = 5 time steps for one window, but has L = 2.", split.getMessage());
    }

    @Test
    void aBadTargetChannelIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Windows.nextValues(Nd4j.zeros(DataType.DOUBLE, 10, 2), 3, 1, 1, 2));
        assertEquals("Windows.nextValues: targetChannel must be in [0, D) = [0, 2), but is 2.", e.getMessage());
    }

    @Test
    void windowingLeavesTheSeriesUnchanged() {
        INDArray series = Windows.series(ramp(12), DataType.DOUBLE);
        INDArray before = series.dup();
        Windows.shifted(series, 4, 1);
        Windows.split(series, 0.5, s -> Windows.nextValues(s, 2, 1, 1, 0));
        assertEquals(before, series);
        assertTrue(series.length() == 12);
    }
}

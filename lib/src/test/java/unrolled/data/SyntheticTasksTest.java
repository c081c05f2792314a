package unrolled.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SyntheticTasksTest {

    /** The class whose one-hot entry is 1 at [n, t], checking the entry is a one-hot vector. */
    private static int decodeOneHot(INDArray x, int n, int t) {
        int found = -1;
        for (int k = 0; k < x.size(2); k++) {
            double v = x.getDouble(n, t, k);
            assertTrue(v == 0.0 || v == 1.0, "one-hot entries are 0 or 1");
            if (v == 1.0) {
                assertEquals(-1, found, "exactly one 1 at [" + n + ", " + t + "]");
                found = k;
            }
        }
        assertTrue(found >= 0, "exactly one 1 at [" + n + ", " + t + "]");
        return found;
    }

    private static void assertAllStepsReal(Batch batch) {
        assertEquals(Nd4j.ones(batch.dataType(), batch.batchSize(), batch.steps()), batch.mask());
        for (int length : batch.lengths()) {
            assertEquals(batch.steps(), length);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"DOUBLE", "FLOAT"})
    void addingTargetsAreTheSumOfTheTwoMarkedValues(DataType dataType) {
        int n = 20;
        int steps = 11;
        Batch batch = SyntheticTasks.adding(n, steps, 5, dataType);
        assertArrayEquals(new long[] {n, steps, 2}, batch.inputs().shape());
        assertArrayEquals(new long[] {n, 1}, batch.targets().shape());
        assertEquals(dataType, batch.inputs().dataType());
        assertEquals(dataType, batch.targets().dataType());
        assertAllStepsReal(batch);
        for (int row = 0; row < n; row++) {
            double sum = 0;
            int firstHalf = 0;
            int secondHalf = 0;
            for (int t = 0; t < steps; t++) {
                double value = batch.inputs().getDouble(row, t, 0);
                double marker = batch.inputs().getDouble(row, t, 1);
                assertTrue(value >= 0 && value < 1, "values in [0, 1)");
                assertTrue(marker == 0.0 || marker == 1.0);
                if (marker == 1.0) {
                    sum += value;
                    if (t < steps / 2) {
                        firstHalf++;
                    } else {
                        secondHalf++;
                    }
                }
            }
            assertEquals(1, firstHalf, "one marker in the first half");
            assertEquals(1, secondHalf, "one marker in the second half");
            assertEquals(sum, batch.targets().getDouble(row, 0), dataType == DataType.FLOAT ? 1e-6 : 1e-15);
        }
    }

    @Test
    void copyTargetsReplayTheSymbolsAfterTheGoSignal() {
        int n = 6;
        int length = 4;
        int delay = 3;
        int alphabet = 5;
        int blank = alphabet;
        int go = alphabet + 1;
        Batch batch = SyntheticTasks.copy(n, length, delay, alphabet, 2, DataType.DOUBLE);
        int steps = 2 * length + delay;
        assertArrayEquals(new long[] {n, steps, alphabet + 2}, batch.inputs().shape());
        assertArrayEquals(new long[] {n, steps}, batch.targets().shape());
        assertEquals(DataType.INT32, batch.targets().dataType());
        assertAllStepsReal(batch);
        int[][] targets = batch.targets().toIntMatrix();
        for (int row = 0; row < n; row++) {
            int[] input = new int[steps];
            for (int t = 0; t < steps; t++) {
                input[t] = decodeOneHot(batch.inputs(), row, t);
            }
            for (int t = 0; t < steps; t++) {
                // layout: symbols at 0..3, blanks at 4..5, go at 6, blanks at 7..10
                int expectedInput = t < length ? input[t] : t == length + delay - 1 ? go : blank;
                assertEquals(expectedInput, input[t], "input at step " + t);
                if (t < length) {
                    assertTrue(input[t] < alphabet, "a data symbol at step " + t);
                }
                int expectedTarget = t >= length + delay ? input[t - length - delay] : blank;
                assertEquals(expectedTarget, targets[row][t], "target at step " + t);
            }
        }
    }

    @Test
    void delayedRecallTargetsAreTheSymbolKStepsAgo() {
        int n = 5;
        int steps = 9;
        int lag = 3;
        int alphabet = 4;
        Batch batch = SyntheticTasks.delayedRecall(n, steps, lag, alphabet, 8, DataType.FLOAT);
        assertArrayEquals(new long[] {n, steps, alphabet}, batch.inputs().shape());
        assertEquals(DataType.FLOAT, batch.inputs().dataType());
        assertAllStepsReal(batch);
        int[][] targets = batch.targets().toIntMatrix();
        for (int row = 0; row < n; row++) {
            for (int t = 0; t < steps; t++) {
                int expected = t < lag ? alphabet : decodeOneHot(batch.inputs(), row, t - lag);
                assertEquals(expected, targets[row][t], "target[" + row + ", " + t + "]");
            }
        }
    }

    @Test
    void parityManyToOneIsTheXorOfAllBits() {
        Batch batch = SyntheticTasks.parity(30, 7, SyntheticTasks.Readout.LAST_STEP, 4, DataType.DOUBLE);
        assertArrayEquals(new long[] {30, 7, 1}, batch.inputs().shape());
        assertArrayEquals(new long[] {30, 1}, batch.targets().shape());
        assertAllStepsReal(batch);
        int ones = 0;
        for (int row = 0; row < 30; row++) {
            int count = 0;
            for (int t = 0; t < 7; t++) {
                double bit = batch.inputs().getDouble(row, t, 0);
                assertTrue(bit == 0.0 || bit == 1.0);
                count += (int) bit;
            }
            assertEquals(count % 2, batch.targets().getDouble(row, 0));
            ones += count % 2;
        }
        assertTrue(ones > 5 && ones < 25, "both parities occur: " + ones + " odd of 30");
    }

    @Test
    void parityManyToManyIsTheRunningXor() {
        Batch batch = SyntheticTasks.parity(10, 12, SyntheticTasks.Readout.EVERY_STEP, 4, DataType.FLOAT);
        assertArrayEquals(new long[] {10, 12, 1}, batch.targets().shape());
        assertEquals(DataType.FLOAT, batch.targets().dataType());
        for (int row = 0; row < 10; row++) {
            int count = 0;
            for (int t = 0; t < 12; t++) {
                count += (int) batch.inputs().getDouble(row, t, 0);
                assertEquals(count % 2, batch.targets().getDouble(row, t, 0), "running parity at [" + row + ", " + t + "]");
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameTasks() {
        assertEquals(SyntheticTasks.adding(4, 6, 1, DataType.DOUBLE), SyntheticTasks.adding(4, 6, 1, DataType.DOUBLE));
        assertNotEquals(SyntheticTasks.adding(4, 6, 1, DataType.DOUBLE), SyntheticTasks.adding(4, 6, 2, DataType.DOUBLE));
        assertEquals(SyntheticTasks.copy(3, 3, 2, 4, 1, DataType.FLOAT), SyntheticTasks.copy(3, 3, 2, 4, 1, DataType.FLOAT));
        assertEquals(SyntheticTasks.delayedRecall(3, 5, 2, 3, 1, DataType.DOUBLE),
                SyntheticTasks.delayedRecall(3, 5, 2, 3, 1, DataType.DOUBLE));
        assertEquals(SyntheticTasks.parity(3, 5, SyntheticTasks.Readout.EVERY_STEP, 1, DataType.DOUBLE),
                SyntheticTasks.parity(3, 5, SyntheticTasks.Readout.EVERY_STEP, 1, DataType.DOUBLE));
    }

    @Test
    void badArgumentsAreRefusedWithTheirNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SyntheticTasks.adding(4, 1, 1, DataType.DOUBLE));
        assertEquals("SyntheticTasks.adding: steps must be at least 2, but is 1.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SyntheticTasks.delayedRecall(4, 5, 5, 3, 1, DataType.DOUBLE));
        assertEquals("SyntheticTasks.delayedRecall: lag must be in [0, T) = [0, 5), but is 5.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SyntheticTasks.copy(4, 5, 0, 3, 1, DataType.DOUBLE));
        assertEquals("SyntheticTasks.copy: delay must be positive, but is 0.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SyntheticTasks.parity(4, 5,
                SyntheticTasks.Readout.LAST_STEP, 1, DataType.INT32));
        assertEquals("SyntheticTasks.parity: dataType must be DOUBLE or FLOAT, but is INT.", e.getMessage());
    }
}

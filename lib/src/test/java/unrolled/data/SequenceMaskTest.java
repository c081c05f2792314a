package unrolled.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static unrolled.recurrent.Close.assertClose;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.TestData;
import unrolled.tensor.ShapeException;

class SequenceMaskTest {

    @Test
    void aMaskOfOnesAndZerosGivesTheLengths() {
        INDArray m = Nd4j.createFromArray(new double[][] {{1, 1, 1, 0}, {1, 0, 0, 0}, {0, 0, 0, 0}});
        SequenceMask mask = SequenceMask.of(m);
        assertArrayEquals(new int[] {3, 1, 0}, mask.lengths());
        assertEquals(3, mask.batchSize());
        assertEquals(4, mask.steps());
        assertTrue(mask.isReal(0, 2));
        assertFalse(mask.isReal(0, 3));
        assertFalse(mask.isFull());
        assertClose(m, mask.toArray(DataType.DOUBLE), 0, "round trip");
        assertEquals(mask, SequenceMask.ofLengths(new int[] {3, 1, 0}, 4));
    }

    @Test
    void lengthsGiveTheMaskEntryByEntry() {
        INDArray m = SequenceMask.ofLengths(new int[] {2, 4}, 4).toArray(DataType.FLOAT);
        assertEquals(DataType.FLOAT, m.dataType());
        double[][] expected = {{1, 1, 0, 0}, {1, 1, 1, 1}};
        for (int n = 0; n < 2; n++) {
            for (int t = 0; t < 4; t++) {
                assertEquals(expected[n][t], m.getDouble(n, t), 0.0);
            }
        }
        assertTrue(SequenceMask.full(2, 4).isFull());
    }

    @Test
    void atStepRepeatsTheStepsColumnAcrossTheWidth() {
        INDArray m = SequenceMask.ofLengths(new int[] {2, 4}, 4).atStep(2, 3, DataType.DOUBLE);
        assertClose(Nd4j.createFromArray(new double[][] {{0, 0, 0}, {1, 1, 1}}), m, 0, "m_2");
    }

    @Test
    void paddingBeforeARealStepIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SequenceMask.of(Nd4j.createFromArray(new double[][] {{1, 1, 1}, {1, 0, 1}})));
        assertEquals("SequenceMask.of: padding must be at the end of each sequence, but sequence 1 has a real step at t = 2 "
                + "after padding at t = 1.", e.getMessage());
    }

    @Test
    void entriesOtherThanZeroAndOneAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SequenceMask.of(Nd4j.createFromArray(new double[][] {{1, 0.5}})));
        assertEquals("SequenceMask.of: mask must hold only 1 (a real step) and 0 (padding), but mask[0, 1] = 0.5.",
                e.getMessage());
    }

    @Test
    void aMaskThatIsNotAMatrixIsRefused() {
        ShapeException e = assertThrows(ShapeException.class, () -> SequenceMask.of(Nd4j.ones(DataType.DOUBLE, 2, 4, 1)));
        assertEquals("SequenceMask.of: mask must have shape (N, T) = (?, ?), but has shape (2, 4, 1).", e.getMessage());
    }

    @Test
    void lengthsLongerThanTAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SequenceMask.ofLengths(new int[] {4, 6}, 5));
        assertEquals("SequenceMask.ofLengths: lengths[1] = 6 is longer than T = 5.", e.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> SequenceMask.ofLengths(new int[] {-1}, 5));
        assertEquals("SequenceMask.ofLengths: lengths[0] = -1 must not be negative.", negative.getMessage());
    }

    @Test
    void reverseReversesEachSequenceWithinItsLengthAndLeavesThePadding() {
        SequenceMask mask = SequenceMask.ofLengths(new int[] {4, 2, 0}, 4);
        INDArray x = TestData.gaussian(1, 3, 4, 2);
        INDArray before = x.dup();
        INDArray r = mask.reverse(x);
        int[] lengths = {4, 2, 0};
        for (int n = 0; n < 3; n++) {
            for (int t = 0; t < 4; t++) {
                int from = t < lengths[n] ? lengths[n] - 1 - t : t;
                for (int f = 0; f < 2; f++) {
                    assertEquals(x.getDouble(n, from, f), r.getDouble(n, t, f), 0.0, "n=" + n + " t=" + t);
                }
            }
        }
        assertClose(x, mask.reverse(r), 0, "reversing twice");
        assertClose(before, x, 0, "x unchanged");
    }

    @Test
    void aWindowClampsEachLength() {
        SequenceMask mask = SequenceMask.ofLengths(new int[] {5, 1, 3}, 5);
        assertEquals(SequenceMask.ofLengths(new int[] {2, 0, 1}, 2), mask.window(2, 4));
        assertEquals(SequenceMask.ofLengths(new int[] {1, 0, 0}, 1), mask.window(4, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mask.window(3, 3));
        assertEquals("SequenceMask.window: need 0 ≤ from < to ≤ T = 5, but from = 3, to = 3.", e.getMessage());
    }

    @Test
    void attentionHidesTheKeysPastEachSequencesLength() {
        INDArray allowed = SequenceMask.allowed(2, 2, 3, SequenceMask.ofLengths(new int[] {3, 1}, 3), false,
                DataType.DOUBLE);
        // sequence 0: every key;  sequence 1: key 0 only, for both queries
        double[][][] expected = {{{1, 1, 1}, {1, 1, 1}}, {{1, 0, 0}, {1, 0, 0}}};
        for (int n = 0; n < 2; n++) {
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(expected[n][i][j], allowed.getDouble(n, i, j), "A[" + n + ", " + i + ", " + j + "]");
                }
            }
        }
    }

    @Test
    void attentionCombinesCausalAndKeyPadding() {
        INDArray allowed = SequenceMask.allowed(1, 3, 3, SequenceMask.ofLengths(new int[] {2}, 3), true, DataType.FLOAT);
        // lower triangle, and key 2 is padding
        double[][] expected = {{1, 0, 0}, {1, 1, 0}, {1, 1, 0}};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(expected[i][j], allowed.getDouble(0, i, j), "A[0, " + i + ", " + j + "]");
            }
        }
    }

    @Test
    void aCausalAttentionMaskNeedsAsManyQueriesAsKeys() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> SequenceMask.allowed(1, 2, 3, null, true, DataType.DOUBLE));
        assertTrue(e.getMessage().contains("Tq = 2 and Tk = 3"), e.getMessage());
    }
}

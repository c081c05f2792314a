package unrolled.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.recurrent.SequenceMask;

class AttentionMaskTest {

    @Test
    void keyPaddingHidesTheKeysPastEachSequencesLength() {
        INDArray allowed = AttentionMask.allowed(2, 2, 3, SequenceMask.ofLengths(new int[] {3, 1}, 3), false, DataType.DOUBLE);
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
    void causalAndPaddingCombine() {
        INDArray allowed = AttentionMask.allowed(1, 3, 3, SequenceMask.ofLengths(new int[] {2}, 3), true, DataType.FLOAT);
        // lower triangle, and key 2 is padding
        double[][] expected = {{1, 0, 0}, {1, 1, 0}, {1, 1, 0}};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(expected[i][j], allowed.getDouble(0, i, j), "A[0, " + i + ", " + j + "]");
            }
        }
    }

    @Test
    void causalNeedsAsManyQueriesAsKeys() {
        var e = assertThrows(IllegalArgumentException.class, () -> AttentionMask.allowed(1, 2, 3, null, true, DataType.DOUBLE));
        assertTrue(e.getMessage().contains("Tq = 2 and Tk = 3"), e.getMessage());
    }
}

package unrolled.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.data.SequenceMask;
import unrolled.tensor.ShapeException;

class ScaledDotProductAttentionTest {

    private static final int N = 2;
    private static final int TQ = 3;
    private static final int TK = 4;
    private static final int D = 5;
    private static final int DV = 2;

    private final ScaledDotProductAttention attention = new ScaledDotProductAttention();

    @Test
    void forwardMatchesTheEquationsComputedElementByElement() {
        INDArray Q = TestData.gaussian(1, N, TQ, D);
        INDArray K = TestData.gaussian(2, N, TK, D);
        INDArray V = TestData.gaussian(3, N, TK, DV);
        ScaledDotProductAttention.Result result = attention.forward(Q, K, V, null, false);
        for (int n = 0; n < N; n++) {
            for (int i = 0; i < TQ; i++) {
                double[] s = new double[TK];
                double total = 0;
                for (int j = 0; j < TK; j++) {
                    for (int d = 0; d < D; d++) {
                        s[j] += Q.getDouble(n, i, d) * K.getDouble(n, j, d);
                    }
                    s[j] = Math.exp(s[j] / Math.sqrt(D));
                    total += s[j];
                }
                for (int v = 0; v < DV; v++) {
                    double y = 0;
                    for (int j = 0; j < TK; j++) {
                        assertEquals(s[j] / total, result.weights().getDouble(n, i, j), 1e-12);
                        y += s[j] / total * V.getDouble(n, j, v);
                    }
                    assertEquals(y, result.output().getDouble(n, i, v), 1e-12);
                }
            }
        }
    }

    @Test
    void paddedKeysGetZeroWeightAndZeroGradient() {
        INDArray Q = TestData.gaussian(1, N, TQ, D);
        INDArray K = TestData.gaussian(2, N, TK, D);
        INDArray V = TestData.gaussian(3, N, TK, DV);
        SequenceMask mask = SequenceMask.ofLengths(new int[] {TK, 2}, TK);
        ScaledDotProductAttention.Result result = attention.forward(Q, K, V, mask, false);
        ScaledDotProductAttention.Backward g = attention.backward(TestData.gaussian(4, N, TQ, DV), result.cache());
        for (int i = 0; i < TQ; i++) {
            assertEquals(1.0, result.weights().getDouble(1, i, 0) + result.weights().getDouble(1, i, 1), 1e-12);
            for (int j = 2; j < TK; j++) {
                assertEquals(0.0, result.weights().getDouble(1, i, j));
            }
        }
        for (int j = 2; j < TK; j++) {
            for (int d = 0; d < D; d++) {
                assertEquals(0.0, g.dKeys().getDouble(1, j, d));
            }
            for (int v = 0; v < DV; v++) {
                assertEquals(0.0, g.dValues().getDouble(1, j, v));
            }
        }
    }

    @Test
    void causalMaskHidesTheFuture() {
        INDArray X = TestData.gaussian(1, N, TK, D);
        ScaledDotProductAttention.Result result = attention.forward(X, X, X, null, true);
        for (int i = 0; i < TK; i++) {
            for (int j = i + 1; j < TK; j++) {
                assertEquals(0.0, result.weights().getDouble(0, i, j));
            }
        }
        // the first position can only see itself
        assertEquals(1.0, result.weights().getDouble(1, 0, 0), 1e-12);
    }

    @Test
    void backwardMatchesFiniteDifferencesWithoutMask() {
        check(null, false, TQ, TK);
    }

    @Test
    void backwardMatchesFiniteDifferencesWithKeyPadding() {
        check(SequenceMask.ofLengths(new int[] {3, 1}, TK), false, TQ, TK);
    }

    @Test
    void backwardMatchesFiniteDifferencesWithCausalAndKeyPadding() {
        check(SequenceMask.ofLengths(new int[] {4, 2}, TK), true, TK, TK);
    }

    private void check(SequenceMask mask, boolean causal, int tq, int tk) {
        INDArray Q = TestData.gaussian(1, N, tq, D);
        INDArray K = TestData.gaussian(2, N, tk, D);
        INDArray V = TestData.gaussian(3, N, tk, DV);
        INDArray R = TestData.gaussian(4, N, tq, DV);
        ScaledDotProductAttention.Result result = attention.forward(Q, K, V, mask, causal);
        ScaledDotProductAttention.Backward g = attention.backward(R, result.cache());
        GradientCheck.create()
                .wrt("Q", Q, g.dQueries())
                .wrt("K", K, g.dKeys())
                .wrt("V", V, g.dValues())
                .run(() -> TestData.dot(attention.forward(Q, K, V, mask, causal).output(), R))
                .requirePassed();
    }

    @Test
    void wrongShapesAreNamed() {
        INDArray Q = TestData.gaussian(1, N, TQ, D);
        INDArray K = TestData.gaussian(2, N, TK, D + 1);
        var e = assertThrows(ShapeException.class, () -> attention.forward(Q, K, K, null, false));
        assertEquals("ScaledDotProductAttention.forward: keys must have shape (N, Tk, d) = (2, ?, 5), but has shape (2, 4, 6).",
                e.getMessage());
        var m = assertThrows(IllegalArgumentException.class,
                () -> attention.forward(Q, TestData.gaussian(2, N, TK, D), TestData.gaussian(2, N, TK, D),
                        SequenceMask.ofLengths(new int[] {1, 2, 3}, TK), false));
        assertTrue(m.getMessage().startsWith("SequenceMask.allowed"), m.getMessage());
    }
}

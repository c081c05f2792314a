package unrolled.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.data.SequenceMask;

class MultiHeadAttentionTest {

    private static final int N = 2;
    private static final int T = 4;
    private static final int D = 6;

    @Test
    void oneHeadIsScaledDotProductAttentionOnTheProjections() {
        MultiHeadAttention block = new MultiHeadAttention(D, 1, DataType.DOUBLE, 3);
        INDArray X = TestData.gaussian(1, N, T, D);
        MultiHeadAttention.Result result = block.forward(X, X, X, null, false);
        INDArray rows = X.reshape(N * T, D);
        INDArray Q = rows.mmul(block.parameters().get("Wq")).reshape(N, T, D);
        INDArray K = rows.mmul(block.parameters().get("Wk")).reshape(N, T, D);
        INDArray V = rows.mmul(block.parameters().get("Wv")).reshape(N, T, D);
        ScaledDotProductAttention.Result single = new ScaledDotProductAttention().forward(Q, K, V, null, false);
        INDArray expected = single.output().reshape(N * T, D).mmul(block.parameters().get("Wo")).reshape(N, T, D);
        assertEquals(0.0, expected.sub(result.output()).amaxNumber().doubleValue(), 1e-12);
        assertArrayEquals(new long[] {N, 1, T, T}, result.weights().shape());
    }

    @Test
    void everyHeadsWeightsAreADistributionOverTheRealKeys() {
        MultiHeadAttention block = new MultiHeadAttention(D, 3, DataType.DOUBLE, 3);
        INDArray X = TestData.gaussian(1, N, T, D);
        INDArray weights = block.forward(X, X, X, SequenceMask.ofLengths(new int[] {T, 2}, T), false).weights();
        assertArrayEquals(new long[] {N, 3, T, T}, weights.shape());
        for (int h = 0; h < 3; h++) {
            for (int i = 0; i < T; i++) {
                assertEquals(1.0, weights.getDouble(0, h, i, 0) + weights.getDouble(0, h, i, 1) + weights.getDouble(0, h, i, 2)
                        + weights.getDouble(0, h, i, 3), 1e-12);
                assertEquals(0.0, weights.getDouble(1, h, i, 2));
                assertEquals(0.0, weights.getDouble(1, h, i, 3));
            }
        }
    }

    @Test
    void backwardMatchesFiniteDifferencesForCrossAttentionWithPadding() {
        check(TestData.gaussian(1, N, 3, D), TestData.gaussian(2, N, T, D), TestData.gaussian(3, N, T, D),
                SequenceMask.ofLengths(new int[] {T, 2}, T), false);
    }

    @Test
    void backwardMatchesFiniteDifferencesForCausalSelfAttention() {
        INDArray X = TestData.gaussian(1, N, T, D);
        check(X, X.dup(), X.dup(), SequenceMask.ofLengths(new int[] {3, T}, T), true);
    }

    private void check(INDArray queries, INDArray keys, INDArray values, SequenceMask mask, boolean causal) {
        MultiHeadAttention block = new MultiHeadAttention(D, 2, DataType.DOUBLE, 5);
        for (String b : new String[] {"bq", "bk", "bv", "bo"}) {
            block.parameters().get(b).assign(TestData.gaussian(b.hashCode(), 1, D).muli(0.1));
        }
        INDArray R = TestData.gaussian(9, N, queries.size(1), D);
        MultiHeadAttention.Result result = block.forward(queries, keys, values, mask, causal);
        MultiHeadAttention.Backward g = block.backward(R, result.cache());
        g.parameters().requireMatches("test", block.parameters());
        // ε = 1e-5: the keys' gradients are small (about 1e-3), and at ε = 1e-6 the loss's round-off (about
        // 1e-16·|L| / ε) alone reaches the tolerance; the truncation error O(ε²) stays far below it
        GradientCheck check = GradientCheck.create().epsilon(1e-5)
                .wrt("queries", queries, g.dQueries())
                .wrt("keys", keys, g.dKeys())
                .wrt("values", values, g.dValues());
        for (Map.Entry<String, INDArray> p : block.parameters()) {
            check.wrt(p.getKey(), p.getValue(), g.parameters().get(p.getKey()));
        }
        check.run(() -> TestData.dot(block.forward(queries, keys, values, mask, causal).output(), R)).requirePassed();
    }

    @Test
    void modelSizeMustSplitEvenlyIntoHeads() {
        var e = assertThrows(IllegalArgumentException.class, () -> new MultiHeadAttention(6, 4, DataType.DOUBLE, 1));
        assertTrue(e.getMessage().contains("D = 6 and h = 4"), e.getMessage());
    }
}

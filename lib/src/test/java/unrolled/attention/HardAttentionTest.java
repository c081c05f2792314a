package unrolled.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.data.SequenceMask;

class HardAttentionTest {

    private static final int N = 3;
    private static final int T = 4;
    private static final int H = 3;

    @Test
    void theContextIsTheChosenMemoryVector() {
        HardAttention<LuongAttention.Cache> hard = new HardAttention<>(
                new LuongAttention(LuongAttention.Score.DOT, H, H, DataType.DOUBLE, 1), 1);
        INDArray m = TestData.gaussian(2, N, T, H);
        HardAttention.Result<LuongAttention.Cache> result = hard.forward(TestData.gaussian(1, N, H), m, null, new int[] {2, 0, 3});
        for (int d = 0; d < H; d++) {
            assertEquals(m.getDouble(0, 2, d), result.context().getDouble(0, d));
            assertEquals(m.getDouble(1, 0, d), result.context().getDouble(1, d));
            assertEquals(m.getDouble(2, 3, d), result.context().getDouble(2, d));
        }
    }

    @Test
    void drawsFollowTheWeightsAndNeverPickPadding() {
        HardAttention<LuongAttention.Cache> hard = new HardAttention<>(
                new LuongAttention(LuongAttention.Score.DOT, H, H, DataType.DOUBLE, 1), 42);
        INDArray q = TestData.gaussian(1, 1, H);
        INDArray m = TestData.gaussian(2, 1, T, H);
        SequenceMask mask = SequenceMask.ofLengths(new int[] {3}, T);
        int draws = 4000;
        int[] counts = new int[T];
        INDArray alpha = null;
        for (int k = 0; k < draws; k++) {
            HardAttention.Result<LuongAttention.Cache> r = hard.forward(q, m, mask);
            counts[r.positions()[0]]++;
            alpha = r.weights();
        }
        assertEquals(0, counts[3]);
        for (int j = 0; j < 3; j++) {
            // binomial standard deviation is at most √(4000/4) ≈ 32 draws, i.e. 0.008: allow 4 of them
            assertEquals(alpha.getDouble(0, j), counts[j] / (double) draws, 0.032, "position " + j);
        }
    }

    @Test
    void backwardMatchesTheFiniteDifferencesOfTheScoreFunctionSurrogate() {
        AdditiveAttention scorer = new AdditiveAttention(H, H, 2, DataType.DOUBLE, 3);
        HardAttention<AdditiveAttention.Cache> hard = new HardAttention<>(scorer, 1);
        INDArray q = TestData.gaussian(1, N, H);
        INDArray m = TestData.gaussian(2, N, T, H);
        INDArray R = TestData.gaussian(3, N, H);
        int[] k = {1, 0, 2};
        double[] rewards = {0.5, -1.0, 2.0};
        SequenceMask mask = SequenceMask.ofLengths(new int[] {4, 2, 3}, T);
        HardAttention.Result<AdditiveAttention.Cache> result = hard.forward(q, m, mask, k);
        AttentionGradients g = hard.backward(R, rewards, result.cache());
        GradientCheck check = GradientCheck.create().wrt("query", q, g.dQuery()).wrt("memory", m, g.dMemory());
        for (Map.Entry<String, INDArray> p : scorer.parameters()) {
            check.wrt(p.getKey(), p.getValue(), g.parameters().get(p.getKey()));
        }
        // L = Σ R ⊙ c − Σ_n r_n log α_{n, k_n}, with the positions held fixed
        check.run(() -> {
            HardAttention.Result<AdditiveAttention.Cache> again = hard.forward(q, m, mask, k);
            double surrogate = 0;
            for (int n = 0; n < N; n++) {
                surrogate -= rewards[n] * Math.log(again.weights().getDouble(n, k[n]));
            }
            return TestData.dot(again.context(), R) + surrogate;
        }).requirePassed();
    }

    @Test
    void mostLikelyPicksTheLargestWeight() {
        HardAttention<LuongAttention.Cache> hard = new HardAttention<>(
                new LuongAttention(LuongAttention.Score.DOT, H, H, DataType.DOUBLE, 1), 1);
        HardAttention.Result<LuongAttention.Cache> r = hard.mostLikely(TestData.gaussian(1, N, H), TestData.gaussian(2, N, T, H), null);
        for (int n = 0; n < N; n++) {
            for (int j = 0; j < T; j++) {
                assertTrue(r.weights().getDouble(n, j) <= r.weights().getDouble(n, r.positions()[n]));
            }
        }
    }
}

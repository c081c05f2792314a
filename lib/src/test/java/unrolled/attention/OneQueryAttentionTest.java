package unrolled.attention;

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
import unrolled.tensor.ShapeException;

/** The one-query attentions (additive, dot, general) against finite differences and their defining equations. */
class OneQueryAttentionTest {

    private static final int N = 3;
    private static final int T = 5;
    private static final int HQ = 4;
    private static final int HM = 4;
    private static final SequenceMask MASK = SequenceMask.ofLengths(new int[] {5, 2, 4}, T);

    private static Attention<?> additive() {
        Attention<?> a = new AdditiveAttention(HQ, HM, 3, DataType.DOUBLE, 7);
        a.parameters().get("b").assign(TestData.gaussian(8, 1, 3).muli(0.1));
        return a;
    }

    @Test
    void additiveBackwardMatchesFiniteDifferences() {
        check(additive(), null);
        check(additive(), MASK);
    }

    @Test
    void dotBackwardMatchesFiniteDifferences() {
        check(new LuongAttention(LuongAttention.Score.DOT, HQ, HM, DataType.DOUBLE, 1), null);
        check(new LuongAttention(LuongAttention.Score.DOT, HQ, HM, DataType.DOUBLE, 1), MASK);
    }

    @Test
    void generalBackwardMatchesFiniteDifferences() {
        check(new LuongAttention(LuongAttention.Score.GENERAL, 3, HM, DataType.DOUBLE, 2), null);
        check(new LuongAttention(LuongAttention.Score.GENERAL, 3, HM, DataType.DOUBLE, 2), MASK);
    }

    /** L = Σ R ⊙ c + Σ S ⊙ α: checks the context's and the weights' paths at once. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void check(Attention attention, SequenceMask mask) {
        INDArray q = TestData.gaussian(1, N, attention.querySize());
        INDArray m = TestData.gaussian(2, N, T, HM);
        INDArray R = TestData.gaussian(3, N, HM);
        INDArray S = TestData.gaussian(4, N, T);
        AttentionStep step = attention.forward(q, m, mask);
        AttentionGradients g = attention.backward(R, S, step.cache());
        g.parameters().requireMatches("test", attention.parameters());
        GradientCheck check = GradientCheck.create().wrt("query", q, g.dQuery()).wrt("memory", m, g.dMemory());
        for (Object o : attention.parameters()) {
            Map.Entry<String, INDArray> p = (Map.Entry<String, INDArray>) o;
            check.wrt(p.getKey(), p.getValue(), g.parameters().get(p.getKey()));
        }
        check.run(() -> {
            AttentionStep again = attention.forward(q, m, mask);
            return TestData.dot(again.context(), R) + TestData.dot(again.weights(), S);
        }).requirePassed();
    }

    @Test
    void dotScoresAreQueryTimesMemoryAndTheContextTheirWeightedAverage() {
        LuongAttention attention = new LuongAttention(LuongAttention.Score.DOT, HQ, HM, DataType.DOUBLE, 1);
        INDArray q = TestData.gaussian(1, N, HQ);
        INDArray m = TestData.gaussian(2, N, T, HM);
        AttentionStep<LuongAttention.Cache> step = attention.forward(q, m, MASK);
        for (int n = 0; n < N; n++) {
            int length = MASK.length(n);
            double[] e = new double[length];
            double total = 0;
            for (int j = 0; j < length; j++) {
                for (int d = 0; d < HM; d++) {
                    e[j] += q.getDouble(n, d) * m.getDouble(n, j, d);
                }
                e[j] = Math.exp(e[j]);
                total += e[j];
            }
            for (int j = 0; j < T; j++) {
                assertEquals(j < length ? e[j] / total : 0.0, step.weights().getDouble(n, j), 1e-12);
            }
            for (int d = 0; d < HM; d++) {
                double c = 0;
                for (int j = 0; j < length; j++) {
                    c += e[j] / total * m.getDouble(n, j, d);
                }
                assertEquals(c, step.context().getDouble(n, d), 1e-12);
            }
        }
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void paddedMemoryStepsReceiveNoGradient() {
        Attention attention = additive();
        INDArray q = TestData.gaussian(1, N, HQ);
        INDArray m = TestData.gaussian(2, N, T, HM);
        AttentionStep step = attention.forward(q, m, MASK);
        AttentionGradients g = attention.backward(TestData.gaussian(3, N, HM), TestData.gaussian(4, N, T), step.cache());
        for (int d = 0; d < HM; d++) {
            for (int j = 2; j < T; j++) {
                assertEquals(0.0, g.dMemory().getDouble(1, j, d));
            }
            assertEquals(0.0, g.dMemory().getDouble(2, 4, d));
        }
    }

    @Test
    void dotNeedsEqualSizesAndShapesAreChecked() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new LuongAttention(LuongAttention.Score.DOT, 3, 4, DataType.DOUBLE, 1));
        assertTrue(e.getMessage().contains("Use Score.GENERAL"), e.getMessage());
        var attention = new AdditiveAttention(HQ, HM, 3, DataType.DOUBLE, 1);
        var s = assertThrows(ShapeException.class,
                () -> attention.forward(TestData.gaussian(1, N, HQ), TestData.gaussian(2, N, T, HM + 1), null));
        assertEquals("AdditiveAttention.forward: memory must have shape (N, T, Hm) = (3, ?, 4), but has shape (3, 5, 5).",
                s.getMessage());
    }
}

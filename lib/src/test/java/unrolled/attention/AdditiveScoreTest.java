package unrolled.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static unrolled.recurrent.Close.assertClose;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.TestData;
import unrolled.check.GradientCheck;

class AdditiveScoreTest {

    private static final int N = 2;
    private static final int T = 3;
    private static final int H = 4;
    private static final int A = 5;

    private final INDArray memory = TestData.gaussian(1, N, T, H);
    private final INDArray W = TestData.gaussian(2, H, A).muli(0.5);
    private final INDArray offset = TestData.gaussian(3, N, A).muli(0.5);
    private final INDArray v = TestData.gaussian(4, A, 1);
    private final INDArray c = TestData.gaussian(5, N, T);

    @Test
    void scoresAreTheHiddenLayerReadByV() {
        AdditiveScore.Forward scored = AdditiveScore.forward(memory, W, offset, v);
        for (int n = 0; n < N; n++) {
            for (int t = 0; t < T; t++) {
                // e[n, t] = Σ_a tanh(m[n, t]·W + o[n])_a · v_a
                double e = 0;
                for (int a = 0; a < A; a++) {
                    double pre = offset.getDouble(n, a);
                    for (int h = 0; h < H; h++) {
                        pre += memory.getDouble(n, t, h) * W.getDouble(h, a);
                    }
                    assertEquals(Math.tanh(pre), scored.u().getDouble(n, t, a), 1e-12, "u");
                    e += Math.tanh(pre) * v.getDouble(a, 0);
                }
                assertEquals(e, scored.scores().getDouble(n, t), 1e-12, "e[" + n + ", " + t + "]");
            }
        }
    }

    @Test
    void oneSharedOffsetIsAddedToEverySequence() {
        INDArray shared = offset.getRow(0).reshape(1, A);
        INDArray repeated = Nd4j.vstack(shared, shared);
        assertClose(AdditiveScore.forward(memory, W, repeated, v).scores(),
                AdditiveScore.forward(memory, W, shared, v).scores(), 0, "(1, A) offset = the same (N, A) rows");
    }

    @Test
    void theBackwardPassMatchesCentredDifferences() {
        AdditiveScore.Forward scored = AdditiveScore.forward(memory, W, offset, v);
        AdditiveScore.Backward back = AdditiveScore.backward(c, scored.u(), memory, W, v);
        // L = Σ c ⊙ e, so ∂L/∂e = c;  ∂L/∂o = Σ_j da_j
        GradientCheck.create().wrt("W", W, back.dW()).wrt("v", v, back.dv()).wrt("memory", memory, back.dMemory())
                .wrt("offset", offset, back.da().sum(1))
                .run(() -> TestData.dot(AdditiveScore.forward(memory, W, offset, v).scores(), c)).requirePassed();
    }
}

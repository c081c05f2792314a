package unrolled.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static unrolled.recurrent.Close.assertClose;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.TestData;

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
        // L = Σ c ⊙ e, so ∂L/∂e = c
        Supplier<Double> loss = () -> AdditiveScore.forward(memory, W, offset, v).scores().mul(c).sumNumber().doubleValue();
        assertClose(numeric(loss, W), back.dW(), 1e-7, "dW");
        assertClose(numeric(loss, v), back.dv(), 1e-7, "dv");
        assertClose(numeric(loss, memory), back.dMemory(), 1e-7, "dm");
        // ∂L/∂o = Σ_j da_j
        assertClose(numeric(loss, offset), back.da().sum(1), 1e-7, "do = Σ_j da_j");
    }

    private static INDArray numeric(Supplier<Double> loss, INDArray parameter) {
        double h = 1e-6;
        INDArray flat = parameter.reshape(parameter.length());
        INDArray gradient = Nd4j.zeros(parameter.dataType(), parameter.length());
        for (long i = 0; i < parameter.length(); i++) {
            double old = flat.getDouble(i);
            flat.putScalar(i, old + h);
            double plus = loss.get();
            flat.putScalar(i, old - h);
            double minus = loss.get();
            flat.putScalar(i, old);
            gradient.putScalar(i, (plus - minus) / (2 * h));
        }
        return gradient.reshape(parameter.shape());
    }
}

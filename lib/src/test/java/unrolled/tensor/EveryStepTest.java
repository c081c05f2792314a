package unrolled.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static unrolled.recurrent.Close.assertClose;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.TestData;

class EveryStepTest {

    private static final int N = 2;
    private static final int T = 3;
    private static final int D = 4;
    private static final int K = 5;

    private final INDArray x = TestData.gaussian(1, N, T, D);
    private final INDArray W = TestData.gaussian(2, D, K);
    private final INDArray b = TestData.gaussian(3, 1, K);
    private final INDArray dy = TestData.gaussian(4, N, T, K);

    @Test
    void timesAndAffineApplyTheSameMatrixAtEveryStep() {
        INDArray y = EveryStep.times(x, W);
        INDArray z = EveryStep.affine(x, W, b);
        assertEquals(3, y.rank());
        for (int t = 0; t < T; t++) {
            // y[:, t] = x[:, t]·W, one step at a time
            INDArray step = Slices.step(x, t).mmul(W);
            assertClose(step, Slices.step(y, t), 1e-12, "x·W at t = " + t);
            assertClose(step.addRowVector(b), Slices.step(z, t), 1e-12, "x·W + b at t = " + t);
        }
    }

    @Test
    void theGradientsSumOverEveryStepOfEverySequence() {
        INDArray dW = Nd4j.zeros(x.dataType(), D, K);
        INDArray db = Nd4j.zeros(x.dataType(), 1, K);
        for (int t = 0; t < T; t++) {
            dW.addi(Slices.step(x, t).transpose().mmul(Slices.step(dy, t)));
            db.addi(Slices.step(dy, t).sum(true, 0));
            assertClose(Slices.step(dy, t).mmul(W.transpose()), Slices.step(EveryStep.inputGradient(dy, W), t), 1e-12,
                    "dx at t = " + t);
        }
        assertClose(dW, EveryStep.weightGradient(x, dy), 1e-12, "dW = Σ xᵀ·dy");
        assertClose(db, EveryStep.biasGradient(dy), 1e-12, "db = Σ dy");
    }

    @Test
    void mismatchedShapesAreNamed() {
        ShapeException e = assertThrows(ShapeException.class, () -> EveryStep.times(x, TestData.gaussian(5, D + 1, K)));
        assertEquals("EveryStep.times: x must have shape (N, T, D) = (?, ?, 5), but has shape (2, 3, 4).", e.getMessage());
        ShapeException bias = assertThrows(ShapeException.class, () -> EveryStep.affine(x, W, TestData.gaussian(6, 1, K + 1)));
        assertEquals("EveryStep.affine: b must have shape (1, K) = (1, 5), but has shape (1, 6).", bias.getMessage());
        ShapeException steps = assertThrows(ShapeException.class,
                () -> EveryStep.weightGradient(x, TestData.gaussian(7, N, T + 1, K)));
        assertEquals("EveryStep.weightGradient: dy must have shape (N, T, K) = (2, 3, ?), but has shape (2, 4, 5).",
                steps.getMessage());
    }
}

package unrolled.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.TestData;
import unrolled.cell.StepGradients;
import unrolled.check.GradientCheck;
import unrolled.tensor.ShapeException;

class VariationalRnnCellTest {

    private static final int N = 3;
    private static final int D = 2;
    private static final int H = 4;
    private static final int Z = 3;

    private static VariationalRnnCell cell() {
        VariationalRnnCell cell = new VariationalRnnCell(D, H, Z, DataType.DOUBLE, 11);
        long seed = 40;
        for (String bias : new String[] {"bp", "bq", "bd", "b"}) {
            INDArray b = cell.parameters().get(bias);
            b.assign(TestData.gaussian(seed++, b.shape()).muli(0.3));
        }
        return cell;
    }

    @Test
    void backwardWithAFixedNoiseMatchesFiniteDifferencesForEveryInputAndParameter() {
        VariationalRnnCell cell = cell();
        INDArray x = TestData.gaussian(1, N, D);
        INDArray hPrev = TestData.gaussian(2, N, H).muli(0.5);
        INDArray noise = TestData.gaussian(3, N, Z);
        INDArray Rh = TestData.gaussian(4, N, H);
        INDArray Rx = TestData.gaussian(5, N, D);
        INDArray Rk = TestData.gaussian(6, N, 1);
        VariationalRnnCell.Result result = cell.forward(x, hPrev, noise);
        StepGradients g = cell.backward(Rh, Rx, Rk, result.cache());
        GradientCheck check = GradientCheck.create().wrt("x", x, g.dx()).wrt("hPrev", hPrev, g.dPrevious().h());
        for (String name : cell.parameters().names()) {
            check.wrt(name, cell.parameters().get(name), g.parameters().get(name));
        }
        check.run(() -> {
            VariationalRnnCell.Result again = cell.forward(x, hPrev, noise);
            return TestData.dot(again.h(), Rh) + TestData.dot(again.reconstruction(), Rx) + TestData.dot(again.kl(), Rk);
        }).requirePassed();
    }

    @Test
    void theKlTermMatchesTheGaussianFormulaAndIsNeverNegative() {
        VariationalRnnCell cell = cell();
        INDArray x = TestData.gaussian(1, N, D);
        INDArray hPrev = TestData.gaussian(2, N, H).muli(0.5);
        VariationalRnnCell.Result result = cell.forward(x, hPrev, TestData.gaussian(3, N, Z));
        INDArray prior = hPrev.mmul(cell.parameters().get("Wp")).addiRowVector(cell.parameters().get("bp"));
        INDArray posterior = x.mmul(cell.parameters().get("Wqx")).addi(hPrev.mmul(cell.parameters().get("Wqh")))
                .addiRowVector(cell.parameters().get("bq"));
        for (int n = 0; n < N; n++) {
            double kl = 0;
            for (int j = 0; j < Z; j++) {
                double muP = prior.getDouble(n, j);
                double varP = Math.exp(prior.getDouble(n, Z + j));
                double muQ = posterior.getDouble(n, j);
                double varQ = Math.exp(posterior.getDouble(n, Z + j));
                // KL(N(μq, σq²) ‖ N(μp, σp²)) for one dimension
                kl += Math.log(Math.sqrt(varP) / Math.sqrt(varQ)) + (varQ + (muQ - muP) * (muQ - muP)) / (2 * varP) - 0.5;
            }
            assertEquals(kl, result.kl().getDouble(n, 0), 1e-12);
            assertTrue(result.kl().getDouble(n, 0) >= 0);
        }
    }

    @Test
    void theKlTermIsZeroWhenThePosteriorEqualsThePrior() {
        VariationalRnnCell cell = cell();
        cell.parameters().get("Wqx").assign(0);
        cell.parameters().get("Wqh").assign(cell.parameters().get("Wp"));
        cell.parameters().get("bq").assign(cell.parameters().get("bp"));
        VariationalRnnCell.Result result = cell.forward(TestData.gaussian(1, N, D), TestData.gaussian(2, N, H),
                TestData.gaussian(3, N, Z));
        assertEquals(0.0, result.kl().amaxNumber().doubleValue(), 1e-12);
    }

    @Test
    void withZeroNoiseTheSampleIsThePosteriorMeanAndTheGeneratedOneThePriorMean() {
        VariationalRnnCell cell = cell();
        INDArray x = TestData.gaussian(1, N, D);
        INDArray hPrev = TestData.gaussian(2, N, H);
        INDArray zero = Nd4j.zeros(DataType.DOUBLE, N, Z);
        INDArray posterior = x.mmul(cell.parameters().get("Wqx")).addi(hPrev.mmul(cell.parameters().get("Wqh")))
                .addiRowVector(cell.parameters().get("bq"));
        INDArray prior = hPrev.mmul(cell.parameters().get("Wp")).addiRowVector(cell.parameters().get("bp"));
        INDArray z = cell.forward(x, hPrev, zero).z();
        INDArray generated = cell.generate(hPrev, zero).z();
        for (int n = 0; n < N; n++) {
            for (int j = 0; j < Z; j++) {
                assertEquals(posterior.getDouble(n, j), z.getDouble(n, j), 1e-12);
                assertEquals(prior.getDouble(n, j), generated.getDouble(n, j), 1e-12);
            }
        }
    }

    @Test
    void aGeneratedStepFeedsItsOwnReconstructionBackIn() {
        VariationalRnnCell cell = cell();
        INDArray hPrev = TestData.gaussian(2, N, H);
        INDArray noise = TestData.gaussian(3, N, Z);
        VariationalRnnCell.Generated step = cell.generate(hPrev, noise);
        // the same z through a training step on x = the generated x gives the same h and reconstruction
        INDArray Wz = cell.parameters().get("Wz");
        INDArray a = step.x().mmul(cell.parameters().get("Wx")).addi(step.z().mmul(Wz))
                .addi(hPrev.mmul(cell.parameters().get("Wh"))).addiRowVector(cell.parameters().get("b"));
        INDArray expected = org.nd4j.linalg.ops.transforms.Transforms.tanh(a);
        assertTrue(expected.equalsWithEps(step.h(), 1e-12));
    }

    @Test
    void aNoiseOfTheWrongSizeIsRefusedWithBothShapes() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> cell().forward(TestData.gaussian(1, N, D), TestData.gaussian(2, N, H), TestData.gaussian(3, N, Z + 1)));
        assertEquals("VariationalRnnCell.forward: noise must have shape (N, Z) = (3, 3), but has shape (3, 4).", e.getMessage());
    }
}

package unrolled.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.TestData;
import unrolled.param.Gradients;
import unrolled.param.Parameters;
import unrolled.tensor.ShapeException;

class SgdTest {

    @Test
    void oneStepMovesAgainstTheGradient() {
        INDArray W = Nd4j.createFromArray(new double[][] {{1.0, -2.0}, {0.5, 3.0}});
        INDArray b = Nd4j.createFromArray(new double[][] {{0.25, -0.75}});
        Parameters parameters = new Parameters().add("W", W).add("b", b);
        Gradients gradients = new Gradients()
                .accumulate("W", Nd4j.createFromArray(new double[][] {{0.2, 0.4}, {-1.0, 0.0}}))
                .accumulate("b", Nd4j.createFromArray(new double[][] {{3.0, -5.0}}));
        new Sgd(0.1).step(parameters, gradients);
        assertEquals(Nd4j.createFromArray(new double[][] {{1.0 - 0.02, -2.0 - 0.04}, {0.5 + 0.1, 3.0}}), W);
        assertEquals(Nd4j.createFromArray(new double[][] {{0.25 - 0.3, -0.75 + 0.5}}), b);
    }

    @Test
    void weightDecayAddsLambdaThetaToTheGradient() {
        INDArray W = Nd4j.createFromArray(new double[][] {{1.0, -2.0}});
        Parameters parameters = new Parameters().add("W", W);
        Gradients gradients = new Gradients().accumulate("W", Nd4j.createFromArray(new double[][] {{0.5, 0.5}}));
        new Sgd(0.1, 0.01).step(parameters, gradients);
        // θ − η·(g + λ·θ)
        assertEquals(1.0 - 0.1 * (0.5 + 0.01 * 1.0), W.getDouble(0, 0), 1e-15);
        assertEquals(-2.0 - 0.1 * (0.5 + 0.01 * -2.0), W.getDouble(0, 1), 1e-15);
    }

    @Test
    void theLearningRateCanBeChangedBetweenSteps() {
        Sgd sgd = new Sgd(0.1);
        sgd.learningRate(0.5);
        assertEquals(0.5, sgd.learningRate());
        INDArray W = Nd4j.createFromArray(new double[][] {{1.0}});
        sgd.step(new Parameters().add("W", W), new Gradients().accumulate("W", Nd4j.createFromArray(new double[][] {{2.0}})));
        assertEquals(0.0, W.getDouble(0, 0), 1e-15);
    }

    @Test
    void gradientsForOtherNamesAreRefusedNamingBoth() {
        Parameters parameters = new Parameters().add("Wx", TestData.gaussian(1, 2, 3)).add("b", TestData.gaussian(2, 1, 3));
        Gradients gradients = new Gradients().accumulate("Wx", TestData.gaussian(3, 2, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sgd(0.1).step(parameters, gradients));
        assertEquals("Sgd.step: gradients are for [Wx], but the parameters are [Wx, b].", e.getMessage());
    }

    @Test
    void aGradientOfTheWrongShapeIsRefusedWithBothShapes() {
        Parameters parameters = new Parameters().add("Wx", TestData.gaussian(1, 2, 3));
        Gradients gradients = new Gradients().accumulate("Wx", TestData.gaussian(3, 3, 2));
        ShapeException e = assertThrows(ShapeException.class, () -> new Sgd(0.1).step(parameters, gradients));
        assertEquals("Sgd.step: gradient of Wx must have shape (2, 3), but has shape (3, 2). It looks transposed: use .transpose().",
                e.getMessage());
    }

    @Test
    void aNegativeLearningRateIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sgd(-0.1));
        assertEquals("Sgd: learningRate must be a finite number ≥ 0, but is -0.1.", e.getMessage());
    }
}

package unrolled.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.TestData;
import unrolled.param.Gradients;
import unrolled.param.Parameters;
import unrolled.tensor.ShapeException;

class AdamTest {

    private static final double[] THETA = {0.5, -1.0, 2.0};
    private static final double[][] G = {{0.1, -0.2, 0.3}, {-0.4, 0.05, 0.6}, {0.2, 0.2, -0.1}};

    /** Adam by hand, entry by entry, from the paper's equations, on plain doubles. */
    private static double[] byHand(double eta, double beta1, double beta2, double epsilon, double lambda, int steps) {
        double[] theta = THETA.clone();
        double[] m = new double[theta.length];
        double[] v = new double[theta.length];
        for (int t = 1; t <= steps; t++) {
            double[] g = G[t - 1];
            for (int i = 0; i < theta.length; i++) {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                double mHat = m[i] / (1 - Math.pow(beta1, t));
                double vHat = v[i] / (1 - Math.pow(beta2, t));
                theta[i] = theta[i] - eta * (mHat / (Math.sqrt(vHat) + epsilon) + lambda * theta[i]);
            }
        }
        return theta;
    }

    private static INDArray row(double... values) {
        return Nd4j.createFromArray(values).reshape(1, values.length);
    }

    private static Parameters run(Adam adam, int steps) {
        Parameters parameters = new Parameters().add("theta", row(THETA));
        for (int t = 0; t < steps; t++) {
            adam.step(parameters, new Gradients().accumulate("theta", row(G[t])));
        }
        return parameters;
    }

    private static void assertRowEquals(double[] expected, INDArray actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual.getDouble(0, i), 1e-12, "entry " + i);
        }
    }

    @Test
    void oneStepMatchesTheEquationsByHand() {
        Parameters parameters = run(new Adam(0.01), 1);
        double[] expected = byHand(0.01, 0.9, 0.999, 1e-8, 0, 1);
        assertRowEquals(expected, parameters.get("theta"));
        // After one step the bias-corrected ratio m̂/√v̂ is sign(g): each entry moves by η (up to ε).
        assertEquals(0.5 - 0.01, expected[0], 1e-9);
    }

    @Test
    void threeStepsMatchTheEquationsByHand() {
        assertRowEquals(byHand(0.01, 0.9, 0.999, 1e-8, 0, 3), run(new Adam(0.01), 3).get("theta"));
    }

    @Test
    void threeStepsWithOtherHyperparametersMatchByHand() {
        Adam adam = new Adam(0.05, 0.5, 0.8, 1e-3, 0);
        assertRowEquals(byHand(0.05, 0.5, 0.8, 1e-3, 0, 3), run(adam, 3).get("theta"));
        assertEquals(3, adam.steps("theta"));
    }

    @Test
    void decoupledWeightDecayMatchesAdamWByHand() {
        Adam adamW = Adam.withWeightDecay(0.01, 0.1);
        assertRowEquals(byHand(0.01, 0.9, 0.999, 1e-8, 0.1, 3), run(adamW, 3).get("theta"));
    }

    @Test
    void momentsAreKeptPerParameterName() {
        Adam adam = new Adam(0.01);
        run(adam, 2);
        double m0 = 0.9 * (0.1 * 0.1) + 0.1 * -0.4;
        double v0 = 0.999 * (0.001 * 0.01) + 0.001 * 0.16;
        assertEquals(m0, adam.firstMoment("theta").getDouble(0, 0), 1e-15);
        assertEquals(v0, adam.secondMoment("theta").getDouble(0, 0), 1e-15);
        assertEquals(0, adam.steps("other"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adam.firstMoment("other"));
        assertEquals("Adam.firstMoment: no moments for other yet; there are moments for [theta].", e.getMessage());
    }

    @Test
    void stepLeavesTheGradientsUnchanged() {
        Parameters parameters = new Parameters().add("W", TestData.gaussian(1, 2, 3));
        INDArray g = TestData.gaussian(2, 2, 3);
        Gradients gradients = new Gradients().accumulate("W", g);
        INDArray before = gradients.get("W").dup();
        new Adam(0.1).step(parameters, gradients);
        assertEquals(before, gradients.get("W"));
    }

    @Test
    void floatParametersStayFloat() {
        INDArray W = TestData.gaussian(1, 2, 3).castTo(DataType.FLOAT);
        INDArray expected = W.castTo(DataType.DOUBLE).sub(0.01);
        Parameters parameters = new Parameters().add("W", W);
        new Adam(0.01).step(parameters, new Gradients().accumulate("W", Nd4j.ones(DataType.FLOAT, 2, 3)));
        assertEquals(DataType.FLOAT, parameters.get("W").dataType());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(expected.getDouble(i, j), W.getDouble(i, j), 1e-6);
            }
        }
    }

    @Test
    void aGradientOfAnotherTypeIsRefused() {
        Parameters parameters = new Parameters().add("W", TestData.gaussian(1, 2, 3).castTo(DataType.FLOAT));
        Gradients gradients = new Gradients().accumulate("W", TestData.gaussian(2, 2, 3));
        ShapeException e = assertThrows(ShapeException.class, () -> new Adam(0.1).step(parameters, gradients));
        assertEquals("Adam.step: gradient of W must have data type FLOAT, but has DOUBLE. Convert it with castTo(DataType.FLOAT).",
                e.getMessage());
    }

    @Test
    void reusingTheOptimiserForAParameterOfAnotherShapeIsRefused() {
        Adam adam = new Adam(0.1);
        adam.step(new Parameters().add("W", TestData.gaussian(1, 2, 3)), new Gradients().accumulate("W", TestData.gaussian(2, 2, 3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adam.step(
                new Parameters().add("W", TestData.gaussian(1, 4, 3)), new Gradients().accumulate("W", TestData.gaussian(2, 4, 3))));
        assertEquals("Adam.step: parameter W has shape (4, 3) and type DOUBLE, but this optimiser's state for W has shape (2, 3) "
                + "and type DOUBLE. Use a new optimiser for a new model.", e.getMessage());
    }

    @Test
    void badHyperparametersAreRefused() {
        assertEquals("Adam: beta1 must be in [0, 1), but is 1.0.",
                assertThrows(IllegalArgumentException.class, () -> new Adam(0.1, 1.0, 0.999, 1e-8, 0)).getMessage());
        assertEquals("Adam: epsilon must be a finite number > 0, but is 0.0.",
                assertThrows(IllegalArgumentException.class, () -> new Adam(0.1, 0.9, 0.999, 0, 0)).getMessage());
        assertEquals("Adam.learningRate: learningRate must be a finite number ≥ 0, but is NaN.",
                assertThrows(IllegalArgumentException.class, () -> new Adam(0.1).learningRate(Double.NaN)).getMessage());
    }
}

package unrolled.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.param.Gradients;
import unrolled.param.Parameters;

class MomentumTest {

    private static final double[] THETA = {1.0, -2.0};
    private static final double[][] G = {{0.5, -1.0}, {0.25, 2.0}, {-0.5, 0.1}};

    private static INDArray run(Momentum optimizer) {
        INDArray theta = Nd4j.createFromArray(new double[][] {THETA.clone()});
        Parameters parameters = new Parameters().add("theta", theta);
        for (double[] g : G) {
            optimizer.step(parameters, new Gradients().accumulate("theta", Nd4j.createFromArray(new double[][] {g})));
        }
        return theta;
    }

    /** Three steps by hand on plain doubles: v ← μ·v + g', then θ ← θ − η·v or θ − η·(g' + μ·v). */
    private static double[] byHand(double eta, double mu, boolean nesterov, double lambda) {
        double[] theta = THETA.clone();
        double[] v = new double[theta.length];
        for (double[] g : G) {
            for (int i = 0; i < theta.length; i++) {
                double gDecayed = g[i] + lambda * theta[i];
                v[i] = mu * v[i] + gDecayed;
                theta[i] -= eta * (nesterov ? gDecayed + mu * v[i] : v[i]);
            }
        }
        return theta;
    }

    private static void assertRowEquals(double[] expected, INDArray actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual.getDouble(0, i), 1e-14, "entry " + i);
        }
    }

    @Test
    void classicalMomentumMatchesThreeStepsByHand() {
        assertRowEquals(byHand(0.1, 0.9, false, 0), run(new Momentum(0.1, 0.9)));
    }

    @Test
    void nesterovMomentumMatchesThreeStepsByHand() {
        assertRowEquals(byHand(0.1, 0.9, true, 0), run(new Momentum(0.1, 0.9, true, 0)));
    }

    @Test
    void weightDecayMatchesThreeStepsByHand() {
        assertRowEquals(byHand(0.1, 0.5, true, 0.2), run(new Momentum(0.1, 0.5, true, 0.2)));
    }

    @Test
    void theFirstNesterovStepMovesByEtaTimesOnePlusMuTimesG() {
        Momentum momentum = new Momentum(0.1, 0.9, true, 0);
        // Step 1 alone, by hand: v = g, so θ − η·(g + μ·g) = 1 − 0.1·1.9·0.5.
        Parameters parameters = new Parameters().add("theta", Nd4j.createFromArray(new double[][] {{1.0}}));
        momentum.step(parameters, new Gradients().accumulate("theta", Nd4j.createFromArray(new double[][] {{0.5}})));
        assertEquals(1.0 - 0.1 * 1.9 * 0.5, parameters.get("theta").getDouble(0, 0), 1e-15);
        assertEquals(0.5, momentum.velocity("theta").getDouble(0, 0), 1e-15);
    }

    @Test
    void aMomentumOfOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Momentum(0.1, 1.0));
        assertEquals("Momentum: momentum must be in [0, 1), but is 1.0.", e.getMessage());
    }
}

package unrolled.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.tensor.ShapeException;

class SoftmaxCrossEntropyTest {

    private static final int N = 2;
    private static final int T = 3;
    private static final int V = 4;
    private static final int[][] TARGETS = {{0, 3, 1}, {2, 2, 0}};
    private static final double[][] MASK = {{1, 1, 0}, {1, 0, 0}};

    /** −log softmax(z)_y for one row, straight from the definition (no max subtracted: inputs are small). */
    private static double crossEntropy(INDArray logits, int n, int t, int y) {
        double sum = 0;
        for (int v = 0; v < V; v++) {
            sum += Math.exp(logits.getDouble(n, t, v));
        }
        return -Math.log(Math.exp(logits.getDouble(n, t, y)) / sum);
    }

    @Test
    void lossIsTheMeanCrossEntropyComputedElementByElement() {
        INDArray logits = TestData.gaussian(1, N, T, V);
        double expected = 0;
        for (int n = 0; n < N; n++) {
            for (int t = 0; t < T; t++) {
                expected += crossEntropy(logits, n, t, TARGETS[n][t]) / (N * T);
            }
        }
        SoftmaxCrossEntropy.Result result = new SoftmaxCrossEntropy().compute(logits, Nd4j.createFromArray(TARGETS));
        assertEquals(expected, result.loss(), 1e-12);
        assertEquals(N * T, result.totalWeight(), 0.0);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 3.7, -250.0})
    void uniformLogitsGiveALossOfLnV(double constant) {
        INDArray logits = Nd4j.zeros(DataType.DOUBLE, N, T, V).addi(constant);
        double loss = new SoftmaxCrossEntropy().compute(logits, Nd4j.createFromArray(TARGETS)).loss();
        // Exact up to the round-off of averaging N·T equal numbers.
        assertEquals(Math.log(V), loss, 4 * Math.ulp(Math.log(V)));
    }

    @Test
    void hugeLogitsDoNotOverflow() {
        INDArray logits = Nd4j.createFromArray(new double[][] {{1000, 0}, {1000, 0}});
        SoftmaxCrossEntropy.Result result = new SoftmaxCrossEntropy().compute(logits, Nd4j.createFromArray(new int[] {0, 1}));
        // Row 1: ℓ = 0 (up to e^−1000); row 2: ℓ = 1000.
        assertEquals(500.0, result.loss(), 1e-12);
        assertTrue(Double.isFinite(result.dLogits().sumNumber().doubleValue()));
        assertEquals(0.5, result.dLogits().getDouble(1, 0), 1e-12);
        assertEquals(-0.5, result.dLogits().getDouble(1, 1), 1e-12);
    }

    @Test
    void dLogitsMatchesFiniteDifferences() {
        INDArray logits = TestData.gaussian(2, N, T, V);
        INDArray targets = Nd4j.createFromArray(TARGETS);
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        GradientCheck.create()
                .wrt("logits", logits, ce.compute(logits, targets).dLogits())
                .run(() -> ce.compute(logits, targets).loss())
                .requirePassed();
    }

    @Test
    void dLogitsWithAMaskAndClassWeightsMatchesFiniteDifferences() {
        INDArray logits = TestData.gaussian(3, N, T, V);
        INDArray targets = Nd4j.createFromArray(TARGETS);
        INDArray mask = Nd4j.createFromArray(MASK);
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy(Nd4j.createFromArray(0.5, 2.0, 1.0, 3.0));
        GradientCheck.create()
                .wrt("logits", logits, ce.compute(logits, targets, mask).dLogits())
                .run(() -> ce.compute(logits, targets, mask).loss())
                .requirePassed();
    }

    @Test
    void manyToOneLogitsMatchTheDefinitionAndFiniteDifferences() {
        INDArray logits = TestData.gaussian(4, N, V);
        INDArray targets = Nd4j.createFromArray(new long[] {3, 1});
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        SoftmaxCrossEntropy.Result result = ce.compute(logits, targets);
        double expected = (crossEntropy(logits.reshape(N, 1, V), 0, 0, 3) + crossEntropy(logits.reshape(N, 1, V), 1, 0, 1)) / 2;
        assertEquals(expected, result.loss(), 1e-12);
        assertEquals(2, result.dLogits().rank());
        GradientCheck.create()
                .wrt("logits", logits, result.dLogits())
                .run(() -> ce.compute(logits, targets).loss())
                .requirePassed();
    }

    @Test
    void maskedPositionsGetZeroGradientAndDoNotChangeTheLoss() {
        INDArray logits = TestData.gaussian(5, N, T, V);
        INDArray mask = Nd4j.createFromArray(MASK);
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        SoftmaxCrossEntropy.Result result = ce.compute(logits, Nd4j.createFromArray(TARGETS), mask);
        double expected = (crossEntropy(logits, 0, 0, 0) + crossEntropy(logits, 0, 1, 3) + crossEntropy(logits, 1, 0, 2)) / 3;
        assertEquals(expected, result.loss(), 1e-12);
        assertEquals(3.0, result.totalWeight(), 0.0);
        for (int[] masked : new int[][] {{0, 2}, {1, 1}, {1, 2}}) {
            for (int v = 0; v < V; v++) {
                assertEquals(0.0, result.dLogits().getDouble(masked[0], masked[1], v), 0.0);
            }
        }
        // Change the logits and targets at the masked positions only: nothing may change.
        INDArray otherLogits = logits.dup();
        otherLogits.putScalar(new long[] {0, 2, 1}, 50.0);
        otherLogits.putScalar(new long[] {1, 1, 3}, -50.0);
        int[][] otherTargets = {{0, 3, 3}, {2, 0, 1}};
        SoftmaxCrossEntropy.Result other = ce.compute(otherLogits, Nd4j.createFromArray(otherTargets), mask);
        assertEquals(result.loss(), other.loss(), 0.0);
        assertEquals(result.dLogits(), other.dLogits());
    }

    @Test
    void classWeightsGiveTheWeightedMeanComputedByHand() {
        // Two positions, V = 3. Logits (0, 0, ln 2): p = (1/4, 1/4, 1/2) at both.
        double ln2 = Math.log(2);
        INDArray logits = Nd4j.createFromArray(new double[][] {{0, 0, ln2}, {0, 0, ln2}});
        INDArray targets = Nd4j.createFromArray(new int[] {0, 2});
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy(Nd4j.createFromArray(3.0, 1.0, 1.0));
        SoftmaxCrossEntropy.Result result = ce.compute(logits, targets);
        // ℓ₁ = −log ¼ = 2 ln 2 with weight 3, ℓ₂ = −log ½ = ln 2 with weight 1: (3·2 ln 2 + ln 2) / 4 = 7/4 ln 2.
        assertEquals(1.75 * ln2, result.loss(), 1e-15);
        assertEquals(4.0, result.totalWeight(), 0.0);
        // ∂/∂z = c/Σc · (p − onehot): row 1 = ¾·(−¾, ¼, ½), row 2 = ¼·(¼, ¼, −½).
        double[][] expected = {{-9.0 / 16, 3.0 / 16, 6.0 / 16}, {1.0 / 16, 1.0 / 16, -2.0 / 16}};
        for (int i = 0; i < 2; i++) {
            for (int v = 0; v < 3; v++) {
                assertEquals(expected[i][v], result.dLogits().getDouble(i, v), 1e-15);
            }
        }
    }

    @Test
    void everyPositionMaskedGivesZeroLossAndZeroGradient() {
        INDArray logits = TestData.gaussian(1, N, T, V);
        SoftmaxCrossEntropy.Result result = new SoftmaxCrossEntropy().compute(logits, Nd4j.createFromArray(TARGETS),
                Nd4j.zeros(DataType.DOUBLE, N, T));
        assertEquals(0.0, result.loss(), 0.0);
        assertEquals(0.0, result.totalWeight(), 0.0);
        assertEquals(0.0, result.dLogits().amaxNumber().doubleValue(), 0.0);
    }

    @Test
    void computeLeavesItsInputsUnchanged() {
        INDArray logits = TestData.gaussian(1, N, T, V);
        INDArray targets = Nd4j.createFromArray(TARGETS);
        INDArray mask = Nd4j.createFromArray(MASK);
        INDArray logits0 = logits.dup();
        INDArray targets0 = targets.dup();
        INDArray mask0 = mask.dup();
        new SoftmaxCrossEntropy().compute(logits, targets, mask);
        assertEquals(logits0, logits);
        assertEquals(targets0, targets);
        assertEquals(mask0, mask);
    }

    @Test
    void floatLogitsGiveFloatGradientsAndTheSameLoss() {
        INDArray logits = TestData.gaussian(1, N, T, V);
        INDArray targets = Nd4j.createFromArray(TARGETS);
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        SoftmaxCrossEntropy.Result single = ce.compute(logits.castTo(DataType.FLOAT), targets);
        assertEquals(DataType.FLOAT, single.dLogits().dataType());
        assertEquals(ce.compute(logits, targets).loss(), single.loss(), 1e-5);
    }

    @Test
    void aTargetOutOfRangeIsRefusedNamingItAndV() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SoftmaxCrossEntropy()
                .compute(TestData.gaussian(1, N, T, V), Nd4j.createFromArray(new int[][] {{0, 1, 2}, {3, 4, 0}})));
        assertEquals("SoftmaxCrossEntropy.compute: every target must be in [0, V) = [0, 4), but targets(1, 1) = 4.",
                e.getMessage());
    }

    @Test
    void floatingPointTargetsAreRefused() {
        ShapeException e = assertThrows(ShapeException.class, () -> new SoftmaxCrossEntropy()
                .compute(TestData.gaussian(1, N, T, V), Nd4j.createFromArray(TARGETS).castTo(DataType.DOUBLE)));
        assertEquals("SoftmaxCrossEntropy.compute: targets must have an integer data type such as INT or LONG, but has DOUBLE."
                + " Convert it with castTo(DataType.INT32).", e.getMessage());
    }

    @Test
    void targetsOfTheWrongShapeAreRefused() {
        ShapeException e = assertThrows(ShapeException.class, () -> new SoftmaxCrossEntropy()
                .compute(TestData.gaussian(1, N, T, V), Nd4j.createFromArray(new int[] {0, 1})));
        assertEquals("SoftmaxCrossEntropy.compute: targets must have shape (N, T) = (2, 3), but has shape (2,).",
                e.getMessage());
    }

    @Test
    void aMaskThatIsNotZeroOrOneIsRefused() {
        INDArray mask = Nd4j.createFromArray(new double[][] {{1, 1, 1}, {1, 0.5, 0}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SoftmaxCrossEntropy()
                .compute(TestData.gaussian(1, N, T, V), Nd4j.createFromArray(TARGETS), mask));
        assertEquals("SoftmaxCrossEntropy.compute: mask must hold only 0 (padding) and 1 (counts), but mask(1, 1) = 0.5.",
                e.getMessage());
    }

    @Test
    void logitsThatDoNotMatchTheClassWeightsAreRefused() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy(Nd4j.createFromArray(1.0, 1.0, 1.0, 1.0, 1.0));
        ShapeException e = assertThrows(ShapeException.class,
                () -> ce.compute(TestData.gaussian(1, N, T, V), Nd4j.createFromArray(TARGETS)));
        assertEquals("SoftmaxCrossEntropy.compute: logits must have shape (N, T, V) = (?, ?, 5), but has shape (2, 3, 4).",
                e.getMessage());
    }

    @Test
    void aNegativeClassWeightIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SoftmaxCrossEntropy(Nd4j.createFromArray(1.0, -2.0)));
        assertEquals("SoftmaxCrossEntropy: every class weight must be finite and non-negative, but classWeights(1) = -2.0.",
                e.getMessage());
    }
}

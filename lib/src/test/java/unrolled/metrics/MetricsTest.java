package unrolled.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.loss.SoftmaxCrossEntropy;

class MetricsTest {

    @Test
    void perplexityIsTheExponentialOfTheMeanCrossEntropy() {
        assertEquals(1.0, Metrics.perplexity(0.0), 0.0);
        assertEquals(Math.E, Metrics.perplexity(1.0), 1e-15);
        assertEquals(4.0, Metrics.perplexity(2 * Math.log(2)), 1e-14);
    }

    @Test
    void aUniformModelOverVSymbolsHasPerplexityV() {
        int V = 7;
        INDArray uniform = Nd4j.zeros(DataType.DOUBLE, 2, 3, V);
        INDArray targets = Nd4j.createFromArray(new int[][] {{0, 6, 3}, {1, 2, 5}});
        double meanCrossEntropy = new SoftmaxCrossEntropy().compute(uniform, targets).loss();
        assertEquals(V, Metrics.perplexity(meanCrossEntropy), 1e-12);
    }

    @Test
    void aNegativeOrUndefinedCrossEntropyIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Metrics.perplexity(-0.5));
        assertEquals("Metrics.perplexity: meanCrossEntropy must be a non-negative number (a mean cross-entropy in nats),"
                + " but is -0.5.", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Metrics.perplexity(Double.NaN));
    }

    @Test
    void accuracyIsTheFractionOfUnmaskedPositionsWhereTheArgmaxIsTheTarget() {
        // (N, T, V) = (2, 2, 3); argmax: (0, 0) → 1, (0, 1) → 2, (1, 0) → 0, (1, 1) → 1.
        INDArray logits = Nd4j.createFromArray(new double[][][] {
                {{0.1, 0.9, 0.0}, {-1, -2, 3}},
                {{5, 4, 3}, {0, 1, 0.5}}});
        INDArray targets = Nd4j.createFromArray(new int[][] {{1, 0}, {0, 2}});
        // Correct at (0, 0) and (1, 0): 2 of 4.
        assertEquals(0.5, Metrics.accuracy(logits, targets), 0.0);
        // Masking out (1, 1), a wrong one: 2 of 3.
        INDArray mask = Nd4j.createFromArray(new double[][] {{1, 1}, {1, 0}});
        assertEquals(2.0 / 3, Metrics.accuracy(logits, targets, mask), 1e-15);
        // Masking out (0, 0), a right one: 1 of 2.
        INDArray other = Nd4j.createFromArray(new double[][] {{0, 1}, {1, 0}});
        assertEquals(0.5, Metrics.accuracy(logits, targets, other), 0.0);
    }

    @Test
    void accuracyOfOnePredictionPerSequence() {
        INDArray logits = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 0}, {0, 1}});
        assertEquals(1.0 / 3, Metrics.accuracy(logits, Nd4j.createFromArray(new long[] {1, 1, 0})), 1e-15);
    }

    @Test
    void amongTiedScoresTheLowestClassIsPredicted() {
        INDArray tied = Nd4j.zeros(DataType.DOUBLE, 3, 4);
        assertEquals(1.0, Metrics.accuracy(tied, Nd4j.createFromArray(new int[] {0, 0, 0})), 0.0);
        assertEquals(0.0, Metrics.accuracy(tied, Nd4j.createFromArray(new int[] {3, 1, 2})), 0.0);
    }

    @Test
    void accuracyWithEveryPositionMaskedIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Metrics.accuracy(
                Nd4j.zeros(DataType.DOUBLE, 2, 3), Nd4j.createFromArray(new int[] {0, 1}), Nd4j.zeros(DataType.DOUBLE, 2)));
        assertEquals("Metrics.accuracy: mask must keep at least one position, but every one of the 2 positions is masked.",
                e.getMessage());
    }

    @Test
    void aTargetOutOfRangeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Metrics.accuracy(
                Nd4j.zeros(DataType.DOUBLE, 2, 3), Nd4j.createFromArray(new int[] {0, 3})));
        assertEquals("Metrics.accuracy: every target must be in [0, V) = [0, 3), but targets(1) = 3.", e.getMessage());
    }
}

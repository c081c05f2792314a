package unrolled.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ClassWeightsTest {

    @Test
    void balancedWeightsGiveEveryClassTheSameTotal() {
        int[] labels = {0, 0, 0, 0, 0, 0, 1, 1};   // 6 ham, 2 spam
        double[] w = ClassWeights.balanced(labels, 2).toDoubleVector();
        // w_k = M / (K · M_k): 8 / (2·6) and 8 / (2·2)
        assertArrayEquals(new double[] {8.0 / 12, 8.0 / 4}, w, 1e-15);
        assertEquals(6 * w[0], 2 * w[1], 1e-12);
    }

    @Test
    void refusesAClassWithNoItem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassWeights.balanced(new int[] {0, 0, 2}, 3));
        assertTrue(e.getMessage().contains("class 1 has none"), e.getMessage());
    }

    @Test
    void refusesALabelOutOfRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassWeights.counts(new int[] {0, 5}, 2));
        assertTrue(e.getMessage().contains("labels[1] = 5"), e.getMessage());
    }

    @Test
    void balancedWeightedCrossEntropyGradientMatchesCentredDifferencesInDouble() {
        int[] labels = {0, 0, 0, 1};
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(ClassWeights.balanced(labels, 2));
        INDArray targets = Nd4j.createFromArray(labels);
        INDArray logits = Nd4j.createFromArray(new double[][] {{0.3, -0.2}, {1.1, 0.4}, {-0.5, 0.9}, {0.2, 0.1}});
        INDArray analytic = loss.compute(logits, targets).dLogits();
        double h = 1e-6;
        for (int n = 0; n < 4; n++) {
            for (int k = 0; k < 2; k++) {
                INDArray plus = logits.dup();
                plus.putScalar(n, k, logits.getDouble(n, k) + h);
                INDArray minus = logits.dup();
                minus.putScalar(n, k, logits.getDouble(n, k) - h);
                // centred difference: (L(z + h) − L(z − h)) / 2h
                double numeric = (loss.compute(plus, targets).loss() - loss.compute(minus, targets).loss()) / (2 * h);
                assertEquals(numeric, analytic.getDouble(n, k), 1e-8, "dLogits[" + n + ", " + k + "]");
            }
        }
        assertEquals(DataType.DOUBLE, analytic.dataType());
    }
}

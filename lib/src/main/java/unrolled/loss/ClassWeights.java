package unrolled.loss;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Class weights for an imbalanced classification, to pass to {@link SoftmaxCrossEntropy#SoftmaxCrossEntropy(INDArray)}.
 *
 * <pre>
 *   balanced:  w_k = M / (K · M_k)        M items, K classes, M_k items of class k
 * </pre>
 *
 * With these weights every class contributes the same total weight, M/K, to the loss, as if the data were balanced:
 * a class ten times rarer counts ten times more per item. (The same rule as scikit-learn's
 * {@code class_weight="balanced"}.) Because {@link SoftmaxCrossEntropy} divides by the total weight of the batch, only
 * the ratios between the weights matter, not their scale.
 */
public final class ClassWeights {

    private ClassWeights() {
    }

    /**
     * The balanced weights of a set of training labels.
     *
     * @param labels the class of every training item, int[M], each in [0, K)
     * @param classes K, at least 2
     * @return w, (K,) DOUBLE, w_k = M / (K · M_k)
     * @throws IllegalArgumentException if a label is out of range or a class has no item (its weight would be infinite)
     */
    public static INDArray balanced(int[] labels, int classes) {
        Objects.requireNonNull(labels, "ClassWeights.balanced: labels must not be null");
        if (classes < 2) {
            throw new IllegalArgumentException("ClassWeights.balanced: classes must be at least 2, but is " + classes + ".");
        }
        long[] counts = counts("ClassWeights.balanced", labels, classes);
        double[] w = new double[classes];
        for (int k = 0; k < classes; k++) {
            if (counts[k] == 0) {
                throw new IllegalArgumentException("ClassWeights.balanced: every class needs at least one item, but class " + k
                        + " has none among the " + labels.length + " labels.");
            }
            // w_k = M / (K · M_k)
            w[k] = (double) labels.length / (classes * (double) counts[k]);
        }
        return Nd4j.createFromArray(w);
    }

    /**
     * How many items each class has.
     *
     * @param labels the class of every item, int[M], each in [0, K)
     * @param classes K, positive
     * @return M_k for k = 0 … K − 1
     */
    public static long[] counts(int[] labels, int classes) {
        Objects.requireNonNull(labels, "ClassWeights.counts: labels must not be null");
        if (classes < 1) {
            throw new IllegalArgumentException("ClassWeights.counts: classes must be positive, but is " + classes + ".");
        }
        return counts("ClassWeights.counts", labels, classes);
    }

    private static long[] counts(String method, int[] labels, int classes) {
        long[] counts = new long[classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(method + ": every label must be in [0, K) = [0, " + classes + "), but labels["
                        + i + "] = " + labels[i] + ".");
            }
            counts[labels[i]]++;
        }
        return counts;
    }
}

package unrolled.metrics;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.tensor.ClassScores;
import unrolled.tensor.Shapes;

/**
 * The numbers a notebook reports about a model of sequences, beside its loss.
 */
public final class Metrics {

    private Metrics() {
    }

    /**
     * Perplexity, the exponential of the mean cross-entropy (in nats):
     *
     * <pre>
     *   PPL = exp(mean CE) = exp(−(1/M) Σ log p(y))
     * </pre>
     *
     * It reads as an <em>effective branching factor</em>: a model with perplexity k is, on average, as unsure
     * of the next symbol as if it had to choose uniformly among k of them. A uniform model over V symbols
     * assigns p = 1/V to every target, so its mean cross-entropy is ln V and its perplexity exactly V; a
     * perfect model has perplexity 1. The mean must be over every scored position of the data set (see
     * {@link unrolled.loss.SoftmaxCrossEntropy.Result#totalWeight()}), not the mean of batch perplexities.
     *
     * @param meanCrossEntropy the mean cross-entropy per position, in nats, non-negative
     * @return exp(meanCrossEntropy), at least 1
     */
    public static double perplexity(double meanCrossEntropy) {
        if (!(meanCrossEntropy >= 0)) {
            throw new IllegalArgumentException("Metrics.perplexity: meanCrossEntropy must be a non-negative number "
                    + "(a mean cross-entropy in nats), but is " + meanCrossEntropy + ".");
        }
        return Math.exp(meanCrossEntropy);
    }

    /**
     * The accuracy over every position.
     *
     * @param logits scores, (N, T, V) or (N, V), DOUBLE or FLOAT
     * @param targets (N, T) or (N,), an integer data type such as INT or LONG, each in [0, V)
     * @return the fraction of positions whose highest score is at the target
     */
    public static double accuracy(INDArray logits, INDArray targets) {
        return accuracy(logits, targets, null);
    }

    /**
     * The fraction of unmasked positions where the model's most likely class is the target:
     *
     * <pre>
     *   accuracy = Σ_{n,t} m·[argmax_v z_v = y] / Σ_{n,t} m
     * </pre>
     *
     * Softmax preserves order, so the argmax of the logits is the argmax of the probabilities. Among tied scores
     * the lowest class index is the prediction.
     *
     * @param logits scores z, (N, T, V) or (N, V), DOUBLE or FLOAT
     * @param targets y, (N, T) or (N,), an integer data type such as INT or LONG, each in [0, V)
     * @param mask m, (N, T) or (N,), any numeric type, 1 where a position counts and 0 at padding; null for all 1
     * @return the accuracy, in [0, 1]
     * @throws IllegalArgumentException if every position is masked
     */
    public static double accuracy(INDArray logits, INDArray targets, INDArray mask) {
        String method = "Metrics.accuracy";
        ClassScores.requireScores(method, "logits", logits, Shapes.ANY);
        long[] y = ClassScores.readTargets(method, targets, logits);
        double[] m = ClassScores.readMask(method, mask, logits);
        long V = logits.size(logits.rank() - 1);

        // ŷ = argmax_v z_v at every position
        INDArray predicted = Nd4j.argMax(logits.reshape('c', y.length, V), 1);
        // accuracy = Σ m·[ŷ = y] / Σ m
        double correct = 0;
        double counted = 0;
        for (int i = 0; i < y.length; i++) {
            counted += m[i];
            if (predicted.getLong(i) == y[i]) {
                correct += m[i];
            }
        }
        if (counted == 0) {
            throw new IllegalArgumentException(method + ": mask must keep at least one position, but every one of the "
                    + y.length + " positions is masked.");
        }
        return correct / counted;
    }
}

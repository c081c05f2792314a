package unrolled.models;

import org.nd4j.linalg.api.buffer.DataType;
import unrolled.layer.Affine;

/**
 * How the ready models initialise their readout, the affine layer from hidden states to scores or values.
 *
 * <p>W starts as Xavier-uniform scaled by {@link #INITIAL_SCALE} = 0.1, b at zero. With small readout weights every
 * logit starts near 0, so the softmax starts near uniform and the first cross-entropy is close to ln K (K classes):
 * expanding the cross-entropy around z = 0 gives E[loss] ≈ ln K + ½·(1 − 1/K)·Var(z), and Var(z) is about 1% of what
 * plain Xavier would give. A first loss far above ln K means the model is confidently wrong before it has learned
 * anything, and the first steps are spent undoing that instead of learning. A regressor likewise starts by predicting
 * values near 0.
 */
final class Readout {

    /** The factor applied to the Xavier-uniform W of every readout. */
    static final double INITIAL_SCALE = 0.1;

    private Readout() {
    }

    /**
     * @param inputSize the size of the hidden state read, positive
     * @param outputSize K, positive
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of W
     * @return an affine layer with W = 0.1 · Xavier-uniform, b = 0
     */
    static Affine affine(int inputSize, int outputSize, DataType dataType, long seed) {
        Affine affine = new Affine(inputSize, outputSize, dataType, seed);
        affine.parameters().get("W").muli(INITIAL_SCALE);
        return affine;
    }
}

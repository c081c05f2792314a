package unrolled.layer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.param.Trainable;

/**
 * A feed-forward layer that maps every row of its input on its own: (M, D) to (M, K), row i of the output
 * depending on row i of the input only. Because nothing mixes rows, the same layer can be applied at every time
 * step of a sequence by treating the N·T steps as rows: that is what {@link TimeDistributed} does.
 *
 * <p>{@link Affine} and {@link FeedForward} are row layers.
 *
 * @param <C> the layer's cache type: what {@link #forward} keeps for {@link #backward}
 */
public interface RowLayer<C> extends Trainable {

    /**
     * A row layer's forward result.
     *
     * @param <C> the layer's cache type
     */
    interface Output<C> {

        /** @return y, (M, K) */
        INDArray output();

        /** @return what the backward pass needs */
        C cache();
    }

    /**
     * @param x the input, (M, D), of the layer's data type
     * @return y (M, K) and the cache for {@link #backward}
     */
    Output<C> forward(INDArray x);

    /**
     * @param dy ∂L/∂y, (M, K)
     * @param cache from {@link #forward}
     * @return ∂L/∂x (M, D) and the gradients of the layer's parameters, under their names
     */
    LayerGradients backward(INDArray dy, C cache);

    /** @return D, the size of each input row */
    int inputSize();

    /** @return K, the size of each output row */
    int outputSize();

    /** @return DOUBLE or FLOAT */
    DataType dataType();
}

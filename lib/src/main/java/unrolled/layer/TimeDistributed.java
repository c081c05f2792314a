package unrolled.layer;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.param.Trainable;
import unrolled.param.Parameters;
import unrolled.tensor.Shapes;

/**
 * Any {@link RowLayer} applied at every time step of a sequence, with one set of weights shared by all steps:
 *
 * <pre>
 *   y_t = layer(x_t)   for t = 1..T      x (N, T, D), y (N, T, K)
 * </pre>
 *
 * The layer maps each row on its own, so the N·T steps are simply N·T rows: the wrapper reshapes x to (N·T, D),
 * calls the layer once, and reshapes back. Shared weights mean summed gradients, here over the batch and over
 * time, and the single call over all rows sums them without a loop. There is no recurrence: nothing flows from
 * step t to step t + 1, which is why a time-distributed layer is fully parallel over time and sees one step only.
 * {@link TimeDistributedAffine} is this wrapper around an {@link Affine} layer, under its own name.
 *
 * <p>Parameter names: the wrapped layer's own, the same live arrays.
 *
 * @param <C> the wrapped layer's cache type
 */
public sealed class TimeDistributed<C> implements Trainable permits TimeDistributedAffine {

    /**
     * What the forward pass keeps for the backward pass.
     *
     * @param inner the wrapped layer's cache for the N·T rows
     * @param batchSize N
     * @param length T
     * @param <C> the wrapped layer's cache type
     */
    public record Cache<C>(C inner, long batchSize, long length) {
    }

    /**
     * The forward result.
     *
     * @param output y, (N, T, K)
     * @param cache for {@link #backward}
     * @param <C> the wrapped layer's cache type
     */
    public record Result<C>(INDArray output, Cache<C> cache) {
    }

    private final RowLayer<C> layer;
    /** The class's simple name, for the messages: {@code TimeDistributed} or {@code TimeDistributedAffine}. */
    private final String name;

    /**
     * @param layer the layer to apply at every step, not null; its weights are shared, not copied
     */
    public TimeDistributed(RowLayer<C> layer) {
        this.name = getClass().getSimpleName();
        this.layer = Objects.requireNonNull(layer, name + ": layer must not be null");
    }

    /**
     * @param x the input, (N, T, D), of the layer's data type
     * @return y (N, T, K) with y_t = layer(x_t), and the cache for {@link #backward}
     */
    public Result<C> forward(INDArray x) {
        Shapes.require(name + ".forward", "x", x, "(N, T, D)", layer.dataType(),
                Shapes.ANY, Shapes.ANY, layer.inputSize());
        long n = x.size(0);
        long t = x.size(1);

        // the N·T steps as rows (N·T, D), one call, back to (N, T, K)
        RowLayer.Output<C> rows = layer.forward(x.reshape('c', n * t, layer.inputSize()));
        return new Result<>(rows.output().reshape('c', n, t, layer.outputSize()), new Cache<>(rows.cache(), n, t));
    }

    /**
     * @param dy ∂L/∂y, (N, T, K)
     * @param cache from {@link #forward}
     * @return ∂L/∂x (N, T, D), and the layer's parameter gradients, each summed over N and T, under its names
     */
    public LayerGradients backward(INDArray dy, Cache<C> cache) {
        Objects.requireNonNull(cache, name + ".backward: cache must not be null");
        long n = cache.batchSize();
        long t = cache.length();
        Shapes.require(name + ".backward", "dy", dy, "(N, T, K)", layer.dataType(), n, t, layer.outputSize());

        // the layer's own backward on the (N·T, K) rows: its weight gradients are the sums over batch and time
        LayerGradients rows = layer.backward(dy.reshape('c', n * t, layer.outputSize()), cache.inner());
        return new LayerGradients(rows.dx().reshape('c', n, t, layer.inputSize()), rows.parameters());
    }

    @Override
    public Parameters parameters() {
        return layer.parameters();
    }

    /** @return the layer applied at every step */
    public RowLayer<C> layer() {
        return layer;
    }

    /** @return D */
    public int inputSize() {
        return layer.inputSize();
    }

    /** @return K */
    public int outputSize() {
        return layer.outputSize();
    }

    /** @return DOUBLE or FLOAT */
    public DataType dataType() {
        return layer.dataType();
    }

    @Override
    public String toString() {
        return name + "(" + layer + ")";
    }
}

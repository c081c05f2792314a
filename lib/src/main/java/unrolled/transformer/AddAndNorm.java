package unrolled.transformer;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.layer.LayerGradients;
import unrolled.layer.LayerNorm;
import unrolled.param.Trainable;
import unrolled.param.Parameters;
import unrolled.tensor.Shapes;

/**
 * The "Add &amp; Norm" step that follows every sublayer of a Transformer: a residual connection, then layer
 * normalisation,
 *
 * <pre>
 *   y = LayerNorm(x + s)        x the sublayer's input, s = sublayer(x), both (N, T, D)
 * </pre>
 *
 * The residual path x + s lets the sublayer learn only a correction to its input, and gives the gradient a route
 * around it: ∂(x + s)/∂x = I + ∂s/∂x, so even where the sublayer's Jacobian is small the identity carries the
 * gradient down — the same additive trick as the LSTM's cell state, applied across depth instead of time.
 * Layer normalisation then keeps the scale of the sum fixed from block to block. (This is the original
 * "post-norm" order; "pre-norm", x + sublayer(LayerNorm(x)), is the other common choice.)
 *
 * <p>Backward: the addition hands the same gradient to both terms, so {@link #backward} returns one array,
 * ∂L/∂(x + s), that is both ∂L/∂x through the residual path and ∂L/∂s for the sublayer's own backward pass; the
 * caller adds what comes back through the sublayer onto the residual one. Parameter names: the layer norm's,
 * {@code gamma} and {@code beta}.
 */
public final class AddAndNorm implements Trainable {

    private final LayerNorm norm;

    /**
     * @param size D, positive
     * @param dataType DOUBLE or FLOAT
     */
    public AddAndNorm(int size, DataType dataType) {
        this.norm = new LayerNorm(size, dataType);
    }

    /**
     * @param x the sublayer's input, (N, T, D), of the layer's data type
     * @param sublayerOutput s, the sublayer's output, the shape of x
     * @return y = LayerNorm(x + s), (N, T, D), and the layer norm's cache for {@link #backward}
     */
    public LayerNorm.Result forward(INDArray x, INDArray sublayerOutput) {
        String method = "AddAndNorm.forward";
        Shapes.require(method, "x", x, "(N, T, D)", Shapes.ANY, Shapes.ANY, norm.size());
        Shapes.requireType(method, "x", x, norm.dataType());
        Shapes.require(method, "sublayerOutput", sublayerOutput, "(N, T, D)", x.size(0), x.size(1), norm.size());
        Shapes.requireType(method, "sublayerOutput", sublayerOutput, norm.dataType());

        // y = LayerNorm(x + s)
        return norm.forward(x.add(sublayerOutput));
    }

    /**
     * @param dy ∂L/∂y, (N, T, D)
     * @param cache from {@link #forward}
     * @return ∂L/∂(x + s), (N, T, D): the gradient of x along the residual path and of s alike; and ∂L/∂γ, ∂L/∂β
     *     (1, D) under the names {@code gamma}, {@code beta}
     */
    public LayerGradients backward(INDArray dy, LayerNorm.Cache cache) {
        Objects.requireNonNull(cache, "AddAndNorm.backward: cache must not be null");
        return norm.backward(dy, cache);
    }

    @Override
    public Parameters parameters() {
        return norm.parameters();
    }

    /** @return D */
    public int size() {
        return norm.size();
    }

    /** @return DOUBLE or FLOAT */
    public DataType dataType() {
        return norm.dataType();
    }

    @Override
    public String toString() {
        return "AddAndNorm(D=" + norm.size() + ", " + norm.dataType() + ")";
    }
}

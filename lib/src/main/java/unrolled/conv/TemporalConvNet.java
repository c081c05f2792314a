package unrolled.conv;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import unrolled.layer.LayerGradients;
import unrolled.param.Gradients;
import unrolled.param.Trainable;
import unrolled.param.Parameters;
import unrolled.tensor.Shapes;

/**
 * A temporal convolutional network (after Bai, Kolter &amp; Koltun, 2018, simplified to one convolution per
 * residual block and no normalisation or dropout): L {@link Conv1d} layers whose dilation doubles from layer to
 * layer, each followed by a ReLU, with a residual connection around every layer but the first,
 *
 * <pre>
 *   a⁰ = x                                                     x (N, T, D)
 *   a¹ = ReLU(Conv₀(a⁰))                    δ₀ = 1, D → F
 *   aˡ⁺¹ = aˡ + ReLU(Convₗ(aˡ))             δₗ = 2ˡ, F → F,   l = 1 … L−1
 *   y = aᴸ                                                     y (N, T, F)
 * </pre>
 *
 * Doubling the dilation makes the receptive field grow exponentially with depth, r = 1 + (K − 1)·(2ᴸ − 1), while
 * the parameters grow linearly: with K = 2, ten layers see 1024 steps. With {@link Padding#CAUSAL} padding every
 * output depends only on the present and the past, so the network can stand in for a recurrent one in forecasting
 * and generation — computing all T outputs in parallel in training, but unable to see further back than r steps,
 * where an RNN's state has no fixed horizon (and, in practice, a fading one). Backward runs the layers in reverse:
 * the ReLU's gate [u &gt; 0] on the way into each convolution, and the residual adding its gradient straight through.
 *
 * <p>Parameters: {@code conv0.W}, {@code conv0.b}, {@code conv1.W}, … in layer order.
 */
public final class TemporalConvNet implements Trainable {

    /**
     * What the forward pass keeps for the backward pass.
     *
     * @param layers each convolution's cache, first to last
     * @param activations each layer's ReLU output, (N, T, F), first to last
     */
    public record Cache(List<Conv1d.Cache> layers, List<INDArray> activations) {
    }

    /**
     * The forward result.
     *
     * @param output y, (N, T, F)
     * @param cache for {@link #backward}
     */
    public record Result(INDArray output, Cache cache) {
    }

    private final List<Conv1d> layers;
    private final Parameters parameters = new Parameters();

    /**
     * @param inputSize D, positive
     * @param channels F, the features of every layer's output, positive
     * @param depth L, the number of layers, positive
     * @param kernelSize K, positive
     * @param padding CAUSAL or SAME (the residual connections need T' = T)
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of the weights (layer l uses seed + l)
     */
    public TemporalConvNet(int inputSize, int channels, int depth, int kernelSize, Padding padding, DataType dataType,
            long seed) {
        Shapes.requirePositive("TemporalConvNet", "depth", depth);
        Objects.requireNonNull(padding, "TemporalConvNet: padding must not be null");
        if (padding == Padding.VALID) {
            throw new IllegalArgumentException("TemporalConvNet: padding must be CAUSAL or SAME, so that every layer keeps "
                    + "T steps for its residual connection, but is VALID.");
        }
        if (depth > 30) {
            throw new IllegalArgumentException("TemporalConvNet: depth must be at most 30 (the dilation 2^(L−1) must fit "
                    + "an int), but is " + depth + ".");
        }
        List<Conv1d> stack = new ArrayList<>();
        for (int l = 0; l < depth; l++) {
            Conv1d conv = new Conv1d(l == 0 ? inputSize : channels, channels, kernelSize, 1 << l, padding, dataType,
                    seed + l);
            stack.add(conv);
            parameters.addAll("conv" + l, conv.parameters());
        }
        this.layers = List.copyOf(stack);
    }

    /**
     * @param x the input, (N, T, D), of the network's data type
     * @return y (N, T, F) and the cache for {@link #backward}
     */
    public Result forward(INDArray x) {
        Shapes.require("TemporalConvNet.forward", "x", x, "(N, T, D)", Shapes.ANY, Shapes.ANY, inputSize());
        List<Conv1d.Cache> caches = new ArrayList<>();
        List<INDArray> activations = new ArrayList<>();
        INDArray a = x;
        for (int l = 0; l < layers.size(); l++) {
            Conv1d.Result u = layers.get(l).forward(a);
            // r = ReLU(Convₗ(aˡ))
            INDArray r = Transforms.relu(u.output(), false);
            caches.add(u.cache());
            activations.add(r);
            // a¹ = r;  aˡ⁺¹ = aˡ + r
            a = l == 0 ? r : a.add(r);
        }
        return new Result(a, new Cache(List.copyOf(caches), List.copyOf(activations)));
    }

    /**
     * @param dy ∂L/∂y, (N, T, F)
     * @param cache from {@link #forward}
     * @return ∂L/∂x (N, T, D) and every convolution's gradients under {@code conv0.}, {@code conv1.}, …
     */
    public LayerGradients backward(INDArray dy, Cache cache) {
        Objects.requireNonNull(cache, "TemporalConvNet.backward: cache must not be null");
        INDArray last = cache.activations().get(layers.size() - 1);
        Shapes.require("TemporalConvNet.backward", "dy", dy, "(N, T, F)", last.size(0), last.size(1), channels());
        Gradients grads = new Gradients();
        INDArray da = dy;
        for (int l = layers.size() - 1; l >= 0; l--) {
            // through the ReLU: du = da ⊙ [r > 0]
            INDArray r = cache.activations().get(l);
            INDArray du = da.mul(r.gt(0.0).castTo(r.dataType()));
            LayerGradients conv = layers.get(l).backward(du, cache.layers().get(l));
            grads.accumulateAll("conv" + l, conv.parameters());
            // the residual passes da straight to aˡ; the first layer has none
            da = l == 0 ? conv.dx() : conv.dx().addi(da);
        }
        Gradients ordered = new Gradients();
        for (String name : parameters.names()) {
            ordered.accumulate(name, grads.get(name));
        }
        return new LayerGradients(da, ordered);
    }

    /** @return r = 1 + (K − 1)·(2ᴸ − 1), how many consecutive input steps one output step depends on */
    public int receptiveField() {
        int field = 1;
        for (Conv1d conv : layers) {
            field += conv.receptiveField() - 1;
        }
        return field;
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    /** @return the convolutions, first to last */
    public List<Conv1d> layers() {
        return layers;
    }

    /** @return D */
    public int inputSize() {
        return layers.get(0).inputSize();
    }

    /** @return F */
    public int channels() {
        return layers.get(0).filters();
    }

    /** @return L */
    public int depth() {
        return layers.size();
    }

    /** @return DOUBLE or FLOAT */
    public DataType dataType() {
        return layers.get(0).dataType();
    }

    @Override
    public String toString() {
        Conv1d first = layers.get(0);
        return "TemporalConvNet(D=" + first.inputSize() + ", F=" + first.filters() + ", L=" + layers.size() + ", K="
                + first.kernelSize() + ", " + first.padding() + ", receptive field " + receptiveField() + ", "
                + first.dataType() + ")";
    }
}

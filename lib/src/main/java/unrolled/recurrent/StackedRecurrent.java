package unrolled.recurrent;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.cell.State;
import unrolled.data.SequenceMask;
import unrolled.layer.Dropout;
import unrolled.param.Gradients;
import unrolled.param.Trainable;
import unrolled.param.Parameters;
import unrolled.tensor.Shapes;

/**
 * L recurrent layers stacked in depth: layer l's outputs (all T of them) are layer l + 1's inputs, with dropout
 * between consecutive layers during training.
 *
 * <pre>
 *   y⁽⁰⁾ = layer_0(x)                                          x (N, T, D), y⁽ˡ⁾ (N, T, H_l)
 *   y⁽ˡ⁾ = layer_l(dropout(y⁽ˡ⁻¹⁾))     l = 1 … L−1              each layer has its own weights and initial state
 *   outputs = y⁽ᴸ⁻¹⁾,   final states = (the final state of each layer)
 * </pre>
 * Depth lets lower layers build features of the input and upper layers model longer-range structure from them.
 * Dropout is applied only between layers (never on the recurrent connection h_{t−1} → h_t, which would erase the
 * memory a little at every step); with {@link Dropout.Mode#VARIATIONAL} the same units of a sequence are dropped at
 * every step. Backward runs the layers in reverse order, each layer's dx passing back through the dropout mask.
 *
 * <p>Parameters: {@code layer0.Wx}, {@code layer0.Wh}, …, {@code layer1.Wx}, … in layer order.
 *
 * @param <C> the cells' cache type
 */
public final class StackedRecurrent<C> implements Trainable {

    /**
     * What the forward pass keeps for the backward pass.
     *
     * @param layers each layer's cache, bottom first
     * @param dropouts the dropout cache between layer l and l + 1, for l = 0 … L−2
     * @param <C> the cells' cache type
     */
    public record Cache<C>(List<RecurrentLayer.Cache<C>> layers, List<Dropout.Cache> dropouts) {
    }

    /**
     * The forward result.
     *
     * @param outputs the top layer's outputs, (N, T, H_{L−1}); zero on padded steps
     * @param finalStates each layer's final state, bottom first
     * @param cache for {@link #backward}
     * @param <C> the cells' cache type
     */
    public record Result<C>(INDArray outputs, List<State> finalStates, Cache<C> cache) {
    }

    /**
     * The backward result.
     *
     * @param dx ∂L/∂x, (N, T, D)
     * @param dInitial each layer's initial state gradient, bottom first
     * @param parameters the gradient of every {@code layerL.*} parameter
     */
    public record BackwardResult(INDArray dx, List<State> dInitial, Gradients parameters) {
    }

    private final List<SequenceLayer<C>> layers;
    private final Dropout dropout;
    private final Parameters parameters = new Parameters();

    /**
     * @param layers the layers, bottom first, at least one; layer l + 1 reads inputs of size layer l's H; all in one
     *     data type; each with its own cell
     * @param dropout applied to the outputs of every layer but the last during training; null for none
     */
    public StackedRecurrent(List<? extends SequenceLayer<C>> layers, Dropout dropout) {
        Objects.requireNonNull(layers, "StackedRecurrent: layers must not be null");
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("StackedRecurrent: layers must hold at least one layer, but is empty.");
        }
        this.layers = List.copyOf(layers);
        this.dropout = dropout;
        Map<Object, Integer> cells = new IdentityHashMap<>();
        for (int l = 0; l < this.layers.size(); l++) {
            SequenceLayer<C> layer = this.layers.get(l);
            Integer earlier = cells.put(layer.cell(), l);
            if (earlier != null) {
                throw new IllegalArgumentException("StackedRecurrent: layers " + earlier + " and " + l
                        + " share one cell; each layer needs its own weights.");
            }
            if (l > 0) {
                SequenceLayer<C> below = this.layers.get(l - 1);
                if (layer.inputSize() != below.hiddenSize()) {
                    throw new IllegalArgumentException("StackedRecurrent: layer " + l + " must read inputs of size D = "
                            + below.hiddenSize() + " (layer " + (l - 1) + "'s hidden size H), but reads D = "
                            + layer.inputSize() + ".");
                }
                if (layer.dataType() != below.dataType()) {
                    throw new IllegalArgumentException("StackedRecurrent: every layer must compute in the same data type, but layer "
                            + (l - 1) + " computes in " + below.dataType() + " and layer " + l + " in " + layer.dataType() + ".");
                }
            }
            parameters.addAll("layer" + l, layer.parameters());
        }
    }

    /**
     * Runs every layer from its own {@link InitialState} policy.
     *
     * @param x the inputs, (N, T, D)
     * @param mask which steps are real, (N, T), padding at the end; null if none is padded
     * @param training true to apply dropout between layers; false (evaluation) for none
     * @return the top layer's outputs, each layer's final state, and the cache
     */
    public Result<C> forward(INDArray x, SequenceMask mask, boolean training) {
        return forward(x, null, mask, training);
    }

    /**
     * Runs every layer from a given initial state.
     *
     * @param x the inputs, (N, T, D)
     * @param initial one initial state per layer, bottom first, each (N, H_l); a null entry, or a null list, means
     *     that layer's own {@link InitialState} policy
     * @param mask which steps are real, (N, T), padding at the end; null if none is padded
     * @param training true to apply dropout between layers; false (evaluation) for none
     * @return the top layer's outputs, each layer's final state, and the cache
     */
    public Result<C> forward(INDArray x, List<State> initial, SequenceMask mask, boolean training) {
        String method = "StackedRecurrent.forward";
        layers.get(0).requireInput(method, x, mask);
        if (initial != null && initial.size() != layers.size()) {
            throw new IllegalArgumentException(method + ": initial must hold one state per layer (" + layers.size()
                    + "), but holds " + initial.size() + ".");
        }
        // y⁽ˡ⁾ = layer_l(dropout(y⁽ˡ⁻¹⁾)), each layer from its given state or its own policy's
        Stacking.Forward<RecurrentLayer.Result<C>> stack = Stacking.forward(layers.size(), x, dropout, training,
                (l, input) -> {
                    State start = initial == null ? null : initial.get(l);
                    return start == null ? layers.get(l).forward(input, mask) : layers.get(l).forward(input, start, mask);
                },
                RecurrentLayer.Result::outputs);
        List<RecurrentLayer.Cache<C>> caches = new ArrayList<>();
        List<State> finals = new ArrayList<>();
        for (RecurrentLayer.Result<C> result : stack.levels()) {
            caches.add(result.cache());
            finals.add(result.finalState());
        }
        return new Result<>(stack.outputs(), List.copyOf(finals), new Cache<>(List.copyOf(caches), stack.dropouts()));
    }

    /**
     * @param dOutputs ∂L/∂(top outputs), (N, T, H_{L−1})
     * @param dFinal ∂L/∂(final state) of each layer, bottom first; a null list or null entries mean zero
     * @param cache from {@link #forward}; not modified
     * @return dx (N, T, D), each layer's initial state gradient, and every parameter's gradient
     */
    public BackwardResult backward(INDArray dOutputs, List<State> dFinal, Cache<C> cache) {
        String method = "StackedRecurrent.backward";
        Objects.requireNonNull(cache, method + ": cache must not be null");
        if (dFinal != null && dFinal.size() != layers.size()) {
            throw new IllegalArgumentException(method + ": dFinal must hold one state gradient per layer (" + layers.size()
                    + "), but holds " + dFinal.size() + ".");
        }
        SequenceLayer<C> top = layers.get(layers.size() - 1);
        RecurrentLayer.Cache<C> topCache = cache.layers().get(layers.size() - 1);
        Shapes.require(method, "dOutputs", dOutputs, "(N, T, H)", top.dataType(),
                topCache.batchSize(), topCache.length(), top.hiddenSize());
        State[] dInitial = new State[layers.size()];
        Stacking.Backward result = Stacking.backward(layers.size(), dOutputs, dropout, cache.dropouts(), parameters,
                (l, dy) -> {
                    SequenceGradients layer = layers.get(l).backward(dy, dFinal == null ? null : dFinal.get(l),
                            cache.layers().get(l));
                    dInitial[l] = layer.dInitial();
                    return new Stacking.Backward(layer.dx(), layer.parameters());
                });
        return new BackwardResult(result.dx(), List.of(dInitial), result.parameters());
    }

    /** Forgets the carried state of every CARRIED layer. */
    public void reset() {
        layers.forEach(SequenceLayer::reset);
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    /** @return the layers, bottom first */
    public List<SequenceLayer<C>> layers() {
        return layers;
    }

    /** @return the dropout between layers, or null */
    public Dropout dropout() {
        return dropout;
    }

    @Override
    public String toString() {
        return "StackedRecurrent(" + layers.size() + " layers, dropout " + (dropout == null ? "none" : dropout.rate() + " "
                + dropout.mode()) + ")";
    }
}

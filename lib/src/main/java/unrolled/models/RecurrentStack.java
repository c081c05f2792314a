package unrolled.models;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.cell.RecurrentCell;
import unrolled.cell.State;
import unrolled.layer.Dropout;
import unrolled.param.Gradients;
import unrolled.param.Trainable;
import unrolled.param.Parameters;
import unrolled.recurrent.Bidirectional;
import unrolled.fast.FastRecurrentLayer;
import unrolled.recurrent.RecurrentLayer;
import unrolled.recurrent.SequenceLayer;
import unrolled.data.SequenceMask;
import unrolled.recurrent.StackedRecurrent;
import unrolled.recurrent.Stacking;
import unrolled.tensor.Shapes;
import unrolled.tensor.Slices;

/**
 * The recurrent body every ready model shares: L layers of one cell type, one way or both ways, with dropout between
 * layers during training.
 *
 * <pre>
 *   both:            y⁽⁰⁾ = layer_0(x),  y⁽ˡ⁾ = layer_l(dropout(y⁽ˡ⁻¹⁾)) for l ≥ 1      x (N, T, D)
 *   unidirectional:  y⁽ˡ⁾ = h⁽ˡ⁾                                          a {@link StackedRecurrent}; outputs (N, T, H)
 *                    summary = h of the top layer after each sequence's true last step          (N, H)
 *   bidirectional:   y⁽ˡ⁾ = [→h⁽ˡ⁾, ←h⁽ˡ⁾]                                  {@link Bidirectional} layers; (N, T, 2H)
 *                    summary = [→h after the true last step, ←h after reading x_0] of the top layer  (N, 2H)
 * </pre>
 *
 * The summary is what a many-to-one model reads: the state that has seen the whole sequence. With a padding mask the
 * layers freeze the state on padded steps, so the summary of a padded sequence is its state at its true last step.
 *
 * <p>Backward takes the gradients of the outputs and of the summary (either may be null for zero) and returns
 * ∂L/∂x and every parameter's gradient. Parameters: {@code layer0.Wx}, … (unidirectional) or
 * {@code layer0.forward.Wx}, {@code layer0.backward.Wx}, … (bidirectional), in layer order.
 *
 * <p>The cells' cache types differ (RNN, LSTM, GRU), and the layers are generic in it. Here the type is erased to
 * {@code Object}: a cache only ever travels from a layer's forward pass back to the same layer's backward pass, so
 * nothing can mix them up.
 */
public final class RecurrentStack implements Trainable {

    /**
     * What the forward pass keeps for the backward pass.
     *
     * @param stacked the unidirectional stack's cache, or null
     * @param directions each bidirectional layer's cache, bottom first, or null
     * @param dropouts the dropout caches between bidirectional layers, or null
     * @param batchSize N
     * @param steps T
     */
    public record Cache(StackedRecurrent.Cache<Object> stacked, List<Bidirectional.Cache<Object>> directions,
            List<Dropout.Cache> dropouts, long batchSize, long steps) {
    }

    /**
     * The forward result.
     *
     * @param outputs the top layer's outputs, (N, T, H) or (N, T, 2H); zero on padded steps
     * @param summary the top layer's final state h, (N, H), or both directions' final h, (N, 2H)
     * @param finalStates each layer's final state, bottom first (unidirectional only; empty when bidirectional)
     * @param cache for {@link #backward}
     */
    public record Result(INDArray outputs, INDArray summary, List<State> finalStates, Cache cache) {
    }

    /**
     * The backward result.
     *
     * @param dx ∂L/∂x, (N, T, D)
     * @param parameters ∂L/∂θ under the names of {@link #parameters()}
     */
    public record Backward(INDArray dx, Gradients parameters) {
    }

    private final ModelConfiguration configuration;
    private final StackedRecurrent<Object> stacked;
    private final List<Bidirectional<Object>> directions;
    private final Dropout between;
    private final Parameters parameters = new Parameters();
    /** At most this many batch shapes keep a zero ∂L/∂y (a bucketed epoch has one per length); then they start over. */
    private static final int ZERO_OUTPUT_SHAPES = 64;
    /** Zero ∂L/∂y (N, T, H) per batch shape (N·2³² + T), for a backward pass given none; package-private for the tests. */
    final Map<Long, INDArray> zeroOutputs = new HashMap<>();

    /**
     * Builds the body a configuration describes; its {@code vocabularySize} and {@code outputSize} concern the model's
     * ends and are not used here. Layer l's cell gets the seed {@code seed + 10·(l + 1)}, its backward direction
     * {@code seed + 10·(l + 1) + 5}; the dropout between layers {@code seed + 2}.
     *
     * @param configuration the model's configuration, not null
     */
    public RecurrentStack(ModelConfiguration configuration) {
        this.configuration = Objects.requireNonNull(configuration, "RecurrentStack: configuration must not be null");
        int hidden = configuration.hiddenSize();
        long seed = configuration.seed();
        this.between = new Dropout(configuration.dropout(), Dropout.Mode.STANDARD, seed + 2);
        if (!configuration.bidirectional()) {
            List<SequenceLayer<Object>> layers = new ArrayList<>();
            for (int l = 0; l < configuration.layers(); l++) {
                int input = l == 0 ? configuration.inputSize() : hidden;
                layers.add(sequenceLayer(cell(input, seed + 10L * (l + 1))));
            }
            this.stacked = new StackedRecurrent<>(layers, between);
            this.directions = null;
            for (var entry : stacked.parameters()) {
                parameters.add(entry.getKey(), entry.getValue());
            }
        } else {
            List<Bidirectional<Object>> layers = new ArrayList<>();
            for (int l = 0; l < configuration.layers(); l++) {
                int input = l == 0 ? configuration.inputSize() : 2 * hidden;
                Bidirectional<Object> layer = new Bidirectional<>(
                        sequenceLayer(cell(input, seed + 10L * (l + 1))),
                        sequenceLayer(cell(input, seed + 10L * (l + 1) + 5)),
                        Bidirectional.Merge.CONCAT);
                layers.add(layer);
                parameters.addAll("layer" + l, layer.parameters());
            }
            this.stacked = null;
            this.directions = List.copyOf(layers);
        }
    }

    @SuppressWarnings("unchecked")
    private RecurrentCell<Object> cell(int inputSize, long seed) {
        // the cache type is erased: see the class comment
        return (RecurrentCell<Object>) configuration.cellType().create(inputSize, configuration.hiddenSize(),
                configuration.dataType(), seed);
    }

    /**
     * The fast path where the cell has one (every RNN, LSTM and GRU cell here), computing the same numbers as the
     * reference {@link RecurrentLayer}, whose readable code the notebooks teach; models train on the fast one.
     */
    private static SequenceLayer<Object> sequenceLayer(RecurrentCell<Object> cell) {
        RecurrentLayer<Object> reference = new RecurrentLayer<>(cell);
        return FastRecurrentLayer.supports(cell) ? new FastRecurrentLayer<>(reference) : reference;
    }

    /**
     * @param x the inputs, (N, T, D), of the configuration's data type
     * @param initial one state per layer to start from, bottom first, each (N, H) (and c (N, H) for an LSTM); or null
     *     for zeros. Unidirectional only: a bidirectional body always starts from zeros
     * @param mask which steps are real, (N, T), padding at the end; or null if none is padded
     * @param training true to apply dropout between layers; false (evaluation) for none
     * @return outputs, summary, final states and the cache
     */
    public Result forward(INDArray x, List<State> initial, SequenceMask mask, boolean training) {
        String method = "RecurrentStack.forward";
        Shapes.require(method, "x", x, "(N, T, D)", configuration.dataType(),
                Shapes.ANY, Shapes.ANY, configuration.inputSize());
        if (initial != null && directions != null) {
            throw new IllegalArgumentException(method + ": initial must be null for a bidirectional body, whose backward "
                    + "direction starts at the end of each sequence.");
        }
        long n = x.size(0);
        long steps = x.size(1);
        if (stacked != null) {
            StackedRecurrent.Result<Object> result = stacked.forward(x, initial, mask, training);
            List<State> finals = result.finalStates();
            // summary = the top layer's h after each sequence's true last step
            INDArray summary = finals.get(finals.size() - 1).h();
            return new Result(result.outputs(), summary, finals, new Cache(result.cache(), null, null, n, steps));
        }
        // y⁽ˡ⁾ = [→h⁽ˡ⁾, ←h⁽ˡ⁾] of layer l reading dropout(y⁽ˡ⁻¹⁾)
        Stacking.Forward<Bidirectional.Result<Object>> stack = Stacking.forward(directions.size(), x, between, training,
                (l, input) -> directions.get(l).forward(input, mask), Bidirectional.Result::outputs);
        List<Bidirectional.Cache<Object>> caches = new ArrayList<>();
        for (Bidirectional.Result<Object> layer : stack.levels()) {
            caches.add(layer.cache());
        }
        // summary = [→h after the true last step, ←h after reading x_0]
        Bidirectional.Result<Object> top = stack.levels().get(directions.size() - 1);
        INDArray summary = Nd4j.concat(1, top.forwardFinal().h(), top.backwardFinal().h());
        return new Result(stack.outputs(), summary, List.of(), new Cache(null, List.copyOf(caches), stack.dropouts(), n, steps));
    }

    /**
     * The summary alone, in evaluation mode (no dropout), for a many-to-one model's inference: the same numbers as
     * {@code forward(x, null, mask, false).summary()}. Where every layer is unidirectional and fast, each runs its
     * cache-free {@link FastRecurrentLayer#infer} and the arrays nothing reads afterwards (every layer's outputs and the
     * other final states) are given back at once, so repeated inference reuses warm memory.
     *
     * @param x the inputs, (N, T, D), of the configuration's data type; not modified
     * @param mask which steps are real, (N, T), padding at the end; or null if none is padded
     * @return s, (N, H) or (N, 2H), a new array owned by the caller
     */
    public INDArray inferSummary(INDArray x, SequenceMask mask) {
        if (!allFast()) {
            return forward(x, null, mask, false).summary();
        }
        Shapes.require("RecurrentStack.inferSummary", "x", x, "(N, T, D)", configuration.dataType(),
                Shapes.ANY, Shapes.ANY, configuration.inputSize());
        // y⁽ˡ⁾ = layer_l(y⁽ˡ⁻¹⁾): evaluation mode has no dropout between layers
        INDArray input = x;
        FastRecurrentLayer.Inference below = null;
        FastRecurrentLayer<Object> belowLayer = null;
        for (SequenceLayer<Object> layer : stacked.layers()) {
            FastRecurrentLayer<Object> fast = (FastRecurrentLayer<Object>) layer;
            FastRecurrentLayer.Inference inference = fast.infer(input, mask);
            if (below != null) {
                belowLayer.release(below);
            }
            below = inference;
            belowLayer = fast;
            input = inference.outputs();
        }
        // summary = the top layer's h after each sequence's true last step; the rest is spent
        INDArray summary = below.finalState().h();
        closeIfOwner(below.outputs());
        closeIfOwner(below.finalState().c());
        return summary;
    }

    /** @return true if the body is unidirectional and every layer is a {@link FastRecurrentLayer} */
    private boolean allFast() {
        return stacked != null && stacked.layers().stream().allMatch(layer -> layer instanceof FastRecurrentLayer);
    }

    /** Closes an array that owns its memory (a view's close does nothing). */
    private static void closeIfOwner(INDArray array) {
        if (array != null && array.closeable()) {
            array.close();
        }
    }

    /**
     * @param dOutputs ∂L/∂outputs, (N, T, outputSize), or null for zero (one zero array per batch shape, kept and only
     *     read)
     * @param dSummary ∂L/∂summary, (N, outputSize), or null for zero
     * @param cache from {@link #forward}
     * @return ∂L/∂x and every parameter's gradient
     */
    public Backward backward(INDArray dOutputs, INDArray dSummary, Cache cache) {
        String method = "RecurrentStack.backward";
        Objects.requireNonNull(cache, method + ": cache must not be null");
        if (dOutputs != null) {
            Shapes.require(method, "dOutputs", dOutputs, symbols("(N, T, ", ")"), configuration.dataType(),
                    cache.batchSize(), cache.steps(), outputSize());
        }
        if (dSummary != null) {
            Shapes.require(method, "dSummary", dSummary, symbols("(N, ", ")"), configuration.dataType(),
                    cache.batchSize(), outputSize());
        }
        int hidden = configuration.hiddenSize();
        INDArray dy = dOutputs != null ? dOutputs : zeroOutputs(cache.batchSize(), cache.steps());
        if (stacked != null) {
            // only the top layer's final state reaches the loss, through the summary
            List<State> dFinal = new ArrayList<>();
            for (int l = 0; l < configuration.layers(); l++) {
                boolean top = l == configuration.layers() - 1;
                dFinal.add(top && dSummary != null ? State.of(dSummary) : null);
            }
            StackedRecurrent.BackwardResult result = stacked.backward(dy, dFinal, cache.stacked());
            if (allFast()) {
                // the layers' ∂L/∂(initial state) are not returned: new arrays of this call, given back at once
                for (State dInitial : result.dInitial()) {
                    closeIfOwner(dInitial.h());
                    closeIfOwner(dInitial.c());
                }
            }
            return new Backward(result.dx(), result.parameters());
        }
        Stacking.Backward result = Stacking.backward(directions.size(), dy, between, cache.dropouts(), parameters,
                (l, dLayer) -> {
                    State dForwardFinal = null;
                    State dBackwardFinal = null;
                    if (l == directions.size() - 1 && dSummary != null) {
                        // split ∂L/∂summary into its two directions' parts
                        dForwardFinal = State.of(Slices.columns(dSummary, 0, hidden).dup());
                        dBackwardFinal = State.of(Slices.columns(dSummary, hidden, 2L * hidden).dup());
                    }
                    Bidirectional.BackwardResult layer = directions.get(l).backward(dLayer, dForwardFinal,
                            dBackwardFinal, cache.directions().get(l));
                    return new Stacking.Backward(layer.dx(), layer.parameters());
                });
        return new Backward(result.dx(), result.parameters());
    }

    /**
     * @return a zero ∂L/∂y of shape (N, T, H) (or 2H), made once per batch shape: the layers' backward passes only
     *     read it, and a fresh zero array of that size every step cost about a tenth of a classifier's step (fresh
     *     memory, page faults)
     */
    private INDArray zeroOutputs(long n, long steps) {
        if (zeroOutputs.size() > ZERO_OUTPUT_SHAPES) {
            zeroOutputs.clear();
        }
        return zeroOutputs.computeIfAbsent(n * (1L << 32) + steps,
                key -> Nd4j.zeros(configuration.dataType(), n, steps, outputSize()));
    }

    /** The symbol of the output size, H or 2H, between a prefix and a suffix. */
    private String symbols(String prefix, String suffix) {
        return prefix + (configuration.bidirectional() ? "2H" : "H") + suffix;
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    /** @return the size of each output and of the summary: H, or 2H when bidirectional */
    public int outputSize() {
        return configuration.bidirectional() ? 2 * configuration.hiddenSize() : configuration.hiddenSize();
    }

    /** @return the configuration this body was built from */
    public ModelConfiguration configuration() {
        return configuration;
    }

    /** @return true if the cells carry a cell state c besides h (LSTM) */
    public boolean hasCellState() {
        return configuration.cellType() == CellType.LSTM;
    }
}

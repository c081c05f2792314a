package unrolled.family;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import unrolled.cell.State;
import unrolled.param.Gradients;
import unrolled.param.Init;
import unrolled.param.Trainable;
import unrolled.param.Parameters;
import unrolled.recurrent.RecurrentLayer;
import unrolled.recurrent.SequenceGradients;
import unrolled.recurrent.SequenceLayer;
import unrolled.tensor.ShapeException;
import unrolled.tensor.Shapes;
import unrolled.tensor.Slices;

/**
 * A conditional recurrent layer: a recurrent layer whose computation depends on a label per sequence (a style, a
 * speaker, a class, a sentiment), so that one network models p(x | label) for every label at once. The label
 * c ∈ {0, …, L−1} is looked up in a trainable table E — the product onehot(c)·E — and enters in one of two places
 * ({@link Conditioning}):
 *
 * <pre>
 *   INITIAL_STATE:  h_{−1} = tanh(onehot(c)·E),  c_{−1} = 0        E (L, H);  then the layer runs on x as usual
 *   INPUT:          x̃_t = [x_t, onehot(c)·E]  for every t           E (L, K);  the layer runs on x̃ (N, T, D + K)
 * </pre>
 *
 * Backward: the wrapped layer's backpropagation through time gives ∂L/∂h_{−1} or ∂L/∂x̃; then
 *
 * <pre>
 *   INITIAL_STATE:  de = ∂L/∂h_{−1} ⊙ (1 − h_{−1}²)                          ∂L/∂E = onehot(c)ᵀ·de
 *   INPUT:          de = Σ_t ∂L/∂x̃_t[D:],  ∂L/∂x_t = ∂L/∂x̃_t[:D]            ∂L/∂E = onehot(c)ᵀ·de
 * </pre>
 *
 * (the label vector is used at every step, so its gradient is the sum over steps, as for any shared weight).
 * Generation then starts from a label of your choice: the same network writes in the style you ask for.
 *
 * <p>Parameters: the wrapped layer's under {@code layer.} ({@code layer.Wx}, {@code layer.Wh}, {@code layer.b}, …),
 * and {@code E}. The layer starts from its own initial-state policy with INPUT conditioning. Initialisation:
 * E ~ N(0, 0.5²) from the seed.
 *
 * @param <C> the wrapped cell's cache type
 */
public final class ConditionalRecurrent<C> implements Trainable {

    /**
     * What the forward pass keeps for the backward pass.
     *
     * @param layer the wrapped layer's cache
     * @param oneHot onehot(c), (N, L)
     * @param initialH h_{−1} = tanh(onehot(c)·E) (N, H) for INITIAL_STATE; null for INPUT
     * @param <C> the wrapped cell's cache type
     */
    public record Cache<C>(RecurrentLayer.Cache<C> layer, INDArray oneHot, INDArray initialH) {
    }

    /**
     * The forward result.
     *
     * @param outputs h_0 … h_{T−1}, (N, T, H)
     * @param finalState the state after the last step, each (N, H)
     * @param cache for {@link #backward}
     * @param <C> the wrapped cell's cache type
     */
    public record Result<C>(INDArray outputs, State finalState, Cache<C> cache) {
    }

    private final SequenceLayer<C> layer;
    private final int labels;
    private final Conditioning conditioning;
    private final int inputSize;
    private final INDArray E;
    private final Parameters parameters = new Parameters();

    /**
     * Conditions through the initial state: E is (L, H).
     *
     * @param layer the recurrent layer to condition, not null; it reads x of its own input size D
     * @param labels L, the number of distinct labels, positive
     * @param seed the seed of E
     * @param <C> the cell's cache type
     * @return the conditional layer
     */
    public static <C> ConditionalRecurrent<C> throughInitialState(SequenceLayer<C> layer, int labels, long seed) {
        Objects.requireNonNull(layer, "ConditionalRecurrent: layer must not be null");
        return new ConditionalRecurrent<>(layer, labels, Conditioning.INITIAL_STATE, layer.inputSize(),
                layer.hiddenSize(), seed);
    }

    /**
     * Conditions through the input: E is (L, K), and the layer must read D + K features per step.
     *
     * @param layer the recurrent layer to condition, not null, with input size D + K
     * @param labels L, the number of distinct labels, positive
     * @param labelSize K, the size of the label vector appended to every x_t, positive and less than the layer's
     *     input size
     * @param seed the seed of E
     * @param <C> the cell's cache type
     * @return the conditional layer, which reads x of D = (layer's input size) − K features
     */
    public static <C> ConditionalRecurrent<C> throughInput(SequenceLayer<C> layer, int labels, int labelSize, long seed) {
        Objects.requireNonNull(layer, "ConditionalRecurrent: layer must not be null");
        Shapes.requirePositive("ConditionalRecurrent", "labelSize", labelSize);
        if (labelSize >= layer.inputSize()) {
            throw new IllegalArgumentException("ConditionalRecurrent: the layer reads " + layer.inputSize()
                    + " features per step, which must be D + K with D ≥ 1, but labelSize K is " + labelSize + ".");
        }
        return new ConditionalRecurrent<>(layer, labels, Conditioning.INPUT, layer.inputSize() - labelSize, labelSize,
                seed);
    }

    private ConditionalRecurrent(SequenceLayer<C> layer, int labels, Conditioning conditioning, int inputSize,
            int labelSize, long seed) {
        Shapes.requirePositive("ConditionalRecurrent", "labels", labels);
        this.layer = layer;
        this.labels = labels;
        this.conditioning = conditioning;
        this.inputSize = inputSize;
        this.E = Init.normal(labels, labelSize, 0.5, seed, layer.dataType());
        parameters.addAll("layer", layer.parameters());
        parameters.add("E", E);
    }

    /**
     * @param x the inputs, (N, T, D), of the layer's data type
     * @param labels c, one label per sequence, each in [0, L): an integer array (N,) or (N, 1)
     * @return the outputs (N, T, H), the final state and the cache for {@link #backward}
     */
    public Result<C> forward(INDArray x, INDArray labels) {
        String method = "ConditionalRecurrent.forward";
        Shapes.require(method, "x", x, "(N, T, D)", dataType(), Shapes.ANY, Shapes.ANY, inputSize);
        long n = x.size(0);
        long steps = x.size(1);
        INDArray oneHot = oneHot(method, labels, n);
        // e = onehot(c)·E: the label's row of E
        INDArray e = oneHot.mmul(E);

        if (conditioning == Conditioning.INITIAL_STATE) {
            // h_{−1} = tanh(e),  c_{−1} = 0
            INDArray h0 = Transforms.tanh(e, true);
            State initial = new State(h0, layer.hasCellState() ? Nd4j.zeros(dataType(), n, hiddenSize()) : null);
            RecurrentLayer.Result<C> run = layer.forward(x, initial, null);
            return new Result<>(run.outputs(), run.finalState(), new Cache<>(run.cache(), oneHot, h0));
        }
        // x̃_t = [x_t, e] for every t
        INDArray xTilde = Nd4j.create(dataType(), n, steps, layer.inputSize());
        Slices.features(xTilde, 0, inputSize).assign(x);
        for (long t = 0; t < steps; t++) {
            xTilde.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.interval(inputSize, layer.inputSize()))
                    .assign(e);
        }
        RecurrentLayer.Result<C> run = layer.forward(xTilde);
        return new Result<>(run.outputs(), run.finalState(), new Cache<>(run.cache(), oneHot, null));
    }

    /**
     * @param dOutputs ∂L/∂outputs, (N, T, H)
     * @param dFinal ∂L/∂(final state), each (N, H), or null
     * @param cache from {@link #forward}
     * @return dx (N, T, D), ∂L/∂h_{−1} (N, H) as the initial state's gradient, and every parameter's gradient
     *     (the layer's under {@code layer.}, and {@code E}); dStates are the wrapped layer's
     */
    public SequenceGradients backward(INDArray dOutputs, State dFinal, Cache<C> cache) {
        Objects.requireNonNull(cache, "ConditionalRecurrent.backward: cache must not be null");
        SequenceGradients inner = layer.backward(dOutputs, dFinal, cache.layer());
        Gradients gradients = new Gradients().accumulateAll("layer", inner.parameters());
        INDArray dx;
        INDArray de;
        if (conditioning == Conditioning.INITIAL_STATE) {
            // de = ∂L/∂h_{−1} ⊙ (1 − h_{−1}²)
            INDArray h0 = cache.initialH();
            de = inner.dInitial().h().mul(h0.mul(h0).rsubi(1.0));
            dx = inner.dx();
        } else {
            // ∂L/∂x_t = ∂L/∂x̃_t[:D],  de = Σ_t ∂L/∂x̃_t[D:]
            dx = Slices.features(inner.dx(), 0, inputSize).dup();
            de = Slices.features(inner.dx(), inputSize, layer.inputSize()).sum(1);
        }
        // ∂L/∂E = onehot(c)ᵀ·de
        gradients.accumulate("E", cache.oneHot().transpose().mmul(de));
        return new SequenceGradients(dx, inner.dInitial(), gradients, inner.dStates());
    }

    private INDArray oneHot(String method, INDArray labelArray, long n) {
        if (labelArray == null || labelArray.length() != n || labelArray.rank() > 2
                || (labelArray.rank() == 2 && labelArray.size(1) != 1)) {
            throw new ShapeException(method + ": labels must have shape (N,) = (" + n + ",), one label per sequence, but "
                    + (labelArray == null ? "is null." : "has shape " + Shapes.of(labelArray) + "."));
        }
        if (!labelArray.dataType().isIntType()) {
            throw new IllegalArgumentException(method + ": labels must be integers (INT or LONG), but have data type "
                    + labelArray.dataType() + ".");
        }
        INDArray oneHot = Nd4j.zeros(dataType(), n, this.labels);
        for (int i = 0; i < n; i++) {
            long label = labelArray.getLong(i);
            if (label < 0 || label >= this.labels) {
                throw new IllegalArgumentException(method + ": label " + label + " of sequence " + i
                        + " is outside [0, " + this.labels + ").");
            }
            oneHot.putScalar(i, label, 1.0);
        }
        return oneHot;
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    /** @return the wrapped recurrent layer */
    public SequenceLayer<C> layer() {
        return layer;
    }

    /** @return INITIAL_STATE or INPUT */
    public Conditioning conditioning() {
        return conditioning;
    }

    /** @return L, the number of labels */
    public int labels() {
        return labels;
    }

    /** @return D, the features of x (without the label) */
    public int inputSize() {
        return inputSize;
    }

    /** @return H */
    public int hiddenSize() {
        return layer.hiddenSize();
    }

    /** @return DOUBLE or FLOAT */
    public DataType dataType() {
        return layer.dataType();
    }

    @Override
    public String toString() {
        return "ConditionalRecurrent(" + layer + ", L=" + labels + ", through " + conditioning + ")";
    }
}

package unrolled.recurrent;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.cell.State;
import unrolled.data.SequenceMask;
import unrolled.param.Gradients;
import unrolled.param.Trainable;
import unrolled.param.Parameters;
import unrolled.tensor.Shapes;
import unrolled.tensor.Slices;

/**
 * A bidirectional recurrent layer: one layer reads each sequence left to right, another (with its own weights) reads
 * it right to left, and their outputs at each step are merged, so y_t sees the whole sequence — x_0 … x_t through the
 * forward direction and x_t … x_{L−1} through the backward one.
 *
 * <pre>
 *   →h = forwardLayer(x)                              (N, T, H→)
 *   x̄ = reverse(x),  ←h = reverse(backwardLayer(x̄))   (N, T, H←)   reverse = each sequence within its true length L_n:
 *                                                                  x̄[n, t] = x[n, L_n − 1 − t] for t &lt; L_n
 *   y_t = [→h_t, ←h_t]   (CONCAT, (N, T, H→ + H←))   or   y_t = →h_t + ←h_t   (SUM, (N, T, H), needs H→ = H←)
 * </pre>
 * Reversing within the true length matters for padded batches: reversing a padded row whole would put its padding
 * first, so the backward direction would read T − L_n padding steps before the real ones (and a right-padding mask
 * could not freeze them). Reversed within L_n, it starts exactly at x_{L_n − 1} and its padding stays at the end, under
 * the same mask. Backward: split dy, reverse the backward half the same way, backpropagate each layer, and add the two
 * dx (the backward one reversed back).
 *
 * <p>A bidirectional layer needs the whole sequence before it can emit y_0, so it cannot be run online, and it is
 * stateless: a CARRIED initial state is refused. Parameters: {@code forward.*} and {@code backward.*}.
 *
 * @param <C> the cells' cache type
 */
public final class Bidirectional<C> implements Trainable {

    /** How the two directions' outputs are combined at each step. */
    public enum Merge {
        /** y_t = [→h_t, ←h_t], (N, T, H→ + H←): the usual choice. */
        CONCAT,
        /** y_t = →h_t + ←h_t, (N, T, H): needs H→ = H←. */
        SUM
    }

    /**
     * What the forward pass keeps for the backward pass.
     *
     * @param forward the forward layer's cache
     * @param backward the backward layer's cache (its step t is reversed step L_n − 1 − t)
     * @param mask the mask used to reverse; all ones when the batch was not padded
     * @param <C> the cells' cache type
     */
    public record Cache<C>(RecurrentLayer.Cache<C> forward, RecurrentLayer.Cache<C> backward, SequenceMask mask) {
    }

    /**
     * The forward result.
     *
     * @param outputs the merged outputs y, (N, T, H→ + H←) or (N, T, H); zero on padded steps
     * @param forwardFinal the forward direction's state after each sequence's last real step (it has read it all)
     * @param backwardFinal the backward direction's state after reading x_0 (it has read it all, right to left)
     * @param cache for {@link #backward}
     * @param <C> the cells' cache type
     */
    public record Result<C>(INDArray outputs, State forwardFinal, State backwardFinal, Cache<C> cache) {
    }

    /**
     * The backward result.
     *
     * @param dx ∂L/∂x, (N, T, D); zero on padded steps
     * @param dForwardInitial the gradient of the forward direction's initial state, (N, H→)
     * @param dBackwardInitial the gradient of the backward direction's initial state, (N, H←)
     * @param parameters the gradients of {@code forward.*} and {@code backward.*}
     */
    public record BackwardResult(INDArray dx, State dForwardInitial, State dBackwardInitial, Gradients parameters) {
    }

    private final SequenceLayer<C> forwardLayer;
    private final SequenceLayer<C> backwardLayer;
    private final Merge merge;
    private final Parameters parameters = new Parameters();

    /**
     * @param forwardLayer reads left to right; ZEROS or LEARNED initial state
     * @param backwardLayer reads right to left, with its own cell and weights; the same input size and data type;
     *     ZEROS or LEARNED initial state
     * @param merge CONCAT or SUM (SUM needs equal hidden sizes)
     */
    public Bidirectional(SequenceLayer<C> forwardLayer, SequenceLayer<C> backwardLayer, Merge merge) {
        this.forwardLayer = Objects.requireNonNull(forwardLayer, "Bidirectional: forwardLayer must not be null");
        this.backwardLayer = Objects.requireNonNull(backwardLayer, "Bidirectional: backwardLayer must not be null");
        this.merge = Objects.requireNonNull(merge, "Bidirectional: merge must not be null");
        if (forwardLayer == backwardLayer || forwardLayer.cell() == backwardLayer.cell()) {
            throw new IllegalArgumentException("Bidirectional: forwardLayer and backwardLayer must have two different cells: "
                    + "each direction has its own weights.");
        }
        for (SequenceLayer<C> layer : java.util.List.of(forwardLayer, backwardLayer)) {
            if (layer.initialStatePolicy() == InitialState.CARRIED) {
                throw new IllegalArgumentException("Bidirectional: a bidirectional layer is stateless (its backward direction "
                        + "starts at the end of each sequence), so it cannot carry state between batches; "
                        + "use InitialState.ZEROS or LEARNED, not CARRIED.");
            }
        }
        if (forwardLayer.inputSize() != backwardLayer.inputSize()) {
            throw new IllegalArgumentException("Bidirectional: both directions must read inputs of the same size D, but the "
                    + "forward layer reads D = " + forwardLayer.inputSize() + " and the backward layer D = "
                    + backwardLayer.inputSize() + ".");
        }
        if (forwardLayer.dataType() != backwardLayer.dataType()) {
            throw new IllegalArgumentException("Bidirectional: both directions must compute in the same data type, but they "
                    + "compute in " + forwardLayer.dataType() + " and " + backwardLayer.dataType() + ".");
        }
        if (merge == Merge.SUM && forwardLayer.hiddenSize() != backwardLayer.hiddenSize()) {
            throw new IllegalArgumentException("Bidirectional: SUM needs equal hidden sizes, but the forward layer has H = "
                    + forwardLayer.hiddenSize() + " and the backward layer H = " + backwardLayer.hiddenSize()
                    + "; use CONCAT.");
        }
        parameters.addAll("forward", forwardLayer.parameters());
        parameters.addAll("backward", backwardLayer.parameters());
    }

    /**
     * @param x the inputs, (N, T, D)
     * @return the merged outputs, both final states and the cache
     */
    public Result<C> forward(INDArray x) {
        return forward(x, null);
    }

    /**
     * @param x the inputs, (N, T, D)
     * @param mask which steps are real, (N, T), padding at the end; null if none is padded
     * @return the merged outputs, both final states and the cache
     */
    public Result<C> forward(INDArray x, SequenceMask mask) {
        String method = "Bidirectional.forward";
        long n = forwardLayer.requireInput(method, x, mask);
        SequenceMask lengths = mask != null ? mask : SequenceMask.full(n, x.size(1));
        // →h = forwardLayer(x)
        RecurrentLayer.Result<C> forward = forwardLayer.forward(x, mask);
        // ←h = reverse(backwardLayer(reverse(x))), each sequence reversed within its true length
        RecurrentLayer.Result<C> backward = backwardLayer.forward(lengths.reverse(x), mask);
        INDArray backwardOutputs = lengths.reverse(backward.outputs());
        // y_t = [→h_t, ←h_t]  or  →h_t + ←h_t
        INDArray y = merge == Merge.CONCAT
                ? Nd4j.concat(2, forward.outputs(), backwardOutputs)
                : forward.outputs().add(backwardOutputs);
        return new Result<>(y, forward.finalState(), backward.finalState(),
                new Cache<>(forward.cache(), backward.cache(), lengths));
    }

    /**
     * @param dOutputs ∂L/∂y, (N, T, H→ + H←) for CONCAT or (N, T, H) for SUM
     * @param dForwardFinal ∂L/∂(forward final state), each (N, H→), or null for zero
     * @param dBackwardFinal ∂L/∂(backward final state), each (N, H←), or null for zero
     * @param cache from {@link #forward}; not modified
     * @return dx (N, T, D), both initial states' gradients and every parameter's gradient
     */
    public BackwardResult backward(INDArray dOutputs, State dForwardFinal, State dBackwardFinal, Cache<C> cache) {
        String method = "Bidirectional.backward";
        Objects.requireNonNull(cache, method + ": cache must not be null");
        SequenceMask lengths = cache.mask();
        int hf = forwardLayer.hiddenSize();
        String symbols = merge == Merge.CONCAT ? "(N, T, H→ + H←)" : "(N, T, H)";
        Shapes.require(method, "dOutputs", dOutputs, symbols, forwardLayer.dataType(),
                lengths.batchSize(), lengths.steps(), outputSize());
        // split dy into its two directions' parts
        INDArray dForward = merge == Merge.CONCAT
                ? Slices.features(dOutputs, 0, hf).dup()
                : dOutputs;
        INDArray dBackward = merge == Merge.CONCAT
                ? Slices.features(dOutputs, hf, outputSize()).dup()
                : dOutputs;
        SequenceGradients forward = forwardLayer.backward(dForward, dForwardFinal, cache.forward());
        // the backward layer's step t produced y at position L_n − 1 − t: reverse its gradient the same way
        SequenceGradients backward = backwardLayer.backward(lengths.reverse(dBackward), dBackwardFinal, cache.backward());
        // x feeds both directions: dx = dx→ + reverse(dx←)
        INDArray dx = forward.dx().add(lengths.reverse(backward.dx()));
        Gradients gradients = new Gradients()
                .accumulateAll("forward", forward.parameters())
                .accumulateAll("backward", backward.parameters());
        return new BackwardResult(dx, forward.dInitial(), backward.dInitial(), gradients);
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    /** @return the size of each merged output: H→ + H← for CONCAT, H for SUM */
    public int outputSize() {
        return merge == Merge.CONCAT ? forwardLayer.hiddenSize() + backwardLayer.hiddenSize() : forwardLayer.hiddenSize();
    }

    /** @return D, the size of each input */
    public int inputSize() {
        return forwardLayer.inputSize();
    }

    /** @return the layer reading left to right */
    public SequenceLayer<C> forwardLayer() {
        return forwardLayer;
    }

    /** @return the layer reading right to left */
    public SequenceLayer<C> backwardLayer() {
        return backwardLayer;
    }

    /** @return CONCAT or SUM */
    public Merge merge() {
        return merge;
    }

    @Override
    public String toString() {
        return "Bidirectional(" + merge + ", forward " + forwardLayer + ", backward " + backwardLayer + ")";
    }
}

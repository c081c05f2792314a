package unrolled.recurrent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.cell.State;
import unrolled.data.SequenceMask;
import unrolled.param.Gradients;
import unrolled.tensor.Shapes;
import unrolled.tensor.Slices;

/**
 * Truncated backpropagation through time with a window of k steps: a {@link SequenceLayer} run over a long sequence
 * in chunks [0, k), [k, 2k), …, where the state flows forward across chunk boundaries but the gradient does not.
 *
 * <pre>
 *   chunk j covers steps s_j = j·k … e_j − 1, e_j = min((j + 1)·k, T)
 *   forward:  (y[:, s_j:e_j], S_j) = layer(x[:, s_j:e_j], from S_{j−1})     S_{−1} = the initial state
 *   backward: each chunk is differentiated alone, treating the state it starts from, S_{j−1}, as a constant:
 *             ∂L/∂S_{j−1} is computed and then discarded (the gradient stops at the boundary)
 *   ∂L/∂θ ≈ Σ_j (∂L/∂θ within chunk j)                   only the last chunk receives dFinal
 * </pre>
 *
 * <p>Why: full BPTT through T steps keeps T step caches and follows every dependency back to t = 0. With a window
 * of k, a dependency longer than k steps still shapes the forward state, but no gradient teaches the model to
 * <em>create</em> it — the price of bounded memory and of not exploding through very long products of Jacobians.
 * With k ≥ T there is one chunk and this is exactly full BPTT. (A training loop would usually update the weights
 * after each chunk; this class computes all chunks of one sequence with the same weights, which is what the
 * comparison with full BPTT needs.)
 *
 * <p>The layer may be the readable {@link RecurrentLayer} or its fast twin {@code unrolled.fast.FastRecurrentLayer}:
 * this class only calls their public forward and backward, so both give the same numbers. The first chunk starts
 * from the layer's {@link InitialState} policy (so a LEARNED {@code h0} receives its gradient through that chunk),
 * every later chunk from a detached copy of the previous chunk's final state.
 *
 * @param <C> the cell's cache type
 */
public final class TruncatedBptt<C> {

    /**
     * What the forward pass keeps for the backward pass.
     *
     * @param chunks the layer's cache for each chunk, in order
     * @param window k
     * @param steps T
     * @param <C> the cell's cache type
     */
    public record Cache<C>(List<RecurrentLayer.Cache<C>> chunks, int window, int steps) {
    }

    /**
     * The forward result: the same outputs and final state as the layer run over the whole sequence.
     *
     * @param outputs h_0 … h_{T−1}, (N, T, H); zero on padded steps
     * @param finalState the state after each sequence's last real step, each (N, H)
     * @param cache for {@link #backward}
     * @param <C> the cell's cache type
     */
    public record Result<C>(INDArray outputs, State finalState, Cache<C> cache) {
    }

    private final SequenceLayer<C> layer;
    private final int window;

    /**
     * @param layer the layer to run, not null: a {@link RecurrentLayer} or a fast layer computing the same; its
     *     {@link InitialState} policy starts the first chunk
     * @param window k, the number of steps the gradient may travel back, positive
     */
    public TruncatedBptt(SequenceLayer<C> layer, int window) {
        this.layer = Objects.requireNonNull(layer, "TruncatedBptt: layer must not be null");
        Shapes.requirePositive("TruncatedBptt", "window", window);
        this.window = window;
    }

    /**
     * Runs unpadded sequences from the layer's {@link InitialState} policy.
     *
     * @param x the inputs, (N, T, D)
     * @return the outputs (N, T, H), the final state and the cache
     */
    public Result<C> forward(INDArray x) {
        return forward(x, (SequenceMask) null);
    }

    /**
     * Runs from the layer's {@link InitialState} policy; a CARRIED layer then remembers the final state of the whole
     * sequence.
     *
     * @param x the inputs, (N, T, D)
     * @param mask which steps are real, (N, T), padding at the end; null if none is padded
     * @return the outputs (N, T, H), the final state and the cache
     */
    public Result<C> forward(INDArray x, SequenceMask mask) {
        layer.requireInput("TruncatedBptt.forward", x, mask);
        // null: the first chunk starts from the policy's state; a CARRIED layer then carries each chunk's final
        // state into the next call, so after the last chunk it holds the whole sequence's final state
        return run(x, null, mask);
    }

    /**
     * Runs from a given initial state (an input; its gradient is returned).
     *
     * @param x the inputs, (N, T, D)
     * @param initial h_{−1} (and c_{−1}), each (N, H)
     * @param mask which steps are real, (N, T), padding at the end; null if none is padded
     * @return the outputs (N, T, H), the final state and the cache
     */
    public Result<C> forward(INDArray x, State initial, SequenceMask mask) {
        String method = "TruncatedBptt.forward";
        Objects.requireNonNull(initial, method + ": initial must not be null; use forward(x, mask) for the layer's own initial state");
        if (initial.h() != null && initial.h().rank() == 2) {
            // N from the initial state first, so that a time-major (T, N, D) input is named as the culprit
            Shapes.require(method, "x", x, "(N, T, D)", initial.h().size(0), Shapes.ANY, layer.inputSize());
        }
        long n = layer.requireInput(method, x, mask);
        requireState(method, initial, n);
        return run(x, initial, mask);
    }

    /**
     * Backpropagates through each chunk alone and sums the parameter gradients over the chunks.
     *
     * @param dOutputs ∂L/∂y, (N, T, H)
     * @param dFinal ∂L/∂(final state), each (N, H), or null for zero; it reaches the last chunk only
     * @param cache from {@link #forward}; not modified
     * @return dx (N, T, D); the gradient of the initial state (through the first chunk only); each parameter's
     *     gradient summed over the chunks; and ∂L/∂h_t as seen inside each chunk
     */
    public SequenceGradients backward(INDArray dOutputs, State dFinal, Cache<C> cache) {
        String method = "TruncatedBptt.backward";
        Objects.requireNonNull(cache, method + ": cache must not be null");
        long n = cache.chunks().get(0).batchSize();
        Shapes.require(method, "dOutputs", dOutputs, "(N, T, H)", layer.dataType(),
                n, cache.steps(), layer.hiddenSize());
        List<INDArray> dxChunks = new ArrayList<>();
        List<State> dStates = new ArrayList<>();
        Gradients gradients = new Gradients();
        State dInitial = null;
        int chunks = cache.chunks().size();
        for (int j = 0; j < chunks; j++) {
            int from = j * cache.window();
            int to = Math.min(from + cache.window(), cache.steps());
            INDArray dy = Slices.steps(dOutputs, from, to).dup();
            // only the last chunk's final state is the layer's final state
            SequenceGradients chunk = layer.backward(dy, j == chunks - 1 ? dFinal : null, cache.chunks().get(j));
            // ∂L/∂θ = Σ_j (chunk j's gradient); chunk j's ∂L/∂S_{j−1} is dropped: the state entering it is a constant
            for (Map.Entry<String, INDArray> entry : chunk.parameters()) {
                gradients.accumulate(entry.getKey(), entry.getValue());
            }
            if (j == 0) {
                dInitial = chunk.dInitial();
            }
            dxChunks.add(chunk.dx());
            dStates.addAll(chunk.dStates());
        }
        INDArray dx = chunks == 1 ? dxChunks.get(0) : Nd4j.concat(1, dxChunks.toArray(INDArray[]::new));
        return new SequenceGradients(dx, dInitial, gradients, List.copyOf(dStates));
    }

    /** @return the layer run chunk by chunk */
    public SequenceLayer<C> layer() {
        return layer;
    }

    /** @return k, the window */
    public int window() {
        return window;
    }

    @Override
    public String toString() {
        return "TruncatedBptt(k=" + window + ", " + layer + ")";
    }

    /** Checks a state given by the caller: h (N, H), and c (N, H) exactly when the cell has one. */
    private void requireState(String method, State state, long n) {
        Shapes.require(method, "initial.h", state.h(), "(N, H)", layer.dataType(), n, layer.hiddenSize());
        if (layer.hasCellState()) {
            Shapes.require(method, "initial.c", state.c(), "(N, H)", layer.dataType(), n, layer.hiddenSize());
        } else if (state.c() != null) {
            throw new IllegalArgumentException(method + ": initial.c must be null, because " + layer.cell()
                    + " has no cell state.");
        }
    }

    /**
     * The chunk loop, on checked inputs.
     *
     * @param initial the state to start from, or null for the layer's policy
     */
    private Result<C> run(INDArray x, State initial, SequenceMask mask) {
        int steps = Math.toIntExact(x.size(1));
        boolean carried = initial == null && layer.initialStatePolicy() == InitialState.CARRIED;
        List<RecurrentLayer.Cache<C>> caches = new ArrayList<>();
        List<INDArray> outputs = new ArrayList<>();
        State state = initial;
        for (int from = 0; from < steps; from += window) {
            int to = Math.min(from + window, steps);
            INDArray chunk = Slices.steps(x, from, to).dup();
            SequenceMask chunkMask = mask == null ? null : mask.window(from, to);
            // chunk 0 from the policy (zeros, the learned h0, or the carried state) unless a state was given; a
            // CARRIED layer starts every chunk from the state it carried out of the previous one
            RecurrentLayer.Result<C> result = state == null || carried
                    ? layer.forward(chunk, chunkMask)
                    : layer.forward(chunk, state, chunkMask);
            caches.add(result.cache());
            outputs.add(result.outputs());
            // S_j carries forward as a detached copy: the next chunk treats it as a constant
            state = new State(result.finalState().h().dup(),
                    result.finalState().c() == null ? null : result.finalState().c().dup());
        }
        INDArray y = outputs.size() == 1 ? outputs.get(0) : Nd4j.concat(1, outputs.toArray(INDArray[]::new));
        return new Result<>(y, state, new Cache<>(List.copyOf(caches), window, steps));
    }
}

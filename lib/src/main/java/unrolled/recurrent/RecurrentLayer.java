package unrolled.recurrent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.cell.RecurrentCell;
import unrolled.cell.State;
import unrolled.cell.Step;
import unrolled.cell.StepGradients;
import unrolled.data.SequenceMask;
import unrolled.param.Gradients;
import unrolled.param.Parameters;
import unrolled.tensor.Shapes;
import unrolled.tensor.Slices;

/**
 * A recurrent cell unrolled over time: the same cell, with the same weights, applied at t = 0, 1, …, T−1.
 *
 * <pre>
 *   forward, for t = 0 … T−1:                      x (N, T, D), x_t = x[:, t, :] (N, D)
 *     h̃_t, c̃_t = cell(x_t, h_{t−1}, c_{t−1})         h, c (N, H); h_{−1}, c_{−1} = the initial state
 *     h_t = m_t ⊙ h̃_t + (1 − m_t) ⊙ h_{t−1}          m_t = mask[:, t], per row; m_t = 1 without a mask
 *     c_t = m_t ⊙ c̃_t + (1 − m_t) ⊙ c_{t−1}          (only for cells with a cell state, e.g. the LSTM)
 *     y_t = m_t ⊙ h_t                                outputs y (N, T, H); zero on padded steps
 *   final state = (h_{T−1}, c_{T−1})                 = each sequence's state at its true last step L_n − 1
 * </pre>
 *
 * <p><b>Backpropagation through time.</b> Unrolled, the layer is a T-layer feed-forward network whose layers all share
 * one set of weights θ. The backward pass walks it from the last step to the first, carrying the gradient of the
 * state:
 * <pre>
 *   g_{T−1} = ∂L/∂(final h)  (dFinal, or 0)
 *   for t = T−1 … 0:
 *     ∂L/∂h_t = m_t ⊙ dy_t + g_t                      dy_t = dOutputs[:, t, :]; g_t = what flows back from step t+1
 *     (dx_t, dh̃_{t−1}, ∂θ_t) = cell.backward(m_t ⊙ ∂L/∂h_t, cache_t)
 *     g_{t−1} = dh̃_{t−1} + (1 − m_t) ⊙ ∂L/∂h_t         the frozen path skips the cell on padded steps
 *   ∂L/∂θ = Σ_t ∂θ_t                                  ∂L/∂(initial h) = g_{−1}
 * </pre>
 * (and the same for c, whose gradient has no output term.) The last line is the whole idea: because θ is used at
 * every step, its gradient is the <em>sum</em> of the per-step gradients, each computed by ordinary
 * backpropagation through one step — backpropagation <em>through time</em>. On a padded step m_t = 0, so the cell
 * receives a zero gradient: padding contributes nothing to ∂L/∂θ or to dx, and the state's gradient passes it by
 * unchanged.
 *
 * <p><b>Initial state.</b> {@link #forward(INDArray, State, SequenceMask)} starts from the state you give (an input:
 * its gradient comes back as {@link SequenceGradients#dInitial()}). {@link #forward(INDArray)} and
 * {@link #forward(INDArray, SequenceMask)} start from the layer's {@link InitialState} policy: zeros, the trainable
 * {@code h0}/{@code c0}, or the state carried from the previous call.
 *
 * <p>Parameters: the cell's own names ({@code Wx}, {@code Wh}, {@code b}, …), then {@code h0} (and {@code c0}) for a
 * {@link InitialState#LEARNED} initial state. Works for any {@link RecurrentCell}: RNN, LSTM, GRU.
 *
 * @param <C> the cell's cache type
 */
public final class RecurrentLayer<C> implements SequenceLayer<C> {

    /**
     * What the forward pass keeps for the backward pass.
     *
     * @param steps the cell's cache for each step t = 0 … T−1
     * @param mask the padding mask, or null if every step was real
     * @param batchSize N
     * @param learnedInitial true if the pass started from the trainable {@code h0}/{@code c0}, which then receive
     *     the initial state's gradient
     * @param <C> the cell's cache type
     */
    public record Cache<C>(List<C> steps, SequenceMask mask, long batchSize, boolean learnedInitial) {

        /** @return T, the number of steps */
        public int length() {
            return steps.size();
        }
    }

    /**
     * The forward result.
     *
     * @param outputs y = h_0 … h_{T−1}, (N, T, H); zero on padded steps
     * @param finalState h (and c) after each sequence's last real step, each (N, H)
     * @param cache for {@link #backward}
     * @param <C> the cell's cache type
     */
    public record Result<C>(INDArray outputs, State finalState, Cache<C> cache) {
    }

    private final RecurrentCell<C> cell;
    private final InitialState initialState;
    private final boolean hasCellState;
    private final INDArray h0;
    private final INDArray c0;
    private final Parameters parameters = new Parameters();
    private final CarriedState carried = new CarriedState();

    /**
     * A stateless layer starting every batch from zeros.
     *
     * @param cell the cell to unroll, not null; the layer uses (and exposes) its live parameters
     */
    public RecurrentLayer(RecurrentCell<C> cell) {
        this(cell, InitialState.ZEROS);
    }

    /**
     * @param cell the cell to unroll, not null; the layer uses (and exposes) its live parameters
     * @param initialState ZEROS, LEARNED (adds parameters {@code h0} (1, H), and {@code c0} (1, H) if the cell has a
     *     cell state, both zero at first) or CARRIED
     */
    public RecurrentLayer(RecurrentCell<C> cell, InitialState initialState) {
        this.cell = Objects.requireNonNull(cell, "RecurrentLayer: cell must not be null");
        this.initialState = Objects.requireNonNull(initialState, "RecurrentLayer: initialState must not be null");
        this.hasCellState = cell.zeroState(1).hasCell();
        for (Map.Entry<String, INDArray> entry : cell.parameters()) {
            parameters.add(entry.getKey(), entry.getValue());
        }
        boolean learned = initialState == InitialState.LEARNED;
        h0 = learned ? Nd4j.zeros(cell.dataType(), 1, cell.hiddenSize()) : null;
        c0 = learned && hasCellState ? Nd4j.zeros(cell.dataType(), 1, cell.hiddenSize()) : null;
        if (h0 != null) {
            parameters.add("h0", h0);
        }
        if (c0 != null) {
            parameters.add("c0", c0);
        }
    }

    // ---- the idea: the same cell at every step forward, the per-step gradients summed backward ----

    /** The forward loop, on inputs already checked. */
    private Result<C> run(INDArray x, State initial, boolean learnedInitial, SequenceMask mask) {
        int steps = Math.toIntExact(x.size(1));
        INDArray outputs = Nd4j.zeros(cell.dataType(), x.size(0), steps, cell.hiddenSize());
        List<C> caches = new ArrayList<>(steps);
        State state = initial;
        for (int t = 0; t < steps; t++) {
            // h̃_t, c̃_t = cell(x_t, h_{t−1}, c_{t−1})
            Step<C> step = cell.forward(Slices.step(x, t).dup(), state);
            caches.add(step.cache());
            INDArray m = maskAt(mask, t);
            // h_t = m_t ⊙ h̃_t + (1 − m_t) ⊙ h_{t−1},  c_t likewise: a padded step keeps the state
            State next = m == null ? step.state() : keepOnPadding(step.state(), state, m);
            // y_t = m_t ⊙ h_t
            Slices.step(outputs, t).assign(masked(next.h(), m));
            state = next;
        }
        // the final state is handed out as a copy, so that changing it cannot change the caches
        return new Result<>(outputs, CarriedState.copy(state), new Cache<>(List.copyOf(caches), mask, x.size(0), learnedInitial));
    }

    /**
     * Backpropagation through time: walks t = T−1 … 0, feeding the cell ∂L/∂h_t = dOutputs[:, t, :] + (the gradient
     * flowing back from step t + 1), and sums the shared weights' gradients over the steps (see the class comment).
     *
     * @param dOutputs ∂L/∂y, (N, T, H); entries on padded steps are ignored
     * @param dFinal ∂L/∂(final h) (and ∂L/∂(final c)), each (N, H); null (or a null c) means zero
     * @param cache from {@link #forward}; not modified
     * @return dx (N, T, D), the initial state's gradient (N, H), every parameter's gradient, and ∂L/∂h_t for each t
     */
    public SequenceGradients backward(INDArray dOutputs, State dFinal, Cache<C> cache) {
        String method = "RecurrentLayer.backward";
        Objects.requireNonNull(cache, method + ": cache must not be null");
        long n = cache.batchSize();
        int steps = cache.length();
        SequenceChecks.requireGradients(method, dOutputs, dFinal, n, steps, cell, hasCellState);
        DataType type = cell.dataType();

        // g_{T−1} = ∂L/∂(final state), or zero
        State g = finalGradient(dFinal, n);
        INDArray dx = Nd4j.zeros(type, n, steps, cell.inputSize());
        Gradients gradients = new Gradients();
        State[] dStates = new State[steps];
        for (int t = steps - 1; t >= 0; t--) {
            INDArray m = maskAt(cache.mask(), t);
            // ∂L/∂h_t = m_t ⊙ dy_t + g_t        (∂L/∂c_t = g^c_t: c is not an output)
            State dState = new State(g.h().add(masked(Slices.step(dOutputs, t), m)), g.c());
            dStates[t] = dState;
            // the cell sees m_t ⊙ ∂L/∂h_t: zero on padded steps
            StepGradients step = cell.backward(masked(dState, m), cache.steps().get(t));
            // ∂L/∂θ = Σ_t ∂θ_t: the shared weights' gradients are summed over time
            for (Map.Entry<String, INDArray> entry : step.parameters()) {
                gradients.accumulate(entry.getKey(), entry.getValue());
            }
            Slices.step(dx, t).assign(m == null ? step.dx() : step.dx().mul(cache.mask().atStep(t, cell.inputSize(), type)));
            // g_{t−1} = dh̃_{t−1} + (1 − m_t) ⊙ ∂L/∂h_t   (and the same for c): padded steps pass the gradient by
            g = m == null ? step.dPrevious() : skipOnPadding(step.dPrevious(), dState, m);
        }
        accumulateInitialGradient(gradients, g, cache.learnedInitial());
        return new SequenceGradients(dx, g, gradients, List.of(dStates));
    }

    // ---- masking: a padded step (m_t = 0) keeps the state forward and passes the gradient by backward ----

    /** m_t as a column of N rows, as wide as h; null without a mask. */
    private INDArray maskAt(SequenceMask mask, int t) {
        return mask == null ? null : mask.atStep(t, cell.hiddenSize(), cell.dataType());
    }

    /** m_t ⊙ a, or a itself without a mask. */
    private static INDArray masked(INDArray a, INDArray m) {
        return m == null ? a : a.mul(m);
    }

    /** (m_t ⊙ dh, m_t ⊙ dc), or the state itself without a mask. */
    private static State masked(State d, INDArray m) {
        return m == null ? d : new State(d.h().mul(m), d.c() == null ? null : d.c().mul(m));
    }

    /** m_t ⊙ fresh + (1 − m_t) ⊙ previous, for h and c. */
    private static State keepOnPadding(State fresh, State previous, INDArray m) {
        INDArray frozen = m.rsub(1.0);
        INDArray h = fresh.h().mul(m).addi(previous.h().mul(frozen));
        INDArray c = fresh.c() == null ? null : fresh.c().mul(m).addi(previous.c().mul(frozen));
        return new State(h, c);
    }

    /** through + (1 − m_t) ⊙ skipped, for h and c: the gradient of keepOnPadding's second term. */
    private static State skipOnPadding(State through, State skipped, INDArray m) {
        INDArray frozen = m.rsub(1.0);
        INDArray h = through.h().add(skipped.h().mul(frozen));
        INDArray c = through.c() == null ? null : through.c().add(skipped.c().mul(frozen));
        return new State(h, c);
    }

    // ---- the initial state: given, or the policy's (zeros, learned h0/c0, carried) ----

    /**
     * Runs the layer over unpadded sequences from the {@link InitialState} policy's state.
     *
     * @param x the inputs, (N, T, D)
     * @return the outputs (N, T, H), the final state and the cache
     */
    public Result<C> forward(INDArray x) {
        return forward(x, (SequenceMask) null);
    }

    /**
     * Runs the layer from the {@link InitialState} policy's state; a CARRIED layer then remembers the final state
     * (detached) for the next call.
     *
     * @param x the inputs, (N, T, D); padded steps may hold anything finite
     * @param mask which steps are real, (N, T), padding at the end; null if none is padded
     * @return the outputs (N, T, H), the final state and the cache
     * @throws IllegalArgumentException if x or the mask has the wrong shape or type, or a CARRIED layer gets another
     *     batch size than the state it carries
     */
    public Result<C> forward(INDArray x, SequenceMask mask) {
        String method = "RecurrentLayer.forward";
        long n = requireInput(method, x, mask);
        Result<C> result = run(x, policyState(method, n), initialState == InitialState.LEARNED, mask);
        if (initialState == InitialState.CARRIED) {
            carried.remember(result.finalState());
        }
        return result;
    }

    /**
     * Runs the layer from a given initial state, ignoring the {@link InitialState} policy (a CARRIED layer neither
     * reads nor updates its carried state; a LEARNED layer's {@code h0} gets a zero gradient).
     *
     * @param x the inputs, (N, T, D)
     * @param initial h_{−1}, (N, H) (and c_{−1}, (N, H), exactly when the cell has a cell state); not modified
     * @param mask which steps are real, (N, T), padding at the end; null if none is padded
     * @return the outputs (N, T, H), the final state and the cache
     */
    public Result<C> forward(INDArray x, State initial, SequenceMask mask) {
        String method = "RecurrentLayer.forward";
        Objects.requireNonNull(initial, method + ": initial must not be null; use forward(x, mask) for the layer's own initial state");
        long n = SequenceChecks.requireInput(method, x, initial, mask, cell);
        SequenceChecks.requireState(method, "initial", initial, n, cell, hasCellState);
        return run(x, initial, false, mask);
    }

    /**
     * The state the {@link InitialState} policy starts a batch from: zeros; h0 (and c0) broadcast to (N, H); or a
     * copy of the carried state (zeros before the first call and after {@link #reset()}).
     *
     * @param batchSize N, positive
     * @return a new state, each array (N, H)
     * @throws IllegalArgumentException for a CARRIED layer whose carried state has another batch size
     */
    public State initialState(long batchSize) {
        Shapes.requirePositive("RecurrentLayer.initialState", "batchSize", batchSize);
        return policyState("RecurrentLayer.initialState", batchSize);
    }

    /** Forgets the carried state of a CARRIED layer, so the next batch starts from zeros; no effect otherwise. */
    public void reset() {
        carried.reset();
    }

    /** @return a copy of the state a CARRIED layer will start its next batch from, or null if there is none */
    public State carriedState() {
        return carried.get();
    }

    /** The policy's initial state for N sequences. */
    private State policyState(String method, long n) {
        return switch (initialState) {
            case LEARNED -> new State(broadcast(h0, n), hasCellState ? broadcast(c0, n) : null);
            case CARRIED -> carried.start(method, n, cell);
            default -> cell.zeroState(n);
        };
    }

    /** h_{−1} = h0 for every row: a (1, H) parameter repeated over N rows. */
    private INDArray broadcast(INDArray row, long n) {
        return Nd4j.zeros(cell.dataType(), n, cell.hiddenSize()).addiRowVector(row);
    }

    /**
     * For a LEARNED layer, adds the gradients of {@code h0} (and {@code c0}): h_{−1} is h0 broadcast over N, so
     * ∂L/∂h0 = Σ_n ∂L/∂h_{−1}[n, :]; zero when the pass started from a given state. Does nothing for another policy.
     *
     * @param gradients the pass's parameter gradients, to add to
     * @param dInitial ∂L/∂h_{−1} (and ∂L/∂c_{−1}), each (N, H)
     * @param learnedInitial true if the pass started from h0 (and c0)
     */
    public void accumulateInitialGradient(Gradients gradients, State dInitial, boolean learnedInitial) {
        if (initialState != InitialState.LEARNED) {
            return;
        }
        DataType type = cell.dataType();
        gradients.accumulate("h0", learnedInitial ? dInitial.h().sum(true, 0) : Nd4j.zeros(type, 1, cell.hiddenSize()));
        if (hasCellState) {
            gradients.accumulate("c0", learnedInitial ? dInitial.c().sum(true, 0) : Nd4j.zeros(type, 1, cell.hiddenSize()));
        }
    }

    // ---- what the layer is ----

    @Override
    public Parameters parameters() {
        return parameters;
    }

    /** @return the cell unrolled by this layer */
    public RecurrentCell<C> cell() {
        return cell;
    }

    /** @return ZEROS, LEARNED or CARRIED */
    public InitialState initialStatePolicy() {
        return initialState;
    }

    /** @return true if the cell carries a cell state c besides h (an LSTM) */
    public boolean hasCellState() {
        return hasCellState;
    }

    /** @return D, the size of each input x_t */
    public int inputSize() {
        return cell.inputSize();
    }

    /** @return H, the size of each output y_t */
    public int hiddenSize() {
        return cell.hiddenSize();
    }

    /** @return the data type the layer computes in */
    public DataType dataType() {
        return cell.dataType();
    }

    @Override
    public String toString() {
        return "RecurrentLayer(" + cell + ", initial state " + initialState + ")";
    }

    // ---- checks ----

    /**
     * Checks x (and the mask against x) with this layer's messages.
     *
     * @param method the public method being called, for the message
     * @param x the inputs, (N, T, D)
     * @param mask (N, T), or null
     * @return N
     */
    @Override
    public long requireInput(String method, INDArray x, SequenceMask mask) {
        return SequenceChecks.requireInput(method, x, null, mask, cell);
    }

    /** g_{T−1}: a copy of dFinal's h (and c), zeros where it gives none; c only for cells with a cell state. */
    private State finalGradient(State dFinal, long n) {
        DataType type = cell.dataType();
        INDArray gh = dFinal != null ? dFinal.h().dup() : Nd4j.zeros(type, n, cell.hiddenSize());
        INDArray gc = !hasCellState ? null
                : dFinal != null && dFinal.c() != null ? dFinal.c().dup() : Nd4j.zeros(type, n, cell.hiddenSize());
        return new State(gh, gc);
    }
}

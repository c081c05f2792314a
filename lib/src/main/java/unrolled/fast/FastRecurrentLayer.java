package unrolled.fast;

import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.cell.GruCell;
import unrolled.cell.LstmCell;
import unrolled.cell.RecurrentCell;
import unrolled.cell.RnnCell;
import unrolled.cell.State;
import unrolled.param.Gradients;
import unrolled.param.Parameters;
import unrolled.recurrent.CarriedState;
import unrolled.recurrent.InitialState;
import unrolled.recurrent.RecurrentLayer;
import unrolled.recurrent.SequenceGradients;
import unrolled.recurrent.SequenceLayer;
import unrolled.recurrent.SequenceChecks;
import unrolled.data.SequenceMask;
import unrolled.tensor.Shapes;
import unrolled.tensor.Threads;

/**
 * The fast path of a {@link RecurrentLayer}: the same function of the same parameters, with the same masks, initial
 * states and result types, computed over the whole sequence at once instead of one ND4J call per operation.
 *
 * <pre>
 *   RecurrentLayer&lt;LstmCell.Cache&gt; layer = new RecurrentLayer&lt;&gt;(new LstmCell(D, H, DataType.FLOAT, seed));
 *   FastRecurrentLayer&lt;LstmCell.Cache&gt; fast = new FastRecurrentLayer&lt;&gt;(layer);   // shares layer's parameters
 *   RecurrentLayer.Result&lt;LstmCell.Cache&gt; result = fast.forward(x, mask);          // as layer.forward(x, mask)
 *   SequenceGradients grads = fast.backward(dy, dFinal, result.cache());           // as layer.backward(...)
 * </pre>
 *
 * <p><b>What makes it fast.</b> The reference layer calls a dozen ND4J ops per cell per step, each costing tens of
 * microseconds of dispatch whatever its size; for small recurrent models that overhead, not arithmetic, is the
 * running time. This layer instead
 * <ol>
 *   <li>computes the input projection of all T steps as one matrix product x·Wx (N·T, D)·(D, G·H) before the loop;</li>
 *   <li>per step, adds h_{t−1}·Wh with one direct BLAS gemm call on raw memory (step t of every sequence is a set of
 *       rows T·G·H apart, which gemm reads through its leading dimension — no copy, no transposition);</li>
 *   <li>does the element-wise gate maths of a step in one pass over the arrays' memory, in FLOAT on the CPU's vector
 *       units (8 or 16 floats per instruction, see {@link #elementwiseUnits()});</li>
 *   <li>allocates every buffer once per call, never per step;</li>
 *   <li>on a multi-core machine, walks independent sequences of the batch through time on separate cores (lanes: no
 *       synchronisation per step, see {@code Lanes});</li>
 *   <li>computes each weight gradient as one product over all N·T rows after the backward loop.</li>
 * </ol>
 * Supported cells: {@link LstmCell}, {@link GruCell} and {@link RnnCell} (tanh and ReLU), in FLOAT and DOUBLE.
 *
 * <p><b>Sharing.</b> The layer reads the cell's (and, for {@link InitialState#LEARNED}, the reference layer's
 * {@code h0}/{@code c0}) live arrays at every call and {@link #parameters()} is the reference layer's own
 * {@link Parameters} object, so an optimiser that updates either updates both. A CARRIED layer carries its own state,
 * separate from the reference layer's.
 *
 * <p><b>Caches.</b> The cache's steps are the cell's own cache records ({@link LstmCell.Cache} …), built on demand as
 * read-only views of the whole-sequence buffers, so gate heatmaps and probes read them as they read the reference's.
 * {@link #backward} accepts only a cache made by this layer's {@link #forward}.
 *
 * <p><b>Memory.</b> The buffers a forward pass keeps for the backward pass are reused: once a cache has been through
 * {@link #backward}, the next {@link #forward} of the same shape on this layer writes into its memory instead of
 * allocating (allocating tens of megabytes per call costs more than the pass itself, see {@code WorkBuffers}). So a
 * cache is valid until it has been through backward <em>and</em> a later forward has run; after that its step records
 * show the later pass's values and {@link #backward} refuses it with an {@link IllegalStateException}. Backward may be
 * called more than once on a cache before then. The outputs, final states and gradients returned are always new
 * arrays, owned by the caller; a training loop that is done with them gives their memory back at once with
 * {@link #release(RecurrentLayer.Result)} and {@link #release(SequenceGradients)}, as PyTorch frees a step's tensors
 * when their last reference goes (otherwise ND4J frees them when the garbage collector runs, and every call in between
 * pays for fresh memory). One exception to "new arrays": the per-step state gradients of {@link SequenceGradients#dStates()}
 * stay in a work buffer until their first use, which copies them out; read them before the layer's next backward
 * pass (a list first read after it throws an {@link IllegalStateException}). A layer is not meant to be used from
 * several threads at once (nor is {@link RecurrentLayer}).
 *
 * <p><b>Agreement.</b> In DOUBLE the results equal the reference's to round-off (tested at 1e-12 relative); in FLOAT
 * to about 1e-6 (tested at 1e-4; the largest error the tests see is 6e-7): on the vector units e^a and tanh are the
 * JVM's vector maths library's float functions, within an ulp or two; in the portable loops the gate maths is done in
 * double before rounding, with tanh as 1 − 2/(e^{2a} + 1) and e^a by a polynomial accurate to 1e-8 (see
 * {@code Kernel.fastExp}).
 *
 * @param <C> the cell's cache type, as in {@link RecurrentLayer}
 */
public final class FastRecurrentLayer<C> implements SequenceLayer<C> {

    static {
        // one of the three places that apply the library's thread settings (see Threads): the lanes size themselves by
        // the BLAS thread count
        Threads.apply();
    }

    /**
     * The result of {@link #infer}: what a forward pass returns, without a cache.
     *
     * @param outputs y, (N, T, H); zero on padded steps
     * @param finalState h (and c) after each sequence's last real step, each (N, H)
     */
    public record Inference(INDArray outputs, State finalState) {
    }

    private final RecurrentLayer<C> reference;
    private final Kernel<?> kernel;
    private final WorkBuffers buffers;
    private final CarriedState carried = new CarriedState();

    /**
     * @param reference the layer to speed up, not null; its cell must be an {@link LstmCell}, {@link GruCell} or
     *     {@link RnnCell}. Its cell, parameters and initial-state policy are used, not copied.
     * @throws IllegalArgumentException for another kind of cell
     */
    public FastRecurrentLayer(RecurrentLayer<C> reference) {
        this.reference = Objects.requireNonNull(reference, "FastRecurrentLayer: reference must not be null");
        this.kernel = kernelFor(reference.cell());
        this.buffers = new WorkBuffers(kernel.dataType);
    }

    /**
     * A stateless fast layer (zero initial state) over a cell.
     *
     * @param cell an {@link LstmCell}, {@link GruCell} or {@link RnnCell}, not null
     * @param <C> the cell's cache type
     * @return the layer; {@link #reference()} is the matching {@link RecurrentLayer}
     */
    public static <C> FastRecurrentLayer<C> of(RecurrentCell<C> cell) {
        return new FastRecurrentLayer<>(new RecurrentLayer<>(cell));
    }

    /**
     * @return how the FLOAT passes do their element-wise gate maths in this JVM: "Vector API, 16 floats per instruction
     *     (512-bit)" (or 8, 256-bit, with AVX2) when the JVM was started with {@code --add-modules
     *     jdk.incubator.vector}, as Unrolled's kernel is; otherwise "portable Java loops (…)", one value at a time, the
     *     same numbers more slowly. DOUBLE passes always use the portable loops, with {@code Math.exp} and
     *     {@code Math.tanh}.
     */
    public static String elementwiseUnits() {
        return Simd.describe();
    }

    /**
     * @param cell any cell
     * @return true if there is a fast path for it
     */
    public static boolean supports(RecurrentCell<?> cell) {
        return cell instanceof LstmCell || cell instanceof GruCell || cell instanceof RnnCell;
    }

    private static Kernel<?> kernelFor(RecurrentCell<?> cell) {
        if (cell instanceof LstmCell lstm) {
            return new LstmKernel(lstm);
        }
        if (cell instanceof GruCell gru) {
            return new GruKernel(gru);
        }
        if (cell instanceof RnnCell rnn) {
            return new RnnKernel(rnn);
        }
        throw new IllegalArgumentException("FastRecurrentLayer: there is no fast path for " + cell
                + "; the fast path covers LstmCell, GruCell and RnnCell.");
    }

    /**
     * Runs unpadded sequences from the {@link InitialState} policy's state, as {@link RecurrentLayer#forward(INDArray)}.
     *
     * @param x the inputs, (N, T, D)
     * @return the outputs (N, T, H), the final state and the cache
     */
    public RecurrentLayer.Result<C> forward(INDArray x) {
        return forward(x, (SequenceMask) null);
    }

    /**
     * Runs from the {@link InitialState} policy's state, as {@link RecurrentLayer#forward(INDArray, SequenceMask)}; a
     * CARRIED layer then remembers the final state (detached) for the next call.
     *
     * @param x the inputs, (N, T, D); padded steps may hold anything finite
     * @param mask which steps are real, (N, T), padding at the end; null if none is padded
     * @return the outputs (N, T, H), the final state and the cache
     */
    public RecurrentLayer.Result<C> forward(INDArray x, SequenceMask mask) {
        String method = "FastRecurrentLayer.forward";
        long n = requireInput(method, x, null, mask);
        RecurrentLayer.Result<C> result = run(x, policyState(method, n), policy() == InitialState.LEARNED, mask);
        if (policy() == InitialState.CARRIED) {
            carried.remember(result.finalState());
        }
        return result;
    }

    /**
     * Runs from a given initial state, as {@link RecurrentLayer#forward(INDArray, State, SequenceMask)} (the policy is
     * ignored; a LEARNED layer's {@code h0} gets a zero gradient).
     *
     * @param x the inputs, (N, T, D)
     * @param initial h_{−1}, (N, H) (and c_{−1}, (N, H), exactly when the cell has a cell state); not modified
     * @param mask which steps are real, (N, T), padding at the end; null if none is padded
     * @return the outputs (N, T, H), the final state and the cache
     */
    public RecurrentLayer.Result<C> forward(INDArray x, State initial, SequenceMask mask) {
        String method = "FastRecurrentLayer.forward";
        Objects.requireNonNull(initial, method + ": initial must not be null; use forward(x, mask) for the layer's own initial state");
        long n = requireInput(method, x, initial, mask);
        requireState(method, "initial", initial, n);
        return run(x, initial, false, mask);
    }

    /**
     * A forward pass that keeps no cache, for inference: the same outputs and final state as {@link #forward(INDArray,
     * SequenceMask)} (a CARRIED layer carries its final state as well).
     *
     * @param x the inputs, (N, T, D)
     * @param mask which steps are real, (N, T), padding at the end; null if none is padded
     * @return the outputs (N, T, H) and the final state
     */
    public Inference infer(INDArray x, SequenceMask mask) {
        RecurrentLayer.Result<C> result = forward(x, mask);
        // no cache leaves this method, so the pass's buffers are free for the next call at once
        buffers.done(((TapeSteps<?>) result.cache().steps()).tape);
        return new Inference(result.outputs(), result.finalState());
    }

    /**
     * Backpropagation through time over every step, as {@link RecurrentLayer#backward}: same arguments, same results.
     *
     * @param dOutputs ∂L/∂y, (N, T, H); entries on padded steps are ignored; not modified
     * @param dFinal ∂L/∂(final h) (and ∂L/∂(final c)), each (N, H); null (or a null c) means zero; not modified
     * @param cache from this layer's {@link #forward}; not modified
     * @return dx (N, T, D), the initial state's gradient (N, H), every parameter's gradient, and ∂L/∂h_t for each t
     *     (read these before this layer's next backward pass: they wait in its work memory until first read)
     * @throws IllegalArgumentException if the cache was not made by this layer's forward
     */
    public SequenceGradients backward(INDArray dOutputs, State dFinal, RecurrentLayer.Cache<C> cache) {
        String method = "FastRecurrentLayer.backward";
        Objects.requireNonNull(cache, method + ": cache must not be null");
        if (!(cache.steps() instanceof TapeSteps<?> steps) || steps.tape.kernel != kernel) {
            throw new IllegalArgumentException(method + ": cache must come from this layer's forward, but it was made by "
                    + "another layer (a RecurrentLayer's cache goes to RecurrentLayer.backward).");
        }
        Tape<?> tape = steps.tape;
        long pass = buffers.startBackward();
        if (WorkBuffers.overwritten(tape)) {
            throw new IllegalStateException(method + ": this cache has been through backward already and its buffers have "
                    + "since been reused by a later forward of this layer; run forward again.");
        }
        if (tape.x.array.wasClosed()) {
            throw new IllegalStateException(method + ": the x of this cache's forward pass has been released (closed) "
                    + "since; backward reads x for the gradient of Wx, so release x only after backward.");
        }
        long n = tape.batchSize;
        int hidden = kernel.hiddenSize;
        DataType type = kernel.dataType;
        SequenceChecks.requireGradients(method, dOutputs, dFinal, n, tape.steps, cell(), kernel.hasCellState);
        // g_{T−1} = ∂L/∂(final state), or zero: new arrays, overwritten with the running gradient
        Slab gh = Slab.of(dFinal != null ? dFinal.h().dup('c') : Nd4j.zeros(type, n, hidden));
        Slab gc = !kernel.hasCellState ? null
                : Slab.of(dFinal != null && dFinal.c() != null ? dFinal.c().dup('c') : Nd4j.zeros(type, n, hidden));
        Kernel.Backward result = tape.backward(Slab.of(dOutputs), gh, gc, buffers.scratch);
        buffers.done(tape);

        Gradients gradients = result.parameters();
        // ∂L/∂h0 = Σ_n ∂L/∂h_{−1}[n, :] (and c0) for a LEARNED layer, as the reference adds it
        reference.accumulateInitialGradient(gradients, result.dInitial(), tape.learnedInitial);
        return new SequenceGradients(result.dx(), result.dInitial(), gradients, buffers.new StepGradients(result.dH(), result.dC(), tape.steps, pass));
    }

    /**
     * Gives the memory of a forward pass's outputs and final state back at once, for the next call to reuse.
     *
     * <p>ND4J frees an array's off-heap memory only when the garbage collector finds it unreachable, which in a tight
     * training loop can be many steps later; until then every call's results land on fresh memory, and the first touch
     * of fresh memory is slow (page faults: on the 2-core benchmark machine 2–3 ms per megabyte, which made the RNN's
     * training step at 64×100×128×256 take 61 ms instead of 33). PyTorch frees a step's tensors as soon as the last
     * reference goes; a Java loop does the same by releasing what it has used:
     * <pre>
     *   RecurrentLayer.Result&lt;LstmCell.Cache&gt; result = fast.forward(x);
     *   SequenceGradients grads = fast.backward(dLoss(result.outputs()), null, result.cache());
     *   optimizer.step(fast.parameters(), grads.parameters());
     *   fast.release(result);          // y and the final state
     *   fast.release(grads);           // dx, dh0 and every parameter's gradient
     * </pre>
     * Release only arrays nothing will read again, views of them included: reading a released array fails (ND4J's ops
     * and this library's methods say it was closed), and the cache stays valid for {@link #backward}. Releasing twice
     * is harmless.
     *
     * @param result what this layer's {@link #forward} returned, not null
     * @throws IllegalArgumentException if the result was not made by this layer's forward, or its outputs were replaced
     */
    public void release(RecurrentLayer.Result<C> result) {
        String method = "FastRecurrentLayer.release";
        Objects.requireNonNull(result, method + ": result must not be null");
        if (!(result.cache() != null && result.cache().steps() instanceof TapeSteps<?> steps && steps.tape.kernel == kernel)
                || steps.tape.outputs.array != result.outputs()) {
            throw new IllegalArgumentException(method + ": result must be what this layer's forward returned, but its cache "
                    + "or outputs come from elsewhere; release only this layer's own results.");
        }
        WorkBuffers.close(result.outputs());
        WorkBuffers.close(result.finalState());
    }

    /**
     * Gives the memory of an inference's outputs and final state back at once; see {@link #release(RecurrentLayer.Result)}.
     *
     * @param inference what this layer's {@link #infer} returned, not null; nothing may read its arrays afterwards
     */
    public void release(Inference inference) {
        Objects.requireNonNull(inference, "FastRecurrentLayer.release: inference must not be null");
        WorkBuffers.close(inference.outputs());
        WorkBuffers.close(inference.finalState());
    }

    /**
     * Gives the memory of a backward pass's results back at once: dx, the initial state's gradient and every parameter's
     * gradient (apply them first), and the per-step state gradients, which can no longer be read. See
     * {@link #release(RecurrentLayer.Result)} for why and when.
     *
     * @param gradients what this layer's {@link #backward} returned, not null
     * @throws IllegalArgumentException if the gradients were not made by this layer's backward
     */
    public void release(SequenceGradients gradients) {
        String method = "FastRecurrentLayer.release";
        Objects.requireNonNull(gradients, method + ": gradients must not be null");
        if (!(gradients.dStates() instanceof WorkBuffers.StepGradients states) || states.owner() != buffers) {
            throw new IllegalArgumentException(method + ": gradients must be what this layer's backward returned, but come "
                    + "from elsewhere; release only this layer's own results.");
        }
        states.release();
        WorkBuffers.close(gradients.dx());
        WorkBuffers.close(gradients.dInitial());
        for (String name : gradients.parameters().names()) {
            WorkBuffers.close(gradients.parameters().get(name));
        }
    }

    /**
     * The state the {@link InitialState} policy starts a batch from, as {@link RecurrentLayer#initialState}, with this
     * layer's own carried state for CARRIED.
     *
     * @param batchSize N, positive
     * @return a new state, each array (N, H)
     */
    public State initialState(long batchSize) {
        Shapes.requirePositive("FastRecurrentLayer.initialState", "batchSize", batchSize);
        return policyState("FastRecurrentLayer.initialState", batchSize);
    }

    /** Forgets the carried state of a CARRIED layer, so the next batch starts from zeros; no effect otherwise. */
    public void reset() {
        carried.reset();
    }

    /** @return a copy of the state a CARRIED layer will start its next batch from, or null if there is none */
    public State carriedState() {
        return carried.get();
    }

    /** @return the reference layer's parameters: the same object, holding the same live arrays */
    @Override
    public Parameters parameters() {
        return reference.parameters();
    }

    /**
     * Checks x (and the mask against x) with the reference layer's messages.
     *
     * @param method the public method being called, for the message
     * @param x the inputs, (N, T, D)
     * @param mask (N, T), or null
     * @return N
     */
    @Override
    public long requireInput(String method, INDArray x, SequenceMask mask) {
        return reference.requireInput(method, x, mask);
    }

    /** @return the reference layer this layer computes */
    public RecurrentLayer<C> reference() {
        return reference;
    }

    /** @return the cell */
    public RecurrentCell<C> cell() {
        return reference.cell();
    }

    /** @return ZEROS, LEARNED or CARRIED */
    public InitialState initialStatePolicy() {
        return policy();
    }

    /** @return true if the cell carries a cell state c besides h (an LSTM) */
    public boolean hasCellState() {
        return kernel.hasCellState;
    }

    /** @return D */
    public int inputSize() {
        return kernel.inputSize;
    }

    /** @return H */
    public int hiddenSize() {
        return kernel.hiddenSize;
    }

    /** @return FLOAT or DOUBLE */
    public DataType dataType() {
        return kernel.dataType;
    }

    @Override
    public String toString() {
        return "FastRecurrentLayer(" + cell() + ", initial state " + policy() + ")";
    }

    // ---- the run, on checked inputs ----

    private InitialState policy() {
        return reference.initialStatePolicy();
    }

    @SuppressWarnings("unchecked")
    private RecurrentLayer.Result<C> run(INDArray x, State initial, boolean learnedInitial, SequenceMask mask) {
        int n = Math.toIntExact(x.size(0));
        int steps = Math.toIntExact(x.size(1));
        long largest = Math.max(x.length(), (long) n * steps * kernel.hiddenSize * 4);
        if (largest > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("FastRecurrentLayer.forward: a batch of N·T·4H = " + largest
                    + " values is larger than the fast path's limit of 2^31 − 1; split the batch.");
        }
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            lengths[i] = mask == null ? steps : mask.length(i);
        }
        // the initial state is copied into the tape, never written
        Slab h0 = Slab.of(initial.h());
        Slab c0 = kernel.hasCellState ? Slab.of(initial.c()) : null;
        Tape<?> tape = kernel.forward(Slab.of(x), n, steps, h0, c0, lengths, learnedInitial, buffers.forForwardPass());
        // x stays referenced by the tape: a caller who overwrites x after forward changes the gradients, as with the
        // reference, whose step caches hold views of x too
        State finalState = new State(tape.finalH.array, tape.finalC == null ? null : tape.finalC.array);
        RecurrentLayer.Cache<C> cache = new RecurrentLayer.Cache<>(new TapeSteps<>(tape), mask, n, learnedInitial);
        // the final state is a copy, so that changing it cannot change the tape
        return new RecurrentLayer.Result<>(tape.outputs.array, CarriedState.copy(finalState), cache);
    }

    private long requireInput(String method, INDArray x, State initial, SequenceMask mask) {
        return SequenceChecks.requireInput(method, x, initial, mask, cell());
    }

    private void requireState(String method, String name, State state, long n) {
        SequenceChecks.requireState(method, name, state, n, cell(), kernel.hasCellState);
    }

    private State policyState(String method, long n) {
        if (policy() != InitialState.CARRIED) {
            // zeros, or h0 (and c0) broadcast over the batch: the reference layer's own
            return reference.initialState(n);
        }
        return carried.start(method, n, cell());
    }

    /** The cache's steps: the cell's cache record for step t, made on demand from the tape. */
    private static final class TapeSteps<C> extends AbstractList<C> implements RandomAccess {
        private final Tape<?> tape;

        TapeSteps(Tape<?> tape) {
            this.tape = tape;
        }

        @Override
        @SuppressWarnings("unchecked")
        public C get(int t) {
            Objects.checkIndex(t, tape.steps);
            return (C) tape.step(t);
        }

        @Override
        public int size() {
            return tape.steps;
        }
    }
}

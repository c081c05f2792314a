package unrolled.fast;

/**
 * Everything a fast forward pass keeps for its backward pass, for all T steps at once, in batch-first buffers whose
 * step t of sequence n starts at element (n·T + t)·width:
 *
 * <pre>
 *   x        (N, T, D)     the inputs (the caller's array)
 *   hPrev    (N, T, H)     the hidden state entering step t: h_{t−1}, with h_{−1} the initial state
 *   cPrev    (N, T, H)     c_{t−1}, for a cell with a cell state (an LSTM); null otherwise, as in {@link unrolled.cell.State}
 *   cell     B             the cell's own buffers: its gate activations and what else its backward pass reads
 *   outputs  (N, T, H)     y_t = m_t ⊙ h_t
 *   finalH, finalC (N, H)  the state after each sequence's last real step
 * </pre>
 *
 * The buffers other than x, the outputs and the final state come from a {@link WorkBuffers.Set}, which later passes
 * may reuse: see {@link WorkBuffers} for when.
 *
 * @param <B> the cell's buffers
 */
final class Tape<B extends Kernel.Sums> {

    /** The kernel that wrote this tape: a cache is only read back by the layer that made it. */
    final Kernel<B> kernel;
    final WorkBuffers.Set set;
    /** The set's generation when this tape was written into it. */
    final int generation;
    final int batchSize;
    final int steps;
    /** L_n for each sequence (T when unpadded). */
    final int[] lengths;
    final boolean learnedInitial;
    final Slab x;
    final Slab hPrev;
    final Slab cPrev;
    final B cell;
    final Slab outputs;
    final Slab finalH;
    final Slab finalC;

    Tape(Kernel<B> kernel, WorkBuffers.Set set, int batchSize, int steps, int[] lengths, boolean learnedInitial,
            Slab x, Slab hPrev, Slab cPrev, B cell, Slab outputs, Slab finalH, Slab finalC) {
        this.kernel = kernel;
        this.set = set;
        this.generation = set.generation();
        this.batchSize = batchSize;
        this.steps = steps;
        this.lengths = lengths;
        this.learnedInitial = learnedInitial;
        this.x = x;
        this.hPrev = hPrev;
        this.cPrev = cPrev;
        this.cell = cell;
        this.outputs = outputs;
        this.finalH = finalH;
        this.finalC = finalC;
    }

    /** @return the reference cell's cache record for step t, made of views of this tape */
    Object step(int t) {
        return kernel.stepCache(this, t);
    }

    /** The backward pass over this tape: see {@link Kernel#backward}. */
    Kernel.Backward backward(Slab dy, Slab gh, Slab gc, WorkBuffers.Set scratch) {
        return kernel.backward(this, dy, gh, gc, scratch);
    }
}

package unrolled.fast;

/**
 * Everything a fast forward pass keeps for its backward pass, for all T steps at once, in batch-first arrays whose
 * step t of sequence n starts at element (n·T + t)·width:
 *
 * <pre>
 *   x        (N, T, D)     the inputs
 *   gates    (N, T, G·H)   the cell's block activations at each step: LSTM i, f, o, g; GRU r, z, n; RNN h̃
 *   hPrev    (N, T, H)     the hidden state entering step t: h_{t−1}, with h_{−1} the initial state
 *   cPrev    (N, T, H)     LSTM only: c_{t−1}
 *   cell     (N, T, H)     LSTM only: the cell's new c̃_t (before masking)
 *   tanhC    (N, T, H)     LSTM only: tanh(c̃_t)
 *   recurrent(N, T, 3H)    GRU only: ah = h_{t−1}·Wh + bh
 *   outputs  (N, T, H)     y_t = m_t ⊙ h_t
 * </pre>
 *
 * Buffers that a cell does not use are null. A tape's buffers (all but x and the outputs, which belong to the caller)
 * come from a {@link Workspace}: once the tape has been through a backward pass, the layer hands that workspace to a
 * later forward pass of the same shape, and this tape is then marked {@link #recycled}. Nothing is allocated per step.
 */
final class Tape {

    final int batchSize;
    final int steps;
    final int[] lengths;
    final boolean learnedInitial;
    final Slab x;
    final Slab gates;
    final Slab hPrev;
    final Slab cPrev;
    final Slab cell;
    final Slab tanhC;
    final Slab recurrent;
    final Slab outputs;
    final Slab finalH;
    final Slab finalC;
    /** The kernel that wrote this tape: a cache is only read back by the layer that made it. */
    final Kernel kernel;
    /** Where the buffers come from. */
    final Workspace workspace;
    /** True once a backward pass has read this tape: its workspace may then be reused. */
    boolean consumed;
    /** True once a later forward pass has reused this tape's workspace: the buffers now hold that pass's values. */
    boolean recycled;

    Tape(Kernel kernel, Workspace workspace, int batchSize, int steps, int[] lengths, boolean learnedInitial, Slab x, Slab gates, Slab hPrev,
            Slab cPrev, Slab cell, Slab tanhC, Slab recurrent, Slab outputs, Slab finalH, Slab finalC) {
        this.kernel = kernel;
        this.workspace = workspace;
        workspace.owner = this;
        this.batchSize = batchSize;
        this.steps = steps;
        this.lengths = lengths;
        this.learnedInitial = learnedInitial;
        this.x = x;
        this.gates = gates;
        this.hPrev = hPrev;
        this.cPrev = cPrev;
        this.cell = cell;
        this.tanhC = tanhC;
        this.recurrent = recurrent;
        this.outputs = outputs;
        this.finalH = finalH;
        this.finalC = finalC;
    }
}

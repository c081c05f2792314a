package unrolled.fast;

/**
 * A cell's element-wise maths for one row, one sequence of the batch at one step, forward and backward: what a cell
 * supplies to the {@link Kernel} skeleton, as a portable loop (the cell's kernel itself) and, for FLOAT on the vector
 * units, a {@code Vector*Rows}.
 *
 * @param <B> the cell's own tape buffers
 */
interface Rows<B extends Kernel.Sums> {

    /**
     * Forward: the step's gate activations and new state from its pre-activations.
     *
     * @param tape the pass's tape, the pre-activations of step t already in the cell's buffers
     * @param a the row's first index in the (N, T, G·H) buffers
     * @param s its first index in the (N, T, H) buffers
     * @param hOut receives h̃_t at out (the next step's h_{t−1} slot, or the final state), as y_t does at s
     * @param cOut receives c̃_t at out; unused without a cell state
     * @param out the index in hOut and cOut
     */
    void forward(Tape<B> tape, int a, int s, Slab hOut, Slab cOut, int out);

    /**
     * Backward, real rows only: ∂L/∂h_t = dy_t + g_h into dH, the pre-activations' gradients into the flow's buffers,
     * and what flows back to step t − 1 into g_h (without dA_t·Whᵀ, which the skeleton adds) and g_c.
     *
     * @param tape the forward pass's tape
     * @param flow the backward pass's buffers
     * @param a the row's first index in the (N, T, G·H) buffers
     * @param s its first index in the (N, T, H) buffers
     * @param r its first index in the (N, H) running gradients g_h and g_c
     */
    void backward(Tape<B> tape, Kernel.Flow flow, int a, int s, int r);
}

package unrolled.conv;

/**
 * How a {@link Conv1d} pads the time axis before sliding its kernel. With kernel size K and dilation δ the kernel
 * spans a window of r = δ·(K − 1) + 1 steps (its receptive field), so r − 1 steps of padding in all keep the
 * output as long as the input.
 */
public enum Padding {

    /** No padding: the kernel only visits full windows, so T' = T − δ·(K − 1); the sequence shrinks. */
    VALID,

    /**
     * δ·(K − 1) zero steps split between both ends (the odd one at the end, as in PyTorch), so T' = T. The output
     * at t sees inputs on both sides of t: right for tagging a complete sequence, wrong for forecasting.
     */
    SAME,

    /**
     * δ·(K − 1) zero steps at the start only, so T' = T and the output at t sees only x_0 … x_t: the convolution
     * cannot look into the future, which is what generation and streaming need (WaveNet, TCN).
     */
    CAUSAL
}

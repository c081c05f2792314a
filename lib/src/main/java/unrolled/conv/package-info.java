/**
 * Convolutions over time: the feed-forward alternative to a recurrent layer for sequences.
 *
 * <p>A {@link unrolled.conv.Conv1d} layer applies the same small filter at every position of an (N, T, D) sequence.
 * Unlike a recurrent layer it has no state carried from step to step, so all T outputs are computed at once (one
 * matrix product, not T sequential ones); the price is a finite receptive field that grows only with kernel size,
 * dilation and depth. {@link unrolled.conv.Padding#CAUSAL} padding makes the output at t depend on inputs up to t
 * only, so a causal convolution can replace an RNN for generation and forecasting.
 * {@link unrolled.conv.TemporalConvNet} stacks causal convolutions with doubling dilations and residual connections,
 * so that the receptive field grows exponentially with depth.
 */
package unrolled.conv;

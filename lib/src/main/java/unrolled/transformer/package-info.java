/**
 * A Transformer encoder ({@link unrolled.transformer.TransformerEncoder}, a stack of
 * {@link unrolled.transformer.TransformerEncoderBlock}s) built on the multi-head attention of
 * {@code unrolled.attention}, and the parts that are not attention: positional encodings (fixed
 * {@link unrolled.transformer.SinusoidalEncoding} or trained {@link unrolled.transformer.LearnedEncoding}), and the
 * residual connection with layer normalisation ({@link unrolled.transformer.AddAndNorm}). The position-wise
 * feed-forward network is {@link unrolled.layer.FeedForward} applied at every step by
 * {@link unrolled.layer.TimeDistributed}.
 *
 * <p>They exist here to compare what replaced recurrent networks with the recurrent networks themselves: attention
 * sees the whole sequence at once and in parallel, so it needs positions added explicitly and depth made trainable
 * by residual paths, where a recurrent layer gets order for free and pays with sequential computation.
 */
package unrolled.transformer;

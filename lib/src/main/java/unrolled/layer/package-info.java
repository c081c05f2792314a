/**
 * Feed-forward layers: the pieces around the recurrent core of a sequence model.
 *
 * <p>A language model in this curriculum reads token ids through an {@link unrolled.layer.Embedding}, runs a
 * recurrent layer over the vectors, and turns every hidden state into scores over the vocabulary with a
 * {@link unrolled.layer.TimeDistributedAffine}; a classifier reads only the last state with an
 * {@link unrolled.layer.Affine}. {@link unrolled.layer.LayerNorm} and {@link unrolled.layer.Dropout} stabilise
 * and regularise the stack. {@link unrolled.layer.TimeDistributed} applies any {@link unrolled.layer.RowLayer} (an
 * {@link unrolled.layer.Affine}, a two-layer {@link unrolled.layer.FeedForward}) at every time step with shared
 * weights.
 *
 * <p>Every layer follows the library's one pattern, so a notebook can open any of them side by side:
 * {@code forward} returns the output and a named cache (a record); {@code backward(dOut, cache)} returns the
 * gradient of the input and, for layers with weights, a {@link unrolled.param.Gradients} keyed by the same
 * names as {@code parameters()} ({@link unrolled.layer.LayerGradients}). Each backward pass is written by hand
 * under its equation and verified against finite differences in the tests.
 */
package unrolled.layer;

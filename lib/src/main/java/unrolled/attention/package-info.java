/**
 * Attention: a weighted average of a memory, with weights the model computes from what it is looking for.
 *
 * <p>Two families, both batch-first, with hand-written backward passes:
 * <ul>
 *   <li>One query per call, for a recurrent decoder that attends to its encoder's outputs at every step: the
 *       {@link unrolled.attention.Attention} interface, with {@link unrolled.attention.AdditiveAttention} (Bahdanau) and
 *       {@link unrolled.attention.LuongAttention} (dot and general). Query (N, Hq), memory (N, T, Hm), context (N, Hm),
 *       weights (N, T). {@link unrolled.attention.HardAttention} samples one position instead of averaging.</li>
 *   <li>Whole sequences of queries, for self-attention and Transformer blocks:
 *       {@link unrolled.attention.ScaledDotProductAttention} and {@link unrolled.attention.MultiHeadAttention}. Queries
 *       (N, Tq, D), keys and values (N, Tk, D), weights (N, Tq, Tk) or (N, heads, Tq, Tk), with a key-padding mask and
 *       an optional causal mask, both built by {@link unrolled.data.SequenceMask#allowed}.</li>
 * </ul>
 * Masked positions get a weight of exactly 0 and no gradient. Every forward result exposes its weights for plotting
 * ({@link unrolled.plot.Heatmaps#attention}).
 */
package unrolled.attention;

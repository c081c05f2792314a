/**
 * Hierarchical models: recurrent layers stacked by level of structure rather than by depth.
 *
 * <ul>
 *   <li>{@link unrolled.hierarchical.HierarchicalAttentionNetwork}: words → sentence vectors → document vector, with an
 *       encoder and an attention at each level, for document classification; inputs are
 *       {@link unrolled.hierarchical.DocumentBatch padded document batches}.</li>
 *   <li>{@link unrolled.hierarchical.ChunkedRecurrent}: the same idea over time, a lower RNN per chunk of k steps and
 *       an upper RNN over the chunk summaries, for series with fast and slow patterns.</li>
 * </ul>
 */
package unrolled.hierarchical;

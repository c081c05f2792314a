/**
 * Sequence layers: a {@link unrolled.cell.RecurrentCell} unrolled over the T steps of a batch-first
 * (N, T, D) input, with backpropagation through time written out step by step.
 *
 * <p>In the curriculum this package is where a cell becomes a network. It answers the interview questions about
 * training recurrent models:
 * <ul>
 *   <li>{@link unrolled.recurrent.RecurrentLayer}: the unrolled loop, and why BPTT <em>sums</em> the gradients of the
 *       shared weights over time;</li>
 *   <li>{@link unrolled.data.SequenceMask}: padded batches, and why padding must not leak into states or
 *       gradients;</li>
 *   <li>{@link unrolled.recurrent.TruncatedBptt}: cutting the gradient's path every k steps, and what that costs;</li>
 *   <li>{@link unrolled.recurrent.InitialState}: zero, learned and carried (stateful) initial states, the carried one
 *       kept by a {@link unrolled.recurrent.CarriedState};</li>
 *   <li>{@link unrolled.recurrent.Bidirectional} and {@link unrolled.recurrent.StackedRecurrent}: reading a sequence
 *       both ways, and stacking layers with dropout between them ({@link unrolled.recurrent.Stacking}, the one
 *       stacking loop);</li>
 *   <li>{@link unrolled.recurrent.TorchWeights}: any of these layers as the {@code state_dict} of PyTorch's
 *       {@code nn.RNN}, {@code nn.LSTM} or {@code nn.GRU} and back, gate order and bias split included.</li>
 * </ul>
 * {@link unrolled.recurrent.SequenceChecks} holds the checks every sequence layer makes at its entry points, so the
 * reference layer and the fast path refuse the same mistakes in the same words. The layers are generic in the cell's
 * cache type, so the vanilla RNN, the LSTM and the GRU all run in the same loop;
 * an LSTM's cell state c is carried, masked and differentiated exactly like h. The sub-package
 * {@code unrolled.recurrent.probe} looks inside a backward pass to show vanishing and exploding gradients.
 */
package unrolled.recurrent;

/**
 * Losses and metrics: the last step of the forward pass and the first of the backward pass.
 *
 * <p>{@link unrolled.loss.SoftmaxCrossEntropy} scores a language model or a classifier and hands
 * ∂loss/∂logits to the readout layer; {@link unrolled.loss.MeanSquaredError} does the same for regression
 * such as time-series forecasting. Both take an optional 0/1 mask so that the padding that makes sequences of
 * different lengths fit in one (N, T) batch never counts. {@link unrolled.loss.Metrics} turns what the
 * notebooks report — perplexity, accuracy — into numbers with a meaning.
 *
 * <p>A loss returns a record holding the scalar loss and its gradient with respect to the prediction, so
 * training reads {@code loss = ce.compute(logits, targets, mask); readout.backward(loss.dLogits(), cache)}.
 */
package unrolled.loss;

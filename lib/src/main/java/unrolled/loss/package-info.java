/**
 * Losses: the last step of the forward pass and the first of the backward pass (what a model is judged by after
 * training lives in {@link unrolled.metrics}).
 *
 * <p>{@link unrolled.loss.SoftmaxCrossEntropy} scores a language model or a classifier and hands
 * ∂loss/∂logits to the readout layer; {@link unrolled.loss.MeanSquaredError} does the same for regression
 * such as time-series forecasting. Both take an optional 0/1 mask so that the padding that makes sequences of
 * different lengths fit in one (N, T) batch never counts.
 *
 * <p>A loss returns a record holding the scalar loss and its gradient with respect to the prediction, so
 * training reads {@code loss = ce.compute(logits, targets, mask); readout.backward(loss.dLogits(), cache)}.
 */
package unrolled.loss;

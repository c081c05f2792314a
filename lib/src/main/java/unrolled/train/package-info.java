/**
 * The training loop every notebook uses, whatever the model: epochs over batches, gradient clipping, the
 * optimiser step, the learning-rate schedule, a one-line progress report, a history to plot, and an early,
 * named stop when the loss or a gradient stops being a number.
 *
 * <p>In the curriculum the model is written by hand (forward, backward through time), so the loop asks the
 * notebook for exactly one thing: given a batch, the loss and the {@link unrolled.param.Gradients}
 * ({@link unrolled.train.TrainingStep}). Everything after that is the same for an RNN, an LSTM or a
 * sequence-to-sequence model, and lives in {@link unrolled.train.Trainer}.
 */
package unrolled.train;

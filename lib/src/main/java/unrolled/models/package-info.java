/**
 * Ready models: the library's pieces assembled into the four shapes of recurrent model that interviews ask about,
 * each trainable with {@link unrolled.train.Trainer} and saved or loaded in one line.
 *
 * <ul>
 *   <li>{@link unrolled.models.CharLanguageModel}: embedding, recurrent stack, a readout at every step; trained on the
 *       next character, sampled with temperature and top-k;</li>
 *   <li>{@link unrolled.models.SequenceClassifier}: many-to-one, the final state at each sequence's true last step to
 *       K classes;</li>
 *   <li>{@link unrolled.models.SequenceTagger}: many-to-many, one tag per step, optionally bidirectional;</li>
 *   <li>{@link unrolled.models.SequenceRegressor}: a window of a time series to its next values, and multi-step
 *       forecasts that feed predictions back.</li>
 * </ul>
 *
 * <p>In the curriculum this package comes after the cells, the sequence layers and the training loop have each been
 * built and checked by hand: the notebooks then use these models to run the experiments (RNN against LSTM against
 * GRU, depth, dropout, bidirectionality) without rewriting the plumbing each time. Every model is configured by one
 * {@link unrolled.models.ModelConfiguration} (the cell is a {@link unrolled.models.CellType}) and is one
 * {@link unrolled.models.RecurrentNetwork} (input, a {@link unrolled.models.RecurrentStack} body, dropout and an
 * affine readout of every step or of the final state) plus its loss. Each keeps the library's pattern:
 * {@code forward} returns the output and a cache, {@code backward} returns the gradients under the names of
 * {@code parameters()}, and {@code lossAndGradients(batch)} is the {@link unrolled.train.TrainingStep} the trainer
 * needs.
 */
package unrolled.models;

/**
 * Data for the recurrent notebooks: from raw text and time series to the padded, masked, batch-first tensors
 * every layer of the library consumes.
 *
 * <ul>
 *   <li>{@link unrolled.data.Vocabulary}: characters or words to ids and back, with the special tokens
 *       {@code <pad>} (0), {@code <unk>}, {@code <bos>}, {@code <eos>}.</li>
 *   <li>{@link unrolled.data.Batch}: one minibatch, inputs (N, T) ids or (N, T, D) features, targets, and its
 *       {@link unrolled.data.SequenceMask}.</li>
 *   <li>{@link unrolled.data.SequenceMask}: the library's one mask, which steps of a padded batch are real: the
 *       lengths, the (N, T) array a masked loss multiplies by, the step masks a recurrent layer freezes its state
 *       with, and the (N, Tq, Tk) expansion attention reads (key padding, causal).</li>
 *   <li>{@link unrolled.data.Batching}: padding variable-length sequences, seeded shuffled minibatches, and
 *       bucketing by length to waste fewer padded steps.</li>
 *   <li>{@link unrolled.data.Windows}: sliding windows over a time series for forecasting, and a chronological
 *       train/validation split.</li>
 *   <li>{@link unrolled.data.SyntheticTasks}: the adding, copy, delayed-recall and parity problems, the
 *       standard tests of long-range memory on which a vanilla RNN fails and an LSTM succeeds.</li>
 *   <li>{@link unrolled.data.DatasetFile}: finds a file of the repository's {@code datasets/} folder and checks its
 *       sha256 against the recorded one before a loader reads it.</li>
 *   <li>{@link unrolled.data.SensorNetwork}: the Suthaharan wireless sensor network readings (humidity,
 *       temperature) with labelled anomalies, per mote, for anomaly detection.</li>
 *   <li>Real datasets, each checked before it is read: {@link unrolled.data.MaunaLoaCo2} (a monthly series),
 *       {@link unrolled.data.MobyDick} (a novel, for language models), {@link unrolled.data.FirstNames} (two
 *       lists of first names, for a many-to-one classifier) and {@link unrolled.data.StateOfTheUnion} (sentences
 *       of presidential addresses labelled by era, texts of very different lengths).</li>
 * </ul>
 */
package unrolled.data;

/**
 * Sequence to sequence: an encoder reads the source, a decoder writes the target one token at a time.
 *
 * <ul>
 *   <li>{@link unrolled.seq2seq.EncoderDecoder}: the model, over RNN, LSTM or GRU cells, with or without attention
 *       ({@link unrolled.seq2seq.AttentionType}), trained with teacher forcing, a teacher-forcing ratio, or scheduled
 *       sampling ({@link unrolled.seq2seq.TeacherForcingSchedule}) on padded batches
 *       ({@link unrolled.seq2seq.Seq2SeqBatch}).</li>
 *   <li>Decoding: {@link unrolled.seq2seq.GreedySearch} and {@link unrolled.seq2seq.BeamSearch} over any
 *       {@link unrolled.seq2seq.StepScorer}, returning {@link unrolled.seq2seq.Hypothesis hypotheses} with their
 *       scores.</li>
 * </ul>
 * Corpus BLEU is {@link unrolled.metrics.Bleu}; perplexity is {@link unrolled.metrics.Metrics#perplexity}.
 */
package unrolled.seq2seq;

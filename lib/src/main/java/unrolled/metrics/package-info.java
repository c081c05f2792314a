/**
 * What a trained model is judged by, in one place: numbers computed from predictions and targets, with no gradient.
 *
 * <ul>
 *   <li>{@link unrolled.metrics.Metrics}: accuracy, perplexity and bits per character, from logits or from a mean
 *       cross-entropy.</li>
 *   <li>{@link unrolled.metrics.PrecisionRecall}: the four counts of a binary decision and precision, recall, F1 and
 *       accuracy read from them.</li>
 *   <li>{@link unrolled.metrics.OperatingPoint}: an anomaly detector's alarms at one threshold, and the sweep of every
 *       threshold that traces the precision–recall curve.</li>
 *   <li>{@link unrolled.metrics.ForecastErrors}: a forecaster's RMSE, MAE and MASE in the series' own units.</li>
 *   <li>{@link unrolled.metrics.Bleu}: corpus BLEU of generated token sequences against references.</li>
 * </ul>
 *
 * <p>One convention for a ratio whose denominator is 0, everywhere in this package (scikit-learn's default): precision
 * when nothing was flagged, and recall when there is no positive, are reported as 0, and so is F1 when both are 0.
 * {@link unrolled.metrics.PrecisionRecall#ratio(long, long)} is that rule, and every class here goes through it.
 */
package unrolled.metrics;

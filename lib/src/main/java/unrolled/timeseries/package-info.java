/**
 * What a forecaster or an anomaly detector is judged by: the baselines it must beat, its errors in the series'
 * own units, and precision and recall of its alarms against labels.
 *
 * <ul>
 *   <li>{@link unrolled.timeseries.Baselines}: the naive (last value) and seasonal-naive (same season last
 *       period) forecasts.</li>
 *   <li>{@link unrolled.timeseries.ForecastErrors}: RMSE, MAE and MASE, the error scaled by the in-sample
 *       seasonal-naive error.</li>
 *   <li>{@link unrolled.timeseries.OperatingPoint}: alarms at a threshold on an anomaly score, counted against
 *       labels, and the sweep of every threshold that traces the precision–recall curve.</li>
 * </ul>
 */
package unrolled.timeseries;

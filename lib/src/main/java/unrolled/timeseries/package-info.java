/**
 * The baselines a forecaster must beat. Its errors ({@link unrolled.metrics.ForecastErrors}) and an anomaly
 * detector's alarms against labels ({@link unrolled.metrics.OperatingPoint}) are measured in {@link unrolled.metrics}.
 *
 * <ul>
 *   <li>{@link unrolled.timeseries.Baselines}: the naive (last value) and seasonal-naive (same season last
 *       period) forecasts.</li>
 * </ul>
 */
package unrolled.timeseries;

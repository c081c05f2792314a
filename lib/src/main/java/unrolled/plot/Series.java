package unrolled.plot;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Named plot series in one expression, in legend order, for {@link Plots}' methods that take a map from series name
 * to values: {@code Plots.lines("Loss", "step", "loss (nats)", false, Series.of("RNN", rnn, "LSTM", lstm))}.
 *
 * <p>The maps are unmodifiable and keep the order given; a blank or repeated name and a null array are refused with
 * a message naming the method and the argument (the plot itself checks the values).
 */
public final class Series {

    private Series() {
    }

    /**
     * One named series.
     *
     * @param name the legend entry, not blank
     * @param values the series' values, not null
     * @return name to values
     */
    public static Map<String, double[]> of(String name, double[] values) {
        return collect(new Object[] {name, values});
    }

    /**
     * Two named series, in this order.
     *
     * @param name1 the first legend entry, not blank
     * @param values1 its values, not null
     * @param name2 the second legend entry, not blank and not {@code name1}
     * @param values2 its values, not null
     * @return name to values, in legend order
     */
    public static Map<String, double[]> of(String name1, double[] values1, String name2, double[] values2) {
        return collect(new Object[] {name1, values1, name2, values2});
    }

    /**
     * Three named series, in this order.
     *
     * @param name1 the first legend entry, not blank
     * @param values1 its values, not null
     * @param name2 the second legend entry, not blank, distinct
     * @param values2 its values, not null
     * @param name3 the third legend entry, not blank, distinct
     * @param values3 its values, not null
     * @return name to values, in legend order
     */
    public static Map<String, double[]> of(String name1, double[] values1, String name2, double[] values2,
            String name3, double[] values3) {
        return collect(new Object[] {name1, values1, name2, values2, name3, values3});
    }

    /**
     * Four named series, in this order.
     *
     * @param name1 the first legend entry, not blank
     * @param values1 its values, not null
     * @param name2 the second legend entry, not blank, distinct
     * @param values2 its values, not null
     * @param name3 the third legend entry, not blank, distinct
     * @param values3 its values, not null
     * @param name4 the fourth legend entry, not blank, distinct
     * @param values4 its values, not null
     * @return name to values, in legend order
     */
    public static Map<String, double[]> of(String name1, double[] values1, String name2, double[] values2,
            String name3, double[] values3, String name4, double[] values4) {
        return collect(new Object[] {name1, values1, name2, values2, name3, values3, name4, values4});
    }

    /**
     * One series per item, e.g. one curve per gain: {@code Series.over(gains, g -> "gain " + g, g -> normsAt(g))}.
     *
     * @param items the settings or models to plot, at least one, in legend order
     * @param name the legend entry of an item, not blank, distinct across items
     * @param values the values of an item, not null
     * @param <T> the type of an item
     * @return name to values, in the items' order
     */
    public static <T> Map<String, double[]> over(List<T> items, Function<? super T, String> name,
            Function<? super T, double[]> values) {
        String method = "Series.over";
        Objects.requireNonNull(items, method + ": items must not be null");
        Objects.requireNonNull(name, method + ": name must not be null");
        Objects.requireNonNull(values, method + ": values must not be null");
        if (items.isEmpty()) {
            throw new IllegalArgumentException(method + ": items must hold at least one item, but is empty.");
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        for (T item : items) {
            put(method, series, name.apply(item), values.apply(item));
        }
        return Collections.unmodifiableMap(series);
    }

    private static Map<String, double[]> collect(Object[] pairs) {
        Map<String, double[]> series = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            put("Series.of", series, (String) pairs[i], (double[]) pairs[i + 1]);
        }
        return Collections.unmodifiableMap(series);
    }

    private static void put(String method, Map<String, double[]> series, String name, double[] values) {
        PlotInputs.requireText(method, "every name", name);
        if (values == null) {
            throw new IllegalArgumentException(method + ": the values of \"" + name + "\" must not be null.");
        }
        if (series.containsKey(name)) {
            throw new IllegalArgumentException(method + ": every name must be distinct, but \"" + name
                    + "\" is given twice.");
        }
        series.put(name, values);
    }
}

package unrolled.plot;

import java.util.Map;

/** The checks every plot of the package makes on its arguments, in the library's one voice for errors. */
final class PlotInputs {

    private PlotInputs() {
    }

    /** A title or axis title: plots need them, with units, so that no notebook shows an unlabelled plot. */
    static void requireText(String method, String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(method + ": " + what + " must be non-blank text (plots need a title and"
                    + " axis titles with units), but is " + (value == null ? "null" : "\"" + value + "\"") + ".");
        }
    }

    /**
     * Named series of values: at least one, each non-empty with a non-blank name and finite values, all positive
     * on a log scale, and each of the given length unless that is negative.
     */
    static void requireSeries(String method, Map<String, double[]> series, boolean logY, int length) {
        if (series == null || series.isEmpty()) {
            throw new IllegalArgumentException(method + ": series must hold at least one named series of values, but is "
                    + (series == null ? "null" : "empty") + ".");
        }
        for (Map.Entry<String, double[]> entry : series.entrySet()) {
            String name = entry.getKey();
            requireText(method, "every series name", name);
            double[] values = entry.getValue();
            if (values == null || values.length == 0) {
                throw new IllegalArgumentException(method + ": series \"" + name + "\" must hold at least one value, but is "
                        + (values == null ? "null" : "empty") + ".");
            }
            if (length >= 0 && values.length != length) {
                throw new IllegalArgumentException(method + ": series \"" + name + "\" must hold " + length
                        + " values, one per x value or category, but holds " + values.length + ".");
            }
            for (int i = 0; i < values.length; i++) {
                if (!Double.isFinite(values[i])) {
                    throw new IllegalArgumentException(method + ": series \"" + name + "\" must hold finite values, but "
                            + "has " + values[i] + " at index " + i + ".");
                }
                if (logY && values[i] <= 0) {
                    throw new IllegalArgumentException(method + ": series \"" + name + "\" must be positive on a log "
                            + "scale, but has " + values[i] + " at index " + i + ".");
                }
            }
        }
    }
}

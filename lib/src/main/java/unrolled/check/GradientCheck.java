package unrolled.check;

import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import unrolled.tensor.Shapes;

/**
 * Checks hand-written gradients against centred finite differences:
 *
 * <pre>
 *   ∂L/∂θᵢ ≈ (L(θ + ε·eᵢ) − L(θ − ε·eᵢ)) / 2ε        error O(ε²)
 * </pre>
 *
 * Each entry's error is the relative error with a floor on the scale,
 *
 * <pre>
 *   e = |a − n| / max(|a| + |n|, 10⁻³)          a analytic, n numerical
 * </pre>
 *
 * relative for gradients of ordinary size, and absolute (times 10³) for tiny ones, where the round-off of the
 * two loss evaluations (about 10⁻¹⁶·|L| / ε) would otherwise make a correct gradient look wrong. An entry
 * passes when e is at most the tolerance, so a report's maximum error is below the tolerance exactly when the
 * check passes. Run it in DOUBLE: in FLOAT, round-off alone exceeds 10⁻³.
 *
 * <p>The arrays are perturbed in place and restored exactly, so the loss function reads them as they are.
 */
public final class GradientCheck {

    /** Default step ε: balances truncation error O(ε²) against round-off O(1e-16 / ε) in DOUBLE. */
    public static final double EPSILON = 1e-6;
    /** Default largest error e accepted per entry. */
    public static final double TOLERANCE = 1e-6;
    /** The floor on |a| + |n| in the error's denominator: below it, the error is measured in absolute terms. */
    public static final double SCALE_FLOOR = 1e-3;

    private final Map<String, INDArray> arrays = new LinkedHashMap<>();
    private final Map<String, INDArray> analytic = new LinkedHashMap<>();
    private double epsilon = EPSILON;
    private double tolerance = TOLERANCE;
    private int maxEntries = Integer.MAX_VALUE;
    private long seed = 0;

    private GradientCheck() {
    }

    /** @return a check with no arrays yet; add them with {@link #wrt} */
    public static GradientCheck create() {
        return new GradientCheck();
    }

    /**
     * Adds an array to differentiate with respect to: a parameter or an input.
     *
     * @param name its name in the report
     * @param array the live array the loss reads, DOUBLE
     * @param gradient the analytic ∂L/∂array, same shape
     * @return this, for chaining
     */
    public GradientCheck wrt(String name, INDArray array, INDArray gradient) {
        Objects.requireNonNull(name, "GradientCheck.wrt: name must not be null");
        Objects.requireNonNull(array, "GradientCheck.wrt: array " + name + " must not be null");
        Shapes.requireType("GradientCheck.wrt", name, array, DataType.DOUBLE);
        Shapes.requireShape("GradientCheck.wrt", "gradient of " + name, gradient, array.shape());
        if (arrays.containsKey(name)) {
            throw new IllegalArgumentException("GradientCheck.wrt: " + name + " was added twice.");
        }
        arrays.put(name, array);
        analytic.put(name, gradient.castTo(DataType.DOUBLE));
        return this;
    }

    /**
     * @param step the finite-difference step ε, positive
     * @return this, for chaining
     */
    public GradientCheck epsilon(double step) {
        if (!(step > 0)) {
            throw new IllegalArgumentException("GradientCheck.epsilon: step must be positive, but is " + step + ".");
        }
        this.epsilon = step;
        return this;
    }

    /**
     * @param relativeError the largest relative error accepted per entry, positive
     * @return this, for chaining
     */
    public GradientCheck tolerance(double relativeError) {
        if (!(relativeError > 0)) {
            throw new IllegalArgumentException("GradientCheck.tolerance: relativeError must be positive, but is " + relativeError + ".");
        }
        this.tolerance = relativeError;
        return this;
    }

    /**
     * Checks at most this many entries per array, chosen at random with the seed (default: every entry).
     *
     * @param entries a positive count
     * @param randomSeed the seed that chooses them
     * @return this, for chaining
     */
    public GradientCheck sample(int entries, long randomSeed) {
        Shapes.requirePositive("GradientCheck.sample", "entries", entries);
        this.maxEntries = entries;
        this.seed = randomSeed;
        return this;
    }

    /**
     * Runs the check.
     *
     * @param loss computes the scalar loss from the arrays' current values
     * @return one row per array
     */
    public Report run(DoubleSupplier loss) {
        Objects.requireNonNull(loss, "GradientCheck.run: loss must not be null");
        if (arrays.isEmpty()) {
            throw new IllegalStateException("GradientCheck.run: no arrays to check; add them with wrt(name, array, gradient).");
        }
        List<Row> rows = new ArrayList<>();
        Random random = new Random(seed);
        for (Map.Entry<String, INDArray> entry : arrays.entrySet()) {
            String name = entry.getKey();
            INDArray array = entry.getValue();
            INDArray a = analytic.get(name);
            long length = array.length();
            long[] indices = choose(length, random);
            double maxRelative = 0;
            double maxAbsolute = 0;
            boolean passed = true;
            for (long flat : indices) {
                long[] at = org.nd4j.linalg.api.shape.Shape.ind2subC(array.shape(), flat);
                double original = array.getDouble(at);
                array.putScalar(at, original + epsilon);
                double plus = loss.getAsDouble();
                array.putScalar(at, original - epsilon);
                double minus = loss.getAsDouble();
                array.putScalar(at, original);
                double numerical = (plus - minus) / (2 * epsilon);
                double analyticValue = a.getDouble(at);
                double absolute = Math.abs(analyticValue - numerical);
                // e = |a − n| / max(|a| + |n|, 10⁻³)
                double relative = absolute / Math.max(Math.abs(analyticValue) + Math.abs(numerical), SCALE_FLOOR);
                if (Double.isNaN(absolute)) {
                    relative = Double.POSITIVE_INFINITY;
                    absolute = Double.POSITIVE_INFINITY;
                }
                maxAbsolute = Math.max(maxAbsolute, absolute);
                maxRelative = Math.max(maxRelative, relative);
                passed &= relative <= tolerance;
            }
            rows.add(new Row(name, Shapes.of(array), indices.length, maxRelative, maxAbsolute, passed));
        }
        return new Report(rows, tolerance, epsilon);
    }

    private long[] choose(long length, Random random) {
        if (length <= maxEntries) {
            long[] all = new long[Math.toIntExact(length)];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        return random.longs(0, length).distinct().limit(maxEntries).sorted().toArray();
    }

    /**
     * One array's result.
     *
     * @param name the array's name
     * @param shape its shape
     * @param checked how many entries were checked
     * @param maxRelativeError the largest error e = |a − n| / max(|a| + |n|, 10⁻³) of any checked entry
     * @param maxAbsoluteError the largest |analytic − numerical|
     * @param passed whether every checked entry passed
     */
    public record Row(String name, String shape, int checked, double maxRelativeError, double maxAbsoluteError, boolean passed) {
    }

    /**
     * The check's result for every array.
     *
     * @param rows one per array, in the order added
     * @param tolerance the relative error accepted
     * @param epsilon the finite-difference step used
     */
    public record Report(List<Row> rows, double tolerance, double epsilon) {

        /** @return true if every array passed */
        public boolean passed() {
            return rows.stream().allMatch(Row::passed);
        }

        /** @return the largest |analytic − numerical| over every array */
        public double maxAbsoluteError() {
            return rows.stream().mapToDouble(Row::maxAbsoluteError).max().orElse(0);
        }

        /** @return the largest relative error over every array */
        public double maxRelativeError() {
            return rows.stream().mapToDouble(Row::maxRelativeError).max().orElse(0);
        }

        /**
         * @param title the table's name
         * @return a table with one row per array: name, shape, entries checked, errors, passed
         */
        public Table table(String title) {
            StringColumn name = StringColumn.create("array");
            StringColumn shape = StringColumn.create("shape");
            IntColumn checked = IntColumn.create("entries checked");
            DoubleColumn relative = DoubleColumn.create("max relative error");
            DoubleColumn absolute = DoubleColumn.create("max absolute error");
            // errors span many decades: scientific notation, three significant digits
            relative.setPrintFormatter(new DecimalFormat("0.00E0"), "");
            absolute.setPrintFormatter(new DecimalFormat("0.00E0"), "");
            BooleanColumn ok = BooleanColumn.create("passed");
            for (Row row : rows) {
                name.append(row.name());
                shape.append(row.shape());
                checked.append(row.checked());
                relative.append(row.maxRelativeError());
                absolute.append(row.maxAbsoluteError());
                ok.append(row.passed());
            }
            return Table.create(title, name, shape, checked, relative, absolute, ok);
        }

        /**
         * Throws if any array failed: for tests.
         *
         * @throws AssertionError listing every failed array with its errors
         */
        public void requirePassed() {
            if (!passed()) {
                StringBuilder message = new StringBuilder("Gradient check failed (tolerance " + tolerance + ", ε = " + epsilon + "):");
                for (Row row : rows) {
                    if (!row.passed()) {
                        message.append("\n  ").append(row.name()).append(' ').append(row.shape())
                                .append(": max relative error ").append(String.format("%.3g", row.maxRelativeError()))
                                .append(", max absolute error ").append(String.format("%.3g", row.maxAbsoluteError()));
                    }
                }
                throw new AssertionError(message.toString());
            }
        }

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder();
            for (Row row : rows) {
                out.append(String.format("%-12s %-14s max rel %.2e  max abs %.2e  %s%n", row.name(), row.shape(),
                        row.maxRelativeError(), row.maxAbsoluteError(), row.passed() ? "ok" : "FAILED"));
            }
            return out.toString();
        }
    }
}

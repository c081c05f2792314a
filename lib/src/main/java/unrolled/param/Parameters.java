package unrolled.param;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import unrolled.tensor.Shapes;

/**
 * A model's trainable arrays by name, in a fixed order: {@code Wx}, {@code Wh}, {@code b} for a cell;
 * {@code encoder.lstm.Wx} once a cell sits inside a layer inside a model. Optimisers update the arrays in
 * place, so the names always point at the live weights. {@link Gradients} uses the same names.
 */
public final class Parameters extends NamedArrays {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*");

    /**
     * Registers an array under a name.
     *
     * @param name a dotted name such as {@code Wx} or {@code encoder.lstm.Wx}, not yet registered
     * @param value the live array (not copied), not null
     * @return this, for chaining
     */
    public Parameters add(String name, INDArray value) {
        requireName("Parameters.add", name);
        Objects.requireNonNull(value, "Parameters.add: value of " + name + " must not be null");
        if (values.containsKey(name)) {
            throw new IllegalArgumentException("Parameters.add: a parameter named " + name + " is already registered.");
        }
        values.put(name, value);
        return this;
    }

    /**
     * Registers every parameter of a part under {@code prefix.name}: how layers and models compose.
     *
     * @param prefix the part's name, e.g. {@code "lstm"}
     * @param part the part's parameters, not null
     * @return this, for chaining
     */
    public Parameters addAll(String prefix, Parameters part) {
        requireName("Parameters.addAll", prefix);
        for (Map.Entry<String, INDArray> entry : part) {
            add(prefix + "." + entry.getKey(), entry.getValue());
        }
        return this;
    }

    /** @return the total number of scalar parameters */
    public long count() {
        return values.values().stream().mapToLong(INDArray::length).sum();
    }

    /** @return copies of every array, under the same names (a snapshot that later updates do not change) */
    public Parameters copy() {
        Parameters copy = new Parameters();
        values.forEach((name, value) -> copy.add(name, value.dup()));
        return copy;
    }

    /**
     * Overwrites every array's values with another set's (same names, same shapes), in place.
     *
     * @param source parameters with exactly these names and shapes
     */
    public void assign(Parameters source) {
        if (!source.names().equals(names())) {
            throw new IllegalArgumentException("Parameters.assign: source has parameters " + source.names()
                    + ", but these are " + names() + ".");
        }
        for (Map.Entry<String, INDArray> entry : values.entrySet()) {
            INDArray from = source.get(entry.getKey());
            Shapes.requireShape("Parameters.assign", entry.getKey(), from, entry.getValue().shape());
            entry.getValue().assign(from);
        }
    }

    /**
     * The parameter table a notebook shows: one row per array with its shape and count, in order.
     *
     * @param title the table's name, e.g. {@code "LSTM(D=32, H=64)"}
     * @return a table with columns name, shape, count
     */
    public Table table(String title) {
        StringColumn name = StringColumn.create("name");
        StringColumn shape = StringColumn.create("shape");
        LongColumn count = LongColumn.create("count");
        for (Map.Entry<String, INDArray> entry : values.entrySet()) {
            name.append(entry.getKey());
            shape.append(Shapes.of(entry.getValue()));
            count.append(entry.getValue().length());
        }
        name.append("total");
        shape.append("");
        count.append(count());
        return Table.create(title, name, shape, count);
    }

    @Override
    public String toString() {
        return "Parameters" + values.keySet() + " (" + count() + " values)";
    }

    @Override
    String missing(String name, Set<String> held) {
        return "Parameters.get: no parameter named " + name + "; the parameters are " + held + ".";
    }

    static void requireName(String method, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(method + ": a name must be letters, digits and _ separated by dots, "
                    + "starting with a letter (like Wx or encoder.lstm.Wx), but is " + (name == null ? "null" : "\"" + name + "\"") + ".");
        }
    }

}

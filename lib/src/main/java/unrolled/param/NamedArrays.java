package unrolled.param;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Arrays by dotted name, in insertion order: what {@link Parameters} and {@link Gradients} have in common.
 */
public abstract sealed class NamedArrays implements Iterable<Map.Entry<String, INDArray>> permits Parameters, Gradients {

    /** The arrays by name, in insertion order. */
    final Map<String, INDArray> values = new LinkedHashMap<>();

    NamedArrays() {
    }

    /**
     * @param name a name held here
     * @return its array (live, not a copy)
     * @throws IllegalArgumentException naming the names held if there is no such array
     */
    public INDArray get(String name) {
        INDArray value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException(missing(name, values.keySet()));
        }
        return value;
    }

    /**
     * @param name a dotted name
     * @return true if an array of this name is held
     */
    public boolean contains(String name) {
        return values.containsKey(name);
    }

    /** @return the names, in insertion order */
    public Set<String> names() {
        return Collections.unmodifiableSet(values.keySet());
    }

    /** @return how many named arrays there are */
    public int size() {
        return values.size();
    }

    @Override
    public Iterator<Map.Entry<String, INDArray>> iterator() {
        return Collections.unmodifiableMap(values).entrySet().iterator();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + values.keySet();
    }

    /**
     * @param name the name asked for
     * @param held the names held
     * @return the message for a name that is not held
     */
    abstract String missing(String name, Set<String> held);
}

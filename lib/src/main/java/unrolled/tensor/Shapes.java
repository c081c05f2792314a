package unrolled.tensor;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Shapes as the curriculum writes them, {@code (N, T, D) = (2, 5, 3)}, and the one place that checks them.
 *
 * <p>Every public entry point of the library checks its arguments with {@link #require} before computing,
 * so a mistake surfaces as one sentence naming the method, the argument, the expected shape in symbols and
 * numbers, and the actual shape, instead of a failure deep inside ND4J.
 */
public final class Shapes {

    /** In an expected shape, an axis whose size is not constrained; it prints as its symbol's value "?". */
    public static final long ANY = -1;

    static {
        // every public entry point of the library passes here first: one of the three places that apply the library's
        // thread settings (see Threads)
        Threads.apply();
    }

    private Shapes() {
    }

    /**
     * @param shape the sizes of each axis, not null
     * @return the shape in round brackets, e.g. {@code (2, 5, 3)}; a vector is {@code (4,)}, a scalar {@code ()}
     */
    public static String format(long... shape) {
        Objects.requireNonNull(shape, "Shapes.format: shape must not be null");
        StringBuilder out = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(shape[i] == ANY ? "?" : Long.toString(shape[i]));
        }
        return out.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /**
     * @param array any array, not null
     * @return its shape, formatted as by {@link #format(long...)}
     */
    public static String of(INDArray array) {
        Objects.requireNonNull(array, "Shapes.of: array must not be null");
        return format(array.shape());
    }

    /**
     * Checks that an argument has the expected shape.
     *
     * @param method the public method being called, e.g. {@code "LstmCell.forward"}
     * @param argument the argument's name, e.g. {@code "hPrev"}
     * @param array the argument's value
     * @param symbols the expected shape in symbols, e.g. {@code "(N, H)"}; one symbol per axis
     * @param expected the expected size of each axis, {@link #ANY} where any size is accepted
     * @throws ShapeException if the array is null, has another rank, or another size on a constrained axis
     * @throws IllegalArgumentException if the array's memory has been released ({@link INDArray#close()})
     */
    public static void require(String method, String argument, INDArray array, String symbols, long... expected) {
        if (array == null) {
            throw new ShapeException(method + ": " + argument + " must be an array of shape " + symbols + " = "
                    + format(expected) + ", but is null.");
        }
        requireOpen(method, argument, array);
        if (!matches(array.shape(), expected)) {
            throw new ShapeException(method + ": " + argument + " must have shape " + symbols + " = " + format(expected)
                    + ", but has shape " + of(array) + "." + hint(array.shape(), expected));
        }
    }

    /**
     * Checks an argument's shape and then its data type, in one call: {@link #require(String, String, INDArray, String,
     * long...)} followed by {@link #requireType}.
     *
     * @param method the public method being called, e.g. {@code "LstmCell.forward"}
     * @param argument the argument's name, e.g. {@code "hPrev"}
     * @param array the argument's value
     * @param symbols the expected shape in symbols, e.g. {@code "(N, H)"}
     * @param dataType the module's data type, DOUBLE or FLOAT
     * @param expected the expected size of each axis, {@link #ANY} where any size is accepted
     * @throws ShapeException if the array is null, shaped otherwise, or of another data type
     */
    public static void require(String method, String argument, INDArray array, String symbols, DataType dataType,
            long... expected) {
        require(method, argument, array, symbols, expected);
        requireType(method, argument, array, dataType);
    }

    /**
     * Checks that an argument's memory is still there: an array (or a view of one) whose memory was given back with
     * {@link INDArray#close()} can no longer be read, and code that reads memory directly would read freed memory.
     *
     * @param method the public method being called
     * @param argument the argument's name
     * @param array the argument's value, not null
     * @throws IllegalArgumentException if the array has been closed
     */
    public static void requireOpen(String method, String argument, INDArray array) {
        if (array.wasClosed()) {
            throw new IllegalArgumentException(method + ": " + argument + " must be a live array, but its memory has been "
                    + "released (closed) and can no longer be read.");
        }
    }

    /**
     * Checks that an argument has exactly the shape of another array, where the shape has no symbols of its
     * own (a gradient must have its parameter's shape).
     *
     * @param method the public method being called
     * @param argument the argument's name
     * @param array the argument's value
     * @param expected the required shape
     * @throws ShapeException if the array is null or shaped otherwise
     */
    public static void requireShape(String method, String argument, INDArray array, long... expected) {
        if (array == null) {
            throw new ShapeException(method + ": " + argument + " must be an array of shape " + format(expected) + ", but is null.");
        }
        if (!matches(array.shape(), expected)) {
            throw new ShapeException(method + ": " + argument + " must have shape " + format(expected) + ", but has shape "
                    + of(array) + "." + hint(array.shape(), expected));
        }
    }

    /**
     * Checks that an argument's data type is the one its module computes in.
     *
     * @param method the public method being called
     * @param argument the argument's name
     * @param array the argument's value, not null
     * @param expected the module's data type, DOUBLE or FLOAT
     * @throws ShapeException if the types differ
     */
    public static void requireType(String method, String argument, INDArray array, DataType expected) {
        if (array.dataType() != expected) {
            throw new ShapeException(method + ": " + argument + " must have data type " + expected + ", but has "
                    + array.dataType() + ". Convert it with castTo(DataType." + expected + ").");
        }
    }

    /**
     * Checks that a size is positive.
     *
     * @param method the method or constructor being called
     * @param name the size's name, e.g. {@code "hiddenSize"}
     * @param value the size
     * @throws IllegalArgumentException if it is not positive
     */
    public static void requirePositive(String method, String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(method + ": " + name + " must be positive, but is " + value + ".");
        }
    }

    /**
     * Checks a constructor's sizes and data type in one call: each size positive, in order, then the type DOUBLE or
     * FLOAT, with the messages of {@link #requirePositive} and {@link #requireFloating}.
     *
     * @param method the constructor being called, e.g. {@code "Affine"}
     * @param dataType the requested type
     * @param names the sizes' names in order, separated by commas, e.g. {@code "inputSize, outputSize"}
     * @param sizes the sizes, one per name
     * @throws IllegalArgumentException if a size is not positive or the type is neither DOUBLE nor FLOAT
     */
    public static void requireSizes(String method, DataType dataType, String names, long... sizes) {
        String[] each = names.split(",");
        if (each.length != sizes.length) {
            throw new IllegalArgumentException("Shapes.requireSizes: names must name each of the " + sizes.length
                    + " sizes, but names " + each.length + ": \"" + names + "\".");
        }
        for (int i = 0; i < sizes.length; i++) {
            requirePositive(method, each[i].trim(), sizes[i]);
        }
        requireFloating(method, dataType);
    }

    /**
     * Checks that the library can compute in a data type: DOUBLE (for teaching and gradient checks) or FLOAT
     * (for speed).
     *
     * @param method the method or constructor being called
     * @param dataType the requested type
     * @throws IllegalArgumentException for any other type
     */
    public static void requireFloating(String method, DataType dataType) {
        if (dataType != DataType.DOUBLE && dataType != DataType.FLOAT) {
            throw new IllegalArgumentException(method + ": dataType must be DOUBLE or FLOAT, but is " + dataType + ".");
        }
    }

    private static boolean matches(long[] actual, long[] expected) {
        if (actual.length != expected.length) {
            return false;
        }
        for (int i = 0; i < actual.length; i++) {
            if (expected[i] != ANY && expected[i] != actual[i]) {
                return false;
            }
        }
        return true;
    }

    /** Names the two mistakes that produce most wrong shapes in recurrent code. */
    private static String hint(long[] actual, long[] expected) {
        if (actual.length == 3 && expected.length == 3) {
            long[] swapped = {actual[1], actual[0], actual[2]};
            if (matches(swapped, expected) && !matches(actual, expected)) {
                return " It looks time-major (T, N, D); this library is batch-first (N, T, D): use x.permute(1, 0, 2).dup().";
            }
        }
        if (actual.length == 2 && expected.length == 2) {
            long[] transposed = {actual[1], actual[0]};
            if (matches(transposed, expected)) {
                return " It looks transposed: use .transpose().";
            }
        }
        if (actual.length + 1 == expected.length && expected.length == 3
                && matches(new long[] {1, actual[0], actual[1]}, new long[] {1, expected[1], expected[2]})) {
            return " It has no batch axis; add one with reshape(1, " + actual[0] + ", " + actual[1] + ").";
        }
        return "";
    }

    /**
     * @param a an array, not null
     * @param b an array, not null
     * @return true if both have the same shape
     */
    public static boolean sameShape(INDArray a, INDArray b) {
        return Arrays.equals(a.shape(), b.shape());
    }
}

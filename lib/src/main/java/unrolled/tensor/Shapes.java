package unrolled.tensor;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Shapes as the curriculum writes them: {@code (N, T, D) = (2, 5, 3)}. */
public final class Shapes {

    private Shapes() {
    }

    /**
     * @param shape the sizes of each axis, not null
     * @return the shape in round brackets, e.g. {@code (2, 5, 3)}; a scalar is {@code ()}
     */
    public static String format(long... shape) {
        Objects.requireNonNull(shape, "Shapes.format: shape must not be null");
        StringBuilder out = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(shape[i]);
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
}

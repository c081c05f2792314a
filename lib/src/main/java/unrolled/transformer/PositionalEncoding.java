package unrolled.transformer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.layer.LayerGradients;
import unrolled.tensor.Shapes;

/**
 * Adds to every step of a sequence a vector that says where the step is:
 *
 * <pre>
 *   y[n, t] = x[n, t] + P[t]        x, y (N, T, D), P (T, D)
 * </pre>
 *
 * Self-attention treats its inputs as a set: permuting the steps permutes the outputs and changes nothing else,
 * so without this the order of words would be invisible. A recurrent layer needs none of it, because it reads
 * the steps in order and its state carries the position implicitly.
 *
 * <p>Two kinds: {@link #sinusoidal} (fixed, defined for any length) and {@link #learned} (a trainable table, one
 * row per position up to a maximum length).
 */
public interface PositionalEncoding {

    /**
     * @param x the input, (N, T, D)
     * @return x + P[0 … T−1], (N, T, D)
     */
    INDArray forward(INDArray x);

    /**
     * @param dy ∂L/∂y, (N, T, D)
     * @return ∂L/∂x = ∂L/∂y (the addition passes the gradient through), and the gradients of the table if it is
     *     trained
     */
    LayerGradients backward(INDArray dy);

    /**
     * @param length T, positive
     * @return the vectors added to the first T steps, (T, D)
     */
    INDArray table(int length);

    /** @return D */
    int size();

    /**
     * y[n, t] = x[n, t] + P[t]: the same table added to every sequence, as one broadcast over the (N, T·D) rows. What
     * both kinds of encoding do forward, whatever their table.
     *
     * @param x the input, (N, T, D), not modified
     * @param table P, (T, D), of x's data type
     * @return x + P, a new (N, T, D) array
     * @throws unrolled.tensor.ShapeException if x is not (N, T, D) or the table not (T, D) of x's type
     */
    static INDArray addTable(INDArray x, INDArray table) {
        Shapes.require("PositionalEncoding.addTable", "x", x, "(N, T, D)", Shapes.ANY, Shapes.ANY, Shapes.ANY);
        long n = x.size(0);
        long steps = x.size(1);
        long size = x.size(2);
        Shapes.require("PositionalEncoding.addTable", "table", table, "(T, D)", x.dataType(), steps, size);
        INDArray y = x.dup('c');
        y.reshape('c', n, steps * size).addiRowVector(table.reshape('c', 1, steps * size));
        return y;
    }

    /**
     * The fixed sinusoidal encoding of the original Transformer.
     *
     * @param size D, positive
     * @param dataType DOUBLE or FLOAT
     * @return an encoding with no parameters
     */
    static SinusoidalEncoding sinusoidal(int size, DataType dataType) {
        return new SinusoidalEncoding(size, dataType);
    }

    /**
     * A trainable table of positions.
     *
     * @param maxLength the largest T it can encode, positive
     * @param size D, positive
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of the table
     * @return an encoding with the parameter {@code P} (maxLength, D)
     */
    static LearnedEncoding learned(int maxLength, int size, DataType dataType, long seed) {
        return new LearnedEncoding(maxLength, size, dataType, seed);
    }
}

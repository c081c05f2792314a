package unrolled.transformer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.layer.LayerGradients;
import unrolled.param.Gradients;
import unrolled.tensor.Shapes;
import unrolled.tensor.SizedBlock;

/**
 * The fixed positional encoding of Vaswani et al. (2017): each pair of features is a sine and a cosine of the
 * position at its own frequency,
 *
 * <pre>
 *   P[t, 2i]     = sin(t · ω_i)
 *   P[t, 2i + 1] = cos(t · ω_i)        ω_i = 10000^(−2i / D),  i = 0 … ⌈D/2⌉ − 1
 * </pre>
 *
 * The wavelengths grow geometrically from 2π to 10000·2π steps, so the first features tell neighbours apart
 * and the last ones tell the beginning of a long text from its end. Because sin and cos of t + k are a fixed
 * rotation of those of t, P[t + k] is a linear function of P[t]: attention can learn to look "k steps back" with
 * the same weights at every t. Defined for every t, it needs no training and works on sequences longer than any
 * seen in training (how well the rest of the model copes is another matter). No parameters.
 */
public final class SinusoidalEncoding extends SizedBlock implements PositionalEncoding {

    /** The base of the geometric progression of wavelengths. */
    public static final double BASE = 10000.0;

    private final int size;
    /** The table of the last length forward was called with, kept for the next call (never handed out). */
    private INDArray lastTable;

    /**
     * @param size D, positive
     * @param dataType DOUBLE or FLOAT
     */
    public SinusoidalEncoding(int size, DataType dataType) {
        super("SinusoidalEncoding", "D=" + size, dataType);
        Shapes.requireSizes("SinusoidalEncoding", dataType, "size", size);
        this.size = size;
    }

    @Override
    public INDArray table(int length) {
        Shapes.requirePositive("SinusoidalEncoding.table", "length", length);
        double[] values = new double[length * size];
        for (int t = 0; t < length; t++) {
            for (int d = 0; d < size; d++) {
                // ω_i = 10000^(−2i/D) for the pair i = ⌊d/2⌋;  sin on even d, cos on odd d
                double omega = Math.pow(BASE, -2.0 * (d / 2) / size);
                values[t * size + d] = d % 2 == 0 ? Math.sin(t * omega) : Math.cos(t * omega);
            }
        }
        return Nd4j.createFromArray(values).reshape('c', length, size).castTo(dataType);
    }

    /**
     * @param steps T, positive
     * @return P[0 … T−1], (T, D): T sines and cosines per feature computed once per length, not at every call; the
     *     encoding's own array, which the caller must not modify
     */
    INDArray keptTable(int steps) {
        if (lastTable == null || lastTable.size(0) != steps) {
            lastTable = table(steps);
        }
        return lastTable;
    }

    /**
     * @param x the input, (N, T, D), of the encoding's data type
     * @return x + P[0 … T−1], a new array (N, T, D)
     */
    @Override
    public INDArray forward(INDArray x) {
        Shapes.require("SinusoidalEncoding.forward", "x", x, "(N, T, D)", dataType, Shapes.ANY, Shapes.ANY, size);
        // y[n, t] = x[n, t] + P[t]
        return PositionalEncoding.addTable(x, keptTable(Math.toIntExact(x.size(1))));
    }

    /**
     * @param dy ∂L/∂y, (N, T, D)
     * @return ∂L/∂x = ∂L/∂y (a copy), and no parameter gradients
     */
    @Override
    public LayerGradients backward(INDArray dy) {
        Shapes.require("SinusoidalEncoding.backward", "dy", dy, "(N, T, D)", dataType, Shapes.ANY, Shapes.ANY, size);
        return new LayerGradients(dy.dup(), new Gradients());
    }

    @Override
    public int size() {
        return size;
    }
}

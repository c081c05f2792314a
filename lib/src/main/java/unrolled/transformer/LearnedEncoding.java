package unrolled.transformer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.layer.LayerGradients;
import unrolled.param.Gradients;
import unrolled.param.Init;
import unrolled.param.Trainable;
import unrolled.param.Parameters;
import unrolled.tensor.Shapes;
import unrolled.tensor.SizedBlock;

/**
 * A trainable positional encoding (as in BERT and GPT-2): one free vector per position, learned like an embedding
 * of the index t,
 *
 * <pre>
 *   y[n, t] = x[n, t] + P[t]        P (maxLength, D)
 *   ∂L/∂x = ∂L/∂y                   ∂L/∂P[t] = Σ_n ∂L/∂y[n, t] for t &lt; T, 0 for the positions not used
 * </pre>
 *
 * It can fit whatever positional pattern the task needs, but knows nothing about positions it never saw: rows
 * beyond the longest training sequence stay at their random start, and positions at or beyond maxLength do not
 * exist — {@link #forward} refuses them. Initialisation: P ~ N(0, 0.02²) from the seed. Parameter name: {@code P}.
 */
public final class LearnedEncoding extends SizedBlock implements PositionalEncoding, Trainable {

    private final int maxLength;
    private final int size;
    private final INDArray P;
    private final Parameters parameters = new Parameters();

    /**
     * @param maxLength the largest T it can encode, positive
     * @param size D, positive
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of P
     */
    public LearnedEncoding(int maxLength, int size, DataType dataType, long seed) {
        super("LearnedEncoding", "maxLength=" + maxLength + ", D=" + size, dataType);
        Shapes.requireSizes("LearnedEncoding", dataType, "maxLength, size", maxLength, size);
        this.maxLength = maxLength;
        this.size = size;
        this.P = Init.normal(maxLength, size, 0.02, seed, dataType);
        parameters.add("P", P);
    }

    @Override
    public INDArray table(int length) {
        requireLength("LearnedEncoding.table", length);
        return P.get(NDArrayIndex.interval(0, length), NDArrayIndex.all()).dup();
    }

    /**
     * @param x the input, (N, T, D), of the encoding's data type, with T at most maxLength
     * @return x + P[0 … T−1], a new array (N, T, D)
     */
    @Override
    public INDArray forward(INDArray x) {
        Shapes.require("LearnedEncoding.forward", "x", x, "(N, T, D)", dataType, Shapes.ANY, Shapes.ANY, size);
        // y[n, t] = x[n, t] + P[t], for the positions t < T this batch uses
        return PositionalEncoding.addTable(x, table(requireLength("LearnedEncoding.forward", x.size(1))));
    }

    /**
     * @param dy ∂L/∂y, (N, T, D), with T at most maxLength
     * @return ∂L/∂x = ∂L/∂y (a copy), and ∂L/∂P (maxLength, D) under the name {@code P}
     */
    @Override
    public LayerGradients backward(INDArray dy) {
        Shapes.require("LearnedEncoding.backward", "dy", dy, "(N, T, D)", dataType, Shapes.ANY, Shapes.ANY, size);
        int length = requireLength("LearnedEncoding.backward", dy.size(1));
        // ∂L/∂P[t] = Σ_n dy[n, t] for t < T; the other rows were not used
        INDArray dP = Nd4j.zeros(dataType, maxLength, size);
        dP.get(NDArrayIndex.interval(0, length), NDArrayIndex.all()).assign(dy.sum(0));
        return new LayerGradients(dy.dup(), new Gradients().accumulate("P", dP));
    }

    private int requireLength(String method, long length) {
        if (length < 1 || length > maxLength) {
            throw new IllegalArgumentException(method + ": a learned encoding holds positions 0 … " + (maxLength - 1)
                    + ", so T must be between 1 and " + maxLength + ", but is " + length + ".");
        }
        return (int) length;
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    /** @return the largest T it can encode */
    public int maxLength() {
        return maxLength;
    }

    @Override
    public int size() {
        return size;
    }
}

package unrolled.param;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.tensor.Shapes;

/**
 * Seeded weight initialisers. The numbers come from {@link java.util.Random} with the given seed, so the same
 * seed gives the same weights on every machine, in DOUBLE and in FLOAT, whatever ND4J's threads do.
 *
 * <p>Which to use, and why (all stated for row-vector maths, {@code y = x·W} with W of shape (fanIn, fanOut)):
 * <ul>
 *   <li>{@link #xavierUniform}: keeps the variance of activations roughly constant from layer to layer for
 *       tanh and sigmoid units; the default for input weights {@code Wx}.</li>
 *   <li>{@link #orthogonal}: every singular value is 1, so repeated multiplication by {@code Wh} neither
 *       shrinks nor blows up a vector at first — the usual choice for recurrent weights.</li>
 *   <li>{@link #scaledIdentity}: {@code Wh = s·I}, the IRNN trick that lets a ReLU RNN start as an
 *       accumulator that remembers.</li>
 * </ul>
 */
public final class Init {

    private Init() {
    }

    /**
     * @param rows first axis size
     * @param cols second axis size
     * @param low smallest value
     * @param high largest value, greater than low
     * @param seed the random seed
     * @param dataType DOUBLE or FLOAT
     * @return a (rows, cols) array with entries uniform in [low, high)
     */
    public static INDArray uniform(long rows, long cols, double low, double high, long seed, DataType dataType) {
        check("Init.uniform", rows, cols, dataType);
        if (!(high > low)) {
            throw new IllegalArgumentException("Init.uniform: high must be greater than low, but low = " + low + ", high = " + high + ".");
        }
        Random random = new Random(seed);
        double[] values = new double[Math.toIntExact(rows * cols)];
        for (int i = 0; i < values.length; i++) {
            values[i] = low + (high - low) * random.nextDouble();
        }
        return create(values, rows, cols, dataType);
    }

    /**
     * @param rows first axis size
     * @param cols second axis size
     * @param std standard deviation, positive
     * @param seed the random seed
     * @param dataType DOUBLE or FLOAT
     * @return a (rows, cols) array with entries drawn from N(0, std²)
     */
    public static INDArray normal(long rows, long cols, double std, long seed, DataType dataType) {
        check("Init.normal", rows, cols, dataType);
        if (!(std > 0)) {
            throw new IllegalArgumentException("Init.normal: std must be positive, but is " + std + ".");
        }
        Random random = new Random(seed);
        double[] values = new double[Math.toIntExact(rows * cols)];
        for (int i = 0; i < values.length; i++) {
            values[i] = std * random.nextGaussian();
        }
        return create(values, rows, cols, dataType);
    }

    /**
     * Glorot/Xavier uniform: U(−a, a) with a = √(6 / (fanIn + fanOut)), so that Var(W) = 2 / (fanIn + fanOut).
     *
     * @param fanIn rows: the size of the input x
     * @param fanOut columns: the size of the output x·W
     * @param seed the random seed
     * @param dataType DOUBLE or FLOAT
     * @return a (fanIn, fanOut) array
     */
    public static INDArray xavierUniform(long fanIn, long fanOut, long seed, DataType dataType) {
        double a = Math.sqrt(6.0 / (fanIn + fanOut));
        return uniform(fanIn, fanOut, -a, a, seed, dataType);
    }

    /**
     * Glorot/Xavier normal: N(0, 2 / (fanIn + fanOut)).
     *
     * @param fanIn rows
     * @param fanOut columns
     * @param seed the random seed
     * @param dataType DOUBLE or FLOAT
     * @return a (fanIn, fanOut) array
     */
    public static INDArray xavierNormal(long fanIn, long fanOut, long seed, DataType dataType) {
        return normal(fanIn, fanOut, Math.sqrt(2.0 / (fanIn + fanOut)), seed, dataType);
    }

    /**
     * A random matrix with orthonormal rows or columns (whichever are fewer), times a gain: Gram–Schmidt on
     * a Gaussian matrix. For a square matrix every singular value equals the gain.
     *
     * @param rows first axis size
     * @param cols second axis size
     * @param gain the common singular value, positive (1 for recurrent weights)
     * @param seed the random seed
     * @param dataType DOUBLE or FLOAT
     * @return a (rows, cols) array
     */
    public static INDArray orthogonal(long rows, long cols, double gain, long seed, DataType dataType) {
        check("Init.orthogonal", rows, cols, dataType);
        int r = Math.toIntExact(rows);
        int c = Math.toIntExact(cols);
        boolean tall = r >= c;
        int vectors = tall ? c : r;
        int length = tall ? r : c;
        Random random = new Random(seed);
        double[][] q = new double[vectors][length];
        for (int v = 0; v < vectors; v++) {
            for (int attempt = 0; ; attempt++) {
                for (int i = 0; i < length; i++) {
                    q[v][i] = random.nextGaussian();
                }
                // Modified Gram–Schmidt, twice, against the vectors already accepted.
                for (int pass = 0; pass < 2; pass++) {
                    for (int u = 0; u < v; u++) {
                        double dot = 0;
                        for (int i = 0; i < length; i++) {
                            dot += q[v][i] * q[u][i];
                        }
                        for (int i = 0; i < length; i++) {
                            q[v][i] -= dot * q[u][i];
                        }
                    }
                }
                double norm = 0;
                for (int i = 0; i < length; i++) {
                    norm += q[v][i] * q[v][i];
                }
                norm = Math.sqrt(norm);
                if (norm > 1e-8 || attempt > 10) {
                    for (int i = 0; i < length; i++) {
                        q[v][i] /= norm;
                    }
                    break;
                }
            }
        }
        double[] values = new double[r * c];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                values[i * c + j] = gain * (tall ? q[j][i] : q[i][j]);
            }
        }
        return create(values, rows, cols, dataType);
    }

    /**
     * @param size rows and columns
     * @param scale the diagonal value
     * @param dataType DOUBLE or FLOAT
     * @return scale·I of shape (size, size)
     */
    public static INDArray scaledIdentity(long size, double scale, DataType dataType) {
        check("Init.scaledIdentity", size, size, dataType);
        return Nd4j.eye(size).castTo(dataType).muli(scale);
    }

    private static INDArray create(double[] values, long rows, long cols, DataType dataType) {
        return Nd4j.createFromArray(values).reshape('c', rows, cols).castTo(dataType);
    }

    private static void check(String method, long rows, long cols, DataType dataType) {
        Shapes.requirePositive(method, "rows", rows);
        Shapes.requirePositive(method, "cols", cols);
        Shapes.requireFloating(method, dataType);
    }
}

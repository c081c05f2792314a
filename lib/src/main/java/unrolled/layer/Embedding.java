package unrolled.layer;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.fast.EmbeddingRows;
import unrolled.param.Gradients;
import unrolled.param.Init;
import unrolled.param.Trainable;
import unrolled.param.Parameters;
import unrolled.tensor.ShapeException;
import unrolled.tensor.Shapes;

/**
 * A lookup table that turns token ids into dense vectors, the first layer of a language model:
 *
 * <pre>
 *   y[n, t] = E[ids[n, t]]        ids (N, T) integers in [0, V), E (V, E), y (N, T, E)
 * </pre>
 *
 * It is the affine layer {@code onehot(id)·E} without the one-hot vector: multiplying by a one-hot row just
 * selects a row of E, so the layer copies rows instead. Its backward pass is therefore the transpose of that
 * selection — each position sends its gradient back to the row it read:
 *
 * <pre>
 *   ∂L/∂E[v] = Σ_{n,t : ids[n,t] = v} ∂L/∂y[n, t]
 * </pre>
 *
 * A token that occurs several times in the batch receives the <em>sum</em> of its gradients; a token that
 * does not occur receives zero. The ids themselves are integers, so no gradient flows to them and
 * {@link #backward} returns only the gradient of E.
 *
 * <p><b>Ids</b> are an INDArray of shape (N, T) and an integer data type: INT or LONG (any integer type is
 * read). Build one from a Java array with {@code Nd4j.createFromArray(int[][])}. An id outside [0, V) is
 * refused with a message that names it, where it is, and V.
 *
 * <p><b>Padding.</b> Sequences of different lengths are padded to a common T with a padding id. With a
 * padding id set, that row of E starts at zero and receives no gradient, so it stays zero during training and
 * padded positions feed zero vectors forward (as in PyTorch's {@code padding_idx}).
 *
 * <p>Initialisation: E ~ N(0, 1) from the seed, so each component has unit variance like a standardised input
 * feature (PyTorch's default). Parameter name: {@code E}.
 */
public final class Embedding implements Trainable {

    /** The value of {@link #paddingId()} when there is none. */
    public static final int NO_PADDING = -1;

    /**
     * What the forward pass keeps for the backward pass.
     *
     * @param ids the ids that were looked up, (N, T), of an integer data type
     */
    public record Cache(INDArray ids) {
    }

    /**
     * The forward result.
     *
     * @param output the vectors, (N, T, E)
     * @param cache for {@link #backward}
     */
    public record Result(INDArray output, Cache cache) {
    }

    private final int vocabularySize;
    private final int embeddingSize;
    private final int paddingId;
    private final DataType dataType;
    private final INDArray E;
    private final Parameters parameters = new Parameters();
    /** False to run the loops below as written: for the tests that compare them with the row copies. */
    boolean fused = true;

    /**
     * An embedding without a padding id.
     *
     * @param vocabularySize V, the number of distinct ids, positive
     * @param embeddingSize E, the length of each vector, positive
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of the table
     */
    public Embedding(int vocabularySize, int embeddingSize, DataType dataType, long seed) {
        this(vocabularySize, embeddingSize, NO_PADDING, dataType, seed);
    }

    /**
     * @param vocabularySize V, the number of distinct ids, positive
     * @param embeddingSize E, the length of each vector, positive
     * @param paddingId the id whose row starts at zero and receives no gradient, in [0, V); or
     *     {@link #NO_PADDING}
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of the table
     */
    public Embedding(int vocabularySize, int embeddingSize, int paddingId, DataType dataType, long seed) {
        Shapes.requireSizes("Embedding", dataType, "vocabularySize, embeddingSize", vocabularySize, embeddingSize);
        if (paddingId != NO_PADDING && (paddingId < 0 || paddingId >= vocabularySize)) {
            throw new IllegalArgumentException("Embedding: paddingId must be in [0, V) = [0, " + vocabularySize
                    + ") or NO_PADDING (-1), but is " + paddingId + ".");
        }
        this.vocabularySize = vocabularySize;
        this.embeddingSize = embeddingSize;
        this.paddingId = paddingId;
        this.dataType = dataType;
        this.E = Init.normal(vocabularySize, embeddingSize, 1.0, seed, dataType);
        if (paddingId != NO_PADDING) {
            E.getRow(paddingId).assign(0);
        }
        parameters.add("E", E);
    }

    /**
     * @param ids the token ids, (N, T), an integer data type such as INT or LONG, each in [0, V)
     * @return the vectors y[n, t] = E[ids[n, t]], (N, T, E), and the cache for {@link #backward}
     * @throws ShapeException if ids has another shape or a non-integer type
     * @throws IllegalArgumentException naming the first id outside [0, V), its position and V
     */
    public Result forward(INDArray ids) {
        long[][] id = readIds("Embedding.forward", ids);
        int n = id.length;
        int t = n == 0 ? 0 : id[0].length;
        int[] rows = new int[n * t];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < t; j++) {
                rows[i * t + j] = (int) id[i][j];
            }
        }

        // y[n, t] = E[ids[n, t]]: gather the N·T rows, then shape them (N, T, E)
        INDArray gathered = fused && EmbeddingRows.fits(E) ? EmbeddingRows.gather(E, rows) : Nd4j.pullRows(E, 1, rows);
        INDArray y = gathered.reshape('c', n, t, embeddingSize);
        return new Result(y, new Cache(ids));
    }

    /**
     * @param dy ∂L/∂y, (N, T, E)
     * @param cache from {@link #forward}
     * @return ∂L/∂E (V, E) under the name {@code E}: row v is the sum of dy over the positions holding id v,
     *     and the padding row (if any) is zero
     */
    public Gradients backward(INDArray dy, Cache cache) {
        Objects.requireNonNull(cache, "Embedding.backward: cache must not be null");
        long[][] id = readIds("Embedding.backward", cache.ids());
        int n = id.length;
        int t = Math.toIntExact(cache.ids().size(1));
        Shapes.require("Embedding.backward", "dy", dy, "(N, T, E)", dataType, n, t, embeddingSize);

        if (fused) {
            // the same sums as the loop below, over dy's memory without copying it into Java arrays first
            int[] rows = new int[n * t];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < t; j++) {
                    rows[i * t + j] = (int) id[i][j];
                }
            }
            return new Gradients().accumulate("E", EmbeddingRows.scatter(dy, rows, vocabularySize, paddingId));
        }
        // one bulk copy of dy in row-major order: position (i, j) holds its E numbers at (i·T + j)·E
        double[] dyFlat = dy.dup('c').data().asDouble();
        double[][] dE = new double[vocabularySize][embeddingSize];
        // dE[v] = Σ_{n,t : ids[n,t] = v} dy[n, t]   (the padding row receives nothing)
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < t; j++) {
                int v = (int) id[i][j];
                if (v == paddingId) {
                    continue;
                }
                int from = (i * t + j) * embeddingSize;
                for (int e = 0; e < embeddingSize; e++) {
                    dE[v][e] += dyFlat[from + e];
                }
            }
        }
        return new Gradients().accumulate("E", Nd4j.createFromArray(dE).castTo(dataType));
    }

    /** Checks shape, type and range of the ids and returns them as Java longs. */
    private long[][] readIds(String method, INDArray ids) {
        Shapes.require(method, "ids", ids, "(N, T)", Shapes.ANY, Shapes.ANY);
        if (!ids.dataType().isIntType()) {
            throw new ShapeException(method + ": ids must have an integer data type such as INT or LONG, but has "
                    + ids.dataType() + ". Convert it with castTo(DataType.INT32).");
        }
        long n = ids.size(0);
        long t = ids.size(1);
        long[][] id = new long[Math.toIntExact(n)][Math.toIntExact(t)];
        // one bulk copy in row-major order rather than one native call per element
        long[] flat = ids.dup('c').data().asLong();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < t; j++) {
                long v = flat[(int) (i * t + j)];
                if (v < 0 || v >= vocabularySize) {
                    throw new IllegalArgumentException(method + ": every id must be in [0, V) = [0, " + vocabularySize
                            + "), but ids(" + i + ", " + j + ") = " + v + ".");
                }
                id[i][j] = v;
            }
        }
        return id;
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    /** @return V, the number of distinct ids */
    public int vocabularySize() {
        return vocabularySize;
    }

    /** @return E, the length of each vector */
    public int embeddingSize() {
        return embeddingSize;
    }

    /** @return the padding id, or {@link #NO_PADDING} */
    public int paddingId() {
        return paddingId;
    }

    /** @return DOUBLE or FLOAT */
    public DataType dataType() {
        return dataType;
    }

    @Override
    public String toString() {
        return "Embedding(V=" + vocabularySize + ", E=" + embeddingSize
                + (paddingId == NO_PADDING ? "" : ", padding=" + paddingId) + ", " + dataType + ")";
    }
}

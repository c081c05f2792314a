package unrolled.fast;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An embedding's lookup and its gradient as row copies over the arrays' memory, with no ND4J operation per row or per
 * entry: what {@link unrolled.layer.Embedding} computes, and what it runs when its table is plain memory.
 *
 * <pre>
 *   gather:   y[i] = E[ids[i]]                               one bulk copy of E's row per position
 *   scatter:  dE[v] = Σ_{i : ids[i] = v} dy[i]                summed in double, written once; the padding row stays 0
 * </pre>
 */
public final class EmbeddingRows {

    private EmbeddingRows() {
    }

    /**
     * @param table E, (V, E), plain FLOAT or DOUBLE memory
     * @param ids the ids, each in [0, V) (checked by the caller)
     * @return y, (ids.length, E), a new array of E's data type
     */
    public static INDArray gather(INDArray table, int[] ids) {
        Objects.requireNonNull(ids, "EmbeddingRows.gather: ids must not be null");
        requirePlain("gather", table);
        int width = Math.toIntExact(table.size(1));
        Slab from = Slab.of(table);
        Slab to = Slab.zeros(table.dataType(), ids.length, width);
        // y[i] = E[ids[i]]
        for (int i = 0; i < ids.length; i++) {
            from.copyTo(ids[i] * width, to, i * width, width);
        }
        return to.array;
    }

    /**
     * @param dy ∂L/∂y, (ids.length, E) rows in any layout (copied once if not plain)
     * @param ids the ids of the forward pass, each in [0, V)
     * @param vocabularySize V
     * @param paddingId the id that receives no gradient, or a negative number for none
     * @return dE, (V, E), a new array of dy's data type
     */
    public static INDArray scatter(INDArray dy, int[] ids, int vocabularySize, int paddingId) {
        Objects.requireNonNull(ids, "EmbeddingRows.scatter: ids must not be null");
        int width = Math.toIntExact(dy.size(dy.rank() - 1));
        Slab rows = Slab.of(dy);
        double[] sums = new double[vocabularySize * width];
        // dE[v] = Σ_{i : ids[i] = v} dy[i]
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == paddingId) {
                continue;
            }
            int into = ids[i] * width;
            int from = i * width;
            for (int e = 0; e < width; e++) {
                sums[into + e] += rows.get(from + e);
            }
        }
        Slab dE = Slab.of(Nd4j.create(dy.dataType(), vocabularySize, width));
        for (int k = 0; k < sums.length; k++) {
            dE.set(k, sums[k]);
        }
        return dE.array;
    }

    /**
     * @param array any array
     * @return true if the gather can read it in place: plain FLOAT or DOUBLE memory
     */
    public static boolean fits(INDArray array) {
        return Slab.isPlain(array);
    }

    private static void requirePlain(String method, INDArray table) {
        if (!Slab.isPlain(table)) {
            throw new IllegalArgumentException("EmbeddingRows." + method + ": the table must be plain FLOAT or DOUBLE memory "
                    + "(row-major, no view); check with fits(table).");
        }
    }
}

package unrolled.attention;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.recurrent.SequenceMask;
import unrolled.tensor.Shapes;

/**
 * Which keys each query may attend to: an array A of shape (N, Tq, Tk) with A[n, i, j] = 1 where query i of
 * sequence n may look at key j, and 0 where it may not.
 *
 * <pre>
 *   key padding:  A[n, i, j] = 0 for j ≥ L_n        a padded key is not a word: nobody attends to it
 *   causal:       A[n, i, j] = 0 for j &gt; i          a position may not look at the future (Tq = Tk)
 * </pre>
 *
 * The attention blocks turn a 0 into a weight of exactly 0 (the score is ignored in the softmax) and send no gradient
 * to that score. A query whose keys are all masked (a sequence of length 0) gets all-zero weights and a zero context.
 */
public final class AttentionMask {

    private AttentionMask() {
    }

    /**
     * @param batchSize N, positive
     * @param queries Tq, positive
     * @param keys Tk, positive
     * @param keyMask which keys are real, (N, Tk), or null if none is padded
     * @param causal true to forbid query i from attending to keys j &gt; i; requires Tq = Tk
     * @param dataType DOUBLE or FLOAT
     * @return A, (N, Tq, Tk), ones where attending is allowed and zeros elsewhere
     */
    public static INDArray allowed(long batchSize, long queries, long keys, SequenceMask keyMask, boolean causal,
            DataType dataType) {
        String method = "AttentionMask.allowed";
        Shapes.requirePositive(method, "batchSize", batchSize);
        Shapes.requirePositive(method, "queries", queries);
        Shapes.requirePositive(method, "keys", keys);
        Shapes.requireFloating(method, dataType);
        if (keyMask != null) {
            keyMask.requireShape(method, batchSize, keys);
        }
        if (causal && queries != keys) {
            throw new IllegalArgumentException(method + ": a causal mask needs as many queries as keys (self-attention), "
                    + "but Tq = " + queries + " and Tk = " + keys + ".");
        }
        int n = Math.toIntExact(batchSize);
        int tq = Math.toIntExact(queries);
        int tk = Math.toIntExact(keys);
        double[] a = new double[n * tq * tk];
        for (int s = 0; s < n; s++) {
            int length = keyMask == null ? tk : keyMask.length(s);
            for (int i = 0; i < tq; i++) {
                // key padding: j < L_n;  causal: j ≤ i
                int last = Math.min(length, causal ? i + 1 : tk);
                for (int j = 0; j < last; j++) {
                    a[(s * tq + i) * tk + j] = 1;
                }
            }
        }
        return Nd4j.createFromArray(a).reshape('c', n, tq, tk).castTo(dataType);
    }

    /**
     * The mask of one query per sequence, for the recurrent decoders' attention.
     *
     * @param batchSize N, positive
     * @param keys T, positive
     * @param keyMask which memory steps are real, (N, T), or null
     * @param dataType DOUBLE or FLOAT
     * @return (N, T), ones on real steps
     */
    public static INDArray allowed(long batchSize, long keys, SequenceMask keyMask, DataType dataType) {
        return allowed(batchSize, 1, keys, keyMask, false, dataType).reshape(batchSize, keys);
    }
}

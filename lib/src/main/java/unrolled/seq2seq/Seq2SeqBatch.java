package unrolled.seq2seq;

import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.data.TextPair;
import unrolled.data.Vocabulary;
import unrolled.data.SequenceMask;
import unrolled.tensor.Shapes;

/**
 * A padded batch of (source, target) pairs for an {@link EncoderDecoder}.
 *
 * <pre>
 *   sources  (N, S)  source ids, padded with &lt;pad&gt; at the end; sourceMask says which are real
 *   targets  (N, T)  target ids followed by &lt;eos&gt;, padded with &lt;pad&gt;; targetMask (N, T) is 1 up to and including &lt;eos&gt;
 * </pre>
 *
 * The decoder's inputs are the targets shifted right behind &lt;bos&gt;: at step t it reads y_{t−1} (teacher forcing)
 * and must predict y_t. Predicting &lt;eos&gt; is part of the task: it is how the model learns to stop.
 *
 * @param sources source ids, (N, S), INT
 * @param sourceMask which source steps are real, (N, S)
 * @param targets target ids ending with &lt;eos&gt;, (N, T), INT
 * @param targetMask 1 on real target steps (&lt;eos&gt; included), 0 on padding, (N, T), DOUBLE
 * @param targetLengths the number of real target steps of each pair, &lt;eos&gt; included
 */
public record Seq2SeqBatch(INDArray sources, SequenceMask sourceMask, INDArray targets, INDArray targetMask,
        int[] targetLengths) {

    /**
     * Checks that the parts agree.
     *
     * @param sources (N, S), integer type
     * @param sourceMask (N, S)
     * @param targets (N, T), integer type
     * @param targetMask (N, T)
     * @param targetLengths N lengths
     */
    public Seq2SeqBatch {
        String method = "Seq2SeqBatch";
        Shapes.require(method, "sources", sources, "(N, S)", Shapes.ANY, Shapes.ANY);
        long n = sources.size(0);
        Objects.requireNonNull(sourceMask, method + ": sourceMask must not be null");
        sourceMask.requireShape(method, n, sources.size(1));
        Shapes.require(method, "targets", targets, "(N, T)", n, Shapes.ANY);
        Shapes.require(method, "targetMask", targetMask, "(N, T)", n, targets.size(1));
        if (!sources.dataType().isIntType() || !targets.dataType().isIntType()) {
            throw new IllegalArgumentException(method + ": sources and targets must hold integer ids, but have types "
                    + sources.dataType() + " and " + targets.dataType() + ".");
        }
        Objects.requireNonNull(targetLengths, method + ": targetLengths must not be null");
        if (targetLengths.length != n) {
            throw new IllegalArgumentException(method + ": targetLengths must hold N = " + n + " lengths, but holds "
                    + targetLengths.length + ".");
        }
    }

    /**
     * Pads pairs of id sequences into a batch, appending &lt;eos&gt; to every target.
     *
     * @param sources N source id sequences, each at least one id long
     * @param targets N target id sequences (without &lt;eos&gt;), any length
     * @return the batch
     */
    public static Seq2SeqBatch of(List<int[]> sources, List<int[]> targets) {
        String method = "Seq2SeqBatch.of";
        Objects.requireNonNull(sources, method + ": sources must not be null");
        Objects.requireNonNull(targets, method + ": targets must not be null");
        if (sources.isEmpty() || sources.size() != targets.size()) {
            throw new IllegalArgumentException(method + ": sources and targets must hold the same positive number of "
                    + "sequences, but hold " + sources.size() + " and " + targets.size() + ".");
        }
        int n = sources.size();
        int s = 0;
        int t = 0;
        int[] sourceLengths = new int[n];
        int[] targetLengths = new int[n];
        for (int i = 0; i < n; i++) {
            if (sources.get(i).length == 0) {
                throw new IllegalArgumentException(method + ": every source must hold at least one id, but sources[" + i
                        + "] is empty.");
            }
            sourceLengths[i] = sources.get(i).length;
            targetLengths[i] = targets.get(i).length + 1;
            s = Math.max(s, sourceLengths[i]);
            t = Math.max(t, targetLengths[i]);
        }
        int[][] src = new int[n][s];
        int[][] tgt = new int[n][t];
        double[][] mask = new double[n][t];
        for (int i = 0; i < n; i++) {
            System.arraycopy(sources.get(i), 0, src[i], 0, sourceLengths[i]);
            int[] target = targets.get(i);
            System.arraycopy(target, 0, tgt[i], 0, target.length);
            tgt[i][target.length] = Vocabulary.EOS_ID;
            for (int j = 0; j < targetLengths[i]; j++) {
                mask[i][j] = 1;
            }
        }
        return new Seq2SeqBatch(Nd4j.createFromArray(src), SequenceMask.ofLengths(sourceLengths, s),
                Nd4j.createFromArray(tgt), Nd4j.createFromArray(mask).castTo(DataType.DOUBLE), targetLengths);
    }

    /**
     * Encodes text pairs with two vocabularies and pads them.
     *
     * @param pairs (source, target) texts, at least one
     * @param sourceVocabulary encodes the sources
     * @param targetVocabulary encodes the targets
     * @return the batch
     */
    public static Seq2SeqBatch of(List<TextPair> pairs, Vocabulary sourceVocabulary, Vocabulary targetVocabulary) {
        Objects.requireNonNull(pairs, "Seq2SeqBatch.of: pairs must not be null");
        return of(pairs.stream().map(p -> sourceVocabulary.encode(p.source())).toList(),
                pairs.stream().map(p -> targetVocabulary.encode(p.target())).toList());
    }

    /** @return N */
    public int batchSize() {
        return Math.toIntExact(sources.size(0));
    }

    /** @return T, the padded target length (&lt;eos&gt; included) */
    public int targetSteps() {
        return Math.toIntExact(targets.size(1));
    }

    /**
     * @param n a pair's index
     * @return its target ids without &lt;eos&gt; and padding
     */
    public int[] target(int n) {
        int[] ids = new int[targetLengths[n] - 1];
        for (int j = 0; j < ids.length; j++) {
            ids[j] = targets.getInt(n, j);
        }
        return ids;
    }

    /**
     * @param n a pair's index
     * @return its source ids without padding
     */
    public int[] source(int n) {
        int[] ids = new int[sourceMask.length(n)];
        for (int j = 0; j < ids.length; j++) {
            ids[j] = sources.getInt(n, j);
        }
        return ids;
    }
}

package unrolled.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.tensor.ShapeException;
import unrolled.tensor.Shapes;

/**
 * Turns a dataset of variable-length id sequences into minibatches a recurrent network can consume.
 *
 * <p><b>Padding.</b> The sequences of one batch share one tensor, so the shorter ones are right-padded with
 * {@code <pad>} (id 0) up to the longest, T = max_n L_n:
 * <pre>
 *   "cat"   → [c, a, t, &lt;pad&gt;, &lt;pad&gt;]    mask [1, 1, 1, 0, 0]   length 3
 *   "horse" → [h, o, r, s,     e    ]    mask [1, 1, 1, 1, 1]   length 5
 * </pre>
 * The mask removes the padded steps from the loss (and, in a bidirectional or pooled model, from the
 * computation); the lengths say where each sequence ends.
 *
 * <p><b>Minibatches.</b> Each epoch visits the dataset in a seeded random order, cut into batches of N; the
 * last, partial batch is kept or dropped ({@link LastBatch}). With {@link Order#BUCKETED_BY_LENGTH},
 * sequences of similar length are put together, so each batch is padded only to its own, similar lengths:
 * far fewer wasted steps (a recurrent network pays for every padded step, sequentially) at the price of
 * batches that are less random in their composition; their order is still shuffled.
 */
public final class Batching {

    /** What to do with the last batch when the dataset size is not a multiple of N. */
    public enum LastBatch {
        /** Keep it, with fewer than N sequences. */
        KEEP,
        /** Drop it (which examples are left out changes with the seed), so that every batch has exactly N. */
        DROP
    }

    /** In what order sequences are grouped into batches. */
    public enum Order {
        /** A seeded random permutation, cut into consecutive batches. */
        SHUFFLED,
        /**
         * A seeded random permutation, stably sorted by length (so equal lengths stay in random order), cut into
         * consecutive batches whose order is then shuffled. Each batch holds sequences of similar length and
         * needs little padding.
         */
        BUCKETED_BY_LENGTH
    }

    private Batching() {
    }

    /**
     * Right-pads id sequences into one batch of inputs without targets.
     *
     * @param sequences N ≥ 1 sequences of ids, each of length ≥ 1, not null
     * @param dataType the mask's type, DOUBLE or FLOAT
     * @return inputs (N, T) INT with T the longest length, padded with {@link Vocabulary#PAD_ID}; targets null;
     *     mask (N, T); lengths
     */
    public static Batch pad(List<int[]> sequences, DataType dataType) {
        Shapes.requireFloating("Batching.pad", dataType);
        int[] lengths = lengthsOf("Batching.pad", "sequences", sequences);
        int steps = max(lengths);
        return new Batch(ids(sequences, steps), null, SequenceMask.ofLengths(lengths, steps), dataType);
    }

    /**
     * Right-pads pairs of aligned id sequences (one target per input step: tagging, or next-token prediction)
     * into one batch.
     *
     * @param inputs N ≥ 1 sequences of ids, each of length ≥ 1, not null
     * @param targets N sequences, targets.get(n) as long as inputs.get(n), not null
     * @param dataType the mask's type, DOUBLE or FLOAT
     * @return inputs (N, T) INT and targets (N, T) INT, both padded with {@link Vocabulary#PAD_ID}; mask (N, T);
     *     lengths
     */
    public static Batch pad(List<int[]> inputs, List<int[]> targets, DataType dataType) {
        Shapes.requireFloating("Batching.pad", dataType);
        int[] lengths = lengthsOf("Batching.pad", "inputs", inputs);
        requireAligned("Batching.pad", inputs, targets);
        int steps = max(lengths);
        return new Batch(ids(inputs, steps), ids(targets, steps), SequenceMask.ofLengths(lengths, steps), dataType);
    }

    /**
     * Right-pads id sequences that carry one class label each (a many-to-one task: spam or ham, the sentiment of a
     * review) into one batch.
     *
     * @param sequences N ≥ 1 sequences of ids, each of length ≥ 1, not null
     * @param labels the class id of each sequence, int[N], each ≥ 0
     * @param dataType the mask's type, DOUBLE or FLOAT
     * @return inputs (N, T) INT with T the longest length, padded with {@link Vocabulary#PAD_ID}; targets (N,) INT
     *     class ids; mask (N, T); lengths
     */
    public static Batch padWithLabels(List<int[]> sequences, int[] labels, DataType dataType) {
        String method = "Batching.padWithLabels";
        Shapes.requireFloating(method, dataType);
        int[] lengths = lengthsOf(method, "sequences", sequences);
        requireLabels(method, labels, lengths.length);
        int steps = max(lengths);
        return new Batch(ids(sequences, steps), Nd4j.createFromArray(labels.clone()).castTo(Batch.ID_TYPE),
                SequenceMask.ofLengths(lengths, steps), dataType);
    }

    /**
     * The language-modelling batch: each sequence s of length L ≥ 2 becomes the input s_0 … s_{L−2} and the
     * target s_1 … s_{L−1} (at every step, predict the next token), right-padded.
     *
     * @param sequences N ≥ 1 sequences of ids, each of length ≥ 2 (e.g. {@code <bos>} … {@code <eos>}), not null
     * @param dataType the mask's type, DOUBLE or FLOAT
     * @return inputs (N, T) INT and targets (N, T) INT with T = max L − 1; mask; lengths L_n − 1
     */
    public static Batch nextToken(List<int[]> sequences, DataType dataType) {
        Shapes.requireFloating("Batching.nextToken", dataType);
        int[] lengths = lengthsOf("Batching.nextToken", "sequences", sequences);
        List<int[]> inputs = new ArrayList<>(sequences.size());
        List<int[]> targets = new ArrayList<>(sequences.size());
        for (int n = 0; n < lengths.length; n++) {
            int[] s = sequences.get(n);
            if (s.length < 2) {
                throw new IllegalArgumentException("Batching.nextToken: every sequence needs at least 2 tokens (an input"
                        + " and the next one), but sequences[" + n + "] has " + s.length + ".");
            }
            inputs.add(Arrays.copyOfRange(s, 0, s.length - 1));
            targets.add(Arrays.copyOfRange(s, 1, s.length));
        }
        return pad(inputs, targets, dataType);
    }

    /**
     * One-hot encodes ids: out[n, t, k] = 1 if ids[n, t] = k, else 0. Padding (id 0) encodes as class 0, like
     * any id; the mask is what removes it.
     *
     * @param ids (N, T) ids of type INT, each in [0, classes)
     * @param classes V, the number of classes, positive
     * @param dataType DOUBLE or FLOAT
     * @return (N, T, V)
     */
    public static INDArray oneHot(INDArray ids, int classes, DataType dataType) {
        Shapes.require("Batching.oneHot", "ids", ids, "(N, T)", Shapes.ANY, Shapes.ANY);
        Shapes.requireType("Batching.oneHot", "ids", ids, Batch.ID_TYPE);
        Shapes.requirePositive("Batching.oneHot", "classes", classes);
        Shapes.requireFloating("Batching.oneHot", dataType);
        int[][] id = ids.toIntMatrix();
        int n = id.length;
        int t = Math.toIntExact(ids.size(1));
        double[] out = new double[Math.multiplyExact(Math.multiplyExact(n, t), classes)];
        for (int row = 0; row < n; row++) {
            for (int step = 0; step < t; step++) {
                int k = id[row][step];
                if (k < 0 || k >= classes) {
                    throw new IllegalArgumentException("Batching.oneHot: ids must be in [0, V) = [0, " + classes
                            + "), but ids[" + row + ", " + step + "] = " + k + ".");
                }
                out[(row * t + step) * classes + k] = 1.0;
            }
        }
        return Nd4j.createFromArray(out).reshape('c', n, t, classes).castTo(dataType);
    }

    /**
     * The example indices of one epoch's batches, in a seeded random order (see {@link Order}).
     *
     * @param lengths the length of every example of the dataset (only its size matters for SHUFFLED), not empty
     * @param batchSize N, positive
     * @param order SHUFFLED or BUCKETED_BY_LENGTH
     * @param last KEEP or DROP the last partial batch
     * @param seed the seed of the permutation; the same seed gives the same batches
     * @return one array of example indices per batch; with KEEP every index appears exactly once; with DROP and
     *     fewer than N examples, no batch at all
     */
    public static List<int[]> batchIndices(int[] lengths, int batchSize, Order order, LastBatch last, long seed) {
        Objects.requireNonNull(lengths, "Batching.batchIndices: lengths must not be null");
        Objects.requireNonNull(order, "Batching.batchIndices: order must not be null");
        Objects.requireNonNull(last, "Batching.batchIndices: last must not be null");
        Shapes.requirePositive("Batching.batchIndices", "batchSize", batchSize);
        if (lengths.length == 0) {
            throw new IllegalArgumentException("Batching.batchIndices: the dataset must hold at least one example, but is"
                    + " empty.");
        }
        Random random = new Random(seed);
        List<Integer> permutation = new ArrayList<>(lengths.length);
        for (int i = 0; i < lengths.length; i++) {
            permutation.add(i);
        }
        Collections.shuffle(permutation, random);
        if (last == LastBatch.DROP) {
            // Leave out the last (size mod N) examples of the random permutation: random examples, not the longest.
            permutation = permutation.subList(0, permutation.size() - permutation.size() % batchSize);
        }
        if (order == Order.BUCKETED_BY_LENGTH) {
            permutation = new ArrayList<>(permutation);
            permutation.sort(Comparator.comparingInt(i -> lengths[i]));
        }
        List<int[]> batches = new ArrayList<>();
        for (int start = 0; start < permutation.size(); start += batchSize) {
            List<Integer> chunk = permutation.subList(start, Math.min(start + batchSize, permutation.size()));
            batches.add(chunk.stream().mapToInt(Integer::intValue).toArray());
        }
        if (order == Order.BUCKETED_BY_LENGTH) {
            // Sorted batches would run from the shortest to the longest sequences; visit them in random order.
            Collections.shuffle(batches, random);
        }
        return batches;
    }

    /**
     * One epoch of padded minibatches of inputs only.
     *
     * @param sequences the dataset: id sequences of length ≥ 1, not empty
     * @param batchSize N, positive
     * @param order SHUFFLED or BUCKETED_BY_LENGTH
     * @param last KEEP or DROP the last partial batch
     * @param seed the seed of the order
     * @param dataType the masks' type, DOUBLE or FLOAT
     * @return the batches, each padded to its own longest sequence (see {@link #pad(List, DataType)})
     */
    public static List<Batch> minibatches(List<int[]> sequences, int batchSize, Order order, LastBatch last, long seed,
            DataType dataType) {
        Shapes.requireFloating("Batching.minibatches", dataType);
        int[] lengths = lengthsOf("Batching.minibatches", "sequences", sequences);
        List<Batch> batches = new ArrayList<>();
        for (int[] indices : batchIndices(lengths, batchSize, order, last, seed)) {
            batches.add(pad(pick(sequences, indices), dataType));
        }
        return batches;
    }

    /**
     * One epoch of padded minibatches of aligned input and target sequences.
     *
     * @param inputs the dataset's inputs: id sequences of length ≥ 1, not empty
     * @param targets one target sequence per input, as long as it
     * @param batchSize N, positive
     * @param order SHUFFLED or BUCKETED_BY_LENGTH
     * @param last KEEP or DROP the last partial batch
     * @param seed the seed of the order
     * @param dataType the masks' type, DOUBLE or FLOAT
     * @return the batches, each padded to its own longest sequence (see {@link #pad(List, List, DataType)})
     */
    public static List<Batch> minibatches(List<int[]> inputs, List<int[]> targets, int batchSize, Order order,
            LastBatch last, long seed, DataType dataType) {
        Shapes.requireFloating("Batching.minibatches", dataType);
        int[] lengths = lengthsOf("Batching.minibatches", "inputs", inputs);
        requireAligned("Batching.minibatches", inputs, targets);
        List<Batch> batches = new ArrayList<>();
        for (int[] indices : batchIndices(lengths, batchSize, order, last, seed)) {
            batches.add(pad(pick(inputs, indices), pick(targets, indices), dataType));
        }
        return batches;
    }

    /**
     * One epoch of padded minibatches of labelled sequences (see {@link #padWithLabels}).
     *
     * @param sequences the dataset: id sequences of length ≥ 1, not empty
     * @param labels the class id of each sequence, one per sequence, each ≥ 0
     * @param batchSize N, positive
     * @param order SHUFFLED or BUCKETED_BY_LENGTH
     * @param last KEEP or DROP the last partial batch
     * @param seed the seed of the order
     * @param dataType the masks' type, DOUBLE or FLOAT
     * @return the batches, each padded to its own longest sequence, with targets (N,) class ids
     */
    public static List<Batch> minibatches(List<int[]> sequences, int[] labels, int batchSize, Order order, LastBatch last,
            long seed, DataType dataType) {
        String method = "Batching.minibatches";
        Shapes.requireFloating(method, dataType);
        int[] lengths = lengthsOf(method, "sequences", sequences);
        requireLabels(method, labels, lengths.length);
        List<Batch> batches = new ArrayList<>();
        for (int[] indices : batchIndices(lengths, batchSize, order, last, seed)) {
            int[] picked = new int[indices.length];
            for (int i = 0; i < indices.length; i++) {
                picked[i] = labels[indices[i]];
            }
            batches.add(padWithLabels(pick(sequences, indices), picked, dataType));
        }
        return batches;
    }

    /**
     * One epoch of minibatches of an already-tensor dataset (sliding windows, a synthetic task): the rows of
     * inputs, targets, mask and lengths are shuffled together and cut into batches of N.
     *
     * @param dataset the whole dataset as one batch, with or without targets
     * @param batchSize N, positive
     * @param last KEEP or DROP the last partial batch
     * @param seed the seed of the order
     * @return the batches; steps and feature sizes unchanged
     */
    public static List<Batch> minibatches(Batch dataset, int batchSize, LastBatch last, long seed) {
        Objects.requireNonNull(dataset, "Batching.minibatches: dataset must not be null");
        List<Batch> batches = new ArrayList<>();
        for (int[] indices : batchIndices(dataset.lengths(), batchSize, Order.SHUFFLED, last, seed)) {
            batches.add(rows(dataset, indices));
        }
        return batches;
    }

    /**
     * The sub-batch of some rows, in the given order (copies; the dataset is not modified).
     *
     * @param dataset any batch
     * @param rows row indices in [0, N), at least one
     * @return a batch of rows.length sequences with the same T
     */
    public static Batch rows(Batch dataset, int[] rows) {
        Objects.requireNonNull(dataset, "Batching.rows: dataset must not be null");
        Objects.requireNonNull(rows, "Batching.rows: rows must not be null");
        if (rows.length == 0) {
            throw new IllegalArgumentException("Batching.rows: rows must hold at least one index, but is empty.");
        }
        int[] lengths = dataset.lengths();
        int[] picked = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= lengths.length) {
                throw new IllegalArgumentException("Batching.rows: every row must be in [0, N) = [0, " + lengths.length
                        + "), but rows[" + i + "] = " + rows[i] + ".");
            }
            picked[i] = lengths[rows[i]];
        }
        INDArray targets = dataset.targets() == null ? null : gather(dataset.targets(), rows);
        return new Batch(gather(dataset.inputs(), rows), targets, gather(dataset.mask(), rows), picked);
    }

    /** Rows of an array of any rank, along its first axis. */
    private static INDArray gather(INDArray array, int[] rows) {
        if (array.rank() == 1) {
            return gather(array.reshape(array.length(), 1), rows).reshape(rows.length);
        }
        long[] shape = array.shape().clone();
        long width = array.length() / shape[0];
        INDArray flat = array.reshape('c', shape[0], width);
        INDArray out = Nd4j.createUninitialized(array.dataType(), rows.length, width);
        for (int i = 0; i < rows.length; i++) {
            out.putRow(i, flat.getRow(rows[i]));
        }
        shape[0] = rows.length;
        return out.reshape('c', shape);
    }

    private static List<int[]> pick(List<int[]> sequences, int[] indices) {
        List<int[]> picked = new ArrayList<>(indices.length);
        for (int i : indices) {
            picked.add(sequences.get(i));
        }
        return picked;
    }

    private static int[] lengthsOf(String method, String argument, List<int[]> sequences) {
        Objects.requireNonNull(sequences, method + ": " + argument + " must not be null");
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException(method + ": " + argument + " must hold at least one sequence, but is empty.");
        }
        int[] lengths = new int[sequences.size()];
        for (int n = 0; n < lengths.length; n++) {
            int[] s = sequences.get(n);
            if (s == null || s.length == 0) {
                throw new IllegalArgumentException(method + ": every sequence needs at least one token, but " + argument
                        + "[" + n + "] is " + (s == null ? "null" : "empty") + ".");
            }
            lengths[n] = s.length;
        }
        return lengths;
    }

    private static void requireLabels(String method, int[] labels, int n) {
        Objects.requireNonNull(labels, method + ": labels must not be null");
        if (labels.length != n) {
            throw new IllegalArgumentException(method + ": labels must hold one class id per sequence, N = " + n
                    + ", but holds " + labels.length + ".");
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException(method + ": every label must be a class id ≥ 0, but labels[" + i + "] = "
                        + labels[i] + ".");
            }
        }
    }

    private static void requireAligned(String method, List<int[]> inputs, List<int[]> targets) {
        Objects.requireNonNull(targets, method + ": targets must not be null");
        if (targets.size() != inputs.size()) {
            throw new IllegalArgumentException(method + ": targets must hold one sequence per input, N = " + inputs.size()
                    + ", but holds " + targets.size() + ".");
        }
        for (int n = 0; n < inputs.size(); n++) {
            int[] target = targets.get(n);
            if (target == null || target.length != inputs.get(n).length) {
                throw new ShapeException(method + ": targets[" + n + "] must have the length of inputs[" + n + "], "
                        + inputs.get(n).length + ", but has " + (target == null ? "none (null)" : target.length) + ".");
            }
        }
    }

    private static INDArray ids(List<int[]> sequences, int steps) {
        int[][] padded = new int[sequences.size()][steps];
        for (int n = 0; n < padded.length; n++) {
            int[] s = sequences.get(n);
            System.arraycopy(s, 0, padded[n], 0, s.length);
            Arrays.fill(padded[n], s.length, steps, Vocabulary.PAD_ID);
        }
        return Nd4j.createFromArray(padded).castTo(Batch.ID_TYPE);
    }

    private static int max(int[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }
}

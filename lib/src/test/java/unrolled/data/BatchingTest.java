package unrolled.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.tensor.ShapeException;

class BatchingTest {

    /** Sequences of lengths uniform in [1, maxLength], ids in [4, 20), from the test's own generator. */
    private static List<int[]> randomSequences(int count, int maxLength, long seed) {
        Random random = new Random(seed);
        List<int[]> sequences = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] s = new int[1 + random.nextInt(maxLength)];
            for (int t = 0; t < s.length; t++) {
                s[t] = 4 + random.nextInt(16);
            }
            sequences.add(s);
        }
        return sequences;
    }

    @Test
    void padsToTheLongestSequenceWithPadIds() {
        Batch batch = Batching.pad(List.of(new int[] {5, 6, 7}, new int[] {8}, new int[] {9, 10}), DataType.DOUBLE);
        assertEquals(DataType.INT32, batch.inputs().dataType());
        assertArrayEquals(new int[][] {{5, 6, 7}, {8, 0, 0}, {9, 10, 0}}, batch.inputs().toIntMatrix());
        assertArrayEquals(new double[][] {{1, 1, 1}, {1, 0, 0}, {1, 1, 0}}, batch.mask().toDoubleMatrix());
        assertEquals(DataType.DOUBLE, batch.mask().dataType());
        assertArrayEquals(new int[] {3, 1, 2}, batch.lengths());
        assertNull(batch.targets());
        assertEquals(3, batch.steps());
        assertEquals(3, batch.paddedSteps());
    }

    @Test
    void masksAndLengthsAgreeWithTheInputs() {
        List<int[]> sequences = randomSequences(13, 9, 3);
        Batch batch = Batching.pad(sequences, DataType.FLOAT);
        int longest = sequences.stream().mapToInt(s -> s.length).max().orElseThrow();
        assertEquals(longest, batch.steps());
        assertEquals(DataType.FLOAT, batch.mask().dataType());
        int[][] ids = batch.inputs().toIntMatrix();
        double[][] mask = batch.mask().castTo(DataType.DOUBLE).toDoubleMatrix();
        for (int n = 0; n < sequences.size(); n++) {
            int[] s = sequences.get(n);
            assertEquals(s.length, batch.lengths()[n]);
            for (int t = 0; t < longest; t++) {
                assertEquals(t < s.length ? s[t] : 0, ids[n][t], "ids[" + n + ", " + t + "]");
                assertEquals(t < s.length ? 1.0 : 0.0, mask[n][t], "mask[" + n + ", " + t + "]");
            }
        }
    }

    @Test
    void padsAlignedTargetsLikeTheInputs() {
        Batch batch = Batching.pad(List.of(new int[] {5, 6}, new int[] {7}), List.of(new int[] {6, 3}, new int[] {3}),
                DataType.DOUBLE);
        assertArrayEquals(new int[][] {{6, 3}, {3, 0}}, batch.targets().toIntMatrix());
        assertEquals(DataType.INT32, batch.targets().dataType());
    }

    @Test
    void targetsOfAnotherLengthAreRefused() {
        ShapeException e = assertThrows(ShapeException.class, () -> Batching.pad(List.of(new int[] {5, 6}),
                List.of(new int[] {6}), DataType.DOUBLE));
        assertEquals("Batching.pad: targets[0] must have the length of inputs[0], 2, but has 1.", e.getMessage());
    }

    @Test
    void anEmptySequenceIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Batching.pad(List.of(new int[] {5}, new int[0]), DataType.DOUBLE));
        assertEquals("Batching.pad: every sequence needs at least one token, but sequences[1] is empty.", e.getMessage());
    }

    @Test
    void nextTokenTargetsAreTheInputsShiftedByOne() {
        Batch batch = Batching.nextToken(List.of(new int[] {2, 5, 6, 3}, new int[] {2, 7, 3}), DataType.DOUBLE);
        assertArrayEquals(new int[][] {{2, 5, 6}, {2, 7, 0}}, batch.inputs().toIntMatrix());
        assertArrayEquals(new int[][] {{5, 6, 3}, {7, 3, 0}}, batch.targets().toIntMatrix());
        assertArrayEquals(new int[] {3, 2}, batch.lengths());
    }

    @Test
    void oneHotPutsASingleOneAtEachId() {
        INDArray ids = Nd4j.createFromArray(new int[][] {{0, 2}, {1, 1}});
        INDArray x = Batching.oneHot(ids, 3, DataType.FLOAT);
        assertArrayEquals(new long[] {2, 2, 3}, x.shape());
        assertEquals(DataType.FLOAT, x.dataType());
        int[][] id = {{0, 2}, {1, 1}};
        for (int n = 0; n < 2; n++) {
            for (int t = 0; t < 2; t++) {
                for (int k = 0; k < 3; k++) {
                    assertEquals(id[n][t] == k ? 1.0 : 0.0, x.getDouble(n, t, k));
                }
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Batching.oneHot(ids, 2, DataType.FLOAT));
        assertEquals("Batching.oneHot: ids must be in [0, V) = [0, 2), but ids[0, 1] = 2.", e.getMessage());
    }

    @Test
    void theSameSeedGivesTheSameBatchesAndAnotherSeedAnotherOrder() {
        List<int[]> sequences = randomSequences(50, 12, 1);
        for (Batching.Order order : Batching.Order.values()) {
            List<Batch> a = Batching.minibatches(sequences, 8, order, Batching.LastBatch.KEEP, 42, DataType.DOUBLE);
            List<Batch> b = Batching.minibatches(sequences, 8, order, Batching.LastBatch.KEEP, 42, DataType.DOUBLE);
            List<Batch> c = Batching.minibatches(sequences, 8, order, Batching.LastBatch.KEEP, 43, DataType.DOUBLE);
            assertEquals(a, b, order + ": same seed, same batches");
            assertNotEquals(a, c, order + ": another seed, another order");
        }
    }

    @Test
    void keepVisitsEveryExampleOnceAndDropGivesOnlyFullBatches() {
        int[] lengths = randomSequences(50, 12, 2).stream().mapToInt(s -> s.length).toArray();
        for (Batching.Order order : Batching.Order.values()) {
            List<int[]> kept = Batching.batchIndices(lengths, 8, order, Batching.LastBatch.KEEP, 5);
            assertEquals(7, kept.size(), "⌈50 / 8⌉ batches");
            int[] all = kept.stream().flatMapToInt(Arrays::stream).sorted().toArray();
            int[] expected = new int[50];
            Arrays.setAll(expected, i -> i);
            assertArrayEquals(expected, all, order + ": every example exactly once");

            List<int[]> dropped = Batching.batchIndices(lengths, 8, order, Batching.LastBatch.DROP, 5);
            assertEquals(6, dropped.size(), "⌊50 / 8⌋ batches");
            assertTrue(dropped.stream().allMatch(batch -> batch.length == 8));
            assertEquals(48, dropped.stream().flatMapToInt(Arrays::stream).distinct().count());
        }
    }

    @Test
    void minibatchesHoldTheSequencesTheIndicesName() {
        List<int[]> sequences = randomSequences(20, 6, 4);
        List<int[]> indices = Batching.batchIndices(sequences.stream().mapToInt(s -> s.length).toArray(), 6,
                Batching.Order.SHUFFLED, Batching.LastBatch.KEEP, 9);
        List<Batch> batches = Batching.minibatches(sequences, 6, Batching.Order.SHUFFLED, Batching.LastBatch.KEEP, 9,
                DataType.DOUBLE);
        assertEquals(indices.size(), batches.size());
        assertEquals(2, batches.get(batches.size() - 1).batchSize(), "the partial last batch: 20 = 3·6 + 2");
        for (int b = 0; b < batches.size(); b++) {
            int[][] ids = batches.get(b).inputs().toIntMatrix();
            for (int row = 0; row < indices.get(b).length; row++) {
                int[] s = sequences.get(indices.get(b)[row]);
                assertArrayEquals(s, Arrays.copyOf(ids[row], s.length));
            }
        }
    }

    @Test
    void bucketingByLengthReducesPadding() {
        List<int[]> sequences = randomSequences(400, 60, 7);
        long shuffled = padding(Batching.minibatches(sequences, 16, Batching.Order.SHUFFLED, Batching.LastBatch.KEEP,
                1, DataType.FLOAT));
        long bucketed = padding(Batching.minibatches(sequences, 16, Batching.Order.BUCKETED_BY_LENGTH,
                Batching.LastBatch.KEEP, 1, DataType.FLOAT));
        assertTrue(bucketed * 5 < shuffled, "padded steps: bucketed " + bucketed + ", shuffled " + shuffled);
    }

    /** Σ over batches of N·T − Σ lengths, from the shapes and the sequences' own lengths. */
    private static long padding(List<Batch> batches) {
        long padded = 0;
        for (Batch batch : batches) {
            padded += batch.inputs().length() - Arrays.stream(batch.lengths()).sum();
        }
        return padded;
    }

    @Test
    void minibatchesOfATensorDatasetKeepRowsTogether() {
        // Row n of the dataset: inputs all equal to n, target 10·n.
        int n = 11;
        double[] x = new double[n * 3 * 2];
        double[] y = new double[n];
        for (int row = 0; row < n; row++) {
            Arrays.fill(x, row * 6, row * 6 + 6, row);
            y[row] = 10 * row;
        }
        int[] lengths = new int[n];
        Arrays.fill(lengths, 3);
        Batch dataset = new Batch(Nd4j.createFromArray(x).reshape(n, 3, 2), Nd4j.createFromArray(y).reshape(n, 1),
                Nd4j.ones(DataType.DOUBLE, n, 3), lengths);
        List<Batch> batches = Batching.minibatches(dataset, 4, Batching.LastBatch.KEEP, 3);
        assertEquals(3, batches.size());
        List<Integer> seen = new ArrayList<>();
        for (Batch batch : batches) {
            for (int row = 0; row < batch.batchSize(); row++) {
                int original = (int) batch.inputs().getDouble(row, 2, 1);
                assertEquals(10.0 * original, batch.targets().getDouble(row, 0));
                seen.add(original);
            }
        }
        seen.sort(null);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), seen);
        assertEquals(4, Batching.minibatches(dataset, 4, Batching.LastBatch.DROP, 3).get(0).batchSize());
    }

    @Test
    void rowsPicksIdsTargetsMasksAndLengthsTogether() {
        Batch batch = Batching.nextToken(List.of(new int[] {2, 5, 3}, new int[] {2, 3}, new int[] {2, 6, 7, 3}),
                DataType.FLOAT);
        Batch picked = Batching.rows(batch, new int[] {2, 1});
        assertArrayEquals(new int[][] {{2, 6, 7}, {2, 0, 0}}, picked.inputs().toIntMatrix());
        assertArrayEquals(new int[][] {{6, 7, 3}, {3, 0, 0}}, picked.targets().toIntMatrix());
        assertArrayEquals(new double[][] {{1, 1, 1}, {1, 0, 0}}, picked.mask().castTo(DataType.DOUBLE).toDoubleMatrix());
        assertArrayEquals(new int[] {3, 1}, picked.lengths());
        assertEquals(DataType.FLOAT, picked.dataType());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Batching.rows(batch, new int[] {3}));
        assertEquals("Batching.rows: every row must be in [0, N) = [0, 3), but rows[0] = 3.", e.getMessage());
    }

    @Test
    void aBatchWhoseMaskContradictsItsLengthsIsRefused() {
        INDArray ids = Nd4j.createFromArray(new int[][] {{5, 6}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Batch(ids, null, Nd4j.ones(DataType.DOUBLE, 1, 2), new int[] {1}));
        assertEquals("Batch: mask must be 1 on the first lengths[n] steps and 0 after, but mask[0, 1] = 1.0 with"
                + " lengths[0] = 1.", e.getMessage());
        ShapeException shape = assertThrows(ShapeException.class,
                () -> new Batch(ids, null, Nd4j.ones(DataType.DOUBLE, 1, 3), new int[] {2}));
        assertEquals("Batch: mask must have shape (N, T) = (1, 2), but has shape (1, 3).", shape.getMessage());
        ShapeException type = assertThrows(ShapeException.class,
                () -> new Batch(ids.castTo(DataType.INT64), null, Nd4j.ones(DataType.DOUBLE, 1, 2), new int[] {2}));
        assertEquals("Batch: inputs (token ids) must have data type INT, but has LONG. Convert it with"
                + " castTo(DataType.INT).", type.getMessage());
    }

    @Test
    void aBadBatchSizeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Batching.minibatches(
                List.of(new int[] {1}), 0, Batching.Order.SHUFFLED, Batching.LastBatch.KEEP, 1, DataType.DOUBLE));
        assertEquals("Batching.batchIndices: batchSize must be positive, but is 0.", e.getMessage());
    }

    @Test
    void padWithLabelsKeepsOneClassIdPerSequenceBesideThePaddedIds() {
        Batch batch = Batching.padWithLabels(List.of(new int[] {5, 6}, new int[] {7, 8, 9}), new int[] {1, 0},
                DataType.FLOAT);
        assertArrayEquals(new int[] {1, 0}, batch.targets().toIntVector());
        assertArrayEquals(new int[] {5, 6, Vocabulary.PAD_ID}, batch.inputs().getRow(0).toIntVector());
        assertArrayEquals(new int[] {2, 3}, batch.lengths());
    }

    @Test
    void labelledMinibatchesCarryEachSequencesOwnLabel() {
        List<int[]> sequences = new ArrayList<>();
        int[] labels = new int[23];
        for (int n = 0; n < 23; n++) {
            int[] s = new int[1 + n % 7];
            Arrays.fill(s, 10 + n);          // the sequence names its row
            sequences.add(s);
            labels[n] = n % 3;
        }
        int seen = 0;
        for (Batch batch : Batching.minibatches(sequences, labels, 5, Batching.Order.BUCKETED_BY_LENGTH,
                Batching.LastBatch.KEEP, 4, DataType.FLOAT)) {
            for (int row = 0; row < batch.batchSize(); row++) {
                int n = batch.inputs().getInt(row, 0) - 10;
                assertEquals(labels[n], batch.targets().getInt(row), "row of sequence " + n);
                seen++;
            }
        }
        assertEquals(23, seen);
    }

    @Test
    void padWithLabelsRefusesAMissingLabel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Batching.padWithLabels(List.of(new int[] {1}, new int[] {2}), new int[] {0},
                        DataType.FLOAT));
        assertTrue(e.getMessage().contains("N = 2, but holds 1"), e.getMessage());
    }
}

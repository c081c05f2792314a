package unrolled.hierarchical;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.check.GradientCheck;
import unrolled.data.Document;
import unrolled.data.DocumentTasks;
import unrolled.data.Vocabulary;
import unrolled.loss.SoftmaxCrossEntropy;
import unrolled.models.CellType;
import unrolled.optim.Adam;
import unrolled.param.Gradients;
import unrolled.tensor.ShapeException;

class HierarchicalAttentionNetworkTest {

    /** Three documents of 3, 1 and 2 sentences of different lengths: both levels are padded. */
    private static List<Document> documents() {
        return List.of(
                new Document(List.of(List.of("a", "b", "c"), List.of("d"), List.of("b", "a")), 1, 0),
                new Document(List.of(List.of("c", "c", "d", "a")), 0, 0),
                new Document(List.of(List.of("d", "b"), List.of("a", "b", "c")), 1, 1));
    }

    private static Vocabulary vocabulary() {
        return Vocabulary.ofWords(List.of("a", "b", "c", "d"), 1);
    }

    private static HierarchicalAttentionNetwork model(CellType cell) {
        HierarchicalAttentionNetwork model = new HierarchicalAttentionNetwork(vocabulary().size(), 3, 4, 2, cell,
                DataType.DOUBLE, 5);
        // a readout of ordinary size and non-zero attention biases, so that every path carries gradient
        model.parameters().get("output.W").muli(5);
        model.parameters().get("wordAttention.b").assign(0.2);
        model.parameters().get("sentenceAttention.b").assign(-0.3);
        return model;
    }

    private static void check(HierarchicalAttentionNetwork model) {
        DocumentBatch batch = DocumentBatch.of(documents(), vocabulary());
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        HierarchicalAttentionNetwork.Result forward = model.forward(batch);
        Gradients g = model.backward(ce.compute(forward.logits(), batch.labels()).dLogits(), forward.cache());
        g.requireMatches("test", model.parameters());
        GradientCheck check = GradientCheck.create().sample(30, 1);
        for (Map.Entry<String, INDArray> p : model.parameters()) {
            if (p.getKey().equals("embedding.E")) {
                // the <pad> row is frozen: zero gradient; the others against finite differences
                assertEquals(0.0, g.get(p.getKey()).getRow(0).amaxNumber().doubleValue());
                long v = p.getValue().size(0);
                check.wrt("embedding.E rows 1…", p.getValue().get(NDArrayIndex.interval(1, v), NDArrayIndex.all()),
                        g.get(p.getKey()).get(NDArrayIndex.interval(1, v), NDArrayIndex.all()));
            } else {
                check.wrt(p.getKey(), p.getValue(), g.get(p.getKey()));
            }
        }
        check.run(() -> ce.compute(model.forward(batch).logits(), batch.labels()).loss()).requirePassed();
    }

    @Test
    void backwardMatchesFiniteDifferencesWithGruEncoders() {
        check(model(CellType.GRU));
    }

    @Test
    void backwardMatchesFiniteDifferencesWithLstmAndRnnEncoders() {
        check(model(CellType.LSTM));
        check(model(CellType.RNN));
    }

    @Test
    void batchesPadBothLevelsAndTheWeightsIgnoreThePadding() {
        DocumentBatch batch = DocumentBatch.of(documents(), vocabulary());
        assertArrayEquals(new long[] {3, 3, 4}, batch.words().shape());
        assertArrayEquals(new int[] {3, 1, 2}, batch.sentenceMask().lengths());
        assertArrayEquals(new int[] {3, 1, 2, 4, 0, 0, 2, 3, 0}, batch.wordMask().lengths());
        HierarchicalAttentionNetwork.Result result = model(CellType.GRU).forward(batch);
        assertArrayEquals(new long[] {3, 2}, result.logits().shape());
        for (int n = 0; n < 3; n++) {
            assertEquals(1.0, result.sentenceWeights().getRow(n).sumNumber().doubleValue(), 1e-12);
            for (int s = 0; s < 3; s++) {
                double total = result.wordWeights().get(NDArrayIndex.point(n), NDArrayIndex.point(s), NDArrayIndex.all())
                        .sumNumber().doubleValue();
                boolean real = s < batch.sentenceMask().length(n);
                assertEquals(real ? 1.0 : 0.0, total, 1e-12, "document " + n + ", sentence " + s);
            }
        }
        // a single sentence gets all the sentence-level weight
        assertEquals(1.0, result.sentenceWeights().getDouble(1, 0), 1e-12);
    }

    @Test
    void learnsTheVerdictTaskAndAttendsToTheVerdictSentence() {
        List<Document> train = DocumentTasks.verdict(512, 3, 6, 7, 1);
        List<Document> test = DocumentTasks.verdict(200, 3, 6, 7, 2);
        Vocabulary vocabulary = Vocabulary.ofWords(train.stream().flatMap(d -> d.words().stream()).toList(), 1);
        HierarchicalAttentionNetwork model = new HierarchicalAttentionNetwork(vocabulary.size(), 8, 16, 2, CellType.GRU,
                DataType.FLOAT, 3);
        Adam adam = new Adam(0.02);
        for (int epoch = 0; epoch < 4; epoch++) {
            for (int from = 0; from < train.size(); from += 32) {
                adam.step(model.parameters(), model.lossAndGradients(DocumentBatch.of(train.subList(from, from + 32),
                        vocabulary)).gradients());
            }
        }
        DocumentBatch batch = DocumentBatch.of(test, vocabulary);
        HierarchicalAttentionNetwork.Result result = model.forward(batch);
        double accuracy = model.accuracy(batch);
        assertTrue(accuracy > 0.9, "accuracy " + accuracy);
        // the most-attended sentence is the verdict in most documents
        int hits = 0;
        for (int n = 0; n < test.size(); n++) {
            hits += result.sentenceWeights().getRow(n).argMax().getInt(0) == test.get(n).keySentence() ? 1 : 0;
        }
        assertTrue(hits > 0.8 * test.size(), "verdict sentence most attended in " + hits + " of " + test.size());
    }

    @Test
    void wrongInputsAreRefusedClearly() {
        HierarchicalAttentionNetwork model = model(CellType.GRU);
        DocumentBatch batch = DocumentBatch.of(documents(), vocabulary());
        HierarchicalAttentionNetwork.Result forward = model.forward(batch);
        ShapeException e = assertThrows(ShapeException.class,
                () -> model.backward(forward.logits().reshape(2, 3), forward.cache()));
        assertTrue(e.getMessage().startsWith("HierarchicalAttentionNetwork.backward: dLogits must have shape (N, C)"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new HierarchicalAttentionNetwork(10, 3, 4, 1, CellType.GRU, DataType.DOUBLE, 1));
        assertThrows(IllegalArgumentException.class, () -> new Document(List.of(List.of()), 0, -1));
    }
}

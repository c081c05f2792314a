package unrolled.seq2seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.check.GradientCheck;
import unrolled.loss.SoftmaxCrossEntropy;
import unrolled.models.CellType;
import unrolled.optim.Adam;
import unrolled.param.Gradients;

public class EncoderDecoderTest {

    private static final int V = 8;

    /** Three pairs of different lengths, so that both sources and targets are padded. */
    private static Seq2SeqBatch batch() {
        return Seq2SeqBatch.of(List.of(new int[] {4, 5, 6}, new int[] {7}, new int[] {5, 4}),
                List.of(new int[] {6, 5, 4}, new int[] {7, 7}, new int[] {4}));
    }

    private static EncoderDecoder model(CellType cell, AttentionType attention) {
        EncoderDecoder model = new EncoderDecoder(Seq2SeqConfiguration.of(V, V, 3, 4).withCell(cell).withAttention(attention)
                .withSeed(11));
        // non-zero biases and a readout of ordinary size, so that every path carries gradient
        model.parameters().get("output.W").muli(10);
        model.parameters().get("output.b").assign(0.1);
        return model;
    }

    /**
     * A finite-difference check of every parameter of the model against the gradients g (25 entries per array keep it to
     * seconds; every array is still checked). The &lt;pad&gt; row (id 0) of each embedding is frozen by design and gets
     * no gradient, even where a fed-back prediction is &lt;pad&gt;: it must be zero, and the other rows are checked.
     *
     * @param model the model
     * @param g its gradients, under the names of its parameters
     * @return the check, to run on the model's loss
     */
    public static GradientCheck everyParameter(EncoderDecoder model, Gradients g) {
        g.requireMatches("test", model.parameters());
        GradientCheck check = GradientCheck.create().sample(25, 1);
        for (Map.Entry<String, INDArray> p : model.parameters()) {
            if (p.getKey().endsWith("Embedding.E")) {
                long rows = p.getValue().size(0);
                assertEquals(0.0, g.get(p.getKey()).getRow(0).amaxNumber().doubleValue(), p.getKey() + ": <pad> row");
                check.wrt(p.getKey() + " rows 1…", p.getValue().get(NDArrayIndex.interval(1, rows), NDArrayIndex.all()),
                        g.get(p.getKey()).get(NDArrayIndex.interval(1, rows), NDArrayIndex.all()));
            } else {
                check.wrt(p.getKey(), p.getValue(), g.get(p.getKey()));
            }
        }
        return check;
    }

    /** The masked cross-entropy with the same teacher-forcing draws every time. */
    private static void check(EncoderDecoder model, double ratio) {
        Seq2SeqBatch batch = batch();
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        EncoderDecoder.Result forward = model.forward(batch, ratio, new Random(3));
        SoftmaxCrossEntropy.Result loss = ce.compute(forward.logits(), batch.targets(), batch.targetMask());
        Gradients g = model.backward(loss.dLogits(), forward.cache());
        everyParameter(model, g).run(() -> ce.compute(model.forward(batch, ratio, new Random(3)).logits(), batch.targets(), batch.targetMask())
                .loss()).requirePassed();
    }

    @Test
    void backwardMatchesFiniteDifferencesWithoutAttention() {
        check(model(CellType.LSTM, AttentionType.NONE), 1.0);
        check(model(CellType.GRU, AttentionType.NONE), 1.0);
        check(model(CellType.RNN, AttentionType.NONE), 1.0);
    }

    @Test
    void backwardMatchesFiniteDifferencesWithBahdanauAttention() {
        check(model(CellType.LSTM, AttentionType.BAHDANAU), 1.0);
        check(model(CellType.GRU, AttentionType.BAHDANAU), 1.0);
    }

    @Test
    void backwardMatchesFiniteDifferencesWithLuongAttention() {
        check(model(CellType.LSTM, AttentionType.LUONG_DOT), 1.0);
        check(model(CellType.RNN, AttentionType.LUONG_GENERAL), 1.0);
    }

    @Test
    void backwardMatchesFiniteDifferencesWhenFeedingBackPredictions() {
        check(model(CellType.LSTM, AttentionType.BAHDANAU), 0.5);
        check(model(CellType.GRU, AttentionType.NONE), 0.0);
    }

    @Test
    void theRatioDecidesWhatTheDecoderReads() {
        EncoderDecoder model = model(CellType.LSTM, AttentionType.NONE);
        Seq2SeqBatch batch = batch();
        EncoderDecoder.Result forced = model.forward(batch, 1.0, new Random(1));
        assertEquals(1.0, forced.teacherForced());
        // teacher forcing: <bos>, then the targets shifted right
        assertArrayEquals(new int[] {2, 6, 5, 4}, forced.cache().decoderInputs()[0]);
        EncoderDecoder.Result free = model.forward(batch, 0.0, new Random(1));
        assertEquals(0.0, free.teacherForced());
        for (int t = 1; t < batch.targetSteps(); t++) {
            int predicted = free.logits().get(NDArrayIndex.point(0), NDArrayIndex.point(t - 1), NDArrayIndex.all()).argMax().getInt(0);
            assertEquals(predicted, free.cache().decoderInputs()[0][t], "step " + t);
        }
        double share = model.forward(batch, 0.5, new Random(1)).teacherForced();
        assertTrue(share > 0 && share < 1, "share " + share);
    }

    @Test
    void attentionWeightsArePerOutputStepAndIgnorePadding() {
        EncoderDecoder model = model(CellType.GRU, AttentionType.LUONG_GENERAL);
        Seq2SeqBatch batch = batch();
        INDArray weights = model.forward(batch, 1.0).attention();
        assertArrayEquals(new long[] {3, 4, 3}, weights.shape());
        for (int t = 0; t < 4; t++) {
            assertEquals(1.0, weights.getDouble(1, t, 0), 1e-12);
            assertEquals(0.0, weights.getDouble(2, t, 2));
        }
        assertNull(model(CellType.GRU, AttentionType.NONE).forward(batch, 1.0).attention());
    }

    @Test
    void aFewAdamStepsLowerTheLossOnOneBatch() {
        EncoderDecoder model = new EncoderDecoder(Seq2SeqConfiguration.of(V, V, 4, 8).withAttention(AttentionType.BAHDANAU)
                .withDataType(DataType.FLOAT).withSeed(2));
        Seq2SeqBatch batch = batch();
        double first = model.loss(batch);
        assertEquals(Math.log(V), first, 0.2);
        Adam adam = new Adam(0.05);
        for (int i = 0; i < 40; i++) {
            adam.step(model.parameters(), model.lossAndGradients(batch, 1.0).gradients());
        }
        double last = model.loss(batch);
        assertTrue(last < 0.3 * first, "loss " + first + " → " + last);
        // a memorised batch is also decoded right without teacher forcing
        int[][] decoded = model.greedy(batch, 6);
        for (int n = 0; n < 3; n++) {
            assertArrayEquals(batch.target(n), decoded[n], "pair " + n);
        }
    }

    @Test
    void greedySearchOnTheScorerAgreesWithBatchedGreedyAndTranslate() {
        EncoderDecoder model = model(CellType.LSTM, AttentionType.BAHDANAU);
        Seq2SeqBatch batch = batch();
        int[][] batched = model.greedy(batch, 5);
        for (int n = 0; n < 3; n++) {
            int[] source = batch.source(n);
            Hypothesis greedy = GreedySearch.decode(model.scorer(source), 5);
            assertArrayEquals(batched[n], greedy.tokens(), "pair " + n);
            assertArrayEquals(batched[n], model.translate(source, 5).tokens(), "pair " + n);
            Hypothesis beam1 = new BeamSearch(1, 0).decode(model.scorer(source), 5).best();
            assertArrayEquals(greedy.tokens(), beam1.tokens(), "pair " + n);
            assertEquals(greedy.logProbability(), beam1.logProbability(), 1e-9);
        }
    }
}

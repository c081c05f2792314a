package unrolled.fast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.check.GradientCheck;
import unrolled.models.CellType;
import unrolled.param.Gradients;
import unrolled.seq2seq.AttentionType;
import unrolled.seq2seq.BeamSearch;
import unrolled.seq2seq.EncoderDecoder;
import unrolled.seq2seq.EncoderDecoderTest;
import unrolled.seq2seq.Hypothesis;
import unrolled.seq2seq.Seq2SeqBatch;
import unrolled.seq2seq.Seq2SeqConfiguration;
import unrolled.train.LossAndGradients;

/**
 * The encoder–decoder's fast path against its readable reference ({@code fastPath(false)}), in DOUBLE: the training
 * step's loss and every gradient, greedy and beam outputs, scores and attention weights, for GRU and LSTM decoders with
 * every attention, teacher forcing and scheduled sampling; and the fast step's gradients against finite differences.
 */
class FastEncoderDecoderTest {

    private static final int V = 9;

    /** Four pairs of different lengths: sources and targets both padded. */
    private static Seq2SeqBatch batch() {
        return Seq2SeqBatch.of(List.of(new int[] {4, 5, 6, 7}, new int[] {7}, new int[] {5, 4}, new int[] {8, 6, 5}),
                List.of(new int[] {7, 6, 5, 4}, new int[] {7, 7}, new int[] {4}, new int[] {5, 6, 8, 4, 4}));
    }

    /** Two models with the same weights and draws, the second on the reference path. */
    private static EncoderDecoder[] fastAndReference(CellType cell, AttentionType attention, DataType type) {
        EncoderDecoder[] models = new EncoderDecoder[2];
        for (int k = 0; k < 2; k++) {
            models[k] = new EncoderDecoder(Seq2SeqConfiguration.of(V, V, 5, 6).withCell(cell).withAttention(attention)
                    .withDataType(type).withSeed(21));
            // a readout of ordinary size and non-zero biases, so that every path carries gradient and argmax varies
            models[k].parameters().get("output.W").muli(10);
            models[k].parameters().get("output.b").assign(Nd4j.linspace(-0.2, 0.2, V, type).reshape(1, V));
        }
        models[1].fastPath(false);
        assertTrue(models[0].usesFastPath());
        assertFalse(models[1].usesFastPath());
        return models;
    }

    static Stream<Arguments> configurations() {
        return Stream.of(CellType.GRU, CellType.LSTM).flatMap(cell -> Stream.of(AttentionType.values())
                .map(attention -> Arguments.of(cell, attention)));
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void theTrainingStepAgreesWithTheReference(CellType cell, AttentionType attention) {
        EncoderDecoder[] models = fastAndReference(cell, attention, DataType.DOUBLE);
        Seq2SeqBatch batch = batch();
        // ratio 1, then scheduled sampling twice: the draws of the models' own generators must stay in step
        for (double ratio : new double[] {1.0, 0.5, 0.3}) {
            LossAndGradients fast = models[0].lossAndGradients(batch, ratio);
            LossAndGradients reference = models[1].lossAndGradients(batch, ratio);
            assertEquals(reference.loss(), fast.loss(), 1e-12 * Math.max(1, Math.abs(reference.loss())), "loss at ε = " + ratio);
            assertEquals(reference.gradients().names(), fast.gradients().names(), "gradient names");
            for (Map.Entry<String, INDArray> entry : reference.gradients()) {
                Agree.agree(entry.getValue(), fast.gradients().get(entry.getKey()), entry.getKey() + " at ε = " + ratio);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void greedyTranslateAndBeamSearchAgreeWithTheReference(CellType cell, AttentionType attention) {
        EncoderDecoder[] models = fastAndReference(cell, attention, DataType.DOUBLE);
        Seq2SeqBatch batch = batch();
        int[][] expected = models[1].greedy(batch, 6);
        assertArrayEquals(expected, models[0].greedy(batch, 6), "greedy outputs");
        for (int n = 0; n < batch.batchSize(); n++) {
            EncoderDecoder.Translation reference = models[1].translate(batch.source(n), 6);
            EncoderDecoder.Translation fast = models[0].translate(batch.source(n), 6);
            assertArrayEquals(reference.tokens(), fast.tokens(), "translation of source " + n);
            if (attention == AttentionType.NONE) {
                assertNull(fast.attention());
            } else {
                Agree.agree(reference.attention(), fast.attention(), "attention weights of source " + n);
            }
            BeamSearch search = new BeamSearch(3, 0.7);
            assertSameBeams(search.decode(models[1].scorer(batch.source(n)), 6),
                    search.decode(models[0].scorer(batch.source(n)), 6));
        }
    }

    private static void assertSameBeams(BeamSearch.Result referenceBeam, BeamSearch.Result fastBeam) {
        assertEquals(referenceBeam.expansions(), fastBeam.expansions(), "beam expansions");
        assertEquals(referenceBeam.hypotheses().size(), fastBeam.hypotheses().size(), "beam hypotheses");
        for (int k = 0; k < referenceBeam.hypotheses().size(); k++) {
            Hypothesis r = referenceBeam.hypotheses().get(k);
            Hypothesis f = fastBeam.hypotheses().get(k);
            assertArrayEquals(r.tokens(), f.tokens(), "hypothesis " + k);
            assertEquals(r.logProbability(), f.logProbability(), 1e-12 * Math.max(1, Math.abs(r.logProbability())));
            assertEquals(r.score(), f.score(), 1e-12 * Math.max(1, Math.abs(r.score())));
            assertEquals(r.finished(), f.finished());
        }
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void decodingAfterATrainingStepUsesTheUpdatedWeights(CellType cell, AttentionType attention) {
        EncoderDecoder[] models = fastAndReference(cell, attention, DataType.DOUBLE);
        Seq2SeqBatch batch = batch();
        BeamSearch search = new BeamSearch(3, 0.7);
        // two scorers alive at once: the first must read its weights again after the second has read them
        var first = models[0].scorer(batch.source(0));
        var second = models[0].scorer(batch.source(2));
        BeamSearch.Result before = search.decode(first, 6);
        assertSameBeams(search.decode(models[1].scorer(batch.source(0)), 6), before);
        assertSameBeams(search.decode(models[1].scorer(batch.source(2)), 6), search.decode(second, 6));
        assertArrayEquals(models[1].greedy(batch, 6), models[0].greedy(batch, 6), "greedy outputs before the step");
        for (EncoderDecoder model : models) {
            // one plain gradient step, in place, as a trainer takes it
            for (Map.Entry<String, INDArray> entry : model.lossAndGradients(batch, 1.0).gradients()) {
                model.parameters().get(entry.getKey()).subi(entry.getValue().mul(2.0));
            }
        }
        BeamSearch.Result after = search.decode(models[0].scorer(batch.source(0)), 6);
        assertSameBeams(search.decode(models[1].scorer(batch.source(0)), 6), after);
        assertArrayEquals(models[1].greedy(batch, 6), models[0].greedy(batch, 6), "greedy outputs after the step");
        assertTrue(Math.abs(before.hypotheses().get(0).logProbability() - after.hypotheses().get(0).logProbability()) > 1e-6,
                "the step changes the best hypothesis's log-probability");
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void theFastStepsGradientsMatchFiniteDifferences(CellType cell, AttentionType attention) {
        EncoderDecoder model = fastAndReference(cell, attention, DataType.DOUBLE)[0];
        Seq2SeqBatch batch = batch();
        // scheduled sampling with the same draws at every evaluation: the fed-back argmax is a constant input
        double ratio = 0.5;
        Gradients g = model.lossAndGradients(batch, ratio, new Random(5)).gradients();
        GradientCheck check = EncoderDecoderTest.everyParameter(model, g);
        check.run(() -> model.lossAndGradients(batch, ratio, new Random(5)).loss()).requirePassed();
    }

    @Test
    void aFloatModelAgreesWithItsReferenceToFloatRoundOff() {
        EncoderDecoder[] models = fastAndReference(CellType.GRU, AttentionType.BAHDANAU, DataType.FLOAT);
        Seq2SeqBatch batch = batch();
        LossAndGradients fast = models[0].lossAndGradients(batch, 1.0);
        LossAndGradients reference = models[1].lossAndGradients(batch, 1.0);
        assertEquals(reference.loss(), fast.loss(), 1e-5 * Math.max(1, Math.abs(reference.loss())));
        for (Map.Entry<String, INDArray> entry : reference.gradients()) {
            assertEquals(DataType.FLOAT, fast.gradients().get(entry.getKey()).dataType(), entry.getKey());
            Agree.agree(entry.getValue(), fast.gradients().get(entry.getKey()), entry.getKey());
        }
    }

    @Test
    void aTargetIdOutsideTheVocabularyIsRefusedWithItsPosition() {
        EncoderDecoder model = fastAndReference(CellType.GRU, AttentionType.BAHDANAU, DataType.DOUBLE)[0];
        Seq2SeqBatch bad = Seq2SeqBatch.of(List.of(new int[] {4, 5}), List.of(new int[] {5, V + 2}));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> model.lossAndGradients(bad, 1.0));
        assertEquals("FastEncoderDecoder.train: every target id must be in [0, V) = [0, 9), but targetIds(0, 1) = 11.",
                error.getMessage());
    }

    @Test
    void anRnnDecoderStaysOnTheReferencePath() {
        EncoderDecoder model = new EncoderDecoder(Seq2SeqConfiguration.of(V, V, 3, 4).withCell(CellType.RNN));
        assertFalse(model.usesFastPath());
        assertEquals(4, model.greedy(batch(), 3).length);
    }
}

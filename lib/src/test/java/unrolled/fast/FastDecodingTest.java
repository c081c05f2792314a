package unrolled.fast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.data.Vocabulary;
import unrolled.models.CellType;
import unrolled.seq2seq.AttentionType;
import unrolled.seq2seq.BeamSearch;
import unrolled.seq2seq.EncoderDecoder;
import unrolled.seq2seq.GreedySearch;
import unrolled.seq2seq.Hypothesis;
import unrolled.seq2seq.Seq2SeqBatch;
import unrolled.seq2seq.Seq2SeqConfiguration;

/**
 * The batched decoding ({@link FastDecoding}: greedy over a batch, the scorer's batched step and the fused beam search)
 * against the readable reference ({@code fastPath(false)}), in DOUBLE, for GRU and LSTM with every attention: beams
 * wider than the vocabulary and of width 1, with and without length normalisation, searches that run to the limit
 * (&lt;eos&gt; held down) and searches that end early; greedy search over the scorer; sources with and without padding.
 */
class FastDecodingTest {

    private static final int V = 9;

    static Stream<Arguments> configurations() {
        return Stream.of(CellType.GRU, CellType.LSTM).flatMap(cell -> Stream.of(AttentionType.values())
                .map(attention -> Arguments.of(cell, attention)));
    }

    /** Two models with the same weights, the second on the reference path; a readout large enough to vary argmax. */
    private static EncoderDecoder[] fastAndReference(CellType cell, AttentionType attention, double endBias) {
        EncoderDecoder[] models = new EncoderDecoder[2];
        for (int k = 0; k < 2; k++) {
            models[k] = new EncoderDecoder(Seq2SeqConfiguration.of(V, V, 5, 8).withCell(cell).withAttention(attention)
                    .withDataType(DataType.DOUBLE).withSeed(33));
            models[k].parameters().get("output.W").muli(12);
            models[k].parameters().get("output.b").assign(Nd4j.linspace(-0.3, 0.3, V, DataType.DOUBLE).reshape(1, V));
            models[k].parameters().get("output.b").putScalar(0, Vocabulary.EOS_ID, endBias);
        }
        models[1].fastPath(false);
        return models;
    }

    private static final int[][] SOURCES = {{4, 5, 6, 7, 8, 4, 5}, {7}, {5, 4, 8}, {8, 8, 6, 5, 4, 7}, {6, 6}};

    @ParameterizedTest
    @MethodSource("configurations")
    void beamsOfEveryWidthAgreeWithTheReferenceSearch(CellType cell, AttentionType attention) {
        for (double endBias : new double[] {0.5, -1e4}) {
            EncoderDecoder[] models = fastAndReference(cell, attention, endBias);
            for (int[] source : SOURCES) {
                for (BeamSearch search : List.of(new BeamSearch(1, 0), new BeamSearch(4, 0.6), new BeamSearch(12, 1.0))) {
                    BeamSearch.Result reference = search.decode(models[1].scorer(source), 7);
                    BeamSearch.Result fast = search.decode(models[0].scorer(source), 7);
                    String what = search + " on " + Arrays.toString(source) + ", <eos> bias " + endBias;
                    assertEquals(reference.expansions(), fast.expansions(), "expansions, " + what);
                    assertEquals(reference.hypotheses().size(), fast.hypotheses().size(), "hypotheses, " + what);
                    for (int k = 0; k < reference.hypotheses().size(); k++) {
                        Hypothesis r = reference.hypotheses().get(k);
                        Hypothesis f = fast.hypotheses().get(k);
                        assertArrayEquals(r.tokens(), f.tokens(), "hypothesis " + k + ", " + what);
                        assertEquals(r.logProbability(), f.logProbability(), 1e-11 * Math.max(1, Math.abs(r.logProbability())),
                                "log p of hypothesis " + k + ", " + what);
                        assertEquals(r.score(), f.score(), 1e-11 * Math.max(1, Math.abs(r.score())), what);
                        assertEquals(r.finished(), f.finished(), what);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void greedySearchOverTheBatchedStepAgreesWithTheReference(CellType cell, AttentionType attention) {
        EncoderDecoder[] models = fastAndReference(cell, attention, 0.5);
        for (int[] source : SOURCES) {
            Hypothesis reference = GreedySearch.decode(models[1].scorer(source), 6);
            Hypothesis fast = GreedySearch.decode(models[0].scorer(source), 6);
            assertArrayEquals(reference.tokens(), fast.tokens());
            assertEquals(reference.logProbability(), fast.logProbability(), 1e-11 * Math.max(1, Math.abs(reference.logProbability())));
            assertEquals(reference.finished(), fast.finished());
        }
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void greedyOverUnpaddedAndPaddedBatchesAgreesWithTheReference(CellType cell, AttentionType attention) {
        EncoderDecoder[] models = fastAndReference(cell, attention, -0.2);
        // five sources of one length, no mask
        INDArray equal = Nd4j.createFromArray(new int[][] {{4, 5, 6}, {7, 7, 8}, {5, 4, 8}, {8, 6, 5}, {6, 6, 4}});
        assertArrayEquals(models[1].greedy(equal, null, 8), models[0].greedy(equal, null, 8), "unpadded batch");
        // more than four rows of mixed lengths (the products' four-row blocks and the rows left over)
        Seq2SeqBatch padded = Seq2SeqBatch.of(List.of(SOURCES), List.of(SOURCES));
        assertArrayEquals(models[1].greedy(padded, 9), models[0].greedy(padded, 9), "padded batch");
    }

    @Test
    void aSourceIdOutsideTheVocabularyIsRefusedWithItsPosition() {
        EncoderDecoder model = fastAndReference(CellType.GRU, AttentionType.BAHDANAU, 0)[0];
        INDArray bad = Nd4j.createFromArray(new int[][] {{4, 5}, {6, V + 3}});
        IllegalArgumentException greedy = assertThrows(IllegalArgumentException.class, () -> model.greedy(bad, null, 3));
        assertEquals("FastDecoding.greedy: every source id must be in [0, V) = [0, 9), but sources(1, 1) = 12.",
                greedy.getMessage());
        IllegalArgumentException scorer = assertThrows(IllegalArgumentException.class, () -> model.scorer(new int[] {4, -1}));
        assertEquals("FastDecoding.source: every source id must be in [0, V) = [0, 9), but sourceIds[1] = -1.",
                scorer.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> model.scorer(new int[0]));
        assertEquals("FastDecoding.source: sourceIds must hold at least one id, but is empty.", empty.getMessage());
    }
}

package unrolled.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.data.Batch;
import unrolled.data.Batching;
import unrolled.train.LossAndGradients;

/**
 * The models' training steps through {@link unrolled.fast.ReadoutLoss} (the readout, the loss and the readout's
 * gradients in one call) against the readable layers one after another: the same loss and gradients for every
 * parameter, with padding, dropout and stacked layers. (The models' gradient checks run the fused step.)
 */
class FusedReadoutLossAgreementTest {

    private static void assertSame(LossAndGradients readable, LossAndGradients fused, double tolerance) {
        assertEquals(readable.loss(), fused.loss(), tolerance * Math.max(1, Math.abs(readable.loss())), "loss");
        assertEquals(List.copyOf(readable.gradients().names()), List.copyOf(fused.gradients().names()), "names, in order");
        for (Map.Entry<String, INDArray> entry : readable.gradients()) {
            double[] expected = entry.getValue().dup().data().asDouble();
            double[] actual = fused.gradients().get(entry.getKey()).dup().data().asDouble();
            assertEquals(expected.length, actual.length, entry.getKey());
            double scale = 0;
            for (double e : expected) {
                scale = Math.max(scale, Math.abs(e));
            }
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], tolerance * Math.max(scale, 1e-2), entry.getKey() + "[" + i + "]");
            }
        }
    }

    private static Batch paddedText(DataType type) {
        return Batching.nextToken(List.of(new int[] {2, 4, 5, 1, 4, 0}, new int[] {2, 3, 0, 5}, new int[] {1, 1, 2}), type);
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void theCharLanguageModelsFusedStepEqualsItsReadableStep(CellType cell) {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            ModelConfiguration configuration = ModelConfiguration.ofTokens(6, 3, 5, 6).withCell(cell).withLayers(2)
                    .withDropout(0.3).withDataType(type).withSeed(11);
            CharLanguageModel fused = new CharLanguageModel(configuration);
            CharLanguageModel readable = new CharLanguageModel(configuration);
            readable.fused = false;
            Batch batch = paddedText(type);
            // twice: the second step draws new dropout masks in both
            for (int step = 0; step < 2; step++) {
                assertSame(readable.lossAndGradients(batch), fused.lossAndGradients(batch), type == DataType.DOUBLE ? 1e-12 : 1e-5);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void theSequenceClassifiersFusedStepEqualsItsReadableStep(CellType cell) {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            ModelConfiguration configuration = ModelConfiguration.ofTokens(7, 3, 5, 3).withCell(cell).withDropout(0.2)
                    .withDataType(type).withSeed(5);
            SequenceClassifier fused = new SequenceClassifier(configuration);
            SequenceClassifier readable = new SequenceClassifier(configuration);
            readable.fused = false;
            Batch padded = Batching.pad(List.of(new int[] {1, 4, 5, 2}, new int[] {3, 0, 6}, new int[] {2}), type);
            Batch batch = new Batch(padded.inputs(), Nd4j.createFromArray(2, 0, 1), padded.mask(), padded.lengths());
            for (int step = 0; step < 2; step++) {
                assertSame(readable.lossAndGradients(batch), fused.lossAndGradients(batch), type == DataType.DOUBLE ? 1e-12 : 1e-5);
            }
        }
    }

    @Test
    void aTargetOutsideTheVocabularyIsRejectedInTheModelsName() {
        CharLanguageModel model = new CharLanguageModel(ModelConfiguration.ofTokens(6, 3, 5, 6).withSeed(1));
        Batch good = paddedText(DataType.DOUBLE);
        INDArray targets = good.targets().dup();
        targets.putScalar(0, 1, 9);
        Batch bad = new Batch(good.inputs(), targets, good.mask(), good.lengths());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> model.lossAndGradients(bad));
        assertEquals("CharLanguageModel.lossAndGradients: every target must be in [0, 6), but target 1 (in row-major order) "
                + "is 9.", error.getMessage());
    }
}

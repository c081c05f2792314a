package unrolled.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.models.CellType;
import unrolled.models.CharLanguageModel;
import unrolled.models.ModelConfiguration;

/** The FLOAT step (vector and portable loops) against the model's readable forward pass in FLOAT. */
class LstmGeneratorTest {

    private static final int V = 13;

    @AfterEach
    void vectorUnitsBackOn() {
        Simd.off = false;
    }

    /** H = 20 is no whole number of vectors, so the gate loop's one-at-a-time tail runs too; V = 13 pads the readout. */
    private static CharLanguageModel model(int layers) {
        CharLanguageModel model = new CharLanguageModel(ModelConfiguration.ofTokens(V, 5, 20, V).withCell(CellType.LSTM)
                .withLayers(layers).withDataType(DataType.FLOAT).withSeed(4));
        model.parameters().get("output.W").muli(5);
        return model;
    }

    private static LstmGenerator generator(CharLanguageModel model, int layers) {
        List<INDArray[]> weights = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            String prefix = "rnn.layer" + l + ".";
            weights.add(new INDArray[] {model.parameters().get(prefix + "Wx"), model.parameters().get(prefix + "Wh"),
                model.parameters().get(prefix + "b")});
        }
        return new LstmGenerator(model.parameters().get("embedding.E"), weights, model.parameters().get("output.W"),
                model.parameters().get("output.b"));
    }

    @ParameterizedTest
    @CsvSource({"1, false", "2, false", "1, true", "2, true"})
    void aFloatModelsLogitsAreItsReadableForwardPassAtEveryPosition(int layers, boolean portable) {
        Simd.off = portable;
        CharLanguageModel model = model(layers);
        int[] ids = {1, 4, 5, 12, 6, 4, 0, 6, 5, 9, 9, 3, 7, 11, 2, 8, 10, 4, 4, 1};
        INDArray logits = model.logits(Nd4j.createFromArray(new int[][] {ids}));
        LstmGenerator generator = generator(model, layers);
        // twice: read starts again from the zero state
        for (int pass = 0; pass < 2; pass++) {
            double[] z = generator.read(new int[] {ids[0]});
            for (int t = 0; t < ids.length; t++) {
                if (t > 0) {
                    z = generator.next(ids[t]);
                }
                for (int v = 0; v < V; v++) {
                    double expected = logits.getDouble(0, t, v);
                    assertEquals(expected, z[v], 2e-5 * Math.max(1, Math.abs(expected)), "z at step " + t + ", token " + v);
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"-1", "13"})
    void refusesAnIdOutsideTheVocabulary(int id) {
        LstmGenerator generator = generator(model(1), 1);
        generator.read(new int[] {0});
        assertEquals("LstmGenerator: every id must be in [0, V) = [0, 13), but is " + id + ".",
                assertThrows(IllegalArgumentException.class, () -> generator.next(id)).getMessage());
        assertEquals("LstmGenerator: every id must be in [0, V) = [0, 13), but is " + id + ".",
                assertThrows(IllegalArgumentException.class, () -> generator.read(new int[] {2, id})).getMessage());
    }
}

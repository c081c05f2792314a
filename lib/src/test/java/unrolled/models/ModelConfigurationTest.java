package unrolled.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import unrolled.cell.GruCell;
import unrolled.cell.LstmCell;
import unrolled.cell.RecurrentCell;
import unrolled.cell.RnnCell;

class ModelConfigurationTest {

    @Test
    void theFactoriesAndWithersSetWhatTheySay() {
        ModelConfiguration c = ModelConfiguration.ofTokens(30, 8, 16, 30).withCell(CellType.GRU).withLayers(3)
                .withBidirectional(true).withDropout(0.2).withDataType(DataType.FLOAT).withSeed(-5);
        assertEquals(new ModelConfiguration(30, 8, CellType.GRU, 16, 3, true, 30, 0.2, DataType.FLOAT, -5), c);
        assertTrue(c.readsTokens());
        assertEquals(new ModelConfiguration(0, 2, CellType.LSTM, 4, 1, false, 3, 0.0, DataType.DOUBLE, 0),
                ModelConfiguration.ofFeatures(2, 4, 3));
    }

    @Test
    void settingsRoundTripExactly() {
        ModelConfiguration c = new ModelConfiguration(30, 8, CellType.RNN, 16, 2, true, 5, 0.1 + 0.2, DataType.FLOAT,
                Long.MIN_VALUE);
        Map<String, String> settings = c.settings();
        assertEquals("[vocabularySize, inputSize, cellType, hiddenSize, layers, bidirectional, outputSize, dropout, dataType, "
                + "seed]", settings.keySet().toString());
        assertEquals("0.30000000000000004", settings.get("dropout"));
        assertEquals(c, ModelConfiguration.fromSettings(settings));
    }

    @Test
    void outOfRangeSettingsAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelConfiguration.ofFeatures(2, 0, 3));
        assertEquals("ModelConfiguration: hiddenSize must be positive, but is 0.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelConfiguration.ofFeatures(2, 4, 3).withDropout(1.0));
        assertEquals("ModelConfiguration: dropout must be in [0, 1), but is 1.0.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelConfiguration.ofFeatures(2, 4, 3).withDataType(DataType.INT32));
        assertEquals("ModelConfiguration: dataType must be DOUBLE or FLOAT, but is INT.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelConfiguration.ofFeatures(2, 4, 3).withLayers(0));
        assertEquals("ModelConfiguration: layers must be positive, but is 0.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ModelConfiguration(-1, 2, CellType.RNN, 4, 1, false, 3, 0, DataType.DOUBLE, 0));
        assertEquals("ModelConfiguration: vocabularySize must be positive for token ids, or 0 for feature vectors, but is -1.",
                e.getMessage());
    }

    @Test
    void incompleteSettingsAreRefused() {
        Map<String, String> settings = new LinkedHashMap<>(ModelConfiguration.ofFeatures(2, 4, 3).settings());
        settings.remove("seed");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelConfiguration.fromSettings(settings));
        assertEquals("ModelConfiguration.fromSettings: settings must be [vocabularySize, inputSize, cellType, hiddenSize, "
                + "layers, bidirectional, outputSize, dropout, dataType, seed], but are [vocabularySize, inputSize, cellType, "
                + "hiddenSize, layers, bidirectional, outputSize, dropout, dataType].", e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void eachCellTypeBuildsItsCell(CellType type) {
        RecurrentCell<?> cell = type.create(3, 5, DataType.FLOAT, 1);
        Class<?> expected = switch (type) {
            case RNN -> RnnCell.class;
            case LSTM -> LstmCell.class;
            case GRU -> GruCell.class;
        };
        assertEquals(expected, cell.getClass());
        assertEquals(3, cell.inputSize());
        assertEquals(5, cell.hiddenSize());
        assertEquals(DataType.FLOAT, cell.dataType());
    }
}

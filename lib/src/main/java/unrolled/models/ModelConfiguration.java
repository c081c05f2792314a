package unrolled.models;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.nd4j.linalg.api.buffer.DataType;
import unrolled.tensor.Shapes;

/**
 * Everything needed to build one of the ready models again, weights aside: what it reads, how large its recurrent
 * body is, what it outputs, and the seed of its weights. A saved model stores its configuration beside its
 * parameters, so that {@code load} can rebuild it and {@code loadParameters} can refuse a file made for another model.
 *
 * <pre>
 *   inputs: token ids (N, T) when vocabularySize V &gt; 0, embedded to vectors of size D = inputSize
 *           feature vectors (N, T, D) when vocabularySize = 0
 *   body:   layers × (cellType cell, hidden size H), optionally bidirectional (outputs of size 2H), dropout p
 *           between layers and before the readout during training
 *   output: outputSize K: V for a language model, the number of classes, or the number of values forecast
 * </pre>
 *
 * Build one with {@link #ofTokens} or {@link #ofFeatures} and adjust it with the {@code with…} methods:
 * <pre>{@code
 * ModelConfiguration configuration = ModelConfiguration.ofTokens(V, 16, 64, V)
 *         .withCell(CellType.GRU).withLayers(2).withDropout(0.2).withSeed(42);
 * }</pre>
 *
 * @param vocabularySize V, the number of distinct token ids; 0 when the model reads feature vectors
 * @param inputSize D, the size of each vector the recurrent body reads: the embedding size for tokens, the number
 *     of features otherwise; positive
 * @param cellType RNN, LSTM or GRU
 * @param hiddenSize H, the hidden size of every recurrent layer (of each direction), positive
 * @param layers the number of stacked recurrent layers, positive
 * @param bidirectional true to read every layer's input both ways and concatenate the two directions
 * @param outputSize K, the size of the readout: V, the number of classes or the forecast horizon; positive
 * @param dropout p, the probability of dropping a unit between layers and before the readout during training, in
 *     [0, 1)
 * @param dataType DOUBLE (teaching, gradient checks) or FLOAT (speed)
 * @param seed the seed every part's weights and dropout masks are derived from
 */
public record ModelConfiguration(int vocabularySize, int inputSize, CellType cellType, int hiddenSize, int layers,
        boolean bidirectional, int outputSize, double dropout, DataType dataType, long seed) {

    /**
     * Checks every setting, naming the first one that is out of range.
     *
     * @param vocabularySize V, or 0 for feature vectors
     * @param inputSize D, positive
     * @param cellType RNN, LSTM or GRU
     * @param hiddenSize H, positive
     * @param layers stacked layers, positive
     * @param bidirectional whether each layer reads both ways
     * @param outputSize K, positive
     * @param dropout p in [0, 1)
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of weights and masks
     */
    public ModelConfiguration {
        String method = "ModelConfiguration";
        if (vocabularySize < 0) {
            throw new IllegalArgumentException(method + ": vocabularySize must be positive for token ids, or 0 for feature "
                    + "vectors, but is " + vocabularySize + ".");
        }
        Shapes.requirePositive(method, "inputSize", inputSize);
        Objects.requireNonNull(cellType, method + ": cellType must not be null");
        Shapes.requirePositive(method, "hiddenSize", hiddenSize);
        Shapes.requirePositive(method, "layers", layers);
        Shapes.requirePositive(method, "outputSize", outputSize);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException(method + ": dropout must be in [0, 1), but is " + dropout + ".");
        }
        Objects.requireNonNull(dataType, method + ": dataType must not be null");
        Shapes.requireFloating(method, dataType);
    }

    /**
     * A model that reads token ids: one LSTM layer, unidirectional, no dropout, DOUBLE, seed 0.
     *
     * @param vocabularySize V, positive
     * @param embeddingSize D, the size of each token's vector, positive
     * @param hiddenSize H, positive
     * @param outputSize K (V for a language model), positive
     * @return the configuration
     */
    public static ModelConfiguration ofTokens(int vocabularySize, int embeddingSize, int hiddenSize, int outputSize) {
        Shapes.requirePositive("ModelConfiguration.ofTokens", "vocabularySize", vocabularySize);
        return new ModelConfiguration(vocabularySize, embeddingSize, CellType.LSTM, hiddenSize, 1, false, outputSize, 0.0,
                DataType.DOUBLE, 0);
    }

    /**
     * A model that reads feature vectors (N, T, D): one LSTM layer, unidirectional, no dropout, DOUBLE, seed 0.
     *
     * @param inputSize D, positive
     * @param hiddenSize H, positive
     * @param outputSize K, positive
     * @return the configuration
     */
    public static ModelConfiguration ofFeatures(int inputSize, int hiddenSize, int outputSize) {
        return new ModelConfiguration(0, inputSize, CellType.LSTM, hiddenSize, 1, false, outputSize, 0.0, DataType.DOUBLE, 0);
    }

    /**
     * @param type RNN, LSTM or GRU
     * @return this configuration with every layer (and direction) built from that cell
     */
    public ModelConfiguration withCell(CellType type) {
        return edit(draft -> draft.cellType = type);
    }

    /**
     * @param count L, the number of stacked recurrent layers, positive
     * @return this configuration with another depth; layer l ≥ 1 reads layer l − 1's outputs (after dropout)
     */
    public ModelConfiguration withLayers(int count) {
        return edit(draft -> draft.layers = count);
    }

    /**
     * @param both true for a bidirectional body
     * @return this configuration read one way or both: outputs and final state of size 2H when both
     */
    public ModelConfiguration withBidirectional(boolean both) {
        return edit(draft -> draft.bidirectional = both);
    }

    /**
     * @param rate p in [0, 1)
     * @return this configuration dropping units with probability p between layers and before the readout, in training
     */
    public ModelConfiguration withDropout(double rate) {
        return edit(draft -> draft.dropout = rate);
    }

    /**
     * @param type DOUBLE (teaching, gradient checks) or FLOAT (speed)
     * @return this configuration computing in another data type: weights, states and inputs all of that type
     */
    public ModelConfiguration withDataType(DataType type) {
        return edit(draft -> draft.dataType = type);
    }

    /**
     * @param newSeed the seed of the weights and dropout masks
     * @return this configuration with another seed, from which every part's seed is derived
     */
    public ModelConfiguration withSeed(long newSeed) {
        return edit(draft -> draft.seed = newSeed);
    }

    /** @return a copy of this configuration with one change, checked like any new configuration */
    private ModelConfiguration edit(Consumer<Draft> change) {
        Draft draft = new Draft(this);
        change.accept(draft);
        return new ModelConfiguration(draft.vocabularySize, draft.inputSize, draft.cellType, draft.hiddenSize, draft.layers,
                draft.bidirectional, draft.outputSize, draft.dropout, draft.dataType, draft.seed);
    }

    /** The settings of a configuration being edited: a record's components, open to one change before it is built. */
    private static final class Draft {
        int vocabularySize;
        int inputSize;
        CellType cellType;
        int hiddenSize;
        int layers;
        boolean bidirectional;
        int outputSize;
        double dropout;
        DataType dataType;
        long seed;

        Draft(ModelConfiguration from) {
            vocabularySize = from.vocabularySize;
            inputSize = from.inputSize;
            cellType = from.cellType;
            hiddenSize = from.hiddenSize;
            layers = from.layers;
            bidirectional = from.bidirectional;
            outputSize = from.outputSize;
            dropout = from.dropout;
            dataType = from.dataType;
            seed = from.seed;
        }
    }

    /** @return true if the model reads token ids (N, T) through an embedding, false for feature vectors (N, T, D) */
    public boolean readsTokens() {
        return vocabularySize > 0;
    }

    /**
     * The settings as text, in a fixed order: how a model file stores them, and how a mismatch is reported.
     * Numbers are written so that reading them back gives exactly the same value.
     *
     * @return setting name to value
     */
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("vocabularySize", Integer.toString(vocabularySize));
        settings.put("inputSize", Integer.toString(inputSize));
        settings.put("cellType", cellType.name());
        settings.put("hiddenSize", Integer.toString(hiddenSize));
        settings.put("layers", Integer.toString(layers));
        settings.put("bidirectional", Boolean.toString(bidirectional));
        settings.put("outputSize", Integer.toString(outputSize));
        settings.put("dropout", Double.toString(dropout));
        settings.put("dataType", dataType.name());
        settings.put("seed", Long.toString(seed));
        return settings;
    }

    /**
     * Reads settings written by {@link #settings()}.
     *
     * @param settings setting name to value, exactly the names of {@link #settings()}
     * @return the configuration
     * @throws IllegalArgumentException naming a missing, extra or unreadable setting
     */
    public static ModelConfiguration fromSettings(Map<String, String> settings) {
        String method = "ModelConfiguration.fromSettings";
        Objects.requireNonNull(settings, method + ": settings must not be null");
        var expected = ofFeatures(1, 1, 1).settings().keySet();
        if (!settings.keySet().equals(expected)) {
            throw new IllegalArgumentException(method + ": settings must be " + expected + ", but are " + settings.keySet() + ".");
        }
        try {
            return new ModelConfiguration(
                    Integer.parseInt(settings.get("vocabularySize")),
                    Integer.parseInt(settings.get("inputSize")),
                    CellType.valueOf(settings.get("cellType")),
                    Integer.parseInt(settings.get("hiddenSize")),
                    Integer.parseInt(settings.get("layers")),
                    parseBoolean(settings.get("bidirectional")),
                    Integer.parseInt(settings.get("outputSize")),
                    Double.parseDouble(settings.get("dropout")),
                    DataType.valueOf(settings.get("dataType")),
                    Long.parseLong(settings.get("seed")));
        } catch (IllegalArgumentException e) {
            // NumberFormatException is an IllegalArgumentException too
            throw new IllegalArgumentException(method + ": cannot read the settings " + settings + ": " + e.getMessage(), e);
        }
    }

    private static boolean parseBoolean(String text) {
        if (!"true".equals(text) && !"false".equals(text)) {
            throw new IllegalArgumentException("bidirectional must be true or false, but is " + text);
        }
        return Boolean.parseBoolean(text);
    }
}

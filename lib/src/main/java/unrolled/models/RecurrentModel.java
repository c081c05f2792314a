package unrolled.models;

import java.nio.file.Path;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.param.Gradients;
import unrolled.param.Trainable;
import unrolled.param.Parameters;

/**
 * What the ready models share: the configuration they were built from, the {@link RecurrentNetwork} it describes
 * (input, recurrent stack, dropout, readout), its parameters by name, and saving and loading those parameters bit for
 * bit. A model adds its forward pass's reading of the network's output, its loss and what it predicts.
 */
public abstract sealed class RecurrentModel implements Trainable
        permits CharLanguageModel, SequenceClassifier, SequenceTagger, SequenceRegressor {

    /** The configuration the model was built from. */
    final ModelConfiguration configuration;
    /** x → rnn → dropout → readout, forward and backward. */
    final RecurrentNetwork network;
    /** Every trainable array, by name: {@code embedding.E}, {@code rnn.layer0.Wx}, {@code output.W}, … */
    final Parameters parameters;
    private final String kind;

    /**
     * @param kind the model's class name, for the messages and the model file
     * @param configuration the model's configuration, already checked for this kind
     * @param reads which states the readout reads
     */
    RecurrentModel(String kind, ModelConfiguration configuration, RecurrentNetwork.Reads reads) {
        this.kind = kind;
        this.configuration = Objects.requireNonNull(configuration, kind + ": configuration must not be null");
        this.network = new RecurrentNetwork(configuration, reads);
        this.parameters = network.parameters();
    }

    /**
     * Backpropagation through the readout, the dropout before it, the recurrent body (through time, both directions
     * when bidirectional) and the embedding. Where the readout reads the final state s, ∂L/∂s enters BPTT as the
     * gradient of that state and no output step receives any.
     *
     * @param dOutput ∂L/∂z for the z that {@code forward} returned: (N, T, K) for a readout of every step (the language
     *     model's and the tagger's logits), (N, K) for one of the final state (the classifier's logits, the
     *     regressor's predictions)
     * @param cache the cache {@code forward} returned; not modified
     * @return ∂L/∂θ for every parameter, under the names of {@link #parameters()}
     */
    public Gradients backward(INDArray dOutput, RecurrentNetwork.Cache cache) {
        return network.backward(kind + ".backward", "dOutput", dOutput, cache);
    }

    /**
     * Saves the configuration and every parameter, by name, with its shape and data type, bit for bit.
     *
     * @param path the file to write; replaced if it exists
     * @throws java.io.UncheckedIOException if the file cannot be written
     */
    public void save(Path path) {
        ModelFile.write(kind + ".save", path, kind, configuration, parameters);
    }

    /**
     * Overwrites this model's parameters with a saved model's.
     *
     * @param path a file written by {@link #save} from a model of exactly this kind and configuration
     * @throws IllegalArgumentException naming the difference if the file holds another kind of model, another
     *     configuration, or other parameters
     */
    public void loadParameters(Path path) {
        String method = kind + ".loadParameters";
        ModelFile.Contents contents = ModelFile.read(method, path, kind);
        ModelFile.requireConfiguration(method, path, contents, configuration);
        ModelFile.assign(method, path, contents, parameters);
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    /** @return the configuration the model was built from */
    public ModelConfiguration configuration() {
        return configuration;
    }

    @Override
    public String toString() {
        return kind + "(" + (configuration.readsTokens() ? "V=" + configuration.vocabularySize() + ", " : "") + "D="
                + configuration.inputSize() + ", " + configuration.layers() + " × " + configuration.cellType() + " H="
                + configuration.hiddenSize() + (configuration.bidirectional() ? " bidirectional" : "") + ", K="
                + configuration.outputSize() + ", dropout " + configuration.dropout() + ", " + configuration.dataType() + ")";
    }
}

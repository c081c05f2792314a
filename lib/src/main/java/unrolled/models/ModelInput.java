package unrolled.models;

import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.data.Batch;
import unrolled.layer.Embedding;
import unrolled.param.Gradients;
import unrolled.param.Parameters;
import unrolled.data.SequenceMask;
import unrolled.tensor.ShapeException;
import unrolled.tensor.Shapes;

/**
 * The input end of a ready model: token ids go through an {@link Embedding}, feature vectors go in as they are.
 *
 * <pre>
 *   tokens:    x[n, t] = E[ids[n, t]]       ids (N, T) integers in [0, V), E (V, D), x (N, T, D)
 *   features:  x = inputs                   (N, T, D)
 * </pre>
 *
 * Parameters: {@code E} for tokens (the model registers it as {@code embedding.E}), none for features.
 */
final class ModelInput {

    /**
     * The vectors the recurrent body reads.
     *
     * @param x (N, T, D)
     * @param cache the embedding's cache, or null for features
     */
    record Result(INDArray x, Embedding.Cache cache) {
    }

    private final ModelConfiguration configuration;
    private final Embedding embedding;

    /**
     * @param configuration the model's configuration; its seed is the embedding's
     */
    ModelInput(ModelConfiguration configuration) {
        this.configuration = configuration;
        this.embedding = configuration.readsTokens()
                ? new Embedding(configuration.vocabularySize(), configuration.inputSize(), configuration.dataType(),
                        configuration.seed())
                : null;
    }

    /**
     * Checks the inputs in the caller's name and turns them into vectors.
     *
     * @param method the public method being called, e.g. {@code "SequenceClassifier.forward"}
     * @param inputs (N, T) ids of an integer type, or (N, T, D) features of the model's data type
     * @return x (N, T, D) and the cache for {@link #backward}
     */
    Result forward(String method, INDArray inputs) {
        if (embedding != null) {
            Shapes.require(method, "inputs", inputs, "(N, T)", Shapes.ANY, Shapes.ANY);
            if (!inputs.dataType().isIntType()) {
                throw new ShapeException(method + ": inputs must be token ids of an integer data type such as INT or LONG, "
                        + "but have " + inputs.dataType() + ". Convert them with castTo(DataType.INT32).");
            }
            Shapes.requirePositive(method, "N (inputs.size(0))", inputs.size(0));
            Shapes.requirePositive(method, "T (inputs.size(1))", inputs.size(1));
            Embedding.Result embedded = embedding.forward(inputs);
            return new Result(embedded.output(), embedded.cache());
        }
        Shapes.require(method, "inputs", inputs, "(N, T, D)", Shapes.ANY, Shapes.ANY, configuration.inputSize());
        Shapes.requireType(method, "inputs", inputs, configuration.dataType());
        Shapes.requirePositive(method, "N (inputs.size(0))", inputs.size(0));
        Shapes.requirePositive(method, "T (inputs.size(1))", inputs.size(1));
        return new Result(inputs, null);
    }

    /**
     * @param dx ∂L/∂x, (N, T, D)
     * @param cache from {@link #forward}
     * @return ∂L/∂E under the name {@code E} for tokens; no gradients for features (inputs are data, not weights)
     */
    Gradients backward(INDArray dx, Embedding.Cache cache) {
        return embedding == null ? new Gradients() : embedding.backward(dx, cache);
    }

    /**
     * Checks a batch's targets and reads them.
     *
     * @param method the public method being called, for the messages
     * @param targets class ids, shape already checked, an integer data type, each in [0, classes)
     * @param classes the number of classes
     * @return the ids in row-major order as Java ints, read in one bulk copy
     */
    static int[] targetIds(String method, INDArray targets, int classes) {
        if (!targets.dataType().isIntType()) {
            throw new ShapeException(method + ": targets must have an integer data type such as INT or LONG, but has "
                    + targets.dataType() + ". Convert it with castTo(DataType.INT32).");
        }
        int[] ids = targets.dup('c').data().asInt();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= classes) {
                throw new IllegalArgumentException(method + ": every target must be in [0, " + classes + "), but target " + i
                        + " (in row-major order) is " + ids[i] + ".");
            }
        }
        return ids;
    }

    /**
     * @param batch a batch
     * @return the recurrent layers' mask for its lengths, or null when no sequence is padded (the cheaper path)
     */
    static SequenceMask maskOf(Batch batch) {
        return batch.paddedSteps() == 0 ? null : SequenceMask.ofLengths(batch.lengths(), batch.steps());
    }

    /** @return {@code E} for tokens, nothing for features */
    Parameters parameters() {
        return embedding == null ? new Parameters() : embedding.parameters();
    }
}

package unrolled.models;

import java.nio.file.Path;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.data.Batch;
import unrolled.metrics.Metrics;
import unrolled.loss.SoftmaxCrossEntropy;
import unrolled.param.Gradients;
import unrolled.data.SequenceMask;
import unrolled.tensor.Shapes;
import unrolled.train.LossAndGradients;

/**
 * A many-to-many tagger: one of K tags for every step of a sequence (part of speech for every word, a named-entity
 * label, the running parity of a bit string).
 *
 * <pre>
 *   x = inputs, or E[ids]                                    (N, T, D)
 *   y = rnn(x, mask)                                         (N, T, H), or (N, T, 2H) = [→h_t, ←h_t] bidirectional
 *   z_t = dropout(y_t)·W + b                                 W (H or 2H, K), b (1, K), logits z (N, T, K)
 *   loss = Σ_{n,t} m·(−log softmax(z_{n,t})_{y_{n,t}}) / Σ m  masked mean cross-entropy over the real steps
 * </pre>
 *
 * <p>Bidirectional is the natural choice for tagging when the whole sequence is available: the tag of a word often
 * depends on the words after it ("<i>record</i> the show" makes it a verb, "<i>record</i> sales" a noun modifier), and
 * [→h_t, ←h_t] has read both sides.
 * Padded steps are masked out of the loss, so they receive no gradient, and the backward direction of each sequence
 * starts at its own last real step.
 *
 * <p>Parameters: ({@code embedding.E}), {@code rnn.layer0.Wx} (or {@code rnn.layer0.forward.Wx},
 * {@code rnn.layer0.backward.Wx}), … , {@code output.W}, {@code output.b}. The readout starts small, so the first
 * loss is about ln K (see {@link Readout}).
 */
public final class SequenceTagger extends RecurrentModel {

    /**
     * The forward result.
     *
     * @param logits z, (N, T, K): unnormalised log-probabilities of the tags at every step
     * @param cache for {@link #backward}
     */
    public record Result(INDArray logits, RecurrentNetwork.Cache cache) {
    }

    /**
     * Tags every step of every sequence:
     *
     * <pre>
     *   y = rnn(x, mask)               (N, T, H), or (N, T, 2H) = [→h_t, ←h_t] when bidirectional; zero on padding
     *   z_t = dropout(y_t)·W + b       one score per tag at every step, (N, T, K)
     * </pre>
     *
     * @param inputs (N, T, D) features of the model's data type, or (N, T) token ids for a token model
     * @param mask which steps are real, (N, T), padding at the end; null if none is padded
     * @param training true to apply dropout; false (evaluation) for none
     * @return the logits (N, T, K) and the cache for {@link #backward}
     */
    public Result forward(INDArray inputs, SequenceMask mask, boolean training) {
        RecurrentNetwork.Result z = network.forward(KIND + ".forward", inputs, null, mask, training);
        return new Result(z.output(), z.cache());
    }

    private static final String KIND = "SequenceTagger";

    private final SoftmaxCrossEntropy crossEntropy = new SoftmaxCrossEntropy();

    /**
     * @param configuration token ids or features, any cell, depth, direction, dropout, data type and seed;
     *     {@code outputSize} is K, the number of tags
     */
    public SequenceTagger(ModelConfiguration configuration) {
        super(KIND, configuration, RecurrentNetwork.Reads.EVERY_STEP);
    }

    /**
     * One training step's numbers: forward with dropout, masked mean cross-entropy over the real steps, backward.
     *
     * @param batch inputs (N, T, D) or (N, T) ids, targets (N, T) tag ids of an integer type, mask, lengths
     * @return the loss and ∂loss/∂θ for every parameter
     */
    public LossAndGradients lossAndGradients(Batch batch) {
        requireTargets(KIND + ".lossAndGradients", batch);
        Result forward = forward(batch.inputs(), ModelInput.maskOf(batch), true);
        // loss = Σ m·(−log softmax(z)_y) / Σ m
        SoftmaxCrossEntropy.Result loss = crossEntropy.compute(forward.logits(), batch.targets(), batch.mask());
        return new LossAndGradients(loss.loss(), backward(loss.dLogits(), forward.cache()));
    }

    /**
     * @param batch inputs, targets (N, T) tag ids, mask, lengths
     * @return the masked mean cross-entropy in evaluation mode (no dropout)
     */
    public double loss(Batch batch) {
        requireTargets(KIND + ".loss", batch);
        return crossEntropy.compute(logits(batch), batch.targets(), batch.mask()).loss();
    }

    /**
     * @param batch inputs, mask and lengths (targets are not read)
     * @return the logits (N, T, K) in evaluation mode
     */
    public INDArray logits(Batch batch) {
        Objects.requireNonNull(batch, KIND + ".logits: batch must not be null");
        return forward(batch.inputs(), ModelInput.maskOf(batch), false).logits();
    }

    /**
     * @param batch inputs, mask and lengths (targets are not read)
     * @return for each sequence n, the tag with the largest logit at each of its L_n real steps (the lowest id among
     *     ties); padding gets no tag
     */
    public int[][] predict(Batch batch) {
        INDArray logits = logits(batch);
        int[] lengths = batch.lengths();
        INDArray predicted = Nd4j.argMax(logits, 2);
        int[][] tags = new int[lengths.length][];
        for (int n = 0; n < lengths.length; n++) {
            tags[n] = new int[lengths[n]];
            for (int t = 0; t < lengths[n]; t++) {
                tags[n][t] = predicted.getInt(n, t);
            }
        }
        return tags;
    }

    /**
     * @param batch inputs, targets (N, T) tag ids, mask, lengths
     * @return the fraction of real steps whose predicted tag is the target, in evaluation mode
     */
    public double accuracy(Batch batch) {
        requireTargets(KIND + ".accuracy", batch);
        return Metrics.accuracy(logits(batch), batch.targets(), batch.mask());
    }

    private static void requireTargets(String method, Batch batch) {
        Objects.requireNonNull(batch, method + ": batch must not be null");
        Shapes.require(method, "targets", batch.targets(), "(N, T)", batch.batchSize(), batch.steps());
    }

    /**
     * Rebuilds a saved model: its configuration, then its parameters, bit-identical to those saved.
     *
     * @param path a file written by {@link #save}
     * @return the model
     * @throws java.io.UncheckedIOException if the file cannot be read
     * @throws IllegalArgumentException if the file is not a saved {@code SequenceTagger}
     */
    public static SequenceTagger load(Path path) {
        return ModelFile.load(KIND + ".load", path, KIND, SequenceTagger::new);
    }
}

package unrolled.models;

import java.nio.file.Path;
import java.util.Map;
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
 * A many-to-one classifier: it reads a whole sequence and assigns it one of K classes (sentiment of a review, the
 * parity of a bit string, the speaker of an utterance).
 *
 * <pre>
 *   x = inputs, or E[ids]                               (N, T, D)
 *   y, s = rnn(x, mask)                                 s = the final state at each sequence's TRUE last step L_n − 1:
 *                                                           h⁽ᴸ⁻¹⁾ (N, H), or [→h, ←h] (N, 2H) when bidirectional
 *   z = dropout(s)·W + b                                W (H, K), b (1, K), logits z (N, K)
 *   loss = (1/N) Σ_n −log softmax(z_n)_{y_n}             cross-entropy, y (N,) class ids
 * </pre>
 *
 * <p>Why the true last step: in a padded batch, sequence n has L_n real steps followed by T − L_n steps of padding.
 * Read at step T − 1 without a mask, its state would also have consumed the padding, and its prediction would depend
 * on how much padding the batch happened to need. With the batch's mask the recurrent layers freeze each state over
 * its padding, so s is exactly the state after x_{L_n − 1}: a padded batch gives every sequence the logits it gets
 * alone. Backward, the gradient of s enters the recurrent body as the gradient of its final state; no output step
 * receives any.
 *
 * <p>Inputs are feature vectors (N, T, D) or, with {@link ModelConfiguration#ofTokens}, token ids (N, T) read through
 * an embedding. Dropout (rate p) acts between recurrent layers and on s, during training only.
 *
 * <p>Parameters: ({@code embedding.E}), {@code rnn.layer0.Wx}, … , {@code output.W}, {@code output.b}. The readout
 * starts small, so the first loss is about ln K (see {@link Readout}).
 */
public final class SequenceClassifier extends RecurrentModel {

    /**
     * The forward result.
     *
     * @param logits z, (N, K): unnormalised log-probabilities of the classes
     * @param summary s, the state each sequence ends in, (N, H) or (N, 2H)
     * @param cache for {@link #backward}
     */
    public record Result(INDArray logits, INDArray summary, RecurrentNetwork.Cache cache) {
    }

    /**
     * Reads each sequence to its true last step, then scores the classes once:
     *
     * <pre>
     *   s = the final state of rnn(x, mask)    (N, H), or (N, 2H) = [→h, ←h]; the mask freezes it over padding
     *   z = dropout(s)·W + b                   one score per class and sequence, (N, K)
     * </pre>
     *
     * @param inputs (N, T, D) features of the model's data type, or (N, T) token ids for a token model
     * @param mask which steps are real, (N, T), padding at the end; null if none is padded
     * @param training true to apply dropout; false (evaluation) for none
     * @return the logits (N, K), the summary s and the cache for {@link #backward}
     */
    public Result forward(INDArray inputs, SequenceMask mask, boolean training) {
        RecurrentNetwork.Result z = network.forward(KIND + ".forward", inputs, null, mask, training);
        return new Result(z.output(), z.body().summary(), z.cache());
    }

    private static final String KIND = "SequenceClassifier";

    private final SoftmaxCrossEntropy crossEntropy = new SoftmaxCrossEntropy();
    /** False to train and infer through the readable layers, one after another (with caches): for the tests that compare. */
    boolean fused = true;
    /** The body's zero ∂L/∂y per batch shape, which a many-to-one backward pass reads: package-private for the tests. */
    final Map<Long, INDArray> zeroOutputs = network.rnn().zeroOutputs;

    /**
     * @param configuration token ids or features, any cell, depth, direction, dropout, data type and seed;
     *     {@code outputSize} is K, the number of classes
     */
    public SequenceClassifier(ModelConfiguration configuration) {
        super(KIND, configuration, RecurrentNetwork.Reads.FINAL_STATE);
    }

    /**
     * One training step's numbers: forward with dropout, mean cross-entropy over the N sequences, backward.
     *
     * @param batch inputs (N, T, D) or (N, T) ids, targets (N,) or (N, 1) class ids of an integer type, mask, lengths
     * @return the loss and ∂loss/∂θ for every parameter
     */
    public LossAndGradients lossAndGradients(Batch batch) {
        String method = KIND + ".lossAndGradients";
        INDArray targets = classTargets(method, batch);
        if (!fused) {
            Result forward = forward(batch.inputs(), ModelInput.maskOf(batch), true);
            // loss = (1/N) Σ_n −log softmax(z_n)_{y_n}
            SoftmaxCrossEntropy.Result loss = crossEntropy.compute(forward.logits(), targets);
            return new LossAndGradients(loss.loss(), backward(loss.dLogits(), forward.cache()));
        }
        // the same numbers with the readout, the loss and the readout's gradients in one call (ReadoutLoss)
        return network.crossEntropyStep(method, batch, ModelInput.targetIds(method, targets, configuration.outputSize()),
                null);
    }

    /**
     * @param batch inputs, targets (N,) or (N, 1) class ids, mask, lengths
     * @return the mean cross-entropy in evaluation mode (no dropout)
     */
    public double loss(Batch batch) {
        INDArray targets = classTargets(KIND + ".loss", batch);
        return crossEntropy.compute(logits(batch), targets).loss();
    }

    /**
     * @param batch inputs, mask and lengths (targets are not read)
     * @return the logits (N, K) in evaluation mode
     */
    public INDArray logits(Batch batch) {
        String method = KIND + ".logits";
        Objects.requireNonNull(batch, method + ": batch must not be null");
        if (!fused) {
            return forward(batch.inputs(), ModelInput.maskOf(batch), false).logits();
        }
        // the same numbers as forward(…, false) without caches: s through each layer's inference, no dropout
        return network.infer(method, batch.inputs(), ModelInput.maskOf(batch));
    }

    /**
     * @param batch inputs, mask and lengths (targets are not read)
     * @return for each sequence, the class with the largest logit (the lowest id among ties)
     */
    public int[] predict(Batch batch) {
        INDArray predicted = Nd4j.argMax(logits(batch), 1);
        int[] classes = new int[Math.toIntExact(predicted.length())];
        for (int n = 0; n < classes.length; n++) {
            classes[n] = predicted.getInt(n);
        }
        return classes;
    }

    /**
     * @param batch inputs, targets (N,) or (N, 1) class ids, mask, lengths
     * @return the fraction of sequences whose predicted class is the target, in evaluation mode
     */
    public double accuracy(Batch batch) {
        INDArray targets = classTargets(KIND + ".accuracy", batch);
        return Metrics.accuracy(logits(batch), targets);
    }

    /** Checks the batch's class targets and returns them as (N,). */
    private static INDArray classTargets(String method, Batch batch) {
        Objects.requireNonNull(batch, method + ": batch must not be null");
        INDArray targets = batch.targets();
        if (targets != null && targets.rank() == 2) {
            Shapes.require(method, "targets", targets, "(N, 1)", batch.batchSize(), 1);
            targets = targets.reshape(batch.batchSize());
        }
        Shapes.require(method, "targets", targets, "(N,)", batch.batchSize());
        return targets;
    }

    /**
     * Rebuilds a saved model: its configuration, then its parameters, bit-identical to those saved.
     *
     * @param path a file written by {@link #save}
     * @return the model
     * @throws java.io.UncheckedIOException if the file cannot be read
     * @throws IllegalArgumentException if the file is not a saved {@code SequenceClassifier}
     */
    public static SequenceClassifier load(Path path) {
        return ModelFile.load(KIND + ".load", path, KIND, SequenceClassifier::new);
    }
}

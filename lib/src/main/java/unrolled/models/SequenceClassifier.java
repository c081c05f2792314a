package unrolled.models;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.data.Batch;
import unrolled.fast.ReadoutLoss;
import unrolled.fast.StepArrays;
import unrolled.layer.Affine;
import unrolled.layer.Dropout;
import unrolled.layer.Embedding;
import unrolled.layer.LayerGradients;
import unrolled.metrics.Metrics;
import unrolled.loss.SoftmaxCrossEntropy;
import unrolled.param.Gradients;
import unrolled.param.Parameters;
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
     * What the forward pass keeps for the backward pass.
     *
     * @param embedding the embedding's cache, or null for feature inputs
     * @param rnn the recurrent body's cache
     * @param dropout the cache of the dropout on s
     * @param output the readout's cache
     */
    public record Cache(Embedding.Cache embedding, RecurrentStack.Cache rnn, Dropout.Cache dropout, Affine.Cache output) {
    }

    /**
     * The forward result.
     *
     * @param logits z, (N, K): unnormalised log-probabilities of the classes
     * @param summary s, the state each sequence ends in, (N, H) or (N, 2H)
     * @param cache for {@link #backward}
     */
    public record Result(INDArray logits, INDArray summary, Cache cache) {
    }

    private static final String KIND = "SequenceClassifier";

    private final ModelInput input;
    private final RecurrentStack rnn;
    private final Dropout dropout;
    private final Affine output;
    /** False to train and infer through the readable layers, one after another (with caches): for the tests that compare. */
    boolean fused = true;
    private final SoftmaxCrossEntropy crossEntropy = new SoftmaxCrossEntropy();
    /** At most this many batch shapes keep a zero ∂L/∂y (a bucketed epoch has one per length); then they start over. */
    private static final int ZERO_OUTPUT_SHAPES = 64;
    /** Zero ∂L/∂y (N, T, H) per batch shape (N·2³² + T), for {@link #lossAndGradients}; package-private for the tests. */
    final Map<Long, INDArray> zeroOutputs = new HashMap<>();

    /**
     * @param configuration token ids or features, any cell, depth, direction, dropout, data type and seed;
     *     {@code outputSize} is K, the number of classes
     */
    public SequenceClassifier(ModelConfiguration configuration) {
        super(KIND, configuration);
        this.input = new ModelInput(configuration);
        this.rnn = new RecurrentStack(configuration);
        this.dropout = new Dropout(configuration.dropout(), Dropout.Mode.STANDARD, configuration.seed() + 3);
        this.output = Readout.affine(rnn.outputSize(), configuration.outputSize(), configuration.dataType(),
                configuration.seed() + 1);
        parameters.addAll("embedding", input.parameters());
        parameters.addAll("rnn", rnn.parameters());
        parameters.addAll("output", output.parameters());
    }

    /**
     * @param inputs (N, T, D) features of the model's data type, or (N, T) token ids for a token model
     * @param mask which steps are real, (N, T), padding at the end; null if none is padded
     * @param training true to apply dropout; false (evaluation) for none
     * @return the logits (N, K), the summary s and the cache for {@link #backward}
     */
    public Result forward(INDArray inputs, SequenceMask mask, boolean training) {
        String method = KIND + ".forward";
        ModelInput.Result x = input.forward(method, inputs);
        // s = the final state at each sequence's true last step (the mask freezes it over padding)
        RecurrentStack.Result body = rnn.forward(x.x(), null, mask, training);
        Dropout.Result dropped = dropout.forward(body.summary(), training);
        // z = dropout(s)·W + b
        Affine.Result logits = output.forward(dropped.output());
        return new Result(logits.output(), body.summary(), new Cache(x.cache(), body.cache(), dropped.cache(), logits.cache()));
    }

    /**
     * @param dLogits ∂L/∂z, (N, K)
     * @param cache from {@link #forward}; not modified
     * @return ∂L/∂θ for every parameter, under the names of {@link #parameters()}
     */
    public Gradients backward(INDArray dLogits, Cache cache) {
        Objects.requireNonNull(cache, KIND + ".backward: cache must not be null");
        // dW = dropout(s)ᵀ·dz,  db = Σ_N dz,  ds = dz·Wᵀ
        LayerGradients readout = output.backward(dLogits, cache.output());
        INDArray ds = dropout.backward(readout.dx(), cache.dropout());
        // s is the final state: its gradient enters BPTT as ∂L/∂(final h); no output step receives any
        RecurrentStack.Backward body = rnn.backward(null, ds, cache.rnn());
        Gradients embedding = input.backward(body.dx(), cache.embedding());
        return new Gradients()
                .accumulateAll("embedding", embedding)
                .accumulateAll("rnn", body.parameters())
                .accumulateAll("output", readout.parameters());
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
        ModelInput.Result x = input.forward(method, batch.inputs());
        RecurrentStack.Result body = rnn.forward(x.x(), null, ModelInput.maskOf(batch), true);
        Dropout.Result dropped = dropout.forward(body.summary(), true);
        // z = dropout(s)·W + b,  loss = (1/N) Σ_n −log softmax(z_n)_{y_n},  and ∂loss/∂(W, b, dropout(s))
        ReadoutLoss.Result readout = ReadoutLoss.compute(dropped.output(), output.parameters().get("W"),
                output.parameters().get("b"), ModelInput.targetIds(method, targets, configuration.outputSize()), null);
        INDArray ds = dropout.backward(readout.dX(), dropped.cache());
        // no output step reaches the loss: ∂L/∂y = 0 (one zero array per batch shape, read and never written)
        RecurrentStack.Backward bodyGradients = rnn.backward(zeroOutputs(batch.batchSize(), batch.steps()), ds, body.cache());
        // every part's gradients are fresh arrays of this step: gathered without copies
        Gradients gradients = new Gradients()
                .takeAll("embedding", input.backward(bodyGradients.dx(), x.cache()))
                .takeAll("rnn", bodyGradients.parameters())
                .take("output.W", readout.dW())
                .take("output.b", readout.db());
        // what the step made for itself, given back by the trainer once the gradients are applied (never the inputs)
        StepArrays spent = new StepArrays().add(x.x() != batch.inputs() ? x.x() : null).add(body.outputs())
                .addStates(body.finalStates()).add(body.summary()).add(dropped.output()).add(readout.dX()).add(ds).add(bodyGradients.dx())
                .addAll(gradients);
        return new LossAndGradients(readout.loss(), gradients, spent);
    }

    /**
     * @return a zero ∂L/∂y of shape (N, T, H) (or 2H), made once per batch shape: the body's backward only reads it, and
     *     a fresh zero array of that size every step cost about a tenth of the step (fresh memory, page faults)
     */
    private INDArray zeroOutputs(long n, long steps) {
        long key = n * (1L << 32) + steps;
        if (zeroOutputs.size() > ZERO_OUTPUT_SHAPES) {
            zeroOutputs.clear();
        }
        return zeroOutputs.computeIfAbsent(key, k -> Nd4j.zeros(configuration.dataType(), n, steps, rnn.outputSize()));
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
        ModelInput.Result x = input.forward(method, batch.inputs());
        INDArray summary = rnn.inferSummary(x.x(), ModelInput.maskOf(batch));
        // z = s·W + b
        INDArray logits = output.forward(summary).output();
        // what inference made for itself and nothing reads again (never the caller's inputs)
        new StepArrays().add(x.x() != batch.inputs() ? x.x() : null).add(summary).run();
        return logits;
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
        String method = KIND + ".load";
        ModelFile.Contents contents = ModelFile.read(method, path, KIND);
        SequenceClassifier model = new SequenceClassifier(ModelFile.configuration(method, path, contents));
        ModelFile.assign(method, path, contents, model.parameters);
        return model;
    }
}

package unrolled.models;

import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.cell.State;
import unrolled.data.Batch;
import unrolled.fast.ReadoutLoss;
import unrolled.fast.StepArrays;
import unrolled.layer.Affine;
import unrolled.layer.Dropout;
import unrolled.layer.Embedding;
import unrolled.layer.LayerGradients;
import unrolled.param.Gradients;
import unrolled.param.Parameters;
import unrolled.param.Trainable;
import unrolled.data.SequenceMask;
import unrolled.tensor.Shapes;
import unrolled.train.LossAndGradients;

/**
 * The network inside every ready model, from what it reads to its readout; a model adds only its loss and what it
 * does with z.
 *
 * <pre>
 *   x = E[ids], or the inputs as they are          (N, T, D)
 *   y, s = rnn(x, mask)                            y (N, T, H) every step's output, s (N, H) the state after each
 *                                                  sequence's true last step; 2H for both when bidirectional
 *   r = dropout(y)  or  dropout(s)                 what the readout reads: {@link Reads#EVERY_STEP} or {@link Reads#FINAL_STATE}
 *   z = r·W + b                                    W (H, K), b (1, K); z (N, T, K) or (N, K)
 * </pre>
 *
 * The backward pass runs the same chain in reverse:
 *
 * <pre>
 *   dW = rᵀ·dz,  db = Σ dz,  dr = dz·Wᵀ            summed over every row the readout read (N·T or N)
 *   dy or ds = dr ⊙ (the dropout mask)/(1 − p)
 *   dx, dθ_rnn = BPTT(dy at every step, or ds as the gradient of the final state)
 *   dE[v] = Σ of dx over the positions that read token v          token inputs only
 * </pre>
 *
 * <p>The readout reads rows: one per (sequence, step) when it reads every step, one per sequence when it reads the
 * final state. Viewed as (N·T, H), the every-step case is one affine layer over all rows, which is what
 * {@link unrolled.layer.TimeDistributedAffine} does; the weight gradients' sum over time falls out of the one product.
 *
 * <p>Parameters: {@code embedding.E} (token inputs only), {@code rnn.layer0.Wx}, … (see {@link RecurrentStack}),
 * {@code output.W}, {@code output.b}. Seeds: the embedding {@code seed}, the readout {@code seed + 1}, the dropout
 * before it {@code seed + 3}, the stack as {@link RecurrentStack} says. The readout starts small (see {@link Readout}).
 */
public final class RecurrentNetwork implements Trainable {

    /** Which of the recurrent stack's results the readout reads. */
    public enum Reads {
        /** y_t at every step, for one prediction per step (a language model, a tagger): z is (N, T, K). */
        EVERY_STEP,
        /** s, the state each sequence ends in, for one prediction per sequence (a classifier, a regressor): z is (N, K). */
        FINAL_STATE
    }

    /**
     * What the forward pass keeps for the backward pass.
     *
     * @param embedding the embedding's cache, or null for feature inputs
     * @param rnn the recurrent stack's cache
     * @param dropout the cache of the dropout before the readout
     * @param output the readout's cache: r as rows, (N·T, H) or (N, H)
     */
    public record Cache(Embedding.Cache embedding, RecurrentStack.Cache rnn, Dropout.Cache dropout, Affine.Cache output) {
    }

    /**
     * The forward result.
     *
     * @param output z, (N, T, K) or (N, K)
     * @param body the stack's result: y, s and each layer's final state
     * @param cache for {@link #backward}
     */
    record Result(INDArray output, RecurrentStack.Result body, Cache cache) {
    }

    private final Reads reads;
    private final ModelInput input;
    private final RecurrentStack rnn;
    private final Dropout dropout;
    private final Affine output;
    private final Parameters parameters = new Parameters();

    /**
     * @param configuration what the network reads, its stack and K = {@code outputSize}
     * @param reads which states the readout reads
     */
    RecurrentNetwork(ModelConfiguration configuration, Reads reads) {
        this.reads = Objects.requireNonNull(reads, "RecurrentNetwork: reads must not be null");
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
     * The forward pass, its inputs checked in the caller's name.
     *
     * @param method the public method called, for the messages, e.g. {@code "SequenceTagger.forward"}
     * @param inputs (N, T) token ids of an integer type, or (N, T, D) features of the model's data type
     * @param initial one state per layer to start from, bottom first, each (N, H); or null for zeros
     * @param mask which steps are real, (N, T), padding at the end; or null if none is padded
     * @param training true to apply dropout; false (evaluation) for none
     * @return z (N, T, K) or (N, K), the stack's result and the cache
     */
    Result forward(String method, INDArray inputs, List<State> initial, SequenceMask mask, boolean training) {
        // x = E[ids], or the inputs
        ModelInput.Result x = input.forward(method, inputs);
        // y, s = rnn(x, mask)
        RecurrentStack.Result body = rnn.forward(x.x(), initial, mask, training);
        // r = dropout(y) or dropout(s)
        Dropout.Result r = dropout.forward(read(body), training);
        // z = r·W + b, one row per (sequence, step) or per sequence
        Affine.Result z = output.forward(rows(r.output()));
        return new Result(unrows(z.output(), body.cache()), body, new Cache(x.cache(), body.cache(), r.cache(), z.cache()));
    }

    /**
     * The backward pass, ∂L/∂z checked in the caller's name.
     *
     * @param method the public method called, for the messages
     * @param argument the name of ∂L/∂z there, e.g. {@code "dLogits"}
     * @param dz ∂L/∂z, (N, T, K) or (N, K)
     * @param cache from {@link #forward}; not modified
     * @return ∂L/∂θ for every parameter, under the names of {@link #parameters()}
     */
    Gradients backward(String method, String argument, INDArray dz, Cache cache) {
        Objects.requireNonNull(cache, method + ": cache must not be null");
        requireReadoutShape(method, argument, dz, cache.rnn());
        // dW = rᵀ·dz,  db = Σ dz,  dr = dz·Wᵀ
        LayerGradients readout = output.backward(rows(dz), cache.output());
        // dy or ds = dr ⊙ mask/(1 − p)
        INDArray dRead = dropout.backward(unrows(readout.dx(), cache.rnn()), cache.dropout());
        // dx, dθ_rnn = BPTT
        RecurrentStack.Backward body = throughTime(dRead, cache.rnn());
        // dE[v] = Σ of dx over the positions that read token v
        Gradients embedding = input.backward(body.dx(), cache.embedding());
        return new Gradients()
                .accumulateAll("embedding", embedding)
                .accumulateAll("rnn", body.parameters())
                .accumulateAll("output", readout.parameters());
    }

    /**
     * One training step with softmax cross-entropy on z, in fewer passes than {@link #forward}, the loss and
     * {@link #backward}: the readout, the loss and the readout's gradients in one call ({@link ReadoutLoss}), the same
     * numbers to round-off. The arrays the step made go to the trainer, to be given back once the step is applied.
     *
     * @param method the public method called, for the messages
     * @param batch inputs (N, T) ids or (N, T, D) features, mask and lengths
     * @param targets one class id in [0, K) per row the readout reads: N·T in row-major order, or N
     * @param weights one weight per row, m in {0, 1} (the mask); or null for all 1
     * @return the loss, Σ m·(−log softmax(z)_target) / Σ m, and ∂loss/∂θ for every parameter
     */
    LossAndGradients crossEntropyStep(String method, Batch batch, int[] targets, double[] weights) {
        // x = E[ids], or the inputs;  y, s = rnn(x, mask);  r = dropout(y) or dropout(s)
        ModelInput.Result x = input.forward(method, batch.inputs());
        RecurrentStack.Result body = rnn.forward(x.x(), null, ModelInput.maskOf(batch), true);
        Dropout.Result r = dropout.forward(read(body), true);
        // z = r·W + b,  loss = Σ m·(−log softmax(z)_target) / Σ m,  and ∂loss/∂(W, b, r)
        ReadoutLoss.Result readout = ReadoutLoss.compute(rows(r.output()), output.parameters().get("W"),
                output.parameters().get("b"), targets, weights);
        INDArray dRead = dropout.backward(unrows(readout.dX(), body.cache()), r.cache());
        RecurrentStack.Backward dBody = throughTime(dRead, body.cache());
        // every part's gradients are fresh arrays of this step: gathered without copies
        Gradients gradients = new Gradients()
                .takeAll("embedding", input.backward(dBody.dx(), x.cache()))
                .takeAll("rnn", dBody.parameters())
                .take("output.W", readout.dW())
                .take("output.b", readout.db());
        // what the step made for itself, given back by the trainer once the gradients are applied (never the inputs)
        StepArrays spent = new StepArrays().add(x.x() != batch.inputs() ? x.x() : null).add(body.outputs())
                .addStates(body.finalStates()).add(body.summary()).add(r.output()).add(readout.dX()).add(dRead)
                .add(dBody.dx()).addAll(gradients);
        return new LossAndGradients(readout.loss(), gradients, spent);
    }

    /**
     * z in evaluation mode without caches, for a model reading the final state: s through each layer's cache-free
     * inference ({@link RecurrentStack#inferSummary}), the same numbers as {@code forward(…, false)} to round-off.
     *
     * @param method the public method called, for the messages
     * @param inputs (N, T) ids or (N, T, D) features; not modified
     * @param mask which steps are real, or null if none is padded
     * @return z, (N, K)
     */
    INDArray infer(String method, INDArray inputs, SequenceMask mask) {
        if (reads != Reads.FINAL_STATE) {
            return forward(method, inputs, null, mask, false).output();
        }
        ModelInput.Result x = input.forward(method, inputs);
        INDArray s = rnn.inferSummary(x.x(), mask);
        // z = s·W + b
        INDArray z = output.forward(s).output();
        // what inference made for itself and nothing reads again (never the caller's inputs)
        new StepArrays().add(x.x() != inputs ? x.x() : null).add(s).run();
        return z;
    }

    /**
     * The top layer's output at every step, in evaluation mode.
     *
     * @param method the public method called, for the messages
     * @param inputs (N, T) ids or (N, T, D) features
     * @return y, (N, T, H) or (N, T, 2H)
     */
    INDArray hiddenStates(String method, INDArray inputs) {
        return rnn.forward(input.forward(method, inputs).x(), null, null, false).outputs();
    }

    /** @return y for a readout of every step, s for one of the final state */
    private INDArray read(RecurrentStack.Result body) {
        return reads == Reads.EVERY_STEP ? body.outputs() : body.summary();
    }

    /** Backpropagation through time from ∂L/∂r after the dropout: ∂L/∂y at every step, or ∂L/∂s at the last. */
    private RecurrentStack.Backward throughTime(INDArray dRead, RecurrentStack.Cache cache) {
        // a gradient of s enters as the gradient of the final state; no output step receives any
        return reads == Reads.EVERY_STEP ? rnn.backward(dRead, null, cache) : rnn.backward(null, dRead, cache);
    }

    /** (N, T, F) as the (N·T, F) rows the readout reads (a view where the layout allows); (N, F) as it is. */
    private INDArray rows(INDArray read) {
        return reads == Reads.EVERY_STEP ? read.reshape('c', read.size(0) * read.size(1), read.size(2)) : read;
    }

    /** Rows (N·T, F) back to (N, T, F), N and T from the stack's cache; (N, F) as it is. */
    private INDArray unrows(INDArray rows, RecurrentStack.Cache body) {
        return reads == Reads.EVERY_STEP ? rows.reshape('c', body.batchSize(), body.steps(), rows.size(1)) : rows;
    }

    private void requireReadoutShape(String method, String argument, INDArray dz, RecurrentStack.Cache body) {
        if (reads == Reads.EVERY_STEP) {
            Shapes.require(method, argument, dz, "(N, T, K)", output.dataType(), body.batchSize(), body.steps(),
                    output.outputSize());
        } else {
            Shapes.require(method, argument, dz, "(N, K)", output.dataType(), body.batchSize(), output.outputSize());
        }
    }

    /** @return the recurrent stack, for the paths that read its layers' weights (the char model's generator) */
    RecurrentStack rnn() {
        return rnn;
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }
}

package unrolled.models;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.cell.State;
import unrolled.data.Batch;
import unrolled.data.Vocabulary;
import unrolled.fast.LstmGenerator;
import unrolled.fast.TokenSampler;
import unrolled.metrics.Metrics;
import unrolled.loss.SoftmaxCrossEntropy;
import unrolled.param.Gradients;
import unrolled.data.SequenceMask;
import unrolled.tensor.Shapes;
import unrolled.train.LossAndGradients;

/**
 * A character-level language model: at every step, a distribution over the next character given all the characters
 * so far.
 *
 * <pre>
 *   x = E[ids]                                   ids (N, T) in [0, V), E (V, D), x (N, T, D)
 *   y = rnn(x)                                   L stacked layers (RNN, LSTM or GRU), y (N, T, H)
 *   z_t = dropout(y_t)·W + b                     W (H, V), b (1, V), logits z (N, T, V)
 *   p(next = v | ids_0 … ids_t) = softmax(z_t)_v
 *   loss = Σ_{n,t} m·(−log p(target[n, t])) / Σ m      masked mean cross-entropy, m = the batch's mask
 * </pre>
 *
 * Trained on {@link unrolled.data.Batching#nextToken} batches (targets are the inputs shifted by one), it learns
 * p(c_{t+1} | c_0 … c_t); {@link #sample} then writes text one character at a time by drawing from it and feeding the
 * draw back in. Dropout (rate p) acts between the recurrent layers and on y before the readout, during training only.
 *
 * <p>Parameters: {@code embedding.E}, {@code rnn.layer0.Wx}, {@code rnn.layer0.Wh}, … , {@code output.W},
 * {@code output.b}. The readout starts small, so the first loss is about ln V (see {@link Readout}).
 */
public final class CharLanguageModel extends RecurrentModel {

    /**
     * The forward result.
     *
     * @param logits z, (N, T, V): unnormalised log-probabilities of the next token at every step
     * @param cache for {@link #backward}
     */
    public record Result(INDArray logits, RecurrentNetwork.Cache cache) {
    }

    /**
     * The forward pass over a batch of id sequences, from zero states:
     *
     * <pre>
     *   y = rnn(E[ids], mask)          the top layer's output at every step, (N, T, H)
     *   z_t = dropout(y_t)·W + b       the scores of the next token after ids_0 … ids_t, (N, T, V)
     * </pre>
     *
     * @param ids (N, T), an integer data type, each in [0, V)
     * @param mask which steps are real, (N, T), padding at the end; null if none is padded
     * @param training true to apply dropout; false (evaluation) for none
     * @return the logits (N, T, V) and the cache for {@link #backward}
     */
    public Result forward(INDArray ids, SequenceMask mask, boolean training) {
        RecurrentNetwork.Result z = network.forward(KIND + ".forward", ids, null, mask, training);
        return new Result(z.output(), z.cache());
    }

    private static final String KIND = "CharLanguageModel";

    private final SoftmaxCrossEntropy crossEntropy = new SoftmaxCrossEntropy();
    /** False to train through the readable readout and loss, one layer after another: for the tests that compare. */
    boolean fused = true;
    /** False to generate through the readable layers, one ND4J call after another: for the tests that compare. */
    boolean fastGeneration = true;

    /**
     * @param configuration token input ({@code vocabularySize} V &gt; 0, {@code inputSize} the embedding size),
     *     {@code outputSize} = V, unidirectional; any cell, hidden size, depth, dropout, data type and seed
     * @throws IllegalArgumentException if the configuration reads features, predicts another number of classes than V,
     *     or is bidirectional (a language model must not see the characters it predicts)
     */
    public CharLanguageModel(ModelConfiguration configuration) {
        super(KIND, requireLanguageModel(configuration), RecurrentNetwork.Reads.EVERY_STEP);
    }

    /**
     * One training step's numbers: the forward pass with dropout, the masked mean cross-entropy, and the backward pass.
     * Plug it into a {@link unrolled.train.Trainer}: {@code new Trainer<>(model.parameters(), new Adam(1e-2),
     * model::lossAndGradients)}.
     *
     * @param batch inputs (N, T) ids, targets (N, T) ids (the next token at each step), mask (N, T)
     * @return the loss (nats per real position) and ∂loss/∂θ for every parameter
     */
    public LossAndGradients lossAndGradients(Batch batch) {
        String method = KIND + ".lossAndGradients";
        requireTargets(method, batch);
        if (!fused) {
            Result forward = forward(batch.inputs(), ModelInput.maskOf(batch), true);
            // loss = Σ m·(−log softmax(z)_target) / Σ m
            SoftmaxCrossEntropy.Result loss = crossEntropy.compute(forward.logits(), batch.targets(), batch.mask());
            return new LossAndGradients(loss.loss(), backward(loss.dLogits(), forward.cache()));
        }
        // the same numbers with the readout, the loss and the readout's gradients in one call (ReadoutLoss)
        return network.crossEntropyStep(method, batch, ModelInput.targetIds(method, batch.targets(),
                configuration.vocabularySize()), batch.paddedSteps() == 0 ? null : batch.mask().dup('c').data().asDouble());
    }

    /**
     * @param batch inputs (N, T) ids, targets (N, T) ids, mask (N, T)
     * @return the masked mean cross-entropy in evaluation mode (no dropout), in nats per real position
     */
    public double loss(Batch batch) {
        requireTargets(KIND + ".loss", batch);
        INDArray logits = forward(batch.inputs(), ModelInput.maskOf(batch), false).logits();
        return crossEntropy.compute(logits, batch.targets(), batch.mask()).loss();
    }

    /**
     * Perplexity, exp(mean cross-entropy), in evaluation mode: the model is as unsure of the next character as if it
     * chose uniformly among this many. An untrained model scores about V, a perfect one 1.
     *
     * @param batch inputs (N, T) ids, targets (N, T) ids, mask (N, T)
     * @return exp({@link #loss(Batch)})
     */
    public double perplexity(Batch batch) {
        requireTargets(KIND + ".perplexity", batch);
        return Metrics.perplexity(loss(batch));
    }

    /**
     * @param ids (N, T), an integer data type, each in [0, V); every step real
     * @return the logits (N, T, V) in evaluation mode
     */
    public INDArray logits(INDArray ids) {
        return forward(ids, null, false).logits();
    }

    /**
     * The top recurrent layer's output at every position, in evaluation mode: h_t has read ids_0 … ids_t and nothing
     * after, so it is a vector for the token at t <em>in its left context</em> (a contextual embedding), and the
     * readout turns it into the distribution of the next token, z_t = h_t·W + b.
     *
     * @param ids (N, T), an integer data type, each in [0, V); every step real
     * @return h, (N, T, H), in the model's data type
     */
    public INDArray hiddenStates(INDArray ids) {
        return network.hiddenStates(KIND + ".hiddenStates", ids);
    }

    /**
     * Writes text one character at a time. The prompt is read first (or {@code <bos>} alone if it is empty), then
     * each drawn character is fed back in as the next input, carrying the recurrent state from step to step, so every
     * step costs one cell update whatever the length so far:
     *
     * <pre>
     *   state, z = rnn(prompt)                         z = the logits after the prompt's last character
     *   repeat length times:
     *     c ~ softmax(top_k(z) / τ)                    drawn with java.util.Random(seed)
     *     stop if c = &lt;eos&gt;
     *     state, z = rnn(c, from state)
     * </pre>
     *
     * <p><b>Temperature τ</b> divides the logits before the softmax, p_v ∝ exp(z_v / τ). τ = 1 samples the model's own
     * distribution; τ &lt; 1 sharpens it towards the most likely characters (safer, more repetitive text); τ &gt; 1
     * flattens it towards uniform (more surprising, more errors). As τ → 0 all probability goes to the largest logit:
     * sampling becomes greedy decoding, and τ = 0 is exactly greedy (argmax, the lowest id among ties).
     *
     * <p><b>Top-k</b> keeps only the k largest logits (ties broken towards the lower id) and sets the others'
     * probability to zero before renormalising: it cuts off the long tail of unlikely characters, each rare on its own
     * but together likely enough to derail a long sample now and then. k = 1 is greedy decoding; k = 0 keeps all V.
     *
     * <p>Runs in evaluation mode (no dropout). The same seed gives the same text.
     *
     * @param vocabulary the vocabulary the model was trained with, V tokens (a character vocabulary; a word vocabulary
     *     works too, its tokens then joined with spaces)
     * @param prompt the text to continue, possibly empty; characters outside the vocabulary read as {@code <unk>}
     * @param length the largest number of characters to write, ≥ 0
     * @param temperature τ ≥ 0 and finite
     * @param topK k in [0, V]
     * @param seed the seed of the draws
     * @return the prompt followed by the characters written, without special tokens
     */
    public String sample(Vocabulary vocabulary, String prompt, int length, double temperature, int topK, long seed) {
        String method = KIND + ".sample";
        requireVocabulary(method, vocabulary, prompt);
        int[] promptIds = prompt.isEmpty() ? new int[] {Vocabulary.BOS_ID} : vocabulary.encode(prompt);
        String written = vocabulary.decode(generate(method, promptIds, length, temperature, topK, seed), true);
        // a word vocabulary joins tokens with spaces; so must the prompt and what follows it
        String separator = vocabulary.level() == Vocabulary.Level.WORDS && !prompt.isBlank() && !written.isEmpty() ? " " : "";
        return prompt + separator + written;
    }

    /**
     * {@link #sample} on ids: reads the prompt, then draws up to {@code length} ids, stopping after drawing
     * {@link Vocabulary#EOS_ID}.
     *
     * @param prompt the ids to continue, at least one, each in [0, V)
     * @param length the largest number of ids to draw, ≥ 0
     * @param temperature τ ≥ 0 and finite (0: greedy)
     * @param topK k in [0, V] (0: no cut-off)
     * @param seed the seed of the draws
     * @return the ids drawn, in order; the last is {@code <eos>} if generation stopped there
     */
    public int[] generate(int[] prompt, int length, double temperature, int topK, long seed) {
        return generate(KIND + ".generate", prompt, length, temperature, topK, seed);
    }

    private int[] generate(String method, int[] prompt, int length, double temperature, int topK, long seed) {
        requireGeneration(method, prompt, length, temperature, topK);
        Random random = new Random(seed);
        LstmGenerator fast = generator(prompt);
        if (fast != null) {
            return generateFast(fast, prompt, length, temperature, topK, random);
        }
        // state, z = rnn(prompt)
        Step step = step(method, new int[][] {prompt}, null);
        List<Integer> written = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            // c ~ softmax(top_k(z) / τ)
            int next = pick(step.lastLogits(), temperature, topK, random);
            written.add(next);
            if (next == Vocabulary.EOS_ID) {
                break;
            }
            if (i + 1 < length) {
                // state, z = rnn(c, from state)
                step = step(method, new int[][] {{next}}, step.states());
            }
        }
        return written.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The same loop as {@link #generate(int[], int, double, int, long)} through {@link LstmGenerator}: plain loops over a
     * copy of the weights, one token at a time, with no ND4J operation per token (each cost more than the step's
     * arithmetic at batch 1). The tests hold it to the loop above.
     */
    private static int[] generateFast(LstmGenerator fast, int[] prompt, int length, double temperature, int topK,
            Random random) {
        // state, z = rnn(prompt)
        double[] z = fast.read(prompt);
        TokenSampler sampler = new TokenSampler(z.length);
        int[] written = new int[length];
        for (int i = 0; i < length; i++) {
            // c ~ softmax(top_k(z) / τ)
            int next = sampler.pick(z, temperature, topK, random);
            written[i] = next;
            if (next == Vocabulary.EOS_ID) {
                return Arrays.copyOf(written, i + 1);
            }
            if (i + 1 < length) {
                // state, z = rnn(c, from state)
                z = fast.next(next);
            }
        }
        return written;
    }

    /**
     * @param prompt the prompt's ids
     * @return the one-token-at-a-time path for this model, or null where it does not apply (a GRU or tanh RNN, a
     *     bidirectional body, another initial state than zero, a prompt id out of range, whose message the readable
     *     path gives)
     */
    private LstmGenerator generator(int[] prompt) {
        if (!fastGeneration || configuration.cellType() != CellType.LSTM || configuration.bidirectional()) {
            return null;
        }
        for (int id : prompt) {
            if (id < 0 || id >= configuration.vocabularySize()) {
                return null;
            }
        }
        List<INDArray[]> layers = new ArrayList<>();
        for (int l = 0; l < configuration.layers(); l++) {
            String prefix = "rnn.layer" + l + ".";
            if (!parameters.contains(prefix + "Wx") || !parameters.contains(prefix + "Wh") || !parameters.contains(prefix + "b")) {
                return null;
            }
            layers.add(new INDArray[] {parameters.get(prefix + "Wx"), parameters.get(prefix + "Wh"), parameters.get(prefix + "b")});
        }
        // only Wx, Wh and b in the body: no learned initial state
        if (network.rnn().parameters().size() != 3 * configuration.layers()) {
            return null;
        }
        return new LstmGenerator(parameters.get("embedding.E"), layers, parameters.get("output.W"), parameters.get("output.b"));
    }

    /** The logits after the last step of one sequence, and every layer's state there. */
    private record Step(double[] lastLogits, List<State> states) {
    }

    /** Runs one sequence (1, T) from the given states (null: zeros) in evaluation mode. */
    private Step step(String method, int[][] ids, List<State> from) {
        INDArray tokens = Nd4j.createFromArray(ids).castTo(Batch.ID_TYPE);
        RecurrentNetwork.Result forward = network.forward(method, tokens, from, null, false);
        INDArray z = forward.output();
        int last = ids[0].length - 1;
        double[] logits = new double[configuration.vocabularySize()];
        for (int v = 0; v < logits.length; v++) {
            logits[v] = z.getDouble(0, last, v);
        }
        return new Step(logits, forward.body().finalStates());
    }

    /**
     * Draws one token from logits with temperature and top-k, as {@link #sample} describes.
     *
     * @param logits z, one per token
     * @param temperature τ ≥ 0 (0: argmax)
     * @param topK k in [0, V] (0: all)
     * @param random the generator to draw from
     * @return the token drawn
     */
    static int pick(double[] logits, double temperature, int topK, Random random) {
        return new TokenSampler(logits.length).pick(logits, temperature, topK, random);
    }

    private void requireVocabulary(String method, Vocabulary vocabulary, String prompt) {
        Objects.requireNonNull(vocabulary, method + ": vocabulary must not be null");
        Objects.requireNonNull(prompt, method + ": prompt must not be null");
        if (vocabulary.size() != configuration.vocabularySize()) {
            throw new IllegalArgumentException(method + ": vocabulary has V = " + vocabulary.size() + " tokens, but this model "
                    + "was built for V = " + configuration.vocabularySize() + ".");
        }
    }

    private void requireGeneration(String method, int[] prompt, int length, double temperature, int topK) {
        Objects.requireNonNull(prompt, method + ": prompt must not be null");
        Shapes.requirePositive(method, "prompt length", prompt.length);
        if (length < 0) {
            throw new IllegalArgumentException(method + ": length must be at least 0, but is " + length + ".");
        }
        int vocabularySize = configuration.vocabularySize();
        if (!(temperature >= 0 && temperature < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(method + ": temperature must be finite and ≥ 0 (0 for greedy), but is "
                    + temperature + ".");
        }
        if (topK < 0 || topK > vocabularySize) {
            throw new IllegalArgumentException(method + ": topK must be in [0, V] = [0, " + vocabularySize
                    + "] (0 keeps every token), but is " + topK + ".");
        }
    }

    private static ModelConfiguration requireLanguageModel(ModelConfiguration configuration) {
        Objects.requireNonNull(configuration, KIND + ": configuration must not be null");
        if (!configuration.readsTokens()) {
            throw new IllegalArgumentException(KIND + ": a language model reads token ids, so vocabularySize must be positive, "
                    + "but is 0; use ModelConfiguration.ofTokens.");
        }
        if (configuration.outputSize() != configuration.vocabularySize()) {
            throw new IllegalArgumentException(KIND + ": a language model scores every token of the vocabulary, so outputSize "
                    + "must equal vocabularySize V = " + configuration.vocabularySize() + ", but is "
                    + configuration.outputSize() + ".");
        }
        if (configuration.bidirectional()) {
            throw new IllegalArgumentException(KIND + ": a language model predicts the next token from the tokens before it; "
                    + "a bidirectional body would read the very token it predicts. Use withBidirectional(false).");
        }
        return configuration;
    }

    private void requireTargets(String method, Batch batch) {
        Objects.requireNonNull(batch, method + ": batch must not be null");
        if (!batch.hasIds()) {
            throw new IllegalArgumentException(method + ": a language model reads token ids (N, T), but the batch holds "
                    + "features of shape " + Shapes.of(batch.inputs()) + ".");
        }
        Shapes.require(method, "targets", batch.targets(), "(N, T)", batch.batchSize(), batch.steps());
    }

    /**
     * Rebuilds a saved model: its configuration, then its parameters, bit-identical to those saved.
     *
     * @param path a file written by {@link #save}
     * @return the model
     * @throws java.io.UncheckedIOException if the file cannot be read
     * @throws IllegalArgumentException if the file is not a saved {@code CharLanguageModel}
     */
    public static CharLanguageModel load(Path path) {
        return ModelFile.load(KIND + ".load", path, KIND, CharLanguageModel::new);
    }
}

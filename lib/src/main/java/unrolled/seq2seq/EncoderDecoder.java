package unrolled.seq2seq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import unrolled.attention.AdditiveAttention;
import unrolled.attention.Attention;
import unrolled.attention.AttentionGradients;
import unrolled.attention.AttentionStep;
import unrolled.attention.LuongAttention;
import unrolled.cell.RecurrentCell;
import unrolled.cell.State;
import unrolled.cell.StepGradients;
import unrolled.data.Vocabulary;
import unrolled.fast.FastDecoding;
import unrolled.fast.FastEncoderDecoder;
import unrolled.fast.FastRecurrentLayer;
import unrolled.layer.Affine;
import unrolled.layer.Embedding;
import unrolled.layer.LayerGradients;
import unrolled.loss.SoftmaxCrossEntropy;
import unrolled.param.Gradients;
import unrolled.param.Trainable;
import unrolled.param.Parameters;
import unrolled.recurrent.RecurrentLayer;
import unrolled.recurrent.SequenceGradients;
import unrolled.recurrent.SequenceLayer;
import unrolled.data.SequenceMask;
import unrolled.tensor.Shapes;
import unrolled.train.LossAndGradients;
import unrolled.train.TrainingStep;

/**
 * The encoder–decoder (sequence-to-sequence) model: an encoder RNN reads the whole source, a decoder RNN writes the
 * target one token at a time, starting from the encoder's final state.
 *
 * <pre>
 *   encoder:  m = rnn_enc(E_src[x], mask)              memory m (N, S, H): one state per source token
 *             s_{−1} = the encoder's final state         the context vector (N, H) (and c for an LSTM)
 *   decoder, for t = 0 … T−1, with y_{−1} = &lt;bos&gt;:
 *     NONE:       s_t = cell(E_tgt[ŷ_{t−1}], s_{t−1})                  z_t = s_t·W + b
 *     BAHDANAU:   c_t = attend(s_{t−1}, m)   s_t = cell([E_tgt[ŷ_{t−1}], c_t], s_{t−1})   z_t = [s_t, c_t]·W + b
 *     LUONG_*:    s_t = cell(E_tgt[ŷ_{t−1}], s_{t−1})   c_t = attend(s_t, m)            z_t = [s_t, c_t]·W + b
 *   loss = masked mean over the real target steps of −log softmax(z_t)_{y_t}
 * </pre>
 *
 * <p><b>What the decoder reads at step t.</b> ŷ_{t−1} is the true previous token y_{t−1} with probability ε (the
 * teacher-forcing ratio) and the model's own most likely previous token, argmax z_{t−1}, otherwise; each sequence and
 * step draws on its own, from a seeded generator. ε = 1 is teacher forcing; decaying ε during training is scheduled
 * sampling ({@link TeacherForcingSchedule}). No gradient flows through the argmax: a fed-back prediction is a constant
 * input, as in Bengio et al. 2015.
 *
 * <p><b>Backward.</b> The decoder is unrolled by hand so that attention and feeding back can happen inside the loop.
 * Walking t = T−1 … 0, the gradient reaching s_t is the sum of what its readout, its attention query (Luong) and
 * step t + 1 send; Bahdanau's query s_{t−1} receives the attention's query gradient. Every step's attention sends
 * ∂L/∂m into the memory; that, and ∂L/∂s_{−1}, run back through the encoder (BPTT) into the source embeddings.
 *
 * <p><b>Two paths, one model.</b> The encoder always runs on the fast path ({@link FastRecurrentLayer}). The decoder
 * has two implementations of the same equations: the readable one above ({@link #step}, {@link #forward},
 * {@link #backward}), which steps the library's cells and attention one ND4J operation at a time, and
 * {@link FastEncoderDecoder}, which runs every step on plain memory, all rows of the batch through one product per
 * weight matrix (the additive attention's key projection of the memory once per sequence, no allocation per step). Greedy decoding of a batch and the scorer a
 * search reads run encoder and decoder on {@link FastDecoding}: every row of the batch (or prefix of the beam) in one
 * matrix product per weight matrix per step, and a {@link BeamSearch} over such a scorer as one fused loop.
 * {@link #lossAndGradients}, {@link #trainingStep}, {@link #greedy}, {@link #translate} and {@link #scorer} take the
 * fast paths for GRU and LSTM decoders; {@code fastPath(false)} makes them take the readable one, the reference the
 * tests hold the fast one to (same losses, gradients, outputs and attention weights to round-off, and the same
 * teacher-forcing draws).
 * Parameters: {@code sourceEmbedding.E}, {@code encoder.*}, {@code targetEmbedding.E}, {@code decoder.*},
 * {@code attention.*} (with attention), {@code output.W}, {@code output.b}. Padding id {@link Vocabulary#PAD_ID} maps
 * to a zero vector in both embeddings; the readout starts small (W = 0.1·Xavier) so that the first loss is about ln V.
 */
public final class EncoderDecoder implements Trainable {

    /**
     * The encoder's result: what the decoder reads.
     *
     * @param memory m, the encoder's outputs, (N, S, H); zero on padding
     * @param state s_{−1}, the encoder's state after each source's last real token, (N, H) (and c)
     * @param mask which source steps are real
     * @param embedding the source embedding's cache
     * @param encoder the encoder's cache
     */
    public record Encoded(INDArray memory, State state, SequenceMask mask, Embedding.Cache embedding,
            RecurrentLayer.Cache<Object> encoder) {
    }

    /**
     * One decoder step's caches.
     *
     * @param embedding the target embedding's cache for this step's input
     * @param cell the decoder cell's cache
     * @param attention the attention's cache, or null without attention
     * @param readout the output layer's cache
     */
    public record StepCache(Embedding.Cache embedding, Object cell, Object attention, Affine.Cache readout) {
    }

    /**
     * One decoder step.
     *
     * @param logits z_t, (N, V)
     * @param state s_t, (N, H) (and c)
     * @param weights the attention weights over the source, (N, S), or null without attention
     * @param cache for the backward pass
     */
    public record DecoderStep(INDArray logits, State state, INDArray weights, StepCache cache) {
    }

    /**
     * What the forward pass keeps.
     *
     * @param encoded the encoder's result and caches
     * @param decoderInputs ŷ_{t−1}, the token the decoder read at each step, (N, T)
     * @param steps one cache per decoder step
     */
    public record Cache(Encoded encoded, int[][] decoderInputs, List<StepCache> steps) {
    }

    /**
     * The forward result.
     *
     * @param logits z, (N, T, V)
     * @param attention the weights over the source at every output step, (N, T, S); null without attention
     * @param teacherForced the fraction of steps that were fed the true previous token
     * @param cache for {@link #backward}
     */
    public record Result(INDArray logits, INDArray attention, double teacherForced, Cache cache) {
    }

    /**
     * A greedy translation of one source, with where the decoder looked.
     *
     * @param tokens the output ids, without &lt;eos&gt;
     * @param attention the weights over the source at each output step (&lt;eos&gt; included), (Tout + 1, S); null
     *     without attention
     */
    public record Translation(int[] tokens, INDArray attention) {
    }

    private final Seq2SeqConfiguration configuration;
    private final Embedding sourceEmbedding;
    private final SequenceLayer<Object> encoder;
    private final Embedding targetEmbedding;
    private final RecurrentCell<Object> decoder;
    private final Attention<Object> attention;
    private final Affine output;
    private final Parameters parameters = new Parameters();
    private final SoftmaxCrossEntropy crossEntropy = new SoftmaxCrossEntropy();
    private final Random draws;
    /** The decoder on plain memory, or null for a cell it does not cover. */
    private final FastEncoderDecoder fast;
    /** Encoder and decoder on plain memory for greedy decoding and search, or null where {@link #fast} is. */
    private final FastDecoding decoding;
    private boolean fastPath = true;

    /**
     * Builds the model. Seeds: source embedding {@code seed}, encoder cell {@code seed + 1}, target embedding
     * {@code seed + 2}, decoder cell {@code seed + 3}, attention {@code seed + 4}, readout {@code seed + 5}, and the
     * teacher-forcing draws {@code seed + 6}.
     *
     * @param configuration the settings, not null
     */
    @SuppressWarnings("unchecked")
    public EncoderDecoder(Seq2SeqConfiguration configuration) {
        this.configuration = Objects.requireNonNull(configuration, "EncoderDecoder: configuration must not be null");
        int e = configuration.embeddingSize();
        int h = configuration.hiddenSize();
        DataType type = configuration.dataType();
        long seed = configuration.seed();
        this.sourceEmbedding = new Embedding(configuration.sourceVocabularySize(), e, Vocabulary.PAD_ID, type, seed);
        // the cache types differ between cells and attentions; they are erased here, as in RecurrentStack
        RecurrentCell<Object> encoderCell = (RecurrentCell<Object>) configuration.cellType().create(e, h, type, seed + 1);
        this.encoder = FastRecurrentLayer.supports(encoderCell) ? FastRecurrentLayer.of(encoderCell)
                : new RecurrentLayer<>(encoderCell);
        this.targetEmbedding = new Embedding(configuration.targetVocabularySize(), e, Vocabulary.PAD_ID, type, seed + 2);
        boolean bahdanau = configuration.attention() == AttentionType.BAHDANAU;
        this.decoder = (RecurrentCell<Object>) configuration.cellType().create(bahdanau ? e + h : e, h, type, seed + 3);
        this.attention = (Attention<Object>) (Attention<?>) switch (configuration.attention()) {
            case NONE -> null;
            case BAHDANAU -> new AdditiveAttention(h, h, h, type, seed + 4);
            case LUONG_DOT -> new LuongAttention(LuongAttention.Score.DOT, h, h, type, seed + 4);
            case LUONG_GENERAL -> new LuongAttention(LuongAttention.Score.GENERAL, h, h, type, seed + 4);
        };
        this.output = new Affine(attention == null ? h : 2 * h, configuration.targetVocabularySize(), type, seed + 5);
        output.parameters().get("W").muli(0.1);
        this.draws = new Random(seed + 6);
        parameters.addAll("sourceEmbedding", sourceEmbedding.parameters());
        parameters.addAll("encoder", encoder.parameters());
        parameters.addAll("targetEmbedding", targetEmbedding.parameters());
        parameters.addAll("decoder", decoder.parameters());
        if (attention != null && attention.parameters().size() > 0) {
            parameters.addAll("attention", attention.parameters());
        }
        parameters.addAll("output", output.parameters());
        this.fast = FastEncoderDecoder.supports(decoder, attention)
                ? new FastEncoderDecoder(targetEmbedding, decoder, attention, output, Vocabulary.BOS_ID, Vocabulary.EOS_ID)
                : null;
        this.decoding = FastDecoding.supports(encoderCell, fast) ? new FastDecoding(sourceEmbedding, encoderCell, fast) : null;
    }

    /**
     * Chooses the decoder's implementation for {@link #lossAndGradients}, {@link #trainingStep}, {@link #greedy},
     * {@link #translate} and {@link #scorer}: the fast one (the default, where the cell is a GRU or an LSTM) or the
     * readable reference ({@link #step}, {@link #forward}, {@link #backward}). Both compute the same numbers.
     *
     * @param enabled true for the fast path where it applies, false for the reference
     * @return this model
     */
    public EncoderDecoder fastPath(boolean enabled) {
        this.fastPath = enabled;
        return this;
    }

    /** @return true if the decoder runs on the fast path ({@link FastEncoderDecoder}) */
    public boolean usesFastPath() {
        return fastPath && fast != null;
    }

    /**
     * Runs the encoder.
     *
     * @param sources source ids, (N, S), integer type, padded at the end with &lt;pad&gt;
     * @param mask which source steps are real, (N, S), or null if none is padded
     * @return the memory, the final state and the caches
     */
    public Encoded encode(INDArray sources, SequenceMask mask) {
        Embedding.Result embedded = sourceEmbedding.forward(sources);
        RecurrentLayer.Result<Object> encoded = encoder.forward(embedded.output(), mask);
        return new Encoded(encoded.outputs(), encoded.finalState(), mask, embedded.cache(), encoded.cache());
    }

    /**
     * One decoder step, for a batch of N prefixes.
     *
     * @param previousTokens ŷ_{t−1}, one id per row (&lt;bos&gt; at t = 0)
     * @param state s_{t−1}, (N, H) (and c)
     * @param encoded the encoder's result for the same N rows
     * @return z_t, s_t, the attention weights and the cache
     */
    public DecoderStep step(int[] previousTokens, State state, Encoded encoded) {
        int n = previousTokens.length;
        Embedding.Result embedded = targetEmbedding.forward(Nd4j.createFromArray(previousTokens).reshape(n, 1));
        INDArray x = embedded.output().reshape('c', n, configuration.embeddingSize());
        AttentionType type = configuration.attention();
        AttentionStep<Object> attended = null;
        INDArray cellInput = x;
        if (type == AttentionType.BAHDANAU) {
            // c_t = attend(s_{t−1}, m); the cell reads [E[ŷ_{t−1}], c_t]
            attended = attention.forward(state.h(), encoded.memory(), encoded.mask());
            cellInput = Nd4j.concat(1, x, attended.context());
        }
        var cellStep = decoder.forward(cellInput, state);
        INDArray s = cellStep.state().h();
        if (type == AttentionType.LUONG_DOT || type == AttentionType.LUONG_GENERAL) {
            // c_t = attend(s_t, m)
            attended = attention.forward(s, encoded.memory(), encoded.mask());
        }
        // z_t = s_t·W + b, or [s_t, c_t]·W + b
        INDArray readIn = attended == null ? s : Nd4j.concat(1, s, attended.context());
        Affine.Result z = output.forward(readIn);
        return new DecoderStep(z.output(), cellStep.state(), attended == null ? null : attended.weights(),
                new StepCache(embedded.cache(), cellStep.cache(), attended == null ? null : attended.cache(), z.cache()));
    }

    /**
     * The forward pass over a batch, feeding the true previous token with probability ε (drawn from the model's own
     * seeded generator).
     *
     * @param batch sources, targets and masks
     * @param teacherForcingRatio ε in [0, 1]
     * @return logits (N, T, V), attention weights and the cache
     */
    public Result forward(Seq2SeqBatch batch, double teacherForcingRatio) {
        return forward(batch, teacherForcingRatio, draws);
    }

    /**
     * The forward pass with a given generator for the teacher-forcing draws (to replay the same draws).
     *
     * @param batch sources, targets and masks
     * @param teacherForcingRatio ε in [0, 1]
     * @param random decides, for each sequence and step after the first, whether the true token is fed
     * @return logits (N, T, V), attention weights and the cache
     */
    public Result forward(Seq2SeqBatch batch, double teacherForcingRatio, Random random) {
        String method = "EncoderDecoder.forward";
        Objects.requireNonNull(batch, method + ": batch must not be null");
        Objects.requireNonNull(random, method + ": random must not be null");
        if (!(teacherForcingRatio >= 0 && teacherForcingRatio <= 1)) {
            throw new IllegalArgumentException(method + ": teacherForcingRatio must be in [0, 1], but is "
                    + teacherForcingRatio + ".");
        }
        int n = batch.batchSize();
        int steps = batch.targetSteps();
        Encoded encoded = encode(batch.sources(), batch.sourceMask());
        State state = encoded.state();
        int[] previous = new int[n];
        Arrays.fill(previous, Vocabulary.BOS_ID);
        int[][] inputs = new int[n][steps];
        List<StepCache> caches = new ArrayList<>(steps);
        List<INDArray> logits = new ArrayList<>(steps);
        List<INDArray> weights = new ArrayList<>(steps);
        int forced = 0;
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < n; i++) {
                inputs[i][t] = previous[i];
            }
            DecoderStep step = step(previous, state, encoded);
            caches.add(step.cache());
            logits.add(step.logits());
            if (step.weights() != null) {
                weights.add(step.weights());
            }
            state = step.state();
            if (t + 1 < steps) {
                // ŷ_t = y_t with probability ε, argmax z_t otherwise
                int[] predicted = Nd4j.argMax(step.logits(), 1).toIntVector();
                for (int i = 0; i < n; i++) {
                    boolean teacher = teacherForcingRatio >= 1 || (teacherForcingRatio > 0 && random.nextDouble() < teacherForcingRatio);
                    previous[i] = teacher ? batch.targets().getInt(i, t) : predicted[i];
                    forced += teacher ? 1 : 0;
                }
            }
        }
        double share = steps > 1 ? forced / (double) (n * (steps - 1)) : 1.0;
        INDArray attentionWeights = weights.isEmpty() ? null : Nd4j.stack(1, weights.toArray(new INDArray[0]));
        return new Result(Nd4j.stack(1, logits.toArray(new INDArray[0])), attentionWeights, share,
                new Cache(encoded, inputs, caches));
    }

    /**
     * Backpropagation through the decoder's steps, the attention and the encoder.
     *
     * @param dLogits ∂L/∂z, (N, T, V)
     * @param cache from {@link #forward}
     * @return ∂L/∂θ for every parameter, under the names of {@link #parameters()}
     */
    public Gradients backward(INDArray dLogits, Cache cache) {
        String method = "EncoderDecoder.backward";
        Objects.requireNonNull(cache, method + ": cache must not be null");
        int n = cache.decoderInputs().length;
        int steps = cache.steps().size();
        int h = configuration.hiddenSize();
        int e = configuration.embeddingSize();
        DataType type = configuration.dataType();
        Shapes.require(method, "dLogits", dLogits, "(N, T, V)", n, steps, configuration.targetVocabularySize());
        Shapes.requireType(method, "dLogits", dLogits, type);
        Encoded encoded = cache.encoded();
        AttentionType kind = configuration.attention();

        Gradients decoderGrads = new Gradients();
        Gradients attentionGrads = new Gradients();
        Gradients outputGrads = new Gradients();
        INDArray dMemory = Nd4j.zeros(type, encoded.memory().shape());
        INDArray dEmbedded = Nd4j.zeros(type, n, steps, e);
        // ∂L/∂s_t arriving from step t + 1: nothing after the last step
        INDArray dh = Nd4j.zeros(type, n, h);
        INDArray dc = encoded.state().hasCell() ? Nd4j.zeros(type, n, h) : null;
        for (int t = steps - 1; t >= 0; t--) {
            StepCache step = cache.steps().get(t);
            INDArray dz = dLogits.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all()).dup();
            // z_t = readIn·W + b
            LayerGradients readout = output.backward(dz, step.readout());
            outputGrads.accumulate("W", readout.parameters().get("W")).accumulate("b", readout.parameters().get("b"));
            INDArray dReadIn = readout.dx();
            INDArray dS = kind == AttentionType.NONE ? dReadIn : dReadIn.get(NDArrayIndex.all(), NDArrayIndex.interval(0, h)).dup();
            INDArray dContext = kind == AttentionType.NONE ? null
                    : dReadIn.get(NDArrayIndex.all(), NDArrayIndex.interval(h, 2 * h)).dup();
            if (kind == AttentionType.LUONG_DOT || kind == AttentionType.LUONG_GENERAL) {
                // c_t = attend(s_t, m): the query s_t receives ∂L/∂q, the memory ∂L/∂m
                AttentionGradients attended = attention.backward(dContext, null, step.attention());
                dS.addi(attended.dQuery());
                dMemory.addi(attended.dMemory());
                attentionGrads.accumulateAll("a", attended.parameters());
            }
            // s_t receives its readout's (and query's) gradient plus what step t + 1 sent back
            dS.addi(dh);
            StepGradients cellGrads = decoder.backward(new State(dS, dc), step.cell());
            decoderGrads.accumulateAll("d", cellGrads.parameters());
            dh = cellGrads.dPrevious().h();
            dc = cellGrads.dPrevious().c();
            INDArray dx = cellGrads.dx();
            if (kind == AttentionType.BAHDANAU) {
                // the cell read [E[ŷ_{t−1}], c_t]; c_t = attend(s_{t−1}, m) and also reached the readout
                dContext.addi(dx.get(NDArrayIndex.all(), NDArrayIndex.interval(e, e + h)));
                dx = dx.get(NDArrayIndex.all(), NDArrayIndex.interval(0, e)).dup();
                AttentionGradients attended = attention.backward(dContext, null, step.attention());
                dh = dh.add(attended.dQuery());
                dMemory.addi(attended.dMemory());
                attentionGrads.accumulateAll("a", attended.parameters());
            }
            dEmbedded.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all()).assign(dx);
        }
        // the decoder's embedding: every step's input ids at once
        Gradients targetGrads = targetEmbedding.backward(dEmbedded, new Embedding.Cache(Nd4j.createFromArray(cache.decoderInputs())));
        // s_{−1} is the encoder's final state; m its outputs: BPTT through the encoder
        SequenceGradients encoderGrads = encoder.backward(dMemory, new State(dh, dc), encoded.encoder());
        Gradients sourceGrads = sourceEmbedding.backward(encoderGrads.dx(), encoded.embedding());

        Gradients all = new Gradients()
                .accumulateAll("sourceEmbedding", sourceGrads)
                .accumulateAll("encoder", encoderGrads.parameters())
                .accumulateAll("targetEmbedding", targetGrads)
                .accumulateAll("decoder", strip(decoderGrads, "d", decoder.parameters()));
        if (parameters.names().stream().anyMatch(name -> name.startsWith("attention."))) {
            all.accumulateAll("attention", strip(attentionGrads, "a", attention.parameters()));
        }
        return all.accumulateAll("output", outputGrads);
    }

    /** Removes the prefix used to sum a part's per-step gradients; zeros for a parameter that received none. */
    private static Gradients strip(Gradients prefixed, String prefix, Parameters part) {
        Gradients plain = new Gradients();
        for (var entry : part) {
            String name = prefix + "." + entry.getKey();
            plain.accumulate(entry.getKey(), prefixed.contains(name) ? prefixed.get(name) : Nd4j.zerosLike(entry.getValue()));
        }
        return plain;
    }

    /**
     * One training step's numbers: forward with teacher-forcing ratio ε, masked mean cross-entropy over the real
     * target steps (&lt;eos&gt; included), backward.
     *
     * @param batch sources, targets and masks
     * @param teacherForcingRatio ε in [0, 1]
     * @return the loss (nats per target token) and ∂loss/∂θ
     */
    public LossAndGradients lossAndGradients(Seq2SeqBatch batch, double teacherForcingRatio) {
        return lossAndGradients(batch, teacherForcingRatio, draws);
    }

    /**
     * The training step's numbers with a given generator for the teacher-forcing draws (to replay the same draws, as
     * a finite-difference check must).
     *
     * @param batch sources, targets and masks
     * @param teacherForcingRatio ε in [0, 1]
     * @param random decides, for each sequence and step after the first, whether the true token is fed
     * @return the loss (nats per target token) and ∂loss/∂θ
     */
    public LossAndGradients lossAndGradients(Seq2SeqBatch batch, double teacherForcingRatio, Random random) {
        if (usesFastPath()) {
            return fastLossAndGradients(batch, teacherForcingRatio, random);
        }
        Result forward = forward(batch, teacherForcingRatio, random);
        SoftmaxCrossEntropy.Result loss = crossEntropy.compute(forward.logits(), batch.targets(), batch.targetMask());
        return new LossAndGradients(loss.loss(), backward(loss.dLogits(), forward.cache()));
    }

    /** The same step through {@link FastEncoderDecoder}: the encoder as always, the decoder on plain memory. */
    private LossAndGradients fastLossAndGradients(Seq2SeqBatch batch, double teacherForcingRatio, Random random) {
        Objects.requireNonNull(batch, "EncoderDecoder.lossAndGradients: batch must not be null");
        Encoded encoded = encode(batch.sources(), batch.sourceMask());
        FastEncoderDecoder.Trained decoded = fast.train(encoded.memory(), encoded.mask(), encoded.state(), batch.targets(),
                batch.targetMask(), teacherForcingRatio, random);
        // m and s_{−1} are the encoder's outputs and final state: BPTT through the encoder
        SequenceGradients encoderGrads = encoder.backward(decoded.dMemory(), decoded.dStart(), encoded.encoder());
        Gradients sourceGrads = sourceEmbedding.backward(encoderGrads.dx(), encoded.embedding());
        Gradients all = new Gradients()
                .takeAll("sourceEmbedding", sourceGrads)
                .takeAll("encoder", encoderGrads.parameters())
                .takeAll("targetEmbedding", decoded.targetEmbedding())
                .takeAll("decoder", decoded.decoder());
        if (parameters.names().stream().anyMatch(name -> name.startsWith("attention."))) {
            all.takeAll("attention", decoded.attention());
        }
        return new LossAndGradients(decoded.loss(), all.takeAll("output", decoded.output()));
    }

    /**
     * A {@link unrolled.train.Trainer} step that follows a teacher-forcing schedule: its i-th call trains with
     * ε = schedule.ratio(i).
     *
     * @param schedule ε by step, e.g. {@code TeacherForcingSchedule.constant(1)} for teacher forcing
     * @return the step
     */
    public TrainingStep<Seq2SeqBatch> trainingStep(TeacherForcingSchedule schedule) {
        Objects.requireNonNull(schedule, "EncoderDecoder.trainingStep: schedule must not be null");
        long[] calls = {0};
        return batch -> lossAndGradients(batch, schedule.ratio(calls[0]++));
    }

    /**
     * The teacher-forced cross-entropy, the number perplexity is computed from.
     *
     * @param batch sources, targets and masks
     * @return the loss and its denominator (the number of real target tokens)
     */
    public SoftmaxCrossEntropy.Result crossEntropy(Seq2SeqBatch batch) {
        Result forward = forward(batch, 1.0);
        return crossEntropy.compute(forward.logits(), batch.targets(), batch.targetMask());
    }

    /**
     * @param batch sources, targets and masks
     * @return the teacher-forced masked mean cross-entropy, in nats per target token
     */
    public double loss(Seq2SeqBatch batch) {
        return crossEntropy(batch).loss();
    }

    /**
     * Greedy decoding of a whole batch, free running: each row feeds back its own most likely token until it emits
     * &lt;eos&gt; or reaches the length limit.
     *
     * @param sources source ids, (N, S)
     * @param mask which source steps are real, or null
     * @param maxLength the most tokens to emit per row (&lt;eos&gt; not counted), positive
     * @return the output ids of each row, without &lt;eos&gt;
     */
    public int[][] greedy(INDArray sources, SequenceMask mask, int maxLength) {
        Shapes.requirePositive("EncoderDecoder.greedy", "maxLength", maxLength);
        if (usesFastPath()) {
            return decoding.greedy(sources, mask, maxLength);
        }
        Encoded encoded = encode(sources, mask);
        int n = Math.toIntExact(sources.size(0));
        State state = encoded.state();
        int[] previous = new int[n];
        Arrays.fill(previous, Vocabulary.BOS_ID);
        List<List<Integer>> out = new ArrayList<>();
        boolean[] done = new boolean[n];
        for (int i = 0; i < n; i++) {
            out.add(new ArrayList<>());
        }
        for (int t = 0; t <= maxLength; t++) {
            DecoderStep step = step(previous, state, encoded);
            state = step.state();
            previous = Nd4j.argMax(step.logits(), 1).toIntVector();
            boolean all = true;
            for (int i = 0; i < n; i++) {
                if (!done[i]) {
                    if (previous[i] == Vocabulary.EOS_ID || t == maxLength) {
                        done[i] = true;
                    } else {
                        out.get(i).add(previous[i]);
                    }
                }
                all &= done[i];
            }
            if (all) {
                break;
            }
        }
        return out.stream().map(row -> row.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    }

    /**
     * @param batch sources, targets and masks
     * @param maxLength the longest output allowed
     * @return the greedy outputs, one per pair, without &lt;eos&gt;
     */
    public int[][] greedy(Seq2SeqBatch batch, int maxLength) {
        return greedy(batch.sources(), batch.sourceMask(), maxLength);
    }

    /**
     * Greedy decoding of one source, keeping the attention weights of every output step.
     *
     * @param source the source ids, at least one
     * @param maxLength the longest output allowed, positive
     * @return the output and, with attention, the weights (Tout + 1, S)
     */
    public Translation translate(int[] source, int maxLength) {
        Shapes.requirePositive("EncoderDecoder.translate", "maxLength", maxLength);
        Encoded encoded = encode(Nd4j.createFromArray(new int[][] {source}), null);
        if (usesFastPath()) {
            FastEncoderDecoder.Decoded decoded = fast.translate(encoded.memory(), encoded.state(), maxLength);
            return new Translation(decoded.tokens(), decoded.weights());
        }
        State state = encoded.state();
        int[] previous = {Vocabulary.BOS_ID};
        List<Integer> tokens = new ArrayList<>();
        List<INDArray> weights = new ArrayList<>();
        for (int t = 0; t <= maxLength; t++) {
            DecoderStep step = step(previous, state, encoded);
            state = step.state();
            if (step.weights() != null) {
                weights.add(step.weights());
            }
            previous = Nd4j.argMax(step.logits(), 1).toIntVector();
            if (previous[0] == Vocabulary.EOS_ID || t == maxLength) {
                break;
            }
            tokens.add(previous[0]);
        }
        INDArray map = weights.isEmpty() ? null : Nd4j.concat(0, weights.toArray(new INDArray[0]));
        return new Translation(tokens.stream().mapToInt(Integer::intValue).toArray(), map);
    }

    /**
     * The decoder as a search sees it, for one source: feed it to {@link GreedySearch} or {@link BeamSearch}.
     *
     * @param source the source ids, at least one
     * @return a scorer whose states are decoder states (a {@link State} of ND4J arrays on the reference path; on the
     *     fast path s (and c) as one plain row of H (or 2H) numbers); k prefixes are scored as one batch of k rows
     */
    public StepScorer<?> scorer(int[] source) {
        Objects.requireNonNull(source, "EncoderDecoder.scorer: source must not be null");
        if (usesFastPath()) {
            return fastScorer(decoding.source(source));
        }
        Encoded single = encode(Nd4j.createFromArray(new int[][] {source}), null);
        return new SourceScorer<State>() {

            @Override
            public State start() {
                return single.state();
            }

            @Override
            public List<Scored<State>> advance(List<State> states, int[] previousTokens) {
                int k = states.size();
                // k prefixes of the same source: k copies of its memory, k states stacked as rows
                INDArray memory = Nd4j.concat(0, Collections.nCopies(k, single.memory()).toArray(new INDArray[0]));
                Encoded beam = new Encoded(memory, null, null, null, null);
                INDArray h = Nd4j.concat(0, states.stream().map(State::h).toArray(INDArray[]::new));
                INDArray c = states.get(0).hasCell() ? Nd4j.concat(0, states.stream().map(State::c).toArray(INDArray[]::new)) : null;
                DecoderStep step = step(previousTokens, new State(h, c), beam);
                // log p = z − log Σ exp z
                INDArray z = step.logits().castTo(DataType.DOUBLE);
                INDArray max = z.max(true, 1);
                INDArray logSumExp = Transforms.log(Transforms.exp(z.subColumnVector(max), false).sum(true, 1), false).addi(max);
                double[][] logP = z.subColumnVector(logSumExp).toDoubleMatrix();
                List<Scored<State>> scored = new ArrayList<>(k);
                for (int i = 0; i < k; i++) {
                    INDArray hi = step.state().h().getRow(i, true).dup();
                    INDArray ci = step.state().hasCell() ? step.state().c().getRow(i, true).dup() : null;
                    scored.add(new Scored<>(logP[i], new State(hi, ci)));
                }
                return scored;
            }
        };
    }

    /**
     * The scorer on the fast path: a state is one plain row [s, c] (c for an LSTM only), so that a step makes no ND4J
     * array; the k prefixes' rows go in and out of {@link FastDecoding.Source#advance} as one batch, and a
     * {@link BeamSearch} runs as one loop in {@link FastDecoding.Source#beamSearch}.
     */
    private StepScorer<double[]> fastScorer(FastDecoding.Source beam) {
        int h = configuration.hiddenSize();
        int v = configuration.targetVocabularySize();
        boolean lstm = fast.hasCellState();
        int width = lstm ? 2 * h : h;
        double[] first = new double[width];
        beam.start(first);
        return new FusedScorer<double[]>() {

            @Override
            public BeamSearch.Result beamSearch(BeamSearch search, int maxLength) {
                List<Hypothesis> finished = new ArrayList<>();
                int expansions = beam.beamSearch(search.beamWidth(), maxLength, (tokens, logProbability, length, done) ->
                        finished.add(new Hypothesis(tokens, logProbability, search.score(logProbability, length), done)));
                return BeamSearch.ranked(finished, expansions);
            }

            private double[] hIn = new double[0];
            private double[] cIn = new double[0];
            private double[] hOut = new double[0];
            private double[] cOut = new double[0];
            private double[] logP = new double[0];

            @Override
            public double[] start() {
                return first.clone();
            }

            @Override
            public List<Scored<double[]>> advance(List<double[]> states, int[] previousTokens) {
                Objects.requireNonNull(states, "EncoderDecoder.scorer: states must not be null");
                int k = states.size();
                if (previousTokens == null || previousTokens.length != k) {
                    throw new IllegalArgumentException("EncoderDecoder.scorer: previousTokens must hold one id per state, "
                            + k + ", but holds " + (previousTokens == null ? "none" : previousTokens.length) + ".");
                }
                if (hIn.length < k * h) {
                    hIn = new double[k * h];
                    cIn = new double[k * h];
                    hOut = new double[k * h];
                    cOut = new double[k * h];
                    logP = new double[k * v];
                }
                for (int i = 0; i < k; i++) {
                    double[] state = Objects.requireNonNull(states.get(i), "EncoderDecoder.scorer: a state is null");
                    if (state.length != width) {
                        throw new IllegalArgumentException("EncoderDecoder.scorer: a state must hold " + width
                                + " numbers, but state " + i + " holds " + state.length + ".");
                    }
                    System.arraycopy(state, 0, hIn, i * h, h);
                    if (lstm) {
                        System.arraycopy(state, h, cIn, i * h, h);
                    }
                }
                beam.advance(k, previousTokens, hIn, cIn, hOut, cOut, logP);
                List<Scored<double[]>> scored = new ArrayList<>(k);
                for (int i = 0; i < k; i++) {
                    double[] next = new double[width];
                    System.arraycopy(hOut, i * h, next, 0, h);
                    if (lstm) {
                        System.arraycopy(cOut, i * h, next, h, h);
                    }
                    scored.add(new Scored<>(Arrays.copyOfRange(logP, i * v, (i + 1) * v), next));
                }
                return scored;
            }
        };
    }

    /** A scorer on the fast path, which runs a whole beam search itself. */
    private abstract class FusedScorer<S> extends SourceScorer<S> implements BeamSearch.Fused {
    }

    /** What every scorer of this model shares: V, &lt;bos&gt; and &lt;eos&gt;. */
    private abstract class SourceScorer<S> implements StepScorer<S> {

        @Override
        public int vocabularySize() {
            return configuration.targetVocabularySize();
        }

        @Override
        public int endToken() {
            return Vocabulary.EOS_ID;
        }

        @Override
        public int startToken() {
            return Vocabulary.BOS_ID;
        }
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    /** @return the settings this model was built from */
    public Seq2SeqConfiguration configuration() {
        return configuration;
    }

    @Override
    public String toString() {
        return "EncoderDecoder(" + configuration.cellType() + ", E=" + configuration.embeddingSize() + ", H="
                + configuration.hiddenSize() + ", attention=" + configuration.attention() + ", " + parameters.count()
                + " parameters, " + configuration.dataType() + ")";
    }
}

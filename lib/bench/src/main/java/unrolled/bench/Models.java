package unrolled.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.data.Batch;
import unrolled.data.Batching;
import unrolled.fast.ParameterPass;
import unrolled.fast.ReadoutLoss;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.data.Vocabulary;
import unrolled.layer.Affine;
import unrolled.layer.Embedding;
import unrolled.layer.LayerGradients;
import unrolled.layer.TimeDistributed;
import unrolled.layer.TimeDistributedAffine;
import unrolled.loss.SoftmaxCrossEntropy;
import unrolled.models.CellType;
import unrolled.models.CharLanguageModel;
import unrolled.models.ModelConfiguration;
import unrolled.models.RecurrentStack;
import unrolled.models.SequenceClassifier;
import unrolled.optim.Adam;
import unrolled.optim.Clipping;
import unrolled.param.Gradients;
import unrolled.param.Parameters;
import unrolled.seq2seq.AttentionType;
import unrolled.seq2seq.BeamSearch;
import unrolled.seq2seq.EncoderDecoder;
import unrolled.seq2seq.Seq2SeqBatch;
import unrolled.seq2seq.Seq2SeqConfiguration;
import unrolled.train.LossAndGradients;
import unrolled.train.Trainer;
import unrolled.train.TrainingStep;
import unrolled.transformer.PositionalEncoding;
import unrolled.transformer.TransformerEncoder;

/**
 * The whole models of the end-to-end benchmarks, at the sizes the notebooks train them, each as one call: a training
 * step as a notebook runs it ({@link Trainer#fit} over a list of batches with global-norm clipping at 1 and Adam), so
 * every cost of the step is in it. {@code pytorch_models.py} builds the same models in PyTorch.
 */
final class Models {

    /** Steps per {@link Trainer#fit} call: a notebook fits a list of batches, not one at a time. */
    static final int STEPS_PER_FIT = 8;

    private Models() {
    }

    /**
     * @param name a model's name, as {@link #NAMES} lists
     * @return its call; each call runs one training step (or one decoding), whose time is the figure
     */
    static Runnable call(String name) {
        return switch (name) {
            case "charlm-train" -> new CharLm().trainerStep();
            case "charlm-sample" -> new CharLm().sampling();
            case "classifier-train" -> new Classifier().trainerStep();
            case "classifier-infer" -> new Classifier().inference();
            case "seq2seq-train" -> new Reverser().trainerStep();
            case "seq2seq-greedy" -> new Reverser().greedy();
            case "seq2seq-beam" -> new Reverser().beam();
            case "transformer-train" -> new TransformerBlock().trainerStep();
            default -> throw new IllegalArgumentException("unknown model " + name + "; the models are " + NAMES);
        };
    }

    /**
     * @param name a model's name
     * @return the number of its parameters
     */
    static long parameterCount(String name) {
        return switch (name) {
            case "charlm-train", "charlm-sample" -> new CharLanguageModel(new CharLm().configuration).parameters().count();
            case "classifier-train", "classifier-infer" -> new SequenceClassifier(ModelConfiguration.ofTokens(Classifier.V, Classifier.E,
                    Classifier.H, 2)).parameters().count();
            case "seq2seq-train", "seq2seq-greedy", "seq2seq-beam" -> new Reverser().model.parameters().count();
            case "transformer-train" -> new TransformerBlock().parameters.count();
            default -> throw new IllegalArgumentException("unknown model " + name);
        };
    }

    /** The benchmarked models. */
    static final List<String> NAMES = List.of("charlm-train", "charlm-sample", "classifier-train", "classifier-infer",
            "seq2seq-train", "seq2seq-greedy", "seq2seq-beam", "transformer-train");

    /** Random token ids (N, T) in [0, V), a fixed seed. */
    static List<int[]> sequences(int n, int t, int vocabulary, long seed) {
        Random random = new Random(seed);
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] ids = new int[t];
            for (int j = 0; j < t; j++) {
                ids[j] = random.nextInt(vocabulary);
            }
            out.add(ids);
        }
        return out;
    }

    /** A trainer's step over a list of equal batches, one call per step. */
    private static <B> Runnable steps(Trainer<B> trainer, B batch) {
        List<B> batches = new ArrayList<>();
        for (int i = 0; i < STEPS_PER_FIT; i++) {
            batches.add(batch);
        }
        int[] next = {0};
        return () -> {
            // a fit of STEPS_PER_FIT steps every STEPS_PER_FIT calls: its per-fit cost is shared out over its steps
            if (next[0]++ % STEPS_PER_FIT == 0) {
                trainer.fit(batches, 1);
            }
        };
    }

    /** Notebook 10's character language model: V = 85, E = 16, LSTM H = 128, N = 32, T = 48, FLOAT. */
    static final class CharLm {
        static final int V = 85;
        static final int E = 16;
        static final int H = 128;
        static final int N = 32;
        static final int T = 48;

        final Batch batch = Batching.nextToken(sequences(N, T + 1, V, 10), DataType.FLOAT);
        final ModelConfiguration configuration = ModelConfiguration.ofTokens(V, E, H, V).withDataType(DataType.FLOAT)
                .withSeed(10);

        /** @return the model's training step as the trainer runs it */
        Runnable trainerStep() {
            CharLanguageModel model = new CharLanguageModel(configuration);
            Trainer<Batch> trainer = new Trainer<>(model.parameters(), new Adam(0.02), model::lossAndGradients)
                    .clipGlobalNorm(1.0).quiet(true);
            return steps(trainer, batch);
        }

        /** Characters drawn per sampling call, and the temperature: notebook 10 samples 300 at τ = 0, 0.5, 1, 1.5. */
        static final int SAMPLED = 200;
        static final double TEMPERATURE = 0.5;
        /** The prompt's length (notebook 10's prompt "Call me " has 8 characters). */
        static final int PROMPT = 8;

        /**
         * @return one sampling call as notebook 10 makes it ({@link CharLanguageModel#generate}: the prompt read, then
         *     {@value #SAMPLED} characters drawn one at a time at batch 1 with temperature {@value #TEMPERATURE}, each
         *     fed back); the &lt;eos&gt; logit is held down so that every call draws all of them, as PyTorch's does
         */
        Runnable sampling() {
            CharLanguageModel model = new CharLanguageModel(configuration);
            model.parameters().get("output.b").putScalar(0, Vocabulary.EOS_ID, -1e4);
            int[] prompt = sequences(1, PROMPT, V, 11).get(0);
            long[] seed = {0};
            return () -> model.generate(prompt, SAMPLED, TEMPERATURE, 0, seed[0]++);
        }

        /** @return each operation of the step on its own (on pieces of the model's own kinds and sizes), then the whole */
        Map<String, Runnable> parts() {
            Embedding embedding = new Embedding(V, E, DataType.FLOAT, 1);
            RecurrentStack rnn = new RecurrentStack(configuration);
            TimeDistributedAffine readout = new TimeDistributedAffine(H, V, DataType.FLOAT, 2);
            SoftmaxCrossEntropy crossEntropy = new SoftmaxCrossEntropy();
            Embedding.Result x = embedding.forward(batch.inputs());
            RecurrentStack.Result y = rnn.forward(x.output(), null, null, true);
            TimeDistributed.Result<Affine.Cache> z = readout.forward(y.outputs());
            SoftmaxCrossEntropy.Result loss = crossEntropy.compute(z.output(), batch.targets(), batch.mask());
            LayerGradients dReadout = readout.backward(loss.dLogits(), z.cache());
            RecurrentStack.Backward dRnn = rnn.backward(dReadout.dx(), null, y.cache());
            CharLanguageModel model = new CharLanguageModel(configuration);
            Parameters parameters = model.parameters();
            Gradients gradients = model.lossAndGradients(batch).gradients();
            Adam adam = new Adam(1e-6);

            Map<String, Runnable> parts = new LinkedHashMap<>();
            parts.put("embedding gather x = E[ids]", () -> embedding.forward(batch.inputs()));
            parts.put("LSTM forward (fast path)", () -> rnn.forward(x.output(), null, null, true));
            parts.put("LSTM inference, the summary alone (fast path, no cache, spent arrays given back)",
                    () -> rnn.inferSummary(x.output(), null).close());
            parts.put("readout forward z = y·W + b", () -> readout.forward(y.outputs()));
            parts.put("softmax cross-entropy, loss and ∂L/∂z", () -> crossEntropy.compute(z.output(), batch.targets(),
                    batch.mask()));
            parts.put("readout backward dW, db, dy", () -> readout.backward(loss.dLogits(), z.cache()));
            parts.put("LSTM forward + backward (fast path)", () -> rnn.backward(dReadout.dx(), null,
                    rnn.forward(x.output(), null, null, true).cache()));
            parts.put("embedding scatter dE", () -> embedding.backward(dRnn.dx(), x.cache()));
            int[] targets = batch.targets().dup('c').data().asInt();
            INDArray readoutInput = y.outputs().reshape('c', (long) N * T, H);
            INDArray W = readout.parameters().get("W");
            INDArray b = readout.parameters().get("b");
            optional(parts, "fused: readout + loss + readout gradients (ReadoutLoss)",
                    () -> () -> ReadoutLoss.compute(readoutInput, W, b, targets, null));
            parts.put("trainer's finite check of every gradient", () -> {
                for (Map.Entry<String, INDArray> g : gradients) {
                    if (g.getValue().isNaN().any() || g.getValue().isInfinite().any()) {
                        throw new IllegalStateException();
                    }
                }
            });
            optional(parts, "fused: finite check and norm in one read (ParameterPass.inspect)",
                    () -> () -> ParameterPass.inspect(parameters, gradients));
            parts.put("global-norm clipping", () -> Clipping.byGlobalNorm(gradients, 1e9));
            optional(parts, "fused: clipping's rescale in one write (ParameterPass.scale)",
                    () -> () -> ParameterPass.scale(gradients, 1.0));
            parts.put("Adam", () -> adam.step(parameters, gradients));
            parts.put("whole: model.lossAndGradients", () -> model.lossAndGradients(batch));
            CharLanguageModel trained = new CharLanguageModel(configuration);
            parts.put("whole: Trainer step (+ checks, clipping, Adam)", oneStep(trained.parameters(), trained::lossAndGradients, batch));
            return parts;
        }
    }

    /** @return one trainer step per call (a fit over one batch), clipping at 1 and Adam at 0.02, as the notebooks train */
    private static Runnable oneStep(Parameters parameters, TrainingStep<Batch> step, Batch batch) {
        Trainer<Batch> trainer = new Trainer<>(parameters, new Adam(0.02), step).clipGlobalNorm(1.0).quiet(true);
        List<Batch> one = List.of(batch);
        return () -> trainer.fit(one, 1);
    }

    /**
     * Adds a part that only this version of the library has; with an older library on the class path (to profile the
     * step as it was) the part is left out.
     */
    private static void optional(Map<String, Runnable> parts, String name, java.util.function.Supplier<Runnable> part) {
        try {
            Runnable call = part.get();
            call.run();
            parts.put(name, call);
        } catch (NoClassDefFoundError older) {
            System.out.println("(" + name + ": not in this library)");
        }
    }

    /** Notebook 10's name classifier: V = 57, E = 16, LSTM H = 32, 2 classes, N = 128, T = 8, FLOAT. */
    static final class Classifier {
        static final int V = 57;
        static final int E = 16;
        static final int H = 32;
        static final int N = 128;
        static final int T = 8;

        /**
         * @return each operation of the step on its own (on pieces of the model's own kinds and sizes), then the whole
         *     step as the model and the trainer run it
         */
        Map<String, Runnable> parts() {
            Batch batch = batch();
            ModelConfiguration configuration = ModelConfiguration.ofTokens(V, E, H, 2).withDataType(DataType.FLOAT).withSeed(7);
            Embedding embedding = new Embedding(V, E, DataType.FLOAT, 1);
            RecurrentStack rnn = new RecurrentStack(configuration);
            Embedding.Result x = embedding.forward(batch.inputs());
            RecurrentStack.Result y = rnn.forward(x.output(), null, null, true);
            INDArray zeros = Nd4j.zeros(DataType.FLOAT, N, T, H);
            RecurrentStack.Backward dRnn = rnn.backward(zeros, y.summary(), y.cache());
            SequenceClassifier model = new SequenceClassifier(configuration);
            Parameters parameters = model.parameters();
            Gradients gradients = model.lossAndGradients(batch).gradients();
            int[] labels = batch.targets().dup('c').data().asInt();
            INDArray W = parameters.get("output.W");
            INDArray b = parameters.get("output.b");
            Adam adam = new Adam(1e-6);

            Map<String, Runnable> parts = new LinkedHashMap<>();
            parts.put("embedding gather x = E[ids]", () -> embedding.forward(batch.inputs()));
            parts.put("LSTM forward (fast path)", () -> rnn.forward(x.output(), null, null, true));
            parts.put("LSTM inference, the summary alone (fast path, no cache, spent arrays given back)",
                    () -> rnn.inferSummary(x.output(), null).close());
            parts.put("LSTM forward + backward from the last state (fast path)", () -> {
                RecurrentStack.Result forward = rnn.forward(x.output(), null, null, true);
                rnn.backward(zeros, forward.summary(), forward.cache());
            });
            optional(parts, "readout + loss + readout gradients (ReadoutLoss)",
                    () -> () -> ReadoutLoss.compute(y.summary(), W, b, labels, null));
            parts.put("embedding scatter dE", () -> embedding.backward(dRnn.dx(), x.cache()));
            optional(parts, "finite check and norm in one read (ParameterPass.inspect)",
                    () -> () -> ParameterPass.inspect(parameters, gradients));
            parts.put("Adam", () -> adam.step(parameters, gradients));
            parts.put("whole: model.lossAndGradients", () -> model.lossAndGradients(batch));
            SequenceClassifier trained = new SequenceClassifier(configuration);
            parts.put("whole: Trainer step (+ checks, clipping, Adam)", oneStep(trained.parameters(), trained::lossAndGradients, batch));
            SequenceClassifier inferred = new SequenceClassifier(configuration);
            parts.put("whole: inference, model.logits", () -> inferred.logits(batch));
            return parts;
        }

        /** @return the forward pass over the batch in evaluation mode, no gradient: the logits (N, 2) */
        Runnable inference() {
            Batch batch = batch();
            SequenceClassifier model = new SequenceClassifier(ModelConfiguration.ofTokens(V, E, H, 2)
                    .withDataType(DataType.FLOAT).withSeed(7));
            return () -> model.logits(batch);
        }

        private static Batch batch() {
            int[] labels = new int[N];
            Random random = new Random(7);
            for (int i = 0; i < N; i++) {
                labels[i] = random.nextInt(2);
            }
            return Batching.padWithLabels(sequences(N, T, V, 7), labels, DataType.FLOAT);
        }

        /** @return the model's training step as the trainer runs it */
        Runnable trainerStep() {
            Batch batch = batch();
            SequenceClassifier model = new SequenceClassifier(ModelConfiguration.ofTokens(V, E, H, 2)
                    .withDataType(DataType.FLOAT).withSeed(7));
            Trainer<Batch> trainer = new Trainer<>(model.parameters(), new Adam(0.02), model::lossAndGradients)
                    .clipGlobalNorm(1.0).quiet(true);
            return steps(trainer, batch);
        }
    }

    /**
     * @param name a model's name
     * @return the floating-point operations of its matrix products in one call (forward and backward: three times the
     *     forward's), the work a GFLOP/s rate counts; element-wise work is left out
     */
    static double flops(String name) {
        return switch (name) {
            // LSTM: 2·N·T·(E + H)·4H forward; readout: 2·N·T·H·V forward
            case "charlm-train" -> 3 * (2.0 * CharLm.N * CharLm.T * (CharLm.E + CharLm.H) * 4 * CharLm.H
                    + 2.0 * CharLm.N * CharLm.T * CharLm.H * CharLm.V);
            // per character at batch 1: the LSTM step 2·(E + H)·4H and the readout 2·H·V, over the prompt and the draws
            case "charlm-sample" -> (CharLm.PROMPT + CharLm.SAMPLED - 1) * (2.0 * (CharLm.E + CharLm.H) * 4 * CharLm.H
                    + 2.0 * CharLm.H * CharLm.V);
            case "classifier-infer" -> 2.0 * Classifier.N * Classifier.T * (Classifier.E + Classifier.H) * 4 * Classifier.H
                    + 2.0 * Classifier.N * Classifier.H * 2;
            case "classifier-train" -> 3 * (2.0 * Classifier.N * Classifier.T * (Classifier.E + Classifier.H) * 4 * Classifier.H
                    + 2.0 * Classifier.N * Classifier.H * 2);
            // encoder GRU 2·N·S·(E + H)·3H, decoder GRU 2·N·T·(E + 2H)·3H, additive attention 2·N·T·S·H·H (keys, recomputed
            // every step) + 2·N·T·H·H (query), readout 2·N·T·2H·V; S ≈ T ≈ the mean length
            case "seq2seq-train" -> 3 * Reverser.forwardFlops(Reverser.N, Reverser.MEAN_SOURCE, Reverser.MEAN_SOURCE + 1);
            case "seq2seq-greedy" -> Reverser.forwardFlops(Reverser.N, Reverser.MEAN_SOURCE, Reverser.MAX_OUTPUT + 1);
            case "seq2seq-beam" -> Reverser.forwardFlops(Reverser.BEAM, Reverser.MAX_SOURCE, Reverser.MAX_OUTPUT + 1);
            // per position: Q, K, V, output projections 4·2·d², attention 2·2·T·d, feed-forward 2·2·d·F; embed, readout
            case "transformer-train" -> 3 * (double) TransformerBlock.N * TransformerBlock.T
                    * (8.0 * TransformerBlock.D * TransformerBlock.D + 4.0 * TransformerBlock.T * TransformerBlock.D
                    + 4.0 * TransformerBlock.D * TransformerBlock.F + 2.0 * TransformerBlock.INPUTS * TransformerBlock.D);
            default -> throw new IllegalArgumentException("unknown model " + name);
        };
    }

    /**
     * Notebook 14's reverser: source and target vocabulary V = 12 (8 letters and the 4 special tokens), embedding 16, GRU
     * encoder and decoder of 32, additive (Bahdanau) attention of 32, N = 64 pairs, source lengths 3–12 (3 + i mod 10),
     * the target the reversed source and &lt;eos&gt;; teacher forcing. Decoding: greedy over the batch and beam search
     * (width 5) over one source of 12, both for 14 tokens and &lt;eos&gt; (its logit held down so that every decoding
     * runs to the limit, as many times as PyTorch's).
     */
    static final class Reverser {
        static final int V = 12;
        static final int E = 16;
        static final int H = 32;
        static final int N = 64;
        static final int MAX_SOURCE = 12;
        static final double MEAN_SOURCE = 7.5;
        static final int MAX_OUTPUT = 14;
        static final int BEAM = 5;

        static double forwardFlops(double n, double sourceSteps, double targetSteps) {
            return 2 * n * sourceSteps * (E + H) * 3 * H + 2 * n * targetSteps * (E + 2 * H) * 3 * H
                    + 2 * n * targetSteps * sourceSteps * H * H + 2 * n * targetSteps * H * H + 2 * n * targetSteps * 2 * H * V;
        }

        final EncoderDecoder model = new EncoderDecoder(Seq2SeqConfiguration.of(V, V, E, H).withCell(CellType.GRU)
                .withAttention(AttentionType.BAHDANAU).withDataType(DataType.FLOAT).withSeed(1));
        final Seq2SeqBatch batch;
        /** A source of the longest length, for beam search. */
        final int[] longest;

        Reverser() {
            Random random = new Random(14);
            List<int[]> sources = new ArrayList<>();
            List<int[]> targets = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                int[] source = new int[3 + i % 10];
                int[] target = new int[source.length];
                for (int j = 0; j < source.length; j++) {
                    source[j] = 4 + random.nextInt(V - 4);
                }
                for (int j = 0; j < source.length; j++) {
                    target[j] = source[source.length - 1 - j];
                }
                sources.add(source);
                targets.add(target);
            }
            batch = Seq2SeqBatch.of(sources, targets);
            longest = sources.get(MAX_SOURCE - 3);
        }

        Runnable trainerStep() {
            Trainer<Seq2SeqBatch> trainer = new Trainer<Seq2SeqBatch>(model.parameters(), new Adam(0.02), b -> model.lossAndGradients(b, 1.0))
                    .clipGlobalNorm(1.0).quiet(true);
            return steps(trainer, batch);
        }

        private void holdDownEnd() {
            model.parameters().get("output.b").putScalar(0, Vocabulary.EOS_ID, -1e4);
        }

        Runnable greedy() {
            holdDownEnd();
            return () -> model.greedy(batch, MAX_OUTPUT);
        }

        Runnable beam() {
            holdDownEnd();
            BeamSearch search = new BeamSearch(BEAM, 1.0);
            return () -> search.decode(model.scorer(longest), MAX_OUTPUT);
        }
    }

    /**
     * Notebook 16's Transformer: inputs of D = 5 features embedded to d = 16, sinusoidal positions, one causal encoder
     * block of 2 heads and a feed-forward width of 32, a readout of the last step to 4 classes; N = 16 sequences of
     * T = 64 steps.
     */
    static final class TransformerBlock {
        static final int INPUTS = 5;
        static final int D = 16;
        static final int F = 32;
        static final int CLASSES = 4;
        static final int N = 16;
        static final int T = 64;

        final TimeDistributedAffine embed = new TimeDistributedAffine(INPUTS, D, DataType.FLOAT, 3);
        final TransformerEncoder encoder = new TransformerEncoder(PositionalEncoding.sinusoidal(D, DataType.FLOAT), 1, 2, F,
                DataType.FLOAT, 4);
        final Affine readout = new Affine(D, CLASSES, DataType.FLOAT, 5);
        final Parameters parameters = new Parameters().addAll("embed", embed.parameters())
                .addAll("encoder", encoder.parameters()).addAll("output", readout.parameters());

        Runnable trainerStep() {
            SoftmaxCrossEntropy crossEntropy = new SoftmaxCrossEntropy();
            INDArray x = Nd4j.rand(DataType.FLOAT, N, T, INPUTS);
            int[] labels = new int[N];
            for (int i = 0; i < N; i++) {
                labels[i] = i % CLASSES;
            }
            INDArray targets = Nd4j.createFromArray(labels);
            TrainingStep<INDArray> step = inputs -> {
                TimeDistributed.Result<Affine.Cache> e = embed.forward(inputs);
                TransformerEncoder.Result y = encoder.forward(e.output(), null, true);
                // z = y_{T−1}·W + b
                INDArray last = y.output().get(NDArrayIndex.all(), NDArrayIndex.point(T - 1), NDArrayIndex.all()).dup();
                Affine.Result z = readout.forward(last);
                SoftmaxCrossEntropy.Result loss = crossEntropy.compute(z.output(), targets);
                LayerGradients dReadout = readout.backward(loss.dLogits(), z.cache());
                INDArray dy = Nd4j.zeros(DataType.FLOAT, N, T, D);
                dy.get(NDArrayIndex.all(), NDArrayIndex.point(T - 1), NDArrayIndex.all()).assign(dReadout.dx());
                LayerGradients dEncoder = encoder.backward(dy, y.cache());
                LayerGradients dEmbed = embed.backward(dEncoder.dx(), e.cache());
                return new LossAndGradients(loss.loss(), new Gradients().accumulateAll("embed", dEmbed.parameters())
                        .accumulateAll("encoder", dEncoder.parameters()).accumulateAll("output", dReadout.parameters()));
            };
            Trainer<INDArray> trainer = new Trainer<>(parameters, new Adam(0.02), step).clipGlobalNorm(1.0).quiet(true);
            return steps(trainer, x);
        }
    }
}

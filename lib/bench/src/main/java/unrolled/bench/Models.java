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
import unrolled.layer.Embedding;
import unrolled.layer.LayerGradients;
import unrolled.layer.TimeDistributedAffine;
import unrolled.loss.SoftmaxCrossEntropy;
import unrolled.models.CharLanguageModel;
import unrolled.models.ModelConfiguration;
import unrolled.models.RecurrentStack;
import unrolled.models.SequenceClassifier;
import unrolled.optim.Adam;
import unrolled.optim.Clipping;
import unrolled.param.Gradients;
import unrolled.param.Parameters;
import unrolled.train.LossAndGradients;
import unrolled.train.Trainer;

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
            case "classifier-train" -> new Classifier().trainerStep();
            default -> throw new IllegalArgumentException("unknown model " + name + "; the models are " + NAMES);
        };
    }

    /** The benchmarked models. */
    static final List<String> NAMES = List.of("charlm-train", "classifier-train");

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

        /** @return each operation of the step on its own (on pieces of the model's own kinds and sizes), then the whole */
        Map<String, Runnable> parts() {
            Embedding embedding = new Embedding(V, E, DataType.FLOAT, 1);
            RecurrentStack rnn = new RecurrentStack(configuration);
            TimeDistributedAffine readout = new TimeDistributedAffine(H, V, DataType.FLOAT, 2);
            SoftmaxCrossEntropy crossEntropy = new SoftmaxCrossEntropy();
            Embedding.Result x = embedding.forward(batch.inputs());
            RecurrentStack.Result y = rnn.forward(x.output(), null, null, true);
            TimeDistributedAffine.Result z = readout.forward(y.outputs());
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
            parts.put("readout forward z = y·W + b", () -> readout.forward(y.outputs()));
            parts.put("softmax cross-entropy, loss and ∂L/∂z", () -> crossEntropy.compute(z.output(), batch.targets(),
                    batch.mask()));
            parts.put("readout backward dW, db, dy", () -> readout.backward(loss.dLogits(), z.cache()));
            parts.put("LSTM forward + backward (fast path)", () -> rnn.backward(dReadout.dx(), null,
                    rnn.forward(x.output(), null, null, true).cache()));
            parts.put("embedding scatter dE", () -> embedding.backward(dRnn.dx(), x.cache()));
            parts.put("trainer's finite check of every gradient", () -> {
                for (Map.Entry<String, INDArray> g : gradients) {
                    if (g.getValue().isNaN().any() || g.getValue().isInfinite().any()) {
                        throw new IllegalStateException();
                    }
                }
            });
            parts.put("global-norm clipping", () -> Clipping.byGlobalNorm(gradients, 1e9));
            parts.put("Adam", () -> adam.step(parameters, gradients));
            parts.put("whole: model.lossAndGradients", () -> model.lossAndGradients(batch));
            parts.put("whole: Trainer step (+ clipping, Adam)", trainerStep());
            return parts;
        }
    }

    /** Notebook 10's name classifier: V = 57, E = 16, LSTM H = 32, 2 classes, N = 128, T = 8, FLOAT. */
    static final class Classifier {
        static final int V = 57;
        static final int E = 16;
        static final int H = 32;
        static final int N = 128;
        static final int T = 8;

        /** @return the model's training step as the trainer runs it */
        Runnable trainerStep() {
            int[] labels = new int[N];
            Random random = new Random(7);
            for (int i = 0; i < N; i++) {
                labels[i] = random.nextInt(2);
            }
            Batch batch = Batching.padWithLabels(sequences(N, T, V, 7), labels, DataType.FLOAT);
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
            case "classifier-train" -> 3 * (2.0 * Classifier.N * Classifier.T * (Classifier.E + Classifier.H) * 4 * Classifier.H
                    + 2.0 * Classifier.N * Classifier.H * 2);
            default -> throw new IllegalArgumentException("unknown model " + name);
        };
    }
}

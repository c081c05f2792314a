package unrolled.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static unrolled.recurrent.Close.assertClose;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.TestData;
import unrolled.data.Batch;
import unrolled.data.Batching;
import unrolled.loss.SoftmaxCrossEntropy;
import unrolled.param.Gradients;
import unrolled.data.SequenceMask;
import unrolled.tensor.ShapeException;

class SequenceClassifierTest {

    private static final int T = 4;
    private static final int D = 3;
    private static final int H = 4;
    private static final int K = 3;
    private static final int V = 6;

    private static INDArray labels(int... classes) {
        return Nd4j.createFromArray(classes).castTo(Batch.ID_TYPE);
    }

    /** N = 2 feature sequences of lengths 4 and 2 (the second padded with random numbers), classes 2 and 0. */
    private static Batch paddedFeatures() {
        return ModelChecks.paddedFeatures(1, new int[] {4, 2}, T, D, labels(2, 0));
    }

    /** N = 2 token sequences of lengths 4 and 3, classes 1 and 2. */
    private static Batch paddedTokens() {
        Batch ids = Batching.pad(List.of(new int[] {1, 4, 5, 2}, new int[] {3, 0, 5}), DataType.DOUBLE);
        return new Batch(ids.inputs(), labels(1, 2), ids.mask(), ids.lengths());
    }

    private static ModelConfiguration configuration(CellType cell, boolean bidirectional, boolean tokens, int layers,
            double dropout) {
        ModelConfiguration base = tokens ? ModelConfiguration.ofTokens(V, D, H, K) : ModelConfiguration.ofFeatures(D, H, K);
        return base.withCell(cell).withBidirectional(bidirectional).withLayers(layers).withDropout(dropout).withSeed(21);
    }

    private static double trainingLoss(SequenceClassifier model, Batch batch) {
        INDArray logits = model.forward(batch.inputs(), SequenceMask.ofLengths(batch.lengths(), batch.steps()), true).logits();
        return new SoftmaxCrossEntropy().compute(logits, batch.targets()).loss();
    }

    @Test
    void parametersAreNamedByPart() {
        SequenceClassifier model = new SequenceClassifier(configuration(CellType.RNN, true, true, 1, 0));
        assertEquals(List.of("embedding.E", "rnn.layer0.forward.Wx", "rnn.layer0.forward.Wh", "rnn.layer0.forward.b",
                "rnn.layer0.backward.Wx", "rnn.layer0.backward.Wh", "rnn.layer0.backward.b", "output.W", "output.b"),
                List.copyOf(model.parameters().names()));
        assertArrayEquals(new long[] {2 * H, K}, model.parameters().get("output.W").shape());
        SequenceClassifier features = new SequenceClassifier(configuration(CellType.LSTM, false, false, 2, 0));
        assertEquals(List.of("rnn.layer0.Wx", "rnn.layer0.Wh", "rnn.layer0.b", "rnn.layer1.Wx", "rnn.layer1.Wh",
                "rnn.layer1.b", "output.W", "output.b"), List.copyOf(features.parameters().names()));
    }

    @Test
    void forwardReadsTheStateAtEachSequencesTrueLastStep() {
        SequenceClassifier model = new SequenceClassifier(configuration(CellType.RNN, false, false, 1, 0));
        model.parameters().get("rnn.layer0.b").assign(Nd4j.createFromArray(new double[][] {{0.1, -0.2, 0.3, 0.05}}));
        model.parameters().get("output.b").assign(Nd4j.createFromArray(new double[][] {{0.2, -0.1, 0.3}}));
        Batch batch = paddedFeatures();
        INDArray logits = model.logits(batch);
        INDArray x = batch.inputs();
        INDArray Wx = model.parameters().get("rnn.layer0.Wx");
        INDArray Wh = model.parameters().get("rnn.layer0.Wh");
        INDArray b = model.parameters().get("rnn.layer0.b");
        INDArray W = model.parameters().get("output.W");
        INDArray c = model.parameters().get("output.b");
        int[] lengths = {4, 2};
        for (int n = 0; n < 2; n++) {
            // h_t = tanh(x_t·Wx + h_{t−1}·Wh + b) for the L_n real steps only
            double[] h = new double[H];
            for (int t = 0; t < lengths[n]; t++) {
                double[] next = new double[H];
                for (int j = 0; j < H; j++) {
                    double a = b.getDouble(0, j);
                    for (int d = 0; d < D; d++) {
                        a += x.getDouble(n, t, d) * Wx.getDouble(d, j);
                    }
                    for (int k = 0; k < H; k++) {
                        a += h[k] * Wh.getDouble(k, j);
                    }
                    next[j] = Math.tanh(a);
                }
                h = next;
            }
            for (int k = 0; k < K; k++) {
                // z = h_{L−1}·W + b
                double z = c.getDouble(0, k);
                for (int j = 0; j < H; j++) {
                    z += h[j] * W.getDouble(j, k);
                }
                assertEquals(z, logits.getDouble(n, k), 1e-12, "z[" + n + ", " + k + "]");
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"RNN, false, false, 1, 0.0, 0", "LSTM, true, true, 1, 0.0, 4", "GRU, false, false, 2, 0.25, 4"})
    void lossAndGradientsMatchFiniteDifferencesForEveryParameter(CellType cell, boolean bidirectional, boolean tokens,
            int layers, double dropout, int entries) {
        // entries: 0 checks every entry; otherwise that many per parameter, to keep the larger cases fast
        ModelConfiguration configuration = configuration(cell, bidirectional, tokens, layers, dropout);
        Batch batch = tokens ? paddedTokens() : paddedFeatures();
        ModelChecks.gradientCheck("SequenceClassifier " + cell + (bidirectional ? " bidirectional" : "") + (tokens ? " tokens" : "")
                + ", " + layers + " layers, dropout " + dropout + ", padded", new SequenceClassifier(configuration),
                () -> new SequenceClassifier(configuration), model -> model.lossAndGradients(batch),
                model -> trainingLoss(model, batch), entries);
    }

    @ParameterizedTest
    @CsvSource({"RNN, false", "LSTM, true", "GRU, false", "GRU, true"})
    void aPaddedBatchEqualsItsSequencesOneByOne(CellType cell, boolean bidirectional) {
        SequenceClassifier model = new SequenceClassifier(configuration(cell, bidirectional, false, 2, 0));
        Batch batch = ModelChecks.paddedFeatures(2, new int[] {4, 1, 3}, T, D, labels(2, 0, 1));
        INDArray logits = model.logits(batch);
        Gradients padded = model.lossAndGradients(batch).gradients();
        // the batch loss is the mean over N = 3 sequences, so its gradient is the mean of theirs
        Gradients mean = new Gradients();
        for (int n = 0; n < 3; n++) {
            Batch alone = ModelChecks.alone(batch, n, labels(batch.targets().getInt(n)));
            assertClose(model.logits(alone).getRow(0), logits.getRow(n), 1e-12, "logits of sequence " + n);
            for (Map.Entry<String, INDArray> entry : model.lossAndGradients(alone).gradients()) {
                mean.accumulate(entry.getKey(), entry.getValue().div(3));
            }
        }
        for (String name : model.parameters().names()) {
            assertClose(mean.get(name), padded.get(name), 1e-12, "gradient of " + name);
        }
    }

    @ParameterizedTest
    @CsvSource({"RNN, false", "LSTM, false", "GRU, true"})
    void theFirstLossIsAboutLnK(CellType cell, boolean bidirectional) {
        // A readout at 0.1 × Xavier keeps every logit within about ±0.1 of 0: the softmax is close to uniform, p ≈ 1/K
        // for every target, so the cross-entropy ≈ ln K (to second order it exceeds ln K by ½·(1 − 1/K)·Var(z) < 0.01).
        int classes = 5;
        SequenceClassifier model = new SequenceClassifier(ModelConfiguration.ofFeatures(D, 16, classes).withCell(cell)
                .withBidirectional(bidirectional).withSeed(3));
        int[] targets = new Random(4).ints(16, 0, classes).toArray();
        int[] lengths = new Random(5).ints(16, 1, 9).toArray();
        Batch batch = ModelChecks.paddedFeatures(6, lengths, 8, D, labels(targets));
        assertEquals(Math.log(classes), model.loss(batch), 0.02);
    }

    @ParameterizedTest
    @CsvSource({"LSTM, false, true, 1, 0.0", "GRU, true, false, 2, 0.25", "RNN, false, false, 1, 0.0"})
    void aTrainerThatReleasesEachStepsArraysTrainsToTheSameNumbers(CellType cell, boolean bidirectional, boolean tokens,
            int layers, double dropout) {
        ModelConfiguration configuration = configuration(cell, bidirectional, tokens, layers, dropout);
        Batch first = tokens ? paddedTokens() : paddedFeatures();
        Batch second = tokens ? paddedTokens() : ModelChecks.paddedFeatures(2, new int[] {1, 3, 2}, 3, D, labels(0, 1, 2));
        SequenceClassifier releasing = new SequenceClassifier(configuration);
        SequenceClassifier keeping = new SequenceClassifier(configuration);
        unrolled.train.Trainer<Batch> released = new unrolled.train.Trainer<>(releasing.parameters(),
                new unrolled.optim.Adam(0.05), releasing::lossAndGradients).clipGlobalNorm(1.0).quiet(true);
        unrolled.train.Trainer<Batch> kept = new unrolled.train.Trainer<Batch>(keeping.parameters(),
                new unrolled.optim.Adam(0.05), batch -> {
                    unrolled.train.LossAndGradients result = keeping.lossAndGradients(batch);
                    return new unrolled.train.LossAndGradients(result.loss(), result.gradients());
                }).clipGlobalNorm(1.0).quiet(true);
        released.fit(List.of(first, second, first), 2);
        kept.fit(List.of(first, second, first), 2);
        for (String name : releasing.parameters().names()) {
            assertEquals(keeping.parameters().get(name), releasing.parameters().get(name), name);
        }
        assertEquals(kept.history().steps().doubleColumn("loss").asList(), released.history().steps().doubleColumn("loss").asList());
        // the batches are the caller's: still readable, unchanged
        assertEquals(tokens ? paddedTokens().inputs() : paddedFeatures().inputs(), first.inputs());
        // the zero ∂L/∂y kept for each batch shape was only read
        assertTrue(releasing.zeroOutputs.size() >= 1);
        for (INDArray zeros : releasing.zeroOutputs.values()) {
            assertEquals(0.0, zeros.amaxNumber().doubleValue(), "a kept zero ∂L/∂y " + zeros.shapeInfoToString());
        }
    }

    @ParameterizedTest
    @CsvSource({"LSTM, false, true, 1", "LSTM, false, false, 2", "GRU, false, true, 2", "RNN, false, false, 1",
            "LSTM, true, false, 1"})
    void inferenceWithoutCachesGivesTheReadableForwardsLogitsCallAfterCall(CellType cell, boolean bidirectional,
            boolean tokens, int layers) {
        ModelConfiguration configuration = configuration(cell, bidirectional, tokens, layers, 0.25);
        Batch first = tokens ? paddedTokens() : paddedFeatures();
        Batch ids = Batching.pad(List.of(new int[] {5, 5}, new int[] {0, 1, 2}, new int[] {4}), DataType.DOUBLE);
        Batch second = tokens ? new Batch(ids.inputs(), labels(0, 1, 2), ids.mask(), ids.lengths())
                : ModelChecks.paddedFeatures(2, new int[] {1, 3, 2}, 3, D, labels(0, 1, 2));
        SequenceClassifier inferring = new SequenceClassifier(configuration);
        SequenceClassifier readable = new SequenceClassifier(configuration);
        readable.fused = false;
        // each call's spent arrays are given back: a later call (another shape, a training step in between) must read
        // only its own, so every result is compared with the readable path's on a model that releases nothing
        INDArray firstLogits = inferring.logits(first);
        INDArray secondLogits = inferring.logits(second);
        inferring.lossAndGradients(second);
        readable.lossAndGradients(second);
        INDArray againLogits = inferring.logits(first);
        assertClose(readable.forward(first.inputs(), ModelInput.maskOf(first), false).logits(), firstLogits, 1e-12, "first");
        assertClose(readable.forward(second.inputs(), ModelInput.maskOf(second), false).logits(), secondLogits, 1e-12, "second");
        assertClose(readable.forward(first.inputs(), ModelInput.maskOf(first), false).logits(), againLogits, 1e-12, "again");
        assertEquals(readable.loss(first), inferring.loss(first), 1e-12);
        // the batch is the caller's: still readable, unchanged
        assertEquals(tokens ? paddedTokens().inputs() : paddedFeatures().inputs(), first.inputs());
    }

    @Test
    void aTinyBatchIsOverfittedWithAdam() {
        SequenceClassifier model = new SequenceClassifier(ModelConfiguration.ofFeatures(D, 16, K).withCell(CellType.GRU)
                .withSeed(8));
        Batch batch = ModelChecks.paddedFeatures(9, new int[] {5, 3, 4, 2, 5, 1}, 5, D, labels(0, 1, 2, 2, 1, 0));
        List<Double> losses = ModelChecks.trainUntil(model.parameters(), model::lossAndGradients, batch, 0.05, 0.05, 200);
        assertTrue(losses.get(losses.size() - 1) < 0.05, "loss below 0.05 within 200 Adam steps, but the losses are " + losses);
        assertArrayEquals(new int[] {0, 1, 2, 2, 1, 0}, model.predict(batch));
        assertEquals(1.0, model.accuracy(batch));
    }

    @Test
    void predictIsTheLargestLogitAndAccuracyCountsMatches() {
        SequenceClassifier model = new SequenceClassifier(configuration(CellType.LSTM, false, false, 1, 0));
        Batch batch = ModelChecks.paddedFeatures(10, new int[] {4, 2, 3, 1}, T, D, labels(0, 1, 2, 0));
        INDArray logits = model.logits(batch);
        int[] predicted = model.predict(batch);
        int correct = 0;
        for (int n = 0; n < 4; n++) {
            for (int k = 0; k < K; k++) {
                assertTrue(logits.getDouble(n, predicted[n]) >= logits.getDouble(n, k));
            }
            correct += predicted[n] == batch.targets().getInt(n) ? 1 : 0;
        }
        assertEquals(correct / 4.0, model.accuracy(batch), 1e-15);
    }

    @Test
    void saveAndLoadRoundTripBitForBit(@TempDir Path directory) {
        ModelConfiguration configuration = configuration(CellType.GRU, true, true, 2, 0.1);
        SequenceClassifier model = new SequenceClassifier(configuration);
        Batch batch = paddedTokens();
        ModelChecks.trainUntil(model.parameters(), model::lossAndGradients, batch, 0.05, 0, 3);
        Path file = directory.resolve("classifier.bin");
        model.save(file);
        SequenceClassifier loaded = SequenceClassifier.load(file);
        assertEquals(configuration, loaded.configuration());
        ModelChecks.assertBitIdentical(model.parameters(), loaded.parameters());
        assertEquals(model.logits(batch), loaded.logits(batch));

        SequenceClassifier oneWay = new SequenceClassifier(configuration.withBidirectional(false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> oneWay.loadParameters(file));
        assertEquals("SequenceClassifier.loadParameters: " + file + " was saved from a model with another configuration: "
                + "bidirectional is true in the file but false in this model.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SequenceRegressor.load(file));
        assertEquals("SequenceRegressor.load: " + file + " holds a SequenceClassifier, not a SequenceRegressor.", e.getMessage());
    }

    @Test
    void theSameSeedGivesTheSameNumbers() {
        ModelConfiguration configuration = configuration(CellType.LSTM, true, false, 2, 0.3);
        Batch batch = paddedFeatures();
        SequenceClassifier a = new SequenceClassifier(configuration);
        SequenceClassifier b = new SequenceClassifier(configuration);
        List<Double> lossesA = ModelChecks.trainUntil(a.parameters(), a::lossAndGradients, batch, 0.01, 0, 3);
        List<Double> lossesB = ModelChecks.trainUntil(b.parameters(), b::lossAndGradients, batch, 0.01, 0, 3);
        assertEquals(lossesA, lossesB);
        ModelChecks.assertBitIdentical(a.parameters(), b.parameters());
        assertNotEquals(new SequenceClassifier(configuration).parameters().get("output.W"),
                new SequenceClassifier(configuration.withSeed(22)).parameters().get("output.W"));
    }

    @Test
    void badInputsAreRefusedWithTheExpectedMessage() {
        SequenceClassifier model = new SequenceClassifier(configuration(CellType.RNN, false, false, 1, 0));
        ShapeException e = assertThrows(ShapeException.class,
                () -> model.forward(TestData.gaussian(1, 2, T, 5), null, false));
        assertEquals("SequenceClassifier.forward: inputs must have shape (N, T, D) = (?, ?, 3), but has shape (2, 4, 5).",
                e.getMessage());
        e = assertThrows(ShapeException.class,
                () -> model.forward(TestData.gaussian(1, 2, T, D).castTo(DataType.FLOAT), null, false));
        assertEquals("SequenceClassifier.forward: inputs must have data type DOUBLE, but has FLOAT. Convert it with "
                + "castTo(DataType.DOUBLE).", e.getMessage());
        Batch twoColumns = ModelChecks.paddedFeatures(1, new int[] {4, 2}, T, D,
                Nd4j.createFromArray(new int[][] {{1, 0}, {0, 1}}));
        e = assertThrows(ShapeException.class, () -> model.lossAndGradients(twoColumns));
        assertEquals("SequenceClassifier.lossAndGradients: targets must have shape (N, 1) = (2, 1), but has shape (2, 2).",
                e.getMessage());
        Batch noTargets = ModelChecks.paddedFeatures(1, new int[] {4, 2}, T, D, null);
        e = assertThrows(ShapeException.class, () -> model.loss(noTargets));
        assertEquals("SequenceClassifier.loss: targets must be an array of shape (N,) = (2,), but is null.", e.getMessage());
    }

    @Test
    void columnTargetsAreReadLikeAVector() {
        SequenceClassifier model = new SequenceClassifier(configuration(CellType.GRU, false, false, 1, 0));
        Batch vector = paddedFeatures();
        Batch column = new Batch(vector.inputs(), vector.targets().reshape(2, 1), vector.mask(), vector.lengths());
        assertEquals(model.loss(vector), model.loss(column));
    }
}

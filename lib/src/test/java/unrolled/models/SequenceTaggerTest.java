package unrolled.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static unrolled.recurrent.Close.assertClose;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.data.Batch;
import unrolled.data.Batching;
import unrolled.loss.SoftmaxCrossEntropy;
import unrolled.data.SequenceMask;
import unrolled.tensor.ShapeException;

class SequenceTaggerTest {

    private static final int T = 4;
    private static final int D = 3;
    private static final int H = 4;
    private static final int K = 3;
    private static final int V = 6;

    /** Tags for (N, T) positions; padded positions hold tag 0. */
    private static INDArray tags(int[][] tags) {
        return Nd4j.createFromArray(tags).castTo(Batch.ID_TYPE);
    }

    /** N = 2 feature sequences of lengths 4 and 2 (the second padded with random numbers). */
    private static Batch paddedFeatures() {
        return ModelChecks.paddedFeatures(1, new int[] {4, 2}, T, D, tags(new int[][] {{2, 0, 1, 1}, {1, 2, 0, 0}}));
    }

    /** N = 2 token sequences of lengths 4 and 3 with a tag per token. */
    private static Batch paddedTokens() {
        return Batching.pad(List.of(new int[] {1, 4, 5, 2}, new int[] {3, 0, 5}), List.of(new int[] {0, 2, 1, 1},
                new int[] {2, 2, 0}), DataType.DOUBLE);
    }

    private static ModelConfiguration configuration(CellType cell, boolean bidirectional, boolean tokens, int layers,
            double dropout) {
        ModelConfiguration base = tokens ? ModelConfiguration.ofTokens(V, D, H, K) : ModelConfiguration.ofFeatures(D, H, K);
        return base.withCell(cell).withBidirectional(bidirectional).withLayers(layers).withDropout(dropout).withSeed(31);
    }

    private static double trainingLoss(SequenceTagger model, Batch batch) {
        INDArray logits = model.forward(batch.inputs(), SequenceMask.ofLengths(batch.lengths(), batch.steps()), true).logits();
        return new SoftmaxCrossEntropy().compute(logits, batch.targets(), batch.mask()).loss();
    }

    @Test
    void parametersAreNamedByPart() {
        SequenceTagger model = new SequenceTagger(configuration(CellType.GRU, true, false, 1, 0));
        assertEquals(List.of("rnn.layer0.forward.Wx", "rnn.layer0.forward.Wh", "rnn.layer0.forward.bx",
                "rnn.layer0.forward.bh", "rnn.layer0.backward.Wx", "rnn.layer0.backward.Wh", "rnn.layer0.backward.bx",
                "rnn.layer0.backward.bh", "output.W", "output.b"), List.copyOf(model.parameters().names()));
        assertArrayEquals(new long[] {2 * H, K}, model.parameters().get("output.W").shape());
    }

    @Test
    void bidirectionalForwardMatchesTheEquationsWithinEachTrueLength() {
        SequenceTagger model = new SequenceTagger(configuration(CellType.RNN, true, false, 1, 0));
        model.parameters().get("rnn.layer0.forward.b").assign(Nd4j.createFromArray(new double[][] {{0.1, -0.2, 0.3, 0.05}}));
        model.parameters().get("rnn.layer0.backward.b").assign(Nd4j.createFromArray(new double[][] {{-0.1, 0.2, 0, 0.15}}));
        model.parameters().get("output.b").assign(Nd4j.createFromArray(new double[][] {{0.2, -0.1, 0.3}}));
        Batch batch = paddedFeatures();
        INDArray logits = model.logits(batch);
        INDArray x = batch.inputs();
        INDArray W = model.parameters().get("output.W");
        INDArray c = model.parameters().get("output.b");
        int[] lengths = {4, 2};
        for (int n = 0; n < 2; n++) {
            int length = lengths[n];
            // →h_t reads x_0 … x_t;  ←h_t reads x_{L−1} … x_t, starting at the true last step
            double[][] forward = new double[length][];
            double[][] backward = new double[length][];
            double[] h = new double[H];
            for (int t = 0; t < length; t++) {
                h = rnnStep(model, "forward", x, n, t, h);
                forward[t] = h;
            }
            h = new double[H];
            for (int t = length - 1; t >= 0; t--) {
                h = rnnStep(model, "backward", x, n, t, h);
                backward[t] = h;
            }
            for (int t = 0; t < length; t++) {
                for (int k = 0; k < K; k++) {
                    // z_t = [→h_t, ←h_t]·W + b
                    double z = c.getDouble(0, k);
                    for (int j = 0; j < H; j++) {
                        z += forward[t][j] * W.getDouble(j, k) + backward[t][j] * W.getDouble(H + j, k);
                    }
                    assertEquals(z, logits.getDouble(n, t, k), 1e-12, "z[" + n + ", " + t + ", " + k + "]");
                }
            }
        }
    }

    /** h = tanh(x[n, t]·Wx + hPrev·Wh + b) with one direction's weights, element by element. */
    private static double[] rnnStep(SequenceTagger model, String direction, INDArray x, int n, int t, double[] hPrev) {
        INDArray Wx = model.parameters().get("rnn.layer0." + direction + ".Wx");
        INDArray Wh = model.parameters().get("rnn.layer0." + direction + ".Wh");
        INDArray b = model.parameters().get("rnn.layer0." + direction + ".b");
        double[] h = new double[H];
        for (int j = 0; j < H; j++) {
            double a = b.getDouble(0, j);
            for (int d = 0; d < D; d++) {
                a += x.getDouble(n, t, d) * Wx.getDouble(d, j);
            }
            for (int k = 0; k < H; k++) {
                a += hPrev[k] * Wh.getDouble(k, j);
            }
            h[j] = Math.tanh(a);
        }
        return h;
    }

    @ParameterizedTest
    @CsvSource({"RNN, true, false, 1, 0.0, 0", "LSTM, false, true, 2, 0.25, 4", "GRU, true, true, 1, 0.25, 4"})
    void lossAndGradientsMatchFiniteDifferencesForEveryParameter(CellType cell, boolean bidirectional, boolean tokens,
            int layers, double dropout, int entries) {
        // entries: 0 checks every entry; otherwise that many per parameter, to keep the larger cases fast
        ModelConfiguration configuration = configuration(cell, bidirectional, tokens, layers, dropout);
        Batch batch = tokens ? paddedTokens() : paddedFeatures();
        ModelChecks.gradientCheck("SequenceTagger " + cell + (bidirectional ? " bidirectional" : "") + (tokens ? " tokens" : "")
                + ", " + layers + " layers, dropout " + dropout + ", padded", new SequenceTagger(configuration),
                () -> new SequenceTagger(configuration), model -> model.lossAndGradients(batch),
                model -> trainingLoss(model, batch), entries);
    }

    @ParameterizedTest
    @CsvSource({"LSTM, false", "GRU, true"})
    void aPaddedBatchEqualsItsSequencesOneByOne(CellType cell, boolean bidirectional) {
        SequenceTagger model = new SequenceTagger(configuration(cell, bidirectional, false, 2, 0));
        Batch batch = ModelChecks.paddedFeatures(2, new int[] {4, 1, 3}, T, D, null);
        INDArray logits = model.logits(batch);
        for (int n = 0; n < 3; n++) {
            int length = batch.lengths()[n];
            INDArray alone = model.logits(ModelChecks.alone(batch, n, null));
            INDArray real = logits.get(NDArrayIndex.interval(n, n + 1), NDArrayIndex.interval(0, length), NDArrayIndex.all());
            assertClose(alone, real, 1e-12, "logits of sequence " + n);
        }
    }

    @ParameterizedTest
    @CsvSource({"RNN, false", "LSTM, true", "GRU, false"})
    void theFirstLossIsAboutLnK(CellType cell, boolean bidirectional) {
        // A readout at 0.1 × Xavier keeps every logit within about ±0.1 of 0: the softmax is close to uniform, p ≈ 1/K
        // at every real step, so the masked cross-entropy ≈ ln K (to second order it exceeds ln K by
        // ½·(1 − 1/K)·Var(z) < 0.01).
        int classes = 7;
        SequenceTagger model = new SequenceTagger(ModelConfiguration.ofFeatures(D, 16, classes).withCell(cell)
                .withBidirectional(bidirectional).withSeed(3));
        Random random = new Random(4);
        int[][] targets = new int[8][6];
        for (int[] row : targets) {
            for (int t = 0; t < row.length; t++) {
                row[t] = random.nextInt(classes);
            }
        }
        Batch batch = ModelChecks.paddedFeatures(5, new int[] {6, 2, 5, 1, 6, 3, 4, 6}, 6, D, tags(targets));
        assertEquals(Math.log(classes), model.loss(batch), 0.02);
    }

    @Test
    void aTinyBatchIsOverfittedWithAdam() {
        SequenceTagger model = new SequenceTagger(ModelConfiguration.ofFeatures(D, 12, K).withCell(CellType.LSTM)
                .withBidirectional(true).withSeed(8));
        Batch batch = ModelChecks.paddedFeatures(9, new int[] {5, 3, 4}, 5, D,
                tags(new int[][] {{0, 1, 2, 2, 1}, {2, 0, 1, 0, 0}, {1, 1, 0, 2, 0}}));
        List<Double> losses = ModelChecks.trainUntil(model.parameters(), model::lossAndGradients, batch, 0.05, 0.05, 200);
        assertTrue(losses.get(losses.size() - 1) < 0.05, "loss below 0.05 within 200 Adam steps, but the losses are " + losses);
        assertEquals(1.0, model.accuracy(batch));
        int[][] predicted = model.predict(batch);
        assertArrayEquals(new int[] {0, 1, 2, 2, 1}, predicted[0]);
        assertArrayEquals(new int[] {2, 0, 1}, predicted[1], "padding gets no tag");
        assertArrayEquals(new int[] {1, 1, 0, 2}, predicted[2]);
    }

    @Test
    void saveAndLoadRoundTripBitForBit(@TempDir Path directory) {
        ModelConfiguration configuration = configuration(CellType.LSTM, true, true, 1, 0.1).withDataType(DataType.FLOAT);
        SequenceTagger model = new SequenceTagger(configuration);
        Batch doubles = paddedTokens();
        Batch batch = new Batch(doubles.inputs(), doubles.targets(), doubles.mask().castTo(DataType.FLOAT), doubles.lengths());
        ModelChecks.trainUntil(model.parameters(), model::lossAndGradients, batch, 0.05, 0, 3);
        Path file = directory.resolve("tagger.bin");
        model.save(file);
        SequenceTagger loaded = SequenceTagger.load(file);
        assertEquals(configuration, loaded.configuration());
        ModelChecks.assertBitIdentical(model.parameters(), loaded.parameters());
        assertEquals(model.logits(batch), loaded.logits(batch));

        SequenceTagger doublePrecision = new SequenceTagger(configuration.withDataType(DataType.DOUBLE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> doublePrecision.loadParameters(file));
        assertEquals("SequenceTagger.loadParameters: " + file + " was saved from a model with another configuration: "
                + "dataType is FLOAT in the file but DOUBLE in this model.", e.getMessage());
    }

    @Test
    void theSameSeedGivesTheSameNumbers() {
        ModelConfiguration configuration = configuration(CellType.GRU, true, true, 2, 0.3);
        Batch batch = paddedTokens();
        SequenceTagger a = new SequenceTagger(configuration);
        SequenceTagger b = new SequenceTagger(configuration);
        List<Double> lossesA = ModelChecks.trainUntil(a.parameters(), a::lossAndGradients, batch, 0.01, 0, 3);
        List<Double> lossesB = ModelChecks.trainUntil(b.parameters(), b::lossAndGradients, batch, 0.01, 0, 3);
        assertEquals(lossesA, lossesB);
        ModelChecks.assertBitIdentical(a.parameters(), b.parameters());
        assertNotEquals(new SequenceTagger(configuration).parameters().get("rnn.layer1.backward.Wx"),
                new SequenceTagger(configuration.withSeed(32)).parameters().get("rnn.layer1.backward.Wx"));
    }

    @Test
    void badTargetsAreRefusedWithTheExpectedMessage() {
        SequenceTagger model = new SequenceTagger(configuration(CellType.RNN, false, false, 1, 0));
        Batch perSequence = ModelChecks.paddedFeatures(1, new int[] {4, 2}, T, D,
                Nd4j.createFromArray(new int[] {1, 0}));
        ShapeException e = assertThrows(ShapeException.class, () -> model.lossAndGradients(perSequence));
        assertEquals("SequenceTagger.lossAndGradients: targets must have shape (N, T) = (2, 4), but has shape (2,).",
                e.getMessage());
    }
}

package unrolled.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.TestData;
import unrolled.data.Batch;
import unrolled.data.Windows;
import unrolled.loss.MeanSquaredError;
import unrolled.data.SequenceMask;
import unrolled.tensor.ShapeException;

class SequenceRegressorTest {

    private static final int T = 4;
    private static final int D = 2;
    private static final int H = 4;
    private static final int K = 2;

    /** N = 2 windows of lengths 4 and 3 (the second padded with random numbers), K = 2 targets each. */
    private static Batch paddedWindows() {
        return ModelChecks.paddedFeatures(1, new int[] {4, 3}, T, D, TestData.gaussian(2, 2, K));
    }

    private static ModelConfiguration configuration(CellType cell, boolean bidirectional, int layers, double dropout) {
        return ModelConfiguration.ofFeatures(D, H, K).withCell(cell).withBidirectional(bidirectional).withLayers(layers)
                .withDropout(dropout).withSeed(41);
    }

    private static double trainingLoss(SequenceRegressor model, Batch batch) {
        INDArray predictions = model.forward(batch.inputs(), SequenceMask.ofLengths(batch.lengths(), batch.steps()), true)
                .predictions();
        return new MeanSquaredError().compute(predictions, batch.targets()).loss();
    }

    /** s_t = sin(0.5·t), t = 0 … length − 1. */
    private static double[] sine(int length) {
        double[] s = new double[length];
        for (int t = 0; t < length; t++) {
            s[t] = Math.sin(0.5 * t);
        }
        return s;
    }

    @Test
    void parametersAreNamedByPart() {
        SequenceRegressor model = new SequenceRegressor(configuration(CellType.LSTM, false, 2, 0));
        assertEquals(List.of("rnn.layer0.Wx", "rnn.layer0.Wh", "rnn.layer0.b", "rnn.layer1.Wx", "rnn.layer1.Wh",
                "rnn.layer1.b", "output.W", "output.b"), List.copyOf(model.parameters().names()));
        assertArrayEquals(new long[] {H, 4 * H}, model.parameters().get("rnn.layer1.Wx").shape());
        assertArrayEquals(new long[] {H, K}, model.parameters().get("output.W").shape());
    }

    @Test
    void forwardReadsTheStateAtEachWindowsTrueLastStep() {
        SequenceRegressor model = new SequenceRegressor(configuration(CellType.RNN, false, 1, 0));
        model.parameters().get("rnn.layer0.b").assign(Nd4j.createFromArray(new double[][] {{0.1, -0.2, 0.3, 0.05}}));
        model.parameters().get("output.b").assign(Nd4j.createFromArray(new double[][] {{0.2, -0.1}}));
        Batch batch = paddedWindows();
        INDArray predictions = model.predict(batch);
        INDArray x = batch.inputs();
        INDArray Wx = model.parameters().get("rnn.layer0.Wx");
        INDArray Wh = model.parameters().get("rnn.layer0.Wh");
        INDArray b = model.parameters().get("rnn.layer0.b");
        INDArray W = model.parameters().get("output.W");
        INDArray c = model.parameters().get("output.b");
        int[] lengths = {4, 3};
        for (int n = 0; n < 2; n++) {
            double[] h = new double[H];
            for (int t = 0; t < lengths[n]; t++) {
                // h_t = tanh(x_t·Wx + h_{t−1}·Wh + b)
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
                // ŷ = h_{L−1}·W + b
                double y = c.getDouble(0, k);
                for (int j = 0; j < H; j++) {
                    y += h[j] * W.getDouble(j, k);
                }
                assertEquals(y, predictions.getDouble(n, k), 1e-12, "ŷ[" + n + ", " + k + "]");
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"RNN, false, 1, 0.0, 0", "LSTM, false, 2, 0.25, 4", "GRU, true, 1, 0.25, 4"})
    void lossAndGradientsMatchFiniteDifferencesForEveryParameter(CellType cell, boolean bidirectional, int layers,
            double dropout, int entries) {
        // entries: 0 checks every entry; otherwise that many per parameter, to keep the larger cases fast
        ModelConfiguration configuration = configuration(cell, bidirectional, layers, dropout);
        Batch batch = paddedWindows();
        ModelChecks.gradientCheck("SequenceRegressor " + cell + (bidirectional ? " bidirectional" : "") + ", " + layers
                + " layers, dropout " + dropout + ", padded", new SequenceRegressor(configuration),
                () -> new SequenceRegressor(configuration), model -> model.lossAndGradients(batch),
                model -> trainingLoss(model, batch), entries);
    }

    @Test
    void theFirstLossIsAboutTheMeanSquareOfTheTargets() {
        // With the readout at 0.1 × Xavier every prediction is within about ±0.05 of 0, so
        // MSE = mean(y²) − 2·mean(ŷ·y) + mean(ŷ²) ≈ mean(y²): for sine targets (mean(y²) ≈ 0.5) off by at most ≈ 0.1·mean|y|.
        SequenceRegressor model = new SequenceRegressor(ModelConfiguration.ofFeatures(1, 16, 1).withSeed(3));
        Batch batch = Windows.nextValues(sine(60), 8, 1, 1, DataType.DOUBLE);
        double meanSquare = batch.targets().mul(batch.targets()).meanNumber().doubleValue();
        assertEquals(meanSquare, model.loss(batch), 0.05);
    }

    @Test
    void aTinyBatchIsOverfittedWithAdam() {
        SequenceRegressor model = new SequenceRegressor(ModelConfiguration.ofFeatures(1, 12, 2).withCell(CellType.GRU)
                .withSeed(8));
        Batch batch = Windows.nextValues(sine(30), 6, 2, 4, DataType.DOUBLE);
        List<Double> losses = ModelChecks.trainUntil(model.parameters(), model::lossAndGradients, batch, 0.03, 1e-3, 200);
        assertTrue(losses.get(losses.size() - 1) < 1e-3, "loss below 1e-3 within 200 Adam steps, but the losses are " + losses);
    }

    @ParameterizedTest
    @CsvSource({"1, 5", "2, 5", "3, 6"})
    void forecastFeedsItsOwnPredictionsBack(int horizon, int steps) {
        SequenceRegressor model = new SequenceRegressor(ModelConfiguration.ofFeatures(1, H, horizon).withCell(CellType.LSTM)
                .withSeed(5));
        model.parameters().get("output.W").muli(10);
        double[] history = {0.3, -0.1, 0.8, 0.5};
        // reference: predict from the latest 4 values, append all K predictions, slide, repeat
        double[] series = new double[history.length + steps + horizon];
        System.arraycopy(history, 0, series, 0, history.length);
        int known = history.length;
        while (known < history.length + steps) {
            double[][][] window = new double[1][4][1];
            for (int t = 0; t < 4; t++) {
                window[0][t][0] = series[known - 4 + t];
            }
            INDArray x = Nd4j.createFromArray(window);
            Batch one = new Batch(x, null, Nd4j.ones(DataType.DOUBLE, 1, 4), new int[] {4});
            INDArray predicted = model.predict(one);
            for (int k = 0; k < horizon; k++) {
                series[known + k] = predicted.getDouble(0, k);
            }
            known += horizon;
        }
        double[] expected = new double[steps];
        System.arraycopy(series, history.length, expected, 0, steps);
        double[] forecast = model.forecast(history, steps);
        assertArrayEquals(expected, forecast, 1e-15);
        assertEquals(0, model.forecast(history, 0).length);
        assertArrayEquals(new double[] {0.3, -0.1, 0.8, 0.5}, history, "history is not modified");
    }

    @Test
    void forecastNeedsAUnivariateModel() {
        SequenceRegressor model = new SequenceRegressor(configuration(CellType.GRU, false, 1, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.forecast(new double[] {1, 2}, 3));
        assertEquals("SequenceRegressor.forecast: forecasting by feeding predictions back needs a univariate series (D = 1), "
                + "but this model reads D = 2 channels.", e.getMessage());
    }

    @Test
    void saveAndLoadRoundTripBitForBit(@TempDir Path directory) {
        ModelConfiguration configuration = configuration(CellType.RNN, false, 2, 0.1);
        SequenceRegressor model = new SequenceRegressor(configuration);
        Batch batch = paddedWindows();
        ModelChecks.trainUntil(model.parameters(), model::lossAndGradients, batch, 0.05, 0, 3);
        Path file = directory.resolve("regressor.bin");
        model.save(file);
        SequenceRegressor loaded = SequenceRegressor.load(file);
        assertEquals(configuration, loaded.configuration());
        ModelChecks.assertBitIdentical(model.parameters(), loaded.parameters());
        assertEquals(model.predict(batch), loaded.predict(batch));

        SequenceRegressor lstm = new SequenceRegressor(configuration.withCell(CellType.LSTM));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lstm.loadParameters(file));
        assertEquals("SequenceRegressor.loadParameters: " + file + " was saved from a model with another configuration: "
                + "cellType is RNN in the file but LSTM in this model.", e.getMessage());
    }

    @Test
    void theSameSeedGivesTheSameNumbers() {
        ModelConfiguration configuration = configuration(CellType.LSTM, false, 2, 0.3);
        Batch batch = paddedWindows();
        SequenceRegressor a = new SequenceRegressor(configuration);
        SequenceRegressor b = new SequenceRegressor(configuration);
        List<Double> lossesA = ModelChecks.trainUntil(a.parameters(), a::lossAndGradients, batch, 0.01, 0, 3);
        List<Double> lossesB = ModelChecks.trainUntil(b.parameters(), b::lossAndGradients, batch, 0.01, 0, 3);
        assertEquals(lossesA, lossesB);
        ModelChecks.assertBitIdentical(a.parameters(), b.parameters());
        assertNotEquals(new SequenceRegressor(configuration).parameters().get("rnn.layer0.Wh"),
                new SequenceRegressor(configuration.withSeed(42)).parameters().get("rnn.layer0.Wh"));
    }

    @Test
    void badInputsAreRefusedWithTheExpectedMessage() {
        SequenceRegressor model = new SequenceRegressor(configuration(CellType.RNN, false, 1, 0));
        Batch batch = paddedWindows();
        Batch floatTargets = new Batch(batch.inputs(), batch.targets().castTo(DataType.FLOAT), batch.mask(), batch.lengths());
        ShapeException e = assertThrows(ShapeException.class, () -> model.lossAndGradients(floatTargets));
        assertEquals("SequenceRegressor.lossAndGradients: targets must have data type DOUBLE, but has FLOAT. Convert it with "
                + "castTo(DataType.DOUBLE).", e.getMessage());
        Batch threeTargets = new Batch(batch.inputs(), TestData.gaussian(3, 2, 3), batch.mask(), batch.lengths());
        e = assertThrows(ShapeException.class, () -> model.loss(threeTargets));
        assertEquals("SequenceRegressor.loss: targets must have shape (N, K) = (2, 2), but has shape (2, 3).", e.getMessage());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new SequenceRegressor(ModelConfiguration.ofTokens(5, 3, 4, 1)));
        assertEquals("SequenceRegressor: a regressor reads real-valued windows (N, T, D), so vocabularySize must be 0, but is "
                + "5; use ModelConfiguration.ofFeatures.", refused.getMessage());
    }
}

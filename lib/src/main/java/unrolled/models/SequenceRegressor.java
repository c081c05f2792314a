package unrolled.models;

import java.nio.file.Path;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.data.Batch;
import unrolled.loss.MeanSquaredError;
import unrolled.param.Gradients;
import unrolled.data.SequenceMask;
import unrolled.tensor.Shapes;
import unrolled.train.LossAndGradients;

/**
 * A forecaster: it reads a window of a time series and predicts the next K values.
 *
 * <pre>
 *   y, s = rnn(x, mask)             x (N, T, D) windows; s = the final state at each window's true last step, (N, H)
 *   ŷ = dropout(s)·W + b            W (H, K), b (1, K), ŷ (N, K): the K values after the window
 *   loss = Σ_{n,k} (ŷ − y)² / (N·K)  mean squared error
 * </pre>
 *
 * Train it on {@link unrolled.data.Windows#nextValues} batches (inputs (N, T, D), targets (N, K)), then
 * {@link #forecast} rolls it forward beyond one horizon by feeding its own predictions back as inputs. Scale the series
 * first (e.g. to zero mean and unit variance): the readout starts near 0 and a tanh state saturates beyond ±1.
 *
 * <p>Parameters: {@code rnn.layer0.Wx}, … , {@code output.W}, {@code output.b}. The readout starts small, so the first
 * predictions are near 0 and the first loss is about the mean of y² (see {@link Readout}).
 */
public final class SequenceRegressor extends RecurrentModel {

    /**
     * The forward result.
     *
     * @param predictions ŷ, (N, K)
     * @param cache for {@link #backward}
     */
    public record Result(INDArray predictions, RecurrentNetwork.Cache cache) {
    }

    /**
     * Reads each window and predicts the K values after it:
     *
     * <pre>
     *   s = the final state of rnn(x, mask)    (N, H), at each window's true last step
     *   ŷ = dropout(s)·W + b                   (N, K)
     * </pre>
     *
     * @param inputs the windows, (N, T, D), of the model's data type
     * @param mask which steps are real, (N, T), padding at the end; null if none is padded
     * @param training true to apply dropout; false (evaluation) for none
     * @return the predictions (N, K) and the cache for {@link #backward}
     */
    public Result forward(INDArray inputs, SequenceMask mask, boolean training) {
        RecurrentNetwork.Result predictions = network.forward(KIND + ".forward", inputs, null, mask, training);
        return new Result(predictions.output(), predictions.cache());
    }

    private static final String KIND = "SequenceRegressor";

    private final MeanSquaredError meanSquaredError = new MeanSquaredError();

    /**
     * @param configuration feature input ({@code vocabularySize} 0, {@code inputSize} D channels), any cell, depth,
     *     direction, dropout, data type and seed; {@code outputSize} is K, the number of future values predicted
     * @throws IllegalArgumentException if the configuration reads token ids
     */
    public SequenceRegressor(ModelConfiguration configuration) {
        super(KIND, requireFeatures(configuration), RecurrentNetwork.Reads.FINAL_STATE);
    }

    /**
     * One training step's numbers: forward with dropout, mean squared error, backward.
     *
     * @param batch inputs (N, T, D), targets (N, K) of the model's data type, mask, lengths
     * @return the loss and ∂loss/∂θ for every parameter
     */
    public LossAndGradients lossAndGradients(Batch batch) {
        requireTargets(KIND + ".lossAndGradients", batch);
        Result forward = forward(batch.inputs(), ModelInput.maskOf(batch), true);
        // loss = Σ (ŷ − y)² / (N·K)
        MeanSquaredError.Result loss = meanSquaredError.compute(forward.predictions(), batch.targets());
        return new LossAndGradients(loss.loss(), backward(loss.dPrediction(), forward.cache()));
    }

    /**
     * @param batch inputs (N, T, D), targets (N, K), mask, lengths
     * @return the mean squared error in evaluation mode (no dropout)
     */
    public double loss(Batch batch) {
        requireTargets(KIND + ".loss", batch);
        return meanSquaredError.compute(predict(batch), batch.targets()).loss();
    }

    /**
     * @param batch inputs, mask and lengths (targets are not read)
     * @return the predictions ŷ (N, K) in evaluation mode
     */
    public INDArray predict(Batch batch) {
        Objects.requireNonNull(batch, KIND + ".predict: batch must not be null");
        return forward(batch.inputs(), ModelInput.maskOf(batch), false).predictions();
    }

    /**
     * Forecasts a univariate series (D = 1) beyond one horizon by feeding the model's own predictions back in:
     *
     * <pre>
     *   window = history                               the last T observed values
     *   repeat until steps values are written:
     *     ŷ_1 … ŷ_K = model(window)                    one forward pass in evaluation mode
     *     write them (fewer at the end if steps is not a multiple of K)
     *     window = window without its first K values, followed by ŷ_1 … ŷ_K
     * </pre>
     *
     * The window keeps the length of {@code history}, so pass the last T values, T the window length of training:
     * the model has only ever read windows of that length, from a zero state. Errors compound: from the second pass on
     * the model reads its own predictions, so a long forecast drifts towards what the model finds typical.
     *
     * @param history the last observed values, oldest first, at least one
     * @param steps how many future values to forecast, ≥ 0
     * @return the forecast, steps values
     * @throws IllegalArgumentException if the model reads more than one channel
     */
    public double[] forecast(double[] history, int steps) {
        String method = KIND + ".forecast";
        requireForecast(method, history, steps);
        int window = history.length;
        int horizon = configuration.outputSize();
        double[] series = new double[window + steps];
        System.arraycopy(history, 0, series, 0, window);
        for (int written = 0; written < steps; written += horizon) {
            // ŷ = model(the most recent T values, observed or forecast)
            double[] recent = new double[window];
            System.arraycopy(series, written, recent, 0, window);
            INDArray x = Nd4j.createFromArray(recent).reshape('c', 1, window, 1).castTo(configuration.dataType());
            INDArray predicted = forward(x, null, false).predictions();
            for (int k = 0; k < horizon && written + k < steps; k++) {
                series[window + written + k] = predicted.getDouble(0, k);
            }
        }
        double[] forecast = new double[steps];
        System.arraycopy(series, window, forecast, 0, steps);
        return forecast;
    }

    private void requireForecast(String method, double[] history, int steps) {
        Objects.requireNonNull(history, method + ": history must not be null");
        if (configuration.inputSize() != 1) {
            throw new IllegalArgumentException(method + ": forecasting by feeding predictions back needs a univariate series "
                    + "(D = 1), but this model reads D = " + configuration.inputSize() + " channels.");
        }
        Shapes.requirePositive(method, "history.length", history.length);
        if (steps < 0) {
            throw new IllegalArgumentException(method + ": steps must be at least 0, but is " + steps + ".");
        }
    }

    private static ModelConfiguration requireFeatures(ModelConfiguration configuration) {
        Objects.requireNonNull(configuration, KIND + ": configuration must not be null");
        if (configuration.readsTokens()) {
            throw new IllegalArgumentException(KIND + ": a regressor reads real-valued windows (N, T, D), so vocabularySize "
                    + "must be 0, but is " + configuration.vocabularySize() + "; use ModelConfiguration.ofFeatures.");
        }
        return configuration;
    }

    private void requireTargets(String method, Batch batch) {
        Objects.requireNonNull(batch, method + ": batch must not be null");
        Shapes.require(method, "targets", batch.targets(), "(N, K)", batch.batchSize(), configuration.outputSize());
        Shapes.requireType(method, "targets", batch.targets(), configuration.dataType());
    }

    /**
     * Rebuilds a saved model: its configuration, then its parameters, bit-identical to those saved.
     *
     * @param path a file written by {@link #save}
     * @return the model
     * @throws java.io.UncheckedIOException if the file cannot be read
     * @throws IllegalArgumentException if the file is not a saved {@code SequenceRegressor}
     */
    public static SequenceRegressor load(Path path) {
        return ModelFile.load(KIND + ".load", path, KIND, SequenceRegressor::new);
    }
}

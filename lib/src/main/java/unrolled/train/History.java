package unrolled.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

/**
 * What a {@link Trainer} recorded, as two Tablesaw tables to show or plot:
 *
 * <ul>
 *   <li>{@link #steps()}, one row per optimiser step: {@code step} (0-based, the schedule's s), {@code epoch}
 *       (1-based), {@code loss} (the batch's loss), {@code gradient norm} (the global norm ‖g‖ <em>before</em>
 *       clipping) and {@code learning rate} (the η used for that step).</li>
 *   <li>{@link #epochs()}, one row per epoch: {@code epoch}, {@code mean loss} (the mean of the epoch's batch
 *       losses), one column per validation metric, and {@code seconds} (the epoch's wall-clock time, validation
 *       included).</li>
 * </ul>
 *
 * A plot of gradient norm against step shows exploding gradients as spikes; a plot of mean loss and
 * validation loss against epoch shows over-fitting as the two curves part.
 */
public final class History {

    /** Column of {@link #steps()}: the 0-based step s. */
    public static final String STEP = "step";
    /** Column of both tables: the 1-based epoch. */
    public static final String EPOCH = "epoch";
    /** Column of {@link #steps()}: the batch's loss. */
    public static final String LOSS = "loss";
    /** Column of {@link #steps()}: the global gradient norm before clipping. */
    public static final String GRADIENT_NORM = "gradient norm";
    /** Column of {@link #steps()}: the learning rate η of the step. */
    public static final String LEARNING_RATE = "learning rate";
    /** Column of {@link #epochs()}: the mean of the epoch's batch losses. */
    public static final String MEAN_LOSS = "mean loss";
    /** Column of {@link #epochs()}: the epoch's wall-clock time in seconds. */
    public static final String SECONDS = "seconds";

    /** Room for this many steps at first; the step columns double when full (no object per step). */
    private static final int FIRST_CAPACITY = 1024;

    private record EpochRow(int epoch, double meanLoss, Map<String, Double> metrics, double seconds) {
    }

    /** The step rows, column by column: a recorded step is 36 bytes in these arrays and no object of its own. */
    private long[] stepNumbers = new long[FIRST_CAPACITY];
    private int[] stepEpochs = new int[FIRST_CAPACITY];
    private double[] stepLosses = new double[FIRST_CAPACITY];
    private double[] stepNorms = new double[FIRST_CAPACITY];
    private double[] stepRates = new double[FIRST_CAPACITY];
    private int stepCount;
    private final List<EpochRow> epochs = new ArrayList<>();
    private List<String> metricNames;

    History() {
    }

    void addStep(long step, int epoch, double loss, double gradientNorm, double learningRate) {
        if (stepCount == stepLosses.length) {
            int capacity = 2 * stepCount;
            stepNumbers = Arrays.copyOf(stepNumbers, capacity);
            stepEpochs = Arrays.copyOf(stepEpochs, capacity);
            stepLosses = Arrays.copyOf(stepLosses, capacity);
            stepNorms = Arrays.copyOf(stepNorms, capacity);
            stepRates = Arrays.copyOf(stepRates, capacity);
        }
        stepNumbers[stepCount] = step;
        stepEpochs[stepCount] = epoch;
        stepLosses[stepCount] = loss;
        stepNorms[stepCount] = gradientNorm;
        stepRates[stepCount] = learningRate;
        stepCount++;
    }

    /**
     * Records an epoch. The first epoch with metrics fixes their names; later epochs with metrics must report
     * the same names in the same order. Epochs without metrics (no validation yet) show them as missing.
     */
    void addEpoch(int epoch, double meanLoss, Map<String, Double> metrics, double seconds) {
        if (!metrics.isEmpty()) {
            List<String> names = new ArrayList<>(metrics.keySet());
            if (metricNames == null) {
                for (String name : names) {
                    if (name == null || name.isBlank() || name.equals(EPOCH) || name.equals(MEAN_LOSS) || name.equals(SECONDS)) {
                        throw new IllegalArgumentException("Trainer.fit: the validation returned a metric named " + name
                                + ", but the epochs table already has the columns " + EPOCH + ", " + MEAN_LOSS + " and " + SECONDS
                                + "; choose another name, such as \"validation loss\".");
                    }
                }
                metricNames = names;
            } else if (!metricNames.equals(names)) {
                throw new IllegalArgumentException("Trainer.fit: the validation returned the metrics " + names + " in epoch " + epoch
                        + ", but " + metricNames + " before; return the same names, in the same order, every epoch.");
            }
        }
        epochs.add(new EpochRow(epoch, meanLoss, new LinkedHashMap<>(metrics), seconds));
    }

    /** @return the number of optimiser steps recorded */
    public int stepCount() {
        return stepCount;
    }

    /** @return the number of epochs recorded */
    public int epochCount() {
        return epochs.size();
    }

    /** @return the loss of the last step recorded, NaN if none */
    public double lastLoss() {
        return stepCount == 0 ? Double.NaN : stepLosses[stepCount - 1];
    }

    /**
     * @return a new table "steps" with one row per step and the columns step, epoch, loss, gradient norm,
     *         learning rate
     */
    public Table steps() {
        LongColumn step = LongColumn.create(STEP);
        IntColumn epoch = IntColumn.create(EPOCH);
        DoubleColumn loss = DoubleColumn.create(LOSS);
        DoubleColumn gradientNorm = DoubleColumn.create(GRADIENT_NORM);
        DoubleColumn learningRate = DoubleColumn.create(LEARNING_RATE);
        for (int k = 0; k < stepCount; k++) {
            step.append(stepNumbers[k]);
            epoch.append(stepEpochs[k]);
            loss.append(stepLosses[k]);
            gradientNorm.append(stepNorms[k]);
            learningRate.append(stepRates[k]);
        }
        return Table.create("steps", step, epoch, loss, gradientNorm, learningRate);
    }

    /**
     * @return a new table "epochs" with one row per epoch and the columns epoch, mean loss, the validation
     *         metrics (if any) in the validation's order, seconds
     */
    public Table epochs() {
        IntColumn epoch = IntColumn.create(EPOCH);
        DoubleColumn meanLoss = DoubleColumn.create(MEAN_LOSS);
        List<DoubleColumn> metrics = new ArrayList<>();
        for (String name : metricNames == null ? List.<String>of() : metricNames) {
            metrics.add(DoubleColumn.create(name));
        }
        DoubleColumn seconds = DoubleColumn.create(SECONDS);
        for (EpochRow row : epochs) {
            epoch.append(row.epoch());
            meanLoss.append(row.meanLoss());
            for (DoubleColumn metric : metrics) {
                Double value = row.metrics().get(metric.name());
                metric.append(value == null ? Double.NaN : value);
            }
            seconds.append(row.seconds());
        }
        Table table = Table.create("epochs", epoch, meanLoss);
        metrics.forEach(table::addColumns);
        return table.addColumns(seconds);
    }

    @Override
    public String toString() {
        return "History(" + stepCount + " steps, " + epochs.size() + " epochs)";
    }
}

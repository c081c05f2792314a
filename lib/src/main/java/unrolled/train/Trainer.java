package unrolled.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.fast.MemoryViews;
import unrolled.fast.ParameterPass;
import unrolled.optim.Clipping;
import unrolled.optim.LearningRateSchedule;
import unrolled.optim.Optimizer;
import unrolled.param.Gradients;
import unrolled.param.Parameters;
import unrolled.tensor.Shapes;

/**
 * The training loop, the same for every model. For each epoch, for each batch (shuffled with a seed if asked):
 *
 * <pre>
 *   η ← schedule(s)                          if a schedule is set; s is the 0-based step
 *   (L, g) ← step.compute(batch)             the notebook's forward and backward pass
 *   stop if L or any entry of g is NaN or ∞  naming the epoch, the step and the culprit
 *   stop if L &gt; f·min(earlier L)            only if a divergence factor f is set: a finite blow-up
 *   n ← ‖g‖;  g ← g·min(1, c/n)              the norm is recorded before clipping; clipping only if c is set
 *   θ ← optimizer.step(θ, g)
 * </pre>
 *
 * then the validation, if any, and one row of {@link History#epochs()}. While it runs it keeps one progress
 * line up to date with '\r' and ends it with '\n' at the end of each epoch:
 *
 * <pre>
 *   epoch 3/10  batch 40/50  loss 1.234  |g| 0.98  lr 1.0e-03  12.3 s
 * </pre>
 *
 * where loss is the mean batch loss of the epoch so far, |g| the last norm before clipping, lr the last η and
 * the time the epoch's so far; the epoch's last line adds the validation metrics.
 *
 * <p>Calling {@link #fit} again continues: the step count (and so the schedule), the epoch count, the optimiser's
 * state, the shuffling generator and the {@link #history()} carry on. Steps count from 0 (the schedule's s and
 * the history's step column), epochs and batches from 1 (as printed).
 *
 * <pre>{@code
 * Trainer<Batch> trainer = new Trainer<>(model.parameters(), new Adam(1e-3), step)
 *         .clipGlobalNorm(5.0)
 *         .schedule(LearningRateSchedule.warmup(100, LearningRateSchedule.cosine(1e-3, 1e-5, 2_000)))
 *         .shuffle(42)
 *         .validation(() -> Map.of("validation loss", model.loss(validationSet)));
 * History history = trainer.fit(batches, 10);
 * Tables.show(history.epochs());
 * }</pre>
 *
 * @param <B> the batch type, whatever the {@link TrainingStep} reads
 */
public final class Trainer<B> {

    /** The progress line is redrawn at most this often (and at the end of each epoch): notebooks are slow to redraw. */
    private static final long REDRAW_NANOS = 100_000_000L;

    private final Parameters parameters;
    private final Optimizer optimizer;
    private final TrainingStep<B> step;
    private final History history = new History();
    private LearningRateSchedule schedule;
    private double maxNorm = Double.NaN;
    private double divergenceFactor = Double.NaN;
    private double lowestLoss = Double.POSITIVE_INFINITY;
    private long lowestLossStep = -1;
    private Random shuffle;
    private Validation validation;
    private boolean quiet;
    private PrintStream output;
    private long steps;
    private int epochs;
    /** The parameters' names and arrays as the current fit started, the step's gradients in the same order. */
    private String[] names;
    private INDArray[] thetas;
    private INDArray[] gradientArrays;
    /** Views of the gradients' memory, kept between steps for a step that returns the same arrays each time. */
    private final MemoryViews views = new MemoryViews(0);

    /**
     * @param parameters the model's live parameters, which the optimiser updates in place
     * @param optimizer the update rule, e.g. {@code new Adam(1e-3)}
     * @param step computes a batch's loss and the gradients of these parameters, under the same names
     */
    public Trainer(Parameters parameters, Optimizer optimizer, TrainingStep<B> step) {
        this.parameters = Objects.requireNonNull(parameters, "Trainer: parameters must not be null");
        this.optimizer = Objects.requireNonNull(optimizer, "Trainer: optimizer must not be null");
        this.step = Objects.requireNonNull(step, "Trainer: step must not be null");
    }

    /**
     * Sets η before every step from a schedule, at the global 0-based step s. Without one, the optimiser keeps
     * its own learning rate.
     *
     * @param schedule the schedule, not null
     * @return this, for chaining
     */
    public Trainer<B> schedule(LearningRateSchedule schedule) {
        this.schedule = Objects.requireNonNull(schedule, "Trainer.schedule: schedule must not be null");
        return this;
    }

    /**
     * Clips the gradients by global norm before every optimiser step: g ← g·min(1, c/‖g‖)
     * (see {@link Clipping#byGlobalNorm}).
     *
     * @param maxNorm c, finite and &gt; 0; 1 to 5 is usual for recurrent networks
     * @return this, for chaining
     */
    public Trainer<B> clipGlobalNorm(double maxNorm) {
        if (!(maxNorm > 0 && maxNorm < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("Trainer.clipGlobalNorm: maxNorm must be a finite number > 0, but is " + maxNorm + ".");
        }
        this.maxNorm = maxNorm;
        return this;
    }

    /**
     * Also stops when the loss blows up while staying a number: when a step's loss exceeds f times the lowest step
     * loss so far (over every {@link #fit}). The NaN/∞ check alone misses most divergences of real runs: with Adam
     * (whose steps are at most about η per weight) or with clipping, an unstable run's loss climbs and oscillates
     * far above where it started but never overflows. Learning-rate range tests use this rule, with f between 1.5
     * and 4. Off by default.
     *
     * @param factor f, finite and &gt; 1
     * @return this, for chaining
     */
    public Trainer<B> divergenceFactor(double factor) {
        if (!(factor > 1 && factor < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("Trainer.divergenceFactor: factor must be a finite number > 1, but is " + factor + ".");
        }
        this.divergenceFactor = factor;
        return this;
    }

    /**
     * Visits the batches in a new random order every epoch, drawn from a generator with this seed: the same seed
     * gives the same orders, so the same history. The caller's list is not reordered.
     *
     * @param seed the seed of the orders
     * @return this, for chaining
     */
    public Trainer<B> shuffle(long seed) {
        this.shuffle = new Random(seed);
        return this;
    }

    /**
     * Evaluates the model after every epoch; the metrics become columns of {@link History#epochs()}.
     *
     * @param validation returns metric name to value, not null
     * @return this, for chaining
     */
    public Trainer<B> validation(Validation validation) {
        this.validation = Objects.requireNonNull(validation, "Trainer.validation: validation must not be null");
        return this;
    }

    /**
     * @param quiet true to print nothing, false (the default) for the progress line
     * @return this, for chaining
     */
    public Trainer<B> quiet(boolean quiet) {
        this.quiet = quiet;
        return this;
    }

    /**
     * @param output where the progress line goes, not null (default: {@code System.out} at the time of each fit)
     * @return this, for chaining
     */
    public Trainer<B> output(PrintStream output) {
        this.output = Objects.requireNonNull(output, "Trainer.output: output must not be null");
        return this;
    }

    /**
     * Trains for some epochs more.
     *
     * @param batches the batches of one epoch, not empty; each is passed to the training step once per epoch
     * @param epochs how many epochs to run, positive
     * @return the history so far, the same object as {@link #history()}
     * @throws TrainingDivergedException if a loss or a gradient entry is NaN or infinite, or (with a
     *         {@link #divergenceFactor}) a loss exceeds f times the lowest so far; the parameters are left as they
     *         were after the last good step, and the history holds every completed step
     */
    public History fit(List<B> batches, int epochs) {
        Objects.requireNonNull(batches, "Trainer.fit: batches must not be null");
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("Trainer.fit: batches must not be empty.");
        }
        if (epochs <= 0) {
            throw new IllegalArgumentException("Trainer.fit: epochs must be positive, but is " + epochs + ".");
        }
        PrintStream out = quiet ? null : output != null ? output : System.out;
        rememberParameters();
        int lastEpoch = this.epochs + epochs;
        // the caller's list is read in place, and copied only to be shuffled
        List<B> order = shuffle == null ? batches : new ArrayList<>(batches);
        for (int e = 0; e < epochs; e++) {
            int epoch = this.epochs + 1;
            if (shuffle != null) {
                Collections.shuffle(order, shuffle);
            }
            Progress progress = new Progress(out, epoch, lastEpoch, order.size());
            try {
                runEpoch(order, epoch, progress);
            } catch (RuntimeException failure) {
                // End a half-drawn progress line, so that the message starts on a line of its own.
                progress.abandon();
                throw failure;
            }
            this.epochs = epoch;
        }
        return history;
    }

    /** One epoch: every batch in the given order, then the validation and the epoch's row of the history. */
    private void runEpoch(List<B> order, int epoch, Progress progress) {
        double lossSum = 0;
        for (int i = 0; i < order.size(); i++) {
            double learningRate = learningRate();
            LossAndGradients result = step.compute(order.get(i));
            if (result == null) {
                throw new IllegalStateException("Trainer.fit: the training step returned null at epoch " + epoch + ", step "
                        + steps + "; it must return the batch's loss and gradients.");
            }
            // one read of every gradient: NaN or ∞ anywhere, and n = ‖g‖ before clipping
            double norm = inspect(result, epoch, i + 1, order.size());
            requireNoBlowUp(result.loss(), epoch, i + 1, order.size());
            Gradients gradients = result.gradients();
            if (norm > maxNorm && norm < Double.POSITIVE_INFINITY) {
                // g ← g·c/n, as Clipping.byGlobalNorm does, in one write
                ParameterPass.scale(gradientArrays, names.length, maxNorm / norm, views);
            }
            // θ ← optimizer.step(θ, g)
            optimizer.step(parameters, gradients);
            if (result.release() != null) {
                // the step's own arrays are spent: their memory goes back for the next step to reuse
                result.release().run();
            }
            history.addStep(steps, epoch, result.loss(), norm, learningRate);
            steps++;
            lossSum += result.loss();
            progress.update(i + 1, lossSum / (i + 1), norm, learningRate);
        }
        Map<String, Double> metrics = Map.of();
        if (validation != null) {
            metrics = validation.evaluate();
            if (metrics == null) {
                throw new IllegalStateException("Trainer.fit: the validation returned null after epoch " + epoch
                        + "; return a map of metric names to values (empty for none).");
            }
        }
        history.addEpoch(epoch, lossSum / order.size(), metrics, progress.seconds());
        progress.finish(metrics);
    }

    /** Sets the optimiser's η from the schedule, if there is one, and returns the η of this step. */
    private double learningRate() {
        if (schedule != null) {
            optimizer.learningRate(schedule.rate(steps));
        }
        return optimizer.learningRate();
    }

    /**
     * Stops, naming the culprit, if the loss or any gradient entry is NaN or infinite; else returns ‖g‖, from one read
     * of every gradient through views kept between steps (nothing allocated when all is well).
     */
    private double inspect(LossAndGradients result, int epoch, int batch, int batchCount) {
        String culprit = null;
        String what = null;
        double norm = Double.NaN;
        if (!Double.isFinite(result.loss())) {
            culprit = "the loss";
            what = "the loss is " + result.loss();
        } else {
            if (!collectGradients(result.gradients())) {
                // a missing, extra or misshapen gradient: the full check names it; else the parameters changed
                result.gradients().requireMatches("Trainer.fit", parameters);
                rememberParameters();
                collectGradients(result.gradients());
            }
            double squared = ParameterPass.squaredNorm(gradientArrays, names.length, views);
            norm = Math.sqrt(squared);
            if (!Double.isFinite(squared)) {
                // rare: find the first parameter with a NaN or infinite entry (or learn that the squares overflowed)
                ParameterPass.Inspection inspection = ParameterPass.inspect(parameters, result.gradients());
                norm = inspection.norm();
                if (inspection.nonFinite() != null) {
                    culprit = inspection.nonFinite();
                    what = "the gradient of " + culprit + " has " + (inspection.nan() ? "a NaN" : "an infinite") + " entry";
                }
            }
        }
        if (culprit != null) {
            throw new TrainingDivergedException("Trainer.fit: " + what + " at epoch " + epoch + ", step " + steps + " (batch "
                    + batch + " of " + batchCount + "). " + advice(), epoch, steps, culprit, result.loss());
        }
        return norm;
    }

    /** Looks the parameters' names and arrays up once per fit, in the parameters' order. */
    private void rememberParameters() {
        names = parameters.names().toArray(new String[0]);
        thetas = new INDArray[names.length];
        gradientArrays = new INDArray[names.length];
        for (int k = 0; k < names.length; k++) {
            thetas[k] = parameters.get(names[k]);
        }
    }

    /**
     * Puts the step's gradient of each parameter, in the parameters' order, into {@code gradientArrays}.
     *
     * @return false if a gradient is missing, extra or of another shape than its parameter
     */
    private boolean collectGradients(Gradients gradients) {
        if (gradients.size() != names.length) {
            return false;
        }
        for (int k = 0; k < names.length; k++) {
            if (!gradients.contains(names[k])) {
                return false;
            }
            INDArray g = gradients.get(names[k]);
            if (!Shapes.sameShape(g, thetas[k])) {
                return false;
            }
            gradientArrays[k] = g;
        }
        return true;
    }

    /** Stops, naming the step and both losses, if a divergence factor is set and the loss exceeds f·(lowest so far). */
    private void requireNoBlowUp(double loss, int epoch, int batch, int batchCount) {
        if (!Double.isNaN(divergenceFactor) && loss > divergenceFactor * lowestLoss) {
            throw new TrainingDivergedException(String.format(Locale.ROOT, "Trainer.fit: the loss rose to %.4g at epoch %d, step %d "
                    + "(batch %d of %d), more than %s times the lowest loss so far (%.4g, at step %d): training diverged. %s", loss,
                    epoch, steps, batch, batchCount, divergenceFactor, lowestLoss, lowestLossStep, advice()), epoch, steps,
                    "the loss", loss);
        }
        if (loss < lowestLoss) {
            lowestLoss = loss;
            lowestLossStep = steps;
        }
    }

    private String advice() {
        return "Lower the learning rate (it is " + format(optimizer.learningRate()) + ") or clip gradients by global norm with "
                + (Double.isNaN(maxNorm) ? "clipGlobalNorm(c)." : "a smaller c than " + maxNorm + ".");
    }

    private static String format(double learningRate) {
        return String.format(Locale.ROOT, "%.1e", learningRate);
    }

    /** @return everything recorded so far, over every call of {@link #fit} */
    public History history() {
        return history;
    }

    /** @return the number of optimiser steps taken so far: the next step's s */
    public long steps() {
        return steps;
    }

    /** @return the number of epochs completed so far (an epoch stopped by an exception does not count) */
    public int epochs() {
        return epochs;
    }

    /** The in-place progress line of one epoch. */
    private static final class Progress {
        private final PrintStream out;
        private final String prefix;
        private final int batchCount;
        private final long start = System.nanoTime();
        private long lastDrawn = Long.MIN_VALUE;
        private int batch;
        private double meanLoss;
        private double norm;
        private double learningRate;
        private boolean drawn;
        private int lastLength;

        Progress(PrintStream out, int epoch, int lastEpoch, int batchCount) {
            this.out = out;
            this.prefix = "epoch " + epoch + "/" + lastEpoch;
            this.batchCount = batchCount;
        }

        double seconds() {
            return (System.nanoTime() - start) / 1e9;
        }

        /** Records the step's figures; the line is formatted only when it is drawn (quiet runs never format it). */
        void update(int batch, double meanLoss, double norm, double learningRate) {
            this.batch = batch;
            this.meanLoss = meanLoss;
            this.norm = norm;
            this.learningRate = learningRate;
            if (out == null || batch >= batchCount) {
                return;
            }
            long now = System.nanoTime();
            if (lastDrawn == Long.MIN_VALUE || now - lastDrawn >= REDRAW_NANOS) {
                draw(line());
                out.flush();
                lastDrawn = now;
            }
        }

        /** Draws the epoch's last line, with the validation metrics, and ends it. */
        void finish(Map<String, Double> metrics) {
            if (out == null) {
                return;
            }
            StringBuilder last = new StringBuilder(line());
            metrics.forEach((name, value) -> last.append("  ").append(name).append(' ')
                    .append(value == null ? "NaN" : String.format(Locale.ROOT, "%.4g", value)));
            draw(last.toString());
            out.print('\n');
            out.flush();
            drawn = false;
        }

        /** @return the progress line of the last recorded step */
        private String line() {
            return String.format(Locale.ROOT, "%s  batch %d/%d  loss %.4g  |g| %.3g  lr %.1e  %.1f s", prefix, batch, batchCount,
                    meanLoss, norm, learningRate, seconds());
        }

        /** Ends a half-drawn line, if any. */
        void abandon() {
            if (out != null && drawn) {
                out.print('\n');
                out.flush();
            }
        }

        /** Overwrites the current line: '\r', the text, and spaces over whatever the previous text left. */
        private void draw(String text) {
            int previous = drawn ? lastLength : 0;
            out.print('\r');
            out.print(text);
            for (int i = text.length(); i < previous; i++) {
                out.print(' ');
            }
            lastLength = text.length();
            drawn = true;
        }
    }
}

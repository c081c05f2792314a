package unrolled.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.optim.Adam;
import unrolled.optim.LearningRateSchedule;
import unrolled.optim.Sgd;
import unrolled.param.Gradients;
import unrolled.param.Parameters;
import tech.tablesaw.api.Table;

/**
 * The loop on a tiny real problem: linear regression y ≈ x·W + b on 20 seeded points in 2-D, in 4 batches of 5,
 * with the loss L = (1/2N)·Σ(x·W + b − y)² and its hand-written gradient (checked below).
 */
class TrainerTest {

    /** One batch: x (N, 2) and y (N, 1). */
    record Batch(int index, INDArray x, INDArray y) {
    }

    private static final int POINTS = 20;
    private static final int BATCH_SIZE = 5;

    /** y = x·[2, −1]ᵀ + 0.5 + noise, cut into batches of 5 in order. */
    private static List<Batch> batches(long seed) {
        INDArray x = TestData.gaussian(seed, POINTS, 2);
        INDArray noise = TestData.gaussian(seed + 1, POINTS, 1).muli(0.1);
        INDArray y = x.mmul(Nd4j.createFromArray(new double[][] {{2.0}, {-1.0}})).addi(0.5).addi(noise);
        List<Batch> batches = new ArrayList<>();
        for (int start = 0; start < POINTS; start += BATCH_SIZE) {
            batches.add(new Batch(batches.size(), x.get(NDArrayIndex.interval(start, start + BATCH_SIZE), NDArrayIndex.all()).dup(),
                    y.get(NDArrayIndex.interval(start, start + BATCH_SIZE), NDArrayIndex.all()).dup()));
        }
        return batches;
    }

    /** The model: W (2, 1) and b (1, 1), starting at zero. */
    private static Parameters model() {
        return new Parameters().add("W", Nd4j.zeros(DataType.DOUBLE, 2, 1)).add("b", Nd4j.zeros(DataType.DOUBLE, 1, 1));
    }

    /** L = (1/2N)·Σ r²,  r = x·W + b − y. */
    private static double loss(Parameters model, INDArray x, INDArray y) {
        INDArray r = x.mmul(model.get("W")).addiRowVector(model.get("b")).subi(y);
        return r.mul(r).sumNumber().doubleValue() / (2 * x.size(0));
    }

    /** ∂L/∂W = xᵀ·r / N,  ∂L/∂b = Σ r / N. */
    private static LossAndGradients lossAndGradients(Parameters model, Batch batch) {
        long n = batch.x().size(0);
        INDArray r = batch.x().mmul(model.get("W")).addiRowVector(model.get("b")).subi(batch.y());
        Gradients gradients = new Gradients()
                .accumulate("W", batch.x().transpose().mmul(r).divi(n))
                .accumulate("b", r.sum(true, 0).divi(n));
        return new LossAndGradients(loss(model, batch.x(), batch.y()), gradients);
    }

    private static ByteArrayOutputStream sink() {
        return new ByteArrayOutputStream();
    }

    private static Trainer<Batch> trainer(Parameters model, double learningRate, TrainingStep<Batch> step) {
        return new Trainer<>(model, new Sgd(learningRate), step).quiet(true);
    }

    private static double[] column(Table table, String name) {
        return table.numberColumn(name).asDoubleArray();
    }

    @Test
    void theTestProblemsHandWrittenGradientMatchesFiniteDifferences() {
        Parameters model = model();
        model.get("W").assign(TestData.gaussian(5, 2, 1));
        model.get("b").assign(0.3);
        Batch batch = batches(1).get(0);
        Gradients g = lossAndGradients(model, batch).gradients();
        GradientCheck.Report report = GradientCheck.create()
                .wrt("W", model.get("W"), g.get("W"))
                .wrt("b", model.get("b"), g.get("b"))
                .run(() -> loss(model, batch.x(), batch.y()));
        report.requirePassed();
    }

    @Test
    void theLossDecreasesAndTheWeightsApproachTheTruth() {
        Parameters model = model();
        History history = trainer(model, 0.1, batch -> lossAndGradients(model, batch)).fit(batches(1), 30);
        double[] meanLoss = column(history.epochs(), History.MEAN_LOSS);
        assertEquals(30, meanLoss.length);
        assertTrue(meanLoss[29] < 0.01 * meanLoss[0], "mean loss went from " + meanLoss[0] + " to " + meanLoss[29]);
        for (int e = 1; e < 30; e++) {
            assertTrue(meanLoss[e] < meanLoss[e - 1] + 1e-6, "mean loss rose at epoch " + (e + 1));
        }
        assertEquals(2.0, model.get("W").getDouble(0, 0), 0.1);
        assertEquals(-1.0, model.get("W").getDouble(1, 0), 0.1);
        assertEquals(0.5, model.get("b").getDouble(0, 0), 0.1);
    }

    @Test
    void theStepsTableHasTheDocumentedColumnsAndOneRowPerStep() {
        Parameters model = model();
        List<Double> losses = new ArrayList<>();
        List<Double> norms = new ArrayList<>();
        History history = trainer(model, 0.1, batch -> {
            LossAndGradients result = lossAndGradients(model, batch);
            losses.add(result.loss());
            // ‖g‖ entry by entry, independently of Gradients.globalNorm
            double sum = 0;
            for (String name : List.of("W", "b")) {
                INDArray g = result.gradients().get(name);
                for (long i = 0; i < g.length(); i++) {
                    sum += g.getDouble(i) * g.getDouble(i);
                }
            }
            norms.add(Math.sqrt(sum));
            return result;
        }).fit(batches(1), 3);

        Table steps = history.steps();
        assertEquals(List.of("step", "epoch", "loss", "gradient norm", "learning rate"), steps.columnNames());
        assertEquals(12, steps.rowCount());
        assertEquals(12, history.stepCount());
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, column(steps, "step"));
        assertArrayEquals(new double[] {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3}, column(steps, "epoch"));
        assertArrayEquals(losses.stream().mapToDouble(Double::doubleValue).toArray(), column(steps, "loss"));
        assertArrayEquals(norms.stream().mapToDouble(Double::doubleValue).toArray(), column(steps, "gradient norm"), 1e-12);
        assertArrayEquals(new double[] {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1}, column(steps, "learning rate"));

        Table epochs = history.epochs();
        assertEquals(List.of("epoch", "mean loss", "seconds"), epochs.columnNames());
        assertEquals(3, epochs.rowCount());
        for (int e = 0; e < 3; e++) {
            double mean = (losses.get(4 * e) + losses.get(4 * e + 1) + losses.get(4 * e + 2) + losses.get(4 * e + 3)) / 4;
            assertEquals(mean, epochs.doubleColumn("mean loss").get(e), 1e-15);
            assertTrue(epochs.doubleColumn("seconds").get(e) >= 0);
        }
    }

    @Test
    void theScheduleSetsTheLearningRateOfEveryStep() {
        Parameters model = model();
        History history = trainer(model, 0.1, batch -> lossAndGradients(model, batch))
                .schedule(LearningRateSchedule.step(0.1, 0.5, 3))
                .fit(batches(1), 2);
        // 0.1·0.5^⌊s/3⌋ for s = 0 … 7
        assertArrayEquals(new double[] {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025}, column(history.steps(), "learning rate"), 1e-15);
    }

    @Test
    void clippingRecordsTheNormBeforeClippingAndStepsWithTheClippedGradient() {
        Parameters model = model();
        List<Batch> one = batches(1).subList(0, 1);
        double norm = lossAndGradients(model(), one.get(0)).gradients().globalNorm();
        Parameters before = model.copy();
        History history = trainer(model, 1.0, batch -> lossAndGradients(model, batch)).clipGlobalNorm(1e-3).fit(one, 1);
        assertTrue(norm > 1e-2, "the test needs a gradient larger than the threshold, but ‖g‖ = " + norm);
        assertEquals(norm, history.steps().doubleColumn("gradient norm").get(0), 1e-12);
        // With η = 1 the parameters moved by exactly the clipped gradient, whose norm is c = 1e-3.
        double dW = model.get("W").sub(before.get("W")).norm2Number().doubleValue();
        double db = model.get("b").sub(before.get("b")).norm2Number().doubleValue();
        assertEquals(1e-3, Math.sqrt(dW * dW + db * db), 1e-12);
    }

    @Test
    void theSameShuffleSeedGivesTheSameHistoryAndAnotherSeedAnother() {
        List<Batch> batches = batches(1);
        List<Integer> visitedA = new ArrayList<>();
        List<Integer> visitedB = new ArrayList<>();
        List<Integer> visitedC = new ArrayList<>();
        Parameters a = model();
        Parameters b = model();
        Parameters c = model();
        Table stepsA = trainer(a, 0.1, batch -> {
            visitedA.add(batch.index());
            return lossAndGradients(a, batch);
        }).shuffle(7).fit(batches, 5).steps();
        Table stepsB = trainer(b, 0.1, batch -> {
            visitedB.add(batch.index());
            return lossAndGradients(b, batch);
        }).shuffle(7).fit(batches, 5).steps();
        trainer(c, 0.1, batch -> {
            visitedC.add(batch.index());
            return lossAndGradients(c, batch);
        }).shuffle(8).fit(batches, 5);

        assertEquals(visitedA, visitedB);
        assertArrayEquals(column(stepsA, "loss"), column(stepsB, "loss"));
        assertArrayEquals(column(stepsA, "gradient norm"), column(stepsB, "gradient norm"));
        assertEquals(a.get("W"), b.get("W"));
        assertNotEquals(visitedA, visitedC);
        assertNotEquals(List.of(0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3), visitedA, "the batches were not shuffled");
        for (int e = 0; e < 5; e++) {
            assertEquals(List.of(0, 1, 2, 3), visitedA.subList(4 * e, 4 * e + 4).stream().sorted().toList(),
                    "each epoch visits every batch once");
        }
        assertEquals(List.of(0, 1, 2, 3), batches.stream().map(Batch::index).toList(), "the caller's list is not reordered");
    }

    @Test
    void withoutShufflingTheBatchesAreVisitedInOrder() {
        List<Integer> visited = new ArrayList<>();
        Parameters model = model();
        trainer(model, 0.1, batch -> {
            visited.add(batch.index());
            return lossAndGradients(model, batch);
        }).fit(batches(1), 2);
        assertEquals(List.of(0, 1, 2, 3, 0, 1, 2, 3), visited);
    }

    @Test
    void validationMetricsAppearInTheEpochsTable() {
        Parameters model = model();
        List<Batch> held = batches(100);
        List<Double> reported = new ArrayList<>();
        History history = trainer(model, 0.1, batch -> lossAndGradients(model, batch))
                .validation(() -> {
                    double validationLoss = loss(model, held.get(0).x(), held.get(0).y());
                    reported.add(validationLoss);
                    Map<String, Double> metrics = new LinkedHashMap<>();
                    metrics.put("validation loss", validationLoss);
                    metrics.put("W0", model.get("W").getDouble(0, 0));
                    return metrics;
                })
                .fit(batches(1), 4);
        Table epochs = history.epochs();
        assertEquals(List.of("epoch", "mean loss", "validation loss", "W0", "seconds"), epochs.columnNames());
        assertArrayEquals(new double[] {1, 2, 3, 4}, column(epochs, "epoch"));
        assertArrayEquals(reported.stream().mapToDouble(Double::doubleValue).toArray(), column(epochs, "validation loss"));
        assertEquals(model.get("W").getDouble(0, 0), epochs.doubleColumn("W0").get(3));
        assertTrue(reported.get(3) < reported.get(0), "the validation loss fell: " + reported);
    }

    @Test
    void validationMustReturnTheSameMetricsEveryEpoch() {
        Parameters model = model();
        int[] calls = {0};
        Trainer<Batch> trainer = trainer(model, 0.1, batch -> lossAndGradients(model, batch))
                .validation(() -> ++calls[0] == 1 ? Map.of("validation loss", 1.0) : Map.of("accuracy", 0.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(batches(1), 2));
        assertEquals("Trainer.fit: the validation returned the metrics [accuracy] in epoch 2, but [validation loss] before; "
                + "return the same names, in the same order, every epoch.", e.getMessage());
    }

    @Test
    void aNaNGradientStopsTrainingNamingTheEpochTheStepAndTheParameter() {
        Parameters model = model();
        Parameters[] beforeEachStep = new Parameters[1];
        int[] calls = {0};
        Trainer<Batch> trainer = trainer(model, 0.1, batch -> {
            beforeEachStep[0] = model.copy();
            LossAndGradients result = lossAndGradients(model, batch);
            if (++calls[0] == 6) {
                result.gradients().get("b").putScalar(0, 0, Double.NaN);
            }
            return result;
        });
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> trainer.fit(batches(1), 3));
        assertEquals("Trainer.fit: the gradient of b has a NaN entry at epoch 2, step 5 (batch 2 of 4). Lower the learning rate "
                + "(it is 1.0e-01) or clip gradients by global norm with clipGlobalNorm(c).", e.getMessage());
        assertEquals("b", e.culprit());
        assertEquals(2, e.epoch());
        assertEquals(5, e.step());
        assertEquals(beforeEachStep[0].get("W"), model.get("W"), "the bad step must not reach the weights");
        assertEquals(beforeEachStep[0].get("b"), model.get("b"));
        assertEquals(5, trainer.history().stepCount());
        assertEquals(1, trainer.epochs());
    }

    @Test
    void anInfiniteGradientIsReportedForTheFirstParameterInOrder() {
        Parameters model = model();
        Trainer<Batch> trainer = trainer(model, 0.1, batch -> {
            LossAndGradients result = lossAndGradients(model, batch);
            result.gradients().get("b").putScalar(0, 0, Double.NaN);
            result.gradients().get("W").putScalar(1, 0, Double.NEGATIVE_INFINITY);
            return result;
        });
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> trainer.fit(batches(1), 1));
        assertEquals("Trainer.fit: the gradient of W has an infinite entry at epoch 1, step 0 (batch 1 of 4). Lower the learning "
                + "rate (it is 1.0e-01) or clip gradients by global norm with clipGlobalNorm(c).", e.getMessage());
    }

    @Test
    void aNaNLossStopsTrainingNamingTheLoss() {
        Parameters model = model();
        Trainer<Batch> trainer = trainer(model, 0.1,
                batch -> new LossAndGradients(Double.NaN, lossAndGradients(model, batch).gradients()));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> trainer.fit(batches(1), 1));
        assertEquals("Trainer.fit: the loss is NaN at epoch 1, step 0 (batch 1 of 4). Lower the learning rate (it is 1.0e-01) "
                + "or clip gradients by global norm with clipGlobalNorm(c).", e.getMessage());
        assertEquals("the loss", e.culprit());
    }

    @Test
    void aRealDivergenceIsCaughtBeforeTheWeightsStopBeingNumbers() {
        Parameters model = model();
        Trainer<Batch> trainer = trainer(model, 10.0, batch -> lossAndGradients(model, batch));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> trainer.fit(batches(1), 1000));
        assertTrue(e.getMessage().startsWith("Trainer.fit: the loss is Infinity at epoch "), e.getMessage());
        assertTrue(Double.isFinite(model.get("W").sumNumber().doubleValue()), "W is still finite");
        assertTrue(Double.isFinite(model.get("b").sumNumber().doubleValue()), "b is still finite");
    }

    @Test
    void anUnstableRunWithAdamAndClippingClimbsFarAboveItsBestLossWithoutEverOverflowing() {
        // Why the NaN/∞ check is not enough: Adam moves each weight by at most about η per step, and clipping bounds
        // the gradient, so a learning rate far too large makes the loss explode while every number stays finite.
        Parameters model = model();
        History history = new Trainer<Batch>(model, new Adam(30.0), batch -> lossAndGradients(model, batch))
                .clipGlobalNorm(1.0).quiet(true).fit(batches(1), 25);
        double[] losses = history.steps().doubleColumn(History.LOSS).asDoubleArray();
        double lowest = java.util.Arrays.stream(losses).min().getAsDouble();
        double highest = java.util.Arrays.stream(losses).max().getAsDouble();
        assertTrue(java.util.Arrays.stream(losses).allMatch(Double::isFinite), "every loss is a number");
        assertTrue(highest > 10 * lowest, "the highest loss " + highest + " is far above the lowest " + lowest);
    }

    @Test
    void aLossAboveTheDivergenceFactorTimesTheLowestStopsTrainingNamingTheStepAndTheValue() {
        Parameters model = model();
        Trainer<Batch> trainer = new Trainer<Batch>(model, new Adam(30.0), batch -> lossAndGradients(model, batch))
                .clipGlobalNorm(1.0).quiet(true).divergenceFactor(4.0);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> trainer.fit(batches(1), 25));
        double[] losses = trainer.history().steps().doubleColumn(History.LOSS).asDoubleArray();
        int lowestAt = 0;
        for (int s = 1; s < losses.length; s++) {
            if (losses[s] < losses[lowestAt]) {
                lowestAt = s;
            }
        }
        assertEquals(losses.length, e.step(), "the step that stopped is the first not in the history");
        assertTrue(Double.isFinite(e.loss()) && e.loss() > 4 * losses[lowestAt], "loss " + e.loss() + " vs lowest " + losses[lowestAt]);
        for (double loss : losses) {
            assertTrue(loss <= 4 * losses[lowestAt] || loss <= 4 * losses[0], "no earlier step broke the rule: " + loss);
        }
        String expected = String.format(java.util.Locale.ROOT, "Trainer.fit: the loss rose to %.4g at epoch %d, step %d (batch %d of 4), "
                + "more than 4.0 times the lowest loss so far (%.4g, at step %d): training diverged. Lower the learning rate "
                + "(it is 3.0e+01) or clip gradients by global norm with a smaller c than 1.0.", e.loss(), e.epoch(), e.step(),
                e.step() % 4 + 1, losses[lowestAt], lowestAt);
        assertEquals(expected, e.getMessage());
        assertEquals("the loss", e.culprit());
    }

    @Test
    void theDivergenceFactorRemembersTheLowestLossAcrossFits() {
        Parameters model = model();
        int[] calls = {0};
        // losses 1, 0.5, 0.5, 0.5 in the first fit; 1.2 in the second is more than 2 × 0.5
        Trainer<Batch> trainer = trainer(model, 1e-9, batch -> new LossAndGradients(
                ++calls[0] == 1 ? 1.0 : calls[0] <= 4 ? 0.5 : 1.2, lossAndGradients(model, batch).gradients())).divergenceFactor(2.0);
        trainer.fit(batches(1), 1);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> trainer.fit(batches(1), 1));
        assertEquals(4, e.step());
        assertEquals(1.2, e.loss());
        assertTrue(e.getMessage().contains("(0.5000, at step 1)"), e.getMessage());
    }

    @Test
    void withoutADivergenceFactorAFiniteLossNeverStopsTraining() {
        Parameters model = model();
        int[] calls = {0};
        Trainer<Batch> trainer = trainer(model, 1e-9, batch -> new LossAndGradients(++calls[0] == 1 ? 1.0 : 1e30,
                lossAndGradients(model, batch).gradients()));
        assertEquals(8, trainer.fit(batches(1), 2).stepCount());
    }

    @Test
    void aNaNLossReportsTheLossValue() {
        Parameters model = model();
        Trainer<Batch> trainer = trainer(model, 0.1,
                batch -> new LossAndGradients(Double.POSITIVE_INFINITY, lossAndGradients(model, batch).gradients()));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> trainer.fit(batches(1), 1));
        assertEquals(Double.POSITIVE_INFINITY, e.loss());
    }

    @Test
    void theDivergenceFactorMustBeAFiniteNumberAboveOne() {
        Parameters model = model();
        Trainer<Batch> trainer = trainer(model, 0.1, batch -> lossAndGradients(model, batch));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.divergenceFactor(1.0));
        assertEquals("Trainer.divergenceFactor: factor must be a finite number > 1, but is 1.0.", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> trainer.divergenceFactor(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> trainer.divergenceFactor(Double.POSITIVE_INFINITY));
    }

    @Test
    void theProgressLineIsRedrawnInPlaceAndEndsEachEpoch() {
        Parameters model = model();
        ByteArrayOutputStream bytes = sink();
        new Trainer<Batch>(model, new Sgd(0.1), batch -> lossAndGradients(model, batch))
                .output(new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .validation(() -> Map.of("validation loss", 0.25))
                .fit(batches(1), 3);
        String text = bytes.toString(StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        assertEquals(4, lines.length, "three lines, each ended by \\n: " + text);
        assertEquals("", lines[3]);
        for (int e = 0; e < 3; e++) {
            assertTrue(lines[e].startsWith("\r"), lines[e]);
            String last = lines[e].substring(lines[e].lastIndexOf('\r') + 1).stripTrailing();
            assertTrue(last.matches("epoch " + (e + 1) + "/3  batch 4/4  loss [0-9.e+-]+  \\|g\\| [0-9.e+-]+  lr 1\\.0e-01  "
                    + "[0-9]+\\.[0-9] s  validation loss 0\\.2500"), last);
        }
    }

    @Test
    void aFailureEndsTheHalfDrawnProgressLine() {
        Parameters model = model();
        ByteArrayOutputStream bytes = sink();
        int[] calls = {0};
        Trainer<Batch> trainer = new Trainer<Batch>(model, new Sgd(0.1), batch -> ++calls[0] < 3
                ? lossAndGradients(model, batch)
                : new LossAndGradients(Double.POSITIVE_INFINITY, lossAndGradients(model, batch).gradients()))
                .output(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThrows(TrainingDivergedException.class, () -> trainer.fit(batches(1), 1));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("\repoch 1/1  batch 1/4  loss "), text);
        assertTrue(text.endsWith("\n"), text);
        assertEquals(1, text.chars().filter(c -> c == '\n').count(), text);
    }

    @Test
    void quietPrintsNothing() {
        Parameters model = model();
        ByteArrayOutputStream bytes = sink();
        new Trainer<Batch>(model, new Sgd(0.1), batch -> lossAndGradients(model, batch))
                .output(new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .quiet(true)
                .fit(batches(1), 2);
        assertEquals(0, bytes.size());
    }

    @Test
    void fittingAgainContinuesTheStepsTheEpochsAndTheHistory() {
        Parameters model = model();
        Trainer<Batch> trainer = trainer(model, 0.1, batch -> lossAndGradients(model, batch))
                .schedule(LearningRateSchedule.step(0.1, 0.5, 4));
        trainer.fit(batches(1), 1);
        History history = trainer.fit(batches(1), 2);
        assertEquals(12, trainer.steps());
        assertEquals(3, trainer.epochs());
        assertArrayEquals(new double[] {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3}, column(history.steps(), "epoch"));
        assertArrayEquals(new double[] {0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025},
                column(history.steps(), "learning rate"), 1e-15);
        assertArrayEquals(new double[] {1, 2, 3}, column(history.epochs(), "epoch"));
    }

    @Test
    void gradientsForOtherNamesAreRefused() {
        Parameters model = model();
        Trainer<Batch> trainer = trainer(model, 0.1, batch -> new LossAndGradients(1.0,
                new Gradients().accumulate("W", Nd4j.zeros(DataType.DOUBLE, 2, 1))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(batches(1), 1));
        assertEquals("Trainer.fit: gradients are for [W], but the parameters are [W, b].", e.getMessage());
    }

    @Test
    void badArgumentsAreRefused() {
        Parameters model = model();
        Trainer<Batch> trainer = trainer(model, 0.1, batch -> lossAndGradients(model, batch));
        assertEquals("Trainer.fit: batches must not be empty.",
                assertThrows(IllegalArgumentException.class, () -> trainer.fit(List.of(), 1)).getMessage());
        assertEquals("Trainer.fit: epochs must be positive, but is 0.",
                assertThrows(IllegalArgumentException.class, () -> trainer.fit(batches(1), 0)).getMessage());
        assertEquals("Trainer.clipGlobalNorm: maxNorm must be a finite number > 0, but is -1.0.",
                assertThrows(IllegalArgumentException.class, () -> trainer.clipGlobalNorm(-1)).getMessage());
    }

    @Test
    void aStepsReleaseRunsOnceAfterTheOptimiserHasAppliedItsGradients() {
        Parameters parameters = model();
        List<Double> wAtRelease = new ArrayList<>();
        List<Double> wAtCompute = new ArrayList<>();
        TrainingStep<Batch> step = batch -> {
            wAtCompute.add(parameters.get("W").getDouble(0, 0));
            Gradients gradients = new Gradients().accumulate("W", Nd4j.ones(DataType.DOUBLE, 2, 1))
                    .accumulate("b", Nd4j.ones(DataType.DOUBLE, 1, 1));
            return new LossAndGradients(1.0, gradients, () -> wAtRelease.add(parameters.get("W").getDouble(0, 0)));
        };
        new Trainer<>(parameters, new Sgd(0.1), step).quiet(true).fit(batches(3), 2);
        // once per step, and each after that step's update (W moved by −η·1 = −0.1 per step)
        assertEquals(8, wAtRelease.size());
        for (int k = 0; k < 8; k++) {
            assertEquals(wAtCompute.get(k) - 0.1, wAtRelease.get(k), 1e-12, "step " + k);
        }
    }
}

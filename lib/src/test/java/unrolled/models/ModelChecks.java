package unrolled.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.data.Batch;
import unrolled.optim.Adam;
import unrolled.param.Trainable;
import unrolled.param.Parameters;
import unrolled.data.SequenceMask;
import unrolled.recurrent.Close;
import unrolled.train.LossAndGradients;
import unrolled.train.Trainer;

/** What every ready model's tests check in the same way. */
final class ModelChecks {

    private ModelChecks() {
    }

    /**
     * Checks lossAndGradients against centred differences for every parameter of a model, in DOUBLE, with
     * GradientCheck's default tolerance: relative error 1e-6 per entry, absolute floor 1e-9.
     *
     * <p>The numerical loss is the training loss (dropout on) of a fresh model of the same configuration whose
     * parameters are set to the (perturbed) ones of the model under test: a fresh model draws the same dropout masks as
     * the model's first training step, so the check covers dropout too. It runs the forward pass only.
     *
     * @param label what is checked, for the report
     * @param model the model, freshly built: its first lossAndGradients call is the one checked
     * @param fresh builds a new model of the same configuration
     * @param analytic the model's lossAndGradients on the batch
     * @param trainingLoss the loss of a model's first forward pass in training mode on the same batch
     * @param entries at most this many entries per parameter, chosen with a fixed seed (arrays this small or smaller
     *     are checked entirely); 0 checks every entry of every parameter
     * @param <M> the model type
     * @return the report
     */
    static <M extends Trainable> GradientCheck.Report gradientCheck(String label, M model, Supplier<M> fresh,
            Function<M, LossAndGradients> analytic, ToDoubleFunction<M> trainingLoss, int entries) {
        LossAndGradients computed = analytic.apply(model);
        computed.gradients().requireMatches("ModelChecks", model.parameters());
        assertEquals(List.copyOf(model.parameters().names()), List.copyOf(computed.gradients().names()),
                "gradients in the order of the parameters");
        assertTrue(computed.gradients().globalNorm() > 1e-3, "the check must compare gradients far from zero");
        M reference = fresh.get();
        reference.parameters().assign(model.parameters());
        assertEquals(computed.loss(), trainingLoss.applyAsDouble(reference), 1e-12, "the numerical loss is the same loss");
        GradientCheck check = GradientCheck.create();
        if (entries > 0) {
            check.sample(entries, 17);
        }
        for (Map.Entry<String, INDArray> entry : model.parameters()) {
            check.wrt(entry.getKey(), entry.getValue(), computed.gradients().get(entry.getKey()));
        }
        GradientCheck.Report report = check.run(() -> {
            M twin = fresh.get();
            twin.parameters().assign(model.parameters());
            return trainingLoss.applyAsDouble(twin);
        });
        Close.requirePassed(label, report);
        return report;
    }

    /**
     * @param a parameters
     * @param b parameters
     * @throws AssertionError unless both have the same names in the same order, and every array the same shape, data
     *     type and bits
     */
    static void assertBitIdentical(Parameters a, Parameters b) {
        assertEquals(List.copyOf(a.names()), List.copyOf(b.names()), "parameter names");
        for (Map.Entry<String, INDArray> entry : a) {
            INDArray x = entry.getValue();
            INDArray y = b.get(entry.getKey());
            assertArrayEquals(x.shape(), y.shape(), entry.getKey() + ": shape");
            assertEquals(x.dataType(), y.dataType(), entry.getKey() + ": data type");
            assertArrayEquals(bits(x), bits(y), entry.getKey() + ": bits");
        }
    }

    /** @return the raw bits of every entry, row-major */
    static long[] bits(INDArray array) {
        INDArray c = array.dup('c');
        if (array.dataType() == DataType.DOUBLE) {
            double[] values = c.data().asDouble();
            long[] bits = new long[values.length];
            for (int i = 0; i < values.length; i++) {
                bits[i] = Double.doubleToRawLongBits(values[i]);
            }
            return bits;
        }
        float[] values = c.data().asFloat();
        long[] bits = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    /**
     * A right-padded batch of feature sequences. The padded steps hold random numbers too: a model that read them would
     * give other results than on the sequences alone.
     *
     * @param seed the seed of the features
     * @param lengths L_n, each in [1, T]
     * @param steps T
     * @param features D
     * @param targets the targets, or null
     * @return inputs (N, T, D) DOUBLE, the targets, the mask and the lengths
     */
    static Batch paddedFeatures(long seed, int[] lengths, int steps, int features, INDArray targets) {
        INDArray x = TestData.gaussian(seed, lengths.length, steps, features);
        return new Batch(x, targets, SequenceMask.ofLengths(lengths, steps).toArray(DataType.DOUBLE), lengths);
    }

    /**
     * Sequence n of a batch alone: its L_n real steps, as a batch of one.
     *
     * @param batch a batch
     * @param n which sequence
     * @param targets its targets, or null
     * @return inputs (1, L_n, D) or (1, L_n), the targets, a mask of ones and the length
     */
    static Batch alone(Batch batch, int n, INDArray targets) {
        int length = batch.lengths()[n];
        INDArray inputs = batch.hasIds()
                ? batch.inputs().get(NDArrayIndex.interval(n, n + 1), NDArrayIndex.interval(0, length)).dup()
                : batch.inputs().get(NDArrayIndex.interval(n, n + 1), NDArrayIndex.interval(0, length), NDArrayIndex.all()).dup();
        return new Batch(inputs, targets, Nd4j.ones(batch.dataType(), 1, length), new int[] {length});
    }

    /**
     * Trains on one batch with Adam (no clipping) until the loss falls below a threshold, for at most some steps.
     *
     * @param parameters the model's parameters
     * @param step the model's lossAndGradients
     * @param batch the batch
     * @param learningRate η
     * @param threshold stop once a step's loss is below this
     * @param maxSteps stop after this many steps in any case
     * @return every step's loss, in order
     */
    static List<Double> trainUntil(Parameters parameters, Function<Batch, LossAndGradients> step, Batch batch,
            double learningRate, double threshold, int maxSteps) {
        Trainer<Batch> trainer = new Trainer<>(parameters, new Adam(learningRate), step::apply).quiet(true);
        List<Double> losses = new ArrayList<>();
        while (losses.size() < maxSteps && (losses.isEmpty() || losses.get(losses.size() - 1) >= threshold)) {
            losses.add(trainer.fit(List.of(batch), 1).lastLoss());
        }
        return losses;
    }
}

package unrolled.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.tensor.ShapeException;

class MeanSquaredErrorTest {

    private static final int N = 2;
    private static final int T = 3;
    private static final int K = 2;
    private static final double[][] MASK = {{1, 1, 0}, {1, 0, 0}};

    @Test
    void lossIsTheMeanSquaredErrorComputedByHand() {
        INDArray prediction = Nd4j.createFromArray(new double[][] {{1, 2}, {3, 5}});
        INDArray target = Nd4j.createFromArray(new double[][] {{0, 2}, {1, 2}});
        MeanSquaredError.Result result = new MeanSquaredError().compute(prediction, target);
        // Errors 1, 0, 2, 3: (1 + 0 + 4 + 9) / 4.
        assertEquals(3.5, result.loss(), 1e-15);
        assertEquals(4.0, result.count(), 0.0);
        // 2·(ŷ − y)/4
        assertEquals(Nd4j.createFromArray(new double[][] {{0.5, 0}, {1.0, 1.5}}), result.dPrediction());
    }

    @Test
    void lossOnSequencesIsTheMeanOverUnmaskedEntriesComputedElementByElement() {
        INDArray prediction = TestData.gaussian(1, N, T, K);
        INDArray target = TestData.gaussian(2, N, T, K);
        double sum = 0;
        int entries = 0;
        for (int n = 0; n < N; n++) {
            for (int t = 0; t < T; t++) {
                if (MASK[n][t] == 1) {
                    for (int k = 0; k < K; k++) {
                        double e = prediction.getDouble(n, t, k) - target.getDouble(n, t, k);
                        sum += e * e;
                        entries++;
                    }
                }
            }
        }
        MeanSquaredError.Result result = new MeanSquaredError().compute(prediction, target, Nd4j.createFromArray(MASK));
        assertEquals(sum / entries, result.loss(), 1e-14);
        assertEquals(entries, result.count(), 0.0);
    }

    @Test
    void dPredictionOnSequencesWithAMaskMatchesFiniteDifferences() {
        INDArray prediction = TestData.gaussian(3, N, T, K);
        INDArray target = TestData.gaussian(4, N, T, K);
        INDArray mask = Nd4j.createFromArray(MASK);
        MeanSquaredError mse = new MeanSquaredError();
        GradientCheck.create()
                .wrt("prediction", prediction, mse.compute(prediction, target, mask).dPrediction())
                .wrt("target", target, mse.compute(prediction, target, mask).dPrediction().neg())
                .run(() -> mse.compute(prediction, target, mask).loss())
                .requirePassed();
    }

    @Test
    void dPredictionOnMatricesMatchesFiniteDifferences() {
        INDArray prediction = TestData.gaussian(5, N, K);
        INDArray target = TestData.gaussian(6, N, K);
        MeanSquaredError mse = new MeanSquaredError();
        GradientCheck.create()
                .wrt("prediction", prediction, mse.compute(prediction, target).dPrediction())
                .run(() -> mse.compute(prediction, target).loss())
                .requirePassed();
    }

    @Test
    void maskedPositionsGetZeroGradientAndDoNotChangeTheLoss() {
        INDArray prediction = TestData.gaussian(7, N, T, K);
        INDArray target = TestData.gaussian(8, N, T, K);
        INDArray mask = Nd4j.createFromArray(MASK);
        MeanSquaredError mse = new MeanSquaredError();
        MeanSquaredError.Result result = mse.compute(prediction, target, mask);
        INDArray other = prediction.dup();
        other.putScalar(new long[] {0, 2, 0}, 100.0);
        other.putScalar(new long[] {1, 1, 1}, -100.0);
        MeanSquaredError.Result changed = mse.compute(other, target, mask);
        assertEquals(result.loss(), changed.loss(), 0.0);
        for (int k = 0; k < K; k++) {
            assertEquals(0.0, changed.dPrediction().getDouble(0, 2, k), 0.0);
            assertEquals(0.0, changed.dPrediction().getDouble(1, 1, k), 0.0);
            assertEquals(0.0, changed.dPrediction().getDouble(1, 2, k), 0.0);
        }
    }

    @Test
    void everyPositionMaskedGivesZeroLossAndZeroGradient() {
        MeanSquaredError.Result result = new MeanSquaredError().compute(TestData.gaussian(1, N, T, K),
                TestData.gaussian(2, N, T, K), Nd4j.zeros(DataType.INT32, N, T));
        assertEquals(0.0, result.loss(), 0.0);
        assertEquals(0.0, result.count(), 0.0);
        assertEquals(0.0, result.dPrediction().amaxNumber().doubleValue(), 0.0);
    }

    @Test
    void computeLeavesItsInputsUnchanged() {
        INDArray prediction = TestData.gaussian(1, N, T, K);
        INDArray target = TestData.gaussian(2, N, T, K);
        INDArray prediction0 = prediction.dup();
        INDArray target0 = target.dup();
        new MeanSquaredError().compute(prediction, target, Nd4j.createFromArray(MASK));
        assertEquals(prediction0, prediction);
        assertEquals(target0, target);
    }

    @Test
    void floatPredictionsGiveFloatGradients() {
        MeanSquaredError.Result result = new MeanSquaredError().compute(TestData.gaussian(1, N, K).castTo(DataType.FLOAT),
                TestData.gaussian(2, N, K).castTo(DataType.FLOAT));
        assertEquals(DataType.FLOAT, result.dPrediction().dataType());
    }

    @Test
    void aTargetOfAnotherShapeIsRefused() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> new MeanSquaredError().compute(TestData.gaussian(1, N, T, K), TestData.gaussian(2, N, T, K + 1)));
        assertEquals("MeanSquaredError.compute: target must have shape (N, T, K) = (2, 3, 2), but has shape (2, 3, 3).",
                e.getMessage());
    }

    @Test
    void aTargetOfAnotherTypeIsRefused() {
        ShapeException e = assertThrows(ShapeException.class, () -> new MeanSquaredError()
                .compute(TestData.gaussian(1, N, K), TestData.gaussian(2, N, K).castTo(DataType.FLOAT)));
        assertEquals("MeanSquaredError.compute: target must have data type DOUBLE, but has FLOAT. Convert it with castTo(DataType.DOUBLE).",
                e.getMessage());
    }

    @Test
    void aMaskOfTheWrongShapeIsRefused() {
        ShapeException e = assertThrows(ShapeException.class, () -> new MeanSquaredError()
                .compute(TestData.gaussian(1, N, T, K), TestData.gaussian(2, N, T, K), Nd4j.ones(DataType.DOUBLE, T, N)));
        assertEquals("MeanSquaredError.compute: mask must have shape (N, T) = (2, 3), but has shape (3, 2)."
                + " It looks transposed: use .transpose().", e.getMessage());
    }
}

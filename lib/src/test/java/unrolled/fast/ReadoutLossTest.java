package unrolled.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.layer.Affine;
import unrolled.layer.LayerGradients;
import unrolled.loss.SoftmaxCrossEntropy;

class ReadoutLossTest {

    private static final int[] TARGETS = {0, 3, 2, 4, 1};
    private static final double[] MASK = {1, 1, 0, 1, 1};

    private static INDArray x() {
        return TestData.gaussian(1, 5, 3);
    }

    private static INDArray w() {
        return TestData.gaussian(2, 3, 5);
    }

    private static INDArray b() {
        return TestData.gaussian(3, 1, 5).muli(0.5);
    }

    @Test
    void everyGradientPassesTheFiniteDifferenceCheckInDouble() {
        INDArray x = x();
        INDArray w = w();
        INDArray b = b();
        ReadoutLoss.Result result = ReadoutLoss.compute(x, w, b, TARGETS, MASK);
        GradientCheck.Report report = GradientCheck.create()
                .wrt("x", x, result.dX()).wrt("W", w, result.dW()).wrt("b", b, result.db())
                .run(() -> ReadoutLoss.compute(x, w, b, TARGETS, MASK).loss());
        assertTrue(report.passed(), report.toString());
        // the masked row receives exactly zero gradient
        for (int k = 0; k < 3; k++) {
            assertEquals(0.0, result.dX().getDouble(2, k));
        }
        assertEquals(4.0, result.totalWeight());
    }

    @Test
    void itEqualsTheAffineLayerThenTheSoftmaxCrossEntropy() {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            assertSameAsTheReadableLayers(x().castTo(type), w(), b(), TARGETS, MASK);
        }
    }

    @Test
    void itsLanesAndItsVectorRowsGiveTheSameNumbersAsTheReadableLayers() {
        // R = 37 rows in two lanes of 18 and 19, V = 21 classes (not a whole number of vectors), some rows masked
        int rows = 37;
        int[] targets = new int[rows];
        double[] mask = new double[rows];
        for (int r = 0; r < rows; r++) {
            targets[r] = (r * 7) % 21;
            mask[r] = r % 5 == 3 ? 0 : 1;
        }
        INDArray w = TestData.gaussian(5, 6, 21);
        INDArray b = TestData.gaussian(6, 1, 21);
        Lanes.forced = 2;
        try {
            for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
                assertSameAsTheReadableLayers(TestData.gaussian(4, rows, 6).castTo(type), w, b, targets, mask);
            }
            Simd.off = true;
            assertSameAsTheReadableLayers(TestData.gaussian(4, rows, 6).castTo(DataType.FLOAT), w, b, targets, mask);
        } finally {
            Lanes.forced = 0;
            Simd.off = false;
        }
    }

    /** The fused call against Affine, SoftmaxCrossEntropy and Affine.backward: loss and every gradient to round-off. */
    private static void assertSameAsTheReadableLayers(INDArray x, INDArray w, INDArray b, int[] targets, double[] mask) {
        DataType type = x.dataType();
        Affine affine = new Affine((int) w.size(0), (int) w.size(1), type, 4);
        affine.parameters().get("W").assign(w);
        affine.parameters().get("b").assign(b);
        Affine.Result z = affine.forward(x);
        SoftmaxCrossEntropy.Result loss = new SoftmaxCrossEntropy().compute(z.output(),
                Nd4j.createFromArray(targets), Nd4j.createFromArray(mask));
        LayerGradients expected = affine.backward(loss.dLogits(), z.cache());
        ReadoutLoss.Result fused = ReadoutLoss.compute(x, affine.parameters().get("W"), affine.parameters().get("b"),
                targets, mask);
        double tolerance = type == DataType.DOUBLE ? 1e-12 : 1e-6;
        assertEquals(loss.loss(), fused.loss(), tolerance * 10, type.toString());
        assertTrue(expected.dx().castTo(DataType.DOUBLE).equalsWithEps(fused.dX().castTo(DataType.DOUBLE), tolerance));
        assertTrue(expected.parameters().get("W").castTo(DataType.DOUBLE)
                .equalsWithEps(fused.dW().castTo(DataType.DOUBLE), tolerance));
        assertTrue(expected.parameters().get("b").castTo(DataType.DOUBLE)
                .equalsWithEps(fused.db().castTo(DataType.DOUBLE), tolerance));
    }

    @Test
    void largeLogitsGiveAFiniteLossInFloat() {
        INDArray x = Nd4j.createFromArray(new float[][] {{60f, -60f}});
        INDArray w = Nd4j.createFromArray(new float[][] {{1f, -1f}, {0f, 0f}});
        INDArray b = Nd4j.zeros(DataType.FLOAT, 1, 2);
        // z = (60, −60): −log p_1 = 120 + log(1 + e^−120), far beyond where exp(−120) underflows in FLOAT
        ReadoutLoss.Result result = ReadoutLoss.compute(x, w, b, new int[] {1}, null);
        assertEquals(120.0, result.loss(), 1e-4);
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> ReadoutLoss.compute(x(), w(), b(), new int[] {0, 1, 2, 3, 5}, null));
        assertEquals("ReadoutLoss.compute: every target must be in [0, V) = [0, 5), but target 4 is 5.", range.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> ReadoutLoss.compute(x(), w(), b(), new int[] {0, 1}, null));
        assertEquals("ReadoutLoss.compute: targets and mask must have R = 5 entries, but have 2 and none.", count.getMessage());
    }
}

package unrolled.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.TestData;
import unrolled.param.Gradients;

class ClippingTest {

    /** Gradients whose global norm is √(3² + 4² + 12²) = 13, spread over two names. */
    private static Gradients thirteen() {
        return new Gradients()
                .accumulate("W", Nd4j.createFromArray(new double[][] {{3.0, 0.0}, {0.0, -4.0}}))
                .accumulate("b", Nd4j.createFromArray(new double[][] {{12.0, 0.0}}));
    }

    @Test
    void byGlobalNormReturnsTheNormBeforeClippingAndScalesToMaxNorm() {
        Gradients gradients = thirteen();
        double norm = Clipping.byGlobalNorm(gradients, 6.5);
        assertEquals(13.0, norm, 1e-12);
        assertEquals(6.5, gradients.globalNorm(), 1e-12);
        // Every entry is halved: the direction is kept.
        assertEquals(Nd4j.createFromArray(new double[][] {{1.5, 0.0}, {0.0, -2.0}}), gradients.get("W"));
        assertEquals(Nd4j.createFromArray(new double[][] {{6.0, 0.0}}), gradients.get("b"));
    }

    @Test
    void byGlobalNormLeavesSmallGradientsExactlyAlone() {
        Gradients gradients = thirteen();
        INDArray W = gradients.get("W").dup();
        INDArray b = gradients.get("b").dup();
        assertEquals(13.0, Clipping.byGlobalNorm(gradients, 13.5), 1e-12);
        assertEquals(W, gradients.get("W"));
        assertEquals(b, gradients.get("b"));
    }

    @Test
    void byGlobalNormOfRandomGradientsGivesMaxNormAndTheSameDirection() {
        Gradients gradients = new Gradients().accumulate("Wx", TestData.gaussian(1, 4, 5)).accumulate("Wh", TestData.gaussian(2, 5, 5));
        INDArray Wx = gradients.get("Wx").dup();
        double expectedNorm = Math.sqrt(Wx.mul(Wx).sumNumber().doubleValue()
                + gradients.get("Wh").mul(gradients.get("Wh")).sumNumber().doubleValue());
        double norm = Clipping.byGlobalNorm(gradients, 1.0);
        assertEquals(expectedNorm, norm, 1e-12);
        assertEquals(1.0, gradients.globalNorm(), 1e-12);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(Wx.getDouble(i, j) / expectedNorm, gradients.get("Wx").getDouble(i, j), 1e-14);
            }
        }
    }

    @Test
    void byGlobalNormLeavesNonFiniteGradientsAloneAndReportsThem() {
        Gradients gradients = new Gradients().accumulate("W", Nd4j.createFromArray(new double[][] {{1.0, Double.NaN}}));
        assertEquals(Double.NaN, Clipping.byGlobalNorm(gradients, 1.0));
        assertEquals(1.0, gradients.get("W").getDouble(0, 0));
    }

    @Test
    void byValueClampsEachEntry() {
        Gradients gradients = thirteen();
        Clipping.byValue(gradients, 3.5);
        assertEquals(Nd4j.createFromArray(new double[][] {{3.0, 0.0}, {0.0, -3.5}}), gradients.get("W"));
        assertEquals(Nd4j.createFromArray(new double[][] {{3.5, 0.0}}), gradients.get("b"));
    }

    @Test
    void aNonPositiveThresholdIsRefused() {
        assertEquals("Clipping.byGlobalNorm: maxNorm must be a finite number > 0, but is 0.0.",
                assertThrows(IllegalArgumentException.class, () -> Clipping.byGlobalNorm(thirteen(), 0)).getMessage());
        assertEquals("Clipping.byValue: limit must be a finite number > 0, but is -1.0.",
                assertThrows(IllegalArgumentException.class, () -> Clipping.byValue(thirteen(), -1)).getMessage());
    }
}

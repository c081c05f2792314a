package unrolled.param;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class InitTest {

    @Test
    void theSameSeedGivesTheSameNumbersAndAnotherSeedOthers() {
        assertEquals(Init.normal(4, 5, 1.0, 3, DataType.DOUBLE), Init.normal(4, 5, 1.0, 3, DataType.DOUBLE));
        assertNotEquals(Init.normal(4, 5, 1.0, 3, DataType.DOUBLE), Init.normal(4, 5, 1.0, 4, DataType.DOUBLE));
        assertEquals(Init.normal(4, 5, 1.0, 3, DataType.DOUBLE).castTo(DataType.FLOAT), Init.normal(4, 5, 1.0, 3, DataType.FLOAT));
    }

    @Test
    void xavierUniformStaysWithinItsBoundAndHasItsVariance() {
        INDArray w = Init.xavierUniform(200, 300, 1, DataType.DOUBLE);
        double bound = Math.sqrt(6.0 / 500);
        assertTrue(w.amaxNumber().doubleValue() <= bound);
        assertEquals(2.0 / 500, w.varNumber().doubleValue(), 0.05 * 2.0 / 500);
    }

    @Test
    void orthogonalSquareMatrixHasQTransposeQEqualToTheIdentityTimesGainSquared() {
        INDArray q = Init.orthogonal(16, 16, 2.0, 9, DataType.DOUBLE);
        INDArray qtq = q.transpose().mmul(q);
        assertTrue(qtq.sub(Nd4j.eye(16).muli(4.0)).amaxNumber().doubleValue() < 1e-10);
    }

    @Test
    void orthogonalRectangularMatrixHasOrthonormalColumnsOrRows() {
        INDArray tall = Init.orthogonal(10, 4, 1.0, 2, DataType.DOUBLE);
        assertTrue(tall.transpose().mmul(tall).sub(Nd4j.eye(4)).amaxNumber().doubleValue() < 1e-10);
        INDArray wide = Init.orthogonal(4, 10, 1.0, 2, DataType.DOUBLE);
        assertTrue(wide.mmul(wide.transpose()).sub(Nd4j.eye(4)).amaxNumber().doubleValue() < 1e-10);
    }

    @Test
    void scaledIdentityIsDiagonal() {
        assertEquals(Nd4j.createFromArray(new double[][] {{0.5, 0}, {0, 0.5}}), Init.scaledIdentity(2, 0.5, DataType.DOUBLE));
    }

    @Test
    void badArgumentsAreRefusedWithTheirValues() {
        assertEquals("Init.uniform: high must be greater than low, but low = 1.0, high = 1.0.",
                assertThrows(IllegalArgumentException.class, () -> Init.uniform(2, 2, 1, 1, 0, DataType.DOUBLE)).getMessage());
        assertEquals("Init.normal: rows must be positive, but is 0.",
                assertThrows(IllegalArgumentException.class, () -> Init.normal(0, 2, 1, 0, DataType.DOUBLE)).getMessage());
    }
}

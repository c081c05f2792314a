package unrolled.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SlicesTest {

    @Test
    void columnsIsAWritableViewOfTheHalfOpenRange() {
        INDArray a = Nd4j.arange(12).castTo(DataType.DOUBLE).reshape(2, 6);
        INDArray middle = Slices.columns(a, 2, 4);
        assertArrayEquals(new long[] {2, 2}, middle.shape());
        assertEquals(2.0, middle.getDouble(0, 0));
        assertEquals(9.0, middle.getDouble(1, 1));
        middle.assign(-1.0);
        assertEquals(-1.0, a.getDouble(1, 3));
        assertEquals(4.0, a.getDouble(0, 4));
    }

    @Test
    void columnsOutsideTheMatrixAreRefusedWithItsShape() {
        INDArray a = Nd4j.zeros(DataType.DOUBLE, 2, 6);
        ShapeException e = assertThrows(ShapeException.class, () -> Slices.columns(a, 4, 7));
        assertEquals("Slices.columns: columns [4, 7) must lie within a matrix, but a has shape (2, 6).", e.getMessage());
    }

    @Test
    void stepIsAWritableViewOfOneTimeStep() {
        INDArray x = Nd4j.arange(24).castTo(DataType.DOUBLE).reshape(2, 3, 4);
        INDArray xt = Slices.step(x, 1);
        assertArrayEquals(new long[] {2, 4}, xt.shape());
        assertEquals(4.0, xt.getDouble(0, 0));
        assertEquals(19.0, xt.getDouble(1, 3));
        xt.assign(0.5);
        assertEquals(0.5, x.getDouble(1, 1, 2));
        assertEquals(8.0, x.getDouble(0, 2, 0));
        ShapeException e = assertThrows(ShapeException.class, () -> Slices.step(x, 3));
        assertEquals("Slices.step: t = 3 must be a time step of an array of shape (N, T, D), but the array has shape "
                + "(2, 3, 4).", e.getMessage());
    }

    @Test
    void joinColumnsPlacesTheBlocksSideBySideInOrder() {
        INDArray a = Nd4j.valueArrayOf(new long[] {2, 1}, 1.0, DataType.DOUBLE);
        INDArray b = Nd4j.valueArrayOf(new long[] {2, 2}, 2.0, DataType.DOUBLE);
        INDArray joined = Slices.joinColumns(a, b);
        assertArrayEquals(new long[] {2, 3}, joined.shape());
        assertEquals(1.0, joined.getDouble(1, 0));
        assertEquals(2.0, joined.getDouble(0, 2));
        ShapeException rows = assertThrows(ShapeException.class,
                () -> Slices.joinColumns(a, Nd4j.zeros(DataType.DOUBLE, 3, 1)));
        assertEquals("Slices.joinColumns: blocks[1] must have shape (rows, ·) = (2, ?), but has shape (3, 1).",
                rows.getMessage());
    }

    @Test
    void stepsAndFeaturesAreWritableViewsOfAWindow() {
        INDArray x = Nd4j.arange(24).castTo(DataType.DOUBLE).reshape(2, 3, 4);
        INDArray window = Slices.steps(x, 1, 3);
        assertArrayEquals(new long[] {2, 2, 4}, window.shape());
        assertEquals(4.0, window.getDouble(0, 0, 0));
        INDArray half = Slices.features(x, 2, 4);
        assertArrayEquals(new long[] {2, 3, 2}, half.shape());
        assertEquals(23.0, half.getDouble(1, 2, 1));
        half.assign(-1.0);
        assertEquals(-1.0, x.getDouble(0, 0, 3));
        assertEquals(1.0, x.getDouble(0, 0, 1));
        ShapeException e = assertThrows(ShapeException.class, () -> Slices.features(x, 3, 5));
        assertEquals("Slices.features: features [3, 5) must lie within an array of shape (N, T, D), but x has shape "
                + "(2, 3, 4).", e.getMessage());
    }
}

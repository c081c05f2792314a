package unrolled.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** A slab reads an array's memory in place when element k is at memory position k, and copies it otherwise. */
class SlabTest {

    @Test
    void aReshapeOfAWholeArrayIsReadInPlace() {
        // how learners and the benchmarks build inputs: ND4J calls the result a view, but it is the whole buffer
        INDArray x = Nd4j.createFromArray(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}).reshape('c', 2, 3, 2);
        assertTrue(x.isView());
        Slab slab = Slab.of(x);
        assertSame(x, slab.array, "a plain array must not be copied");
        for (int k = 0; k < 12; k++) {
            assertEquals(k + 1, slab.get(k), 0.0, "element " + k);
        }
    }

    @Test
    void subArraysTransposesAndPermutationsAreCopiedInCOrder() {
        INDArray whole = Nd4j.createFromArray(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}).reshape('c', 3, 4);
        INDArray rows = whole.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all());
        INDArray columns = whole.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2));
        INDArray transposed = whole.transpose();
        INDArray fOrder = whole.dup('f');
        for (INDArray array : new INDArray[] {rows, columns, transposed, fOrder}) {
            assertFalse(Slab.isPlain(array), array.shapeInfoToString());
            Slab slab = Slab.of(array);
            assertNotSame(array, slab.array);
            for (int k = 0; k < array.length(); k++) {
                long[] at = org.nd4j.linalg.api.shape.Shape.ind2subC(array.shape(), k);
                assertEquals(array.getDouble(at), slab.get(k), 0.0, "element " + k + " of " + array.shapeInfoToString());
            }
        }
        assertTrue(Slab.isPlain(Nd4j.zeros(DataType.DOUBLE, 3, 4)));
    }

    @Test
    void aRowOrAColumnIsPlainWhateverTheStrideOfItsDimensionOfSizeOne() {
        // ND4J gives a (1, V) row the strides [1, 1]; a bias is such a row, and it must not be copied at every use
        INDArray row = Nd4j.zeros(DataType.FLOAT, 1, 5);
        INDArray column = Nd4j.zeros(DataType.DOUBLE, 5, 1);
        assertTrue(Slab.isPlain(row), row.shapeInfoToString());
        assertTrue(Slab.isPlain(column), column.shapeInfoToString());
        assertSame(row, Slab.of(row).array);
        // a column cut from a matrix is still not plain
        assertFalse(Slab.isPlain(Nd4j.zeros(DataType.DOUBLE, 5, 3).getColumn(1, true)));
    }
}

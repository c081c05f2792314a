package unrolled.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.tensor.ShapeException;

class BatchTest {

    private static final INDArray IDS = Nd4j.createFromArray(new int[][] {{5, 6, 7}, {8, 0, 0}});

    @Test
    void aBatchMadeFromASequenceMaskHoldsItsLengthsAndItsArray() {
        SequenceMask mask = SequenceMask.ofLengths(new int[] {3, 1}, 3);
        Batch batch = new Batch(IDS, null, mask, DataType.FLOAT);
        assertEquals(mask, batch.sequenceMask());
        assertArrayEquals(new int[] {3, 1}, batch.lengths());
        assertEquals(DataType.FLOAT, batch.dataType());
        assertArrayEquals(new double[][] {{1, 1, 1}, {1, 0, 0}}, batch.mask().castTo(DataType.DOUBLE).toDoubleMatrix());
        assertEquals(2, batch.paddedSteps());
    }

    @Test
    void aMaskArrayWithItsLengthsAndTheSequenceMaskTheyDescribeMakeEqualBatches() {
        Batch fromArray = new Batch(IDS, null, Nd4j.createFromArray(new double[][] {{1, 1, 1}, {1, 0, 0}}),
                new int[] {3, 1});
        Batch fromMask = new Batch(IDS, null, SequenceMask.ofLengths(new int[] {3, 1}, 3), DataType.DOUBLE);
        assertEquals(fromArray, fromMask);
        assertEquals(fromArray.hashCode(), fromMask.hashCode());
        assertEquals(SequenceMask.ofLengths(new int[] {3, 1}, 3), fromArray.sequenceMask());
    }

    @Test
    void aBatchRefusesAnEmptySequence() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Batch(IDS, null, SequenceMask.ofLengths(new int[] {2, 0}, 3), DataType.DOUBLE));
        assertEquals("Batch: lengths[1] must be in [1, T] = [1, 3], but is 0.", e.getMessage());
    }

    @Test
    void aBatchRefusesAMaskOfAnotherShapeOrANonFloatingType() {
        ShapeException shape = assertThrows(ShapeException.class,
                () -> new Batch(IDS, null, SequenceMask.full(2, 4), DataType.DOUBLE));
        assertEquals("Batch: mask must have shape (N, T) = (2, 3), but has shape (2, 4).", shape.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> new Batch(IDS, null, SequenceMask.full(2, 3), DataType.INT32));
        assertEquals("Batch: dataType must be DOUBLE or FLOAT, but is INT.", type.getMessage());
    }

    @Test
    void aBatchOfFeaturesKeepsItsMaskInTheFeaturesType() {
        INDArray features = Nd4j.zeros(DataType.DOUBLE, 2, 3, 4);
        ShapeException e = assertThrows(ShapeException.class,
                () -> new Batch(features, null, SequenceMask.full(2, 3), DataType.FLOAT));
        assertEquals("Batch: mask must have data type DOUBLE, but has FLOAT. Convert it with castTo(DataType.DOUBLE).",
                e.getMessage());
    }
}

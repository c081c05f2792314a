package unrolled.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.TestData;
import unrolled.cell.LstmCell;
import unrolled.cell.State;

class CarriedStateTest {

    private final LstmCell cell = new LstmCell(3, 4, DataType.DOUBLE, 1);

    @Test
    void withNothingCarriedABatchStartsFromTheCellsZeros() {
        CarriedState carried = new CarriedState();
        State start = carried.start("Test.forward", 2, cell);
        assertEquals(Nd4j.zeros(DataType.DOUBLE, 2, 4), start.h());
        assertEquals(Nd4j.zeros(DataType.DOUBLE, 2, 4), start.c());
        assertNull(carried.get());
    }

    @Test
    void aRememberedStateIsADetachedCopyUntilReset() {
        CarriedState carried = new CarriedState();
        INDArray h = TestData.gaussian(1, 2, 4);
        INDArray c = TestData.gaussian(2, 2, 4);
        carried.remember(new State(h, c));
        INDArray expectedH = h.dup();
        h.assign(0.0);
        State start = carried.start("Test.forward", 2, cell);
        assertEquals(expectedH, start.h(), "changing the remembered arrays does not change what is carried");
        assertEquals(c, start.c());
        start.h().assign(5.0);
        assertEquals(expectedH, carried.get().h(), "changing a started state does not change what is carried");
        assertNotSame(carried.get().c(), carried.get().c());
        carried.reset();
        assertNull(carried.get());
        assertEquals(Nd4j.zeros(DataType.DOUBLE, 2, 4), carried.start("Test.forward", 2, cell).h());
    }

    @Test
    void anotherBatchSizeIsRefusedNamingBoth() {
        CarriedState carried = new CarriedState();
        carried.remember(cell.zeroState(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> carried.start("Test.forward", 3, cell));
        assertEquals("Test.forward: this layer is stateful (CARRIED) and carries the state of 2 sequences from the "
                + "previous batch, but this batch has N = 3. Keep the batch size fixed, or call reset() to start new "
                + "sequences.", e.getMessage());
    }
}

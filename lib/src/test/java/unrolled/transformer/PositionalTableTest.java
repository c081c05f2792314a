package unrolled.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static unrolled.recurrent.Close.assertClose;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.TestData;
import unrolled.tensor.ShapeException;
import unrolled.tensor.Slices;

class PositionalTableTest {

    @Test
    void addTableAddsRowTOfTheTableToStepTOfEverySequence() {
        INDArray x = TestData.gaussian(1, 2, 3, 4);
        INDArray before = x.dup();
        INDArray table = TestData.gaussian(2, 3, 4);
        INDArray y = PositionalEncoding.addTable(x, table);
        for (int t = 0; t < 3; t++) {
            INDArray row = table.getRow(t).reshape(1, 4);
            assertClose(Slices.step(x, t).addRowVector(row), Slices.step(y, t), 1e-12, "y[:, " + t + "]");
        }
        assertClose(before, x, 0, "x unchanged");
    }

    @Test
    void bothEncodingsAddTheirOwnTable() {
        INDArray x = TestData.gaussian(3, 2, 5, 6);
        SinusoidalEncoding sinusoidal = PositionalEncoding.sinusoidal(6, DataType.DOUBLE);
        LearnedEncoding learned = PositionalEncoding.learned(8, 6, DataType.DOUBLE, 4);
        assertClose(PositionalEncoding.addTable(x, sinusoidal.table(5)), sinusoidal.forward(x), 0, "sinusoidal");
        assertClose(PositionalEncoding.addTable(x, learned.table(5)), learned.forward(x), 0, "learned");
    }

    @Test
    void aTableForAnotherLengthIsRefused() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> PositionalEncoding.addTable(TestData.gaussian(1, 2, 3, 4), TestData.gaussian(2, 5, 4)));
        assertEquals("PositionalEncoding.addTable: table must have shape (T, D) = (3, 4), but has shape (5, 4).",
                e.getMessage());
    }
}

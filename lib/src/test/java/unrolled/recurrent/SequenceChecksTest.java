package unrolled.recurrent;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.cell.GruCell;
import unrolled.cell.LstmCell;
import unrolled.cell.State;
import unrolled.tensor.ShapeException;

class SequenceChecksTest {

    private final GruCell gru = new GruCell(3, 4, DataType.DOUBLE, 1);
    private final LstmCell lstm = new LstmCell(3, 4, DataType.DOUBLE, 1);

    @Test
    void anInputIsCheckedAgainstTheCellAndTheGivenStatesBatch() {
        assertEquals(2, SequenceChecks.requireInput("Test.forward", Nd4j.zeros(DataType.DOUBLE, 2, 5, 3), null, null, gru));
        ShapeException timeMajor = assertThrows(ShapeException.class, () -> SequenceChecks.requireInput("Test.forward",
                Nd4j.zeros(DataType.DOUBLE, 5, 2, 3), gru.zeroState(2), null, gru));
        assertTrue(timeMajor.getMessage().startsWith("Test.forward: x must have shape (N, T, D) = (2, ?, 3), but has "
                + "shape (5, 2, 3)."), timeMajor.getMessage());
        assertThrows(ShapeException.class, () -> SequenceChecks.requireInput("Test.forward",
                Nd4j.zeros(DataType.FLOAT, 2, 5, 3), null, null, gru));
    }

    @Test
    void aGivenStateMustCarryCExactlyWhenTheCellHasOne() {
        assertDoesNotThrow(() -> SequenceChecks.requireState("Test.forward", "initial", lstm.zeroState(2), 2, lstm, true));
        assertThrows(ShapeException.class,
                () -> SequenceChecks.requireState("Test.forward", "initial", gru.zeroState(2), 2, lstm, true));
        IllegalArgumentException extra = assertThrows(IllegalArgumentException.class,
                () -> SequenceChecks.requireState("Test.forward", "initial", lstm.zeroState(2), 2, gru, false));
        assertEquals("Test.forward: initial.c must be null, because GruCell(D=3, H=4, DOUBLE) has no cell state.",
                extra.getMessage());
    }

    @Test
    void backwardsGradientsAreCheckedAgainstTheForwardPass() {
        assertDoesNotThrow(() -> SequenceChecks.requireGradients("Test.backward", Nd4j.zeros(DataType.DOUBLE, 2, 5, 4),
                null, 2, 5, gru, false));
        assertThrows(ShapeException.class, () -> SequenceChecks.requireGradients("Test.backward",
                Nd4j.zeros(DataType.DOUBLE, 2, 6, 4), null, 2, 5, gru, false));
        IllegalArgumentException extra = assertThrows(IllegalArgumentException.class,
                () -> SequenceChecks.requireGradients("Test.backward", Nd4j.zeros(DataType.DOUBLE, 2, 5, 4),
                        new State(Nd4j.zeros(DataType.DOUBLE, 2, 4), Nd4j.zeros(DataType.DOUBLE, 2, 4)), 2, 5, gru, false));
        assertEquals("Test.backward: dFinal.c must be null, because GruCell(D=3, H=4, DOUBLE) has no cell state.",
                extra.getMessage());
    }
}

package unrolled.cell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.tensor.ShapeException;

class RnnCellTest {

    private static final int N = 3;
    private static final int D = 4;
    private static final int H = 5;

    @ParameterizedTest
    @EnumSource(RnnCell.Activation.class)
    void forwardMatchesTheEquationComputedElementByElement(RnnCell.Activation activation) {
        RnnCell cell = new RnnCell(D, H, activation, DataType.DOUBLE, 7);
        INDArray x = TestData.gaussian(1, N, D);
        INDArray hPrev = TestData.gaussian(2, N, H);
        INDArray h = cell.forward(x, State.of(hPrev)).state().h();
        INDArray Wx = cell.parameters().get("Wx");
        INDArray Wh = cell.parameters().get("Wh");
        INDArray b = cell.parameters().get("b");
        for (int n = 0; n < N; n++) {
            for (int j = 0; j < H; j++) {
                double a = b.getDouble(0, j);
                for (int d = 0; d < D; d++) {
                    a += x.getDouble(n, d) * Wx.getDouble(d, j);
                }
                for (int k = 0; k < H; k++) {
                    a += hPrev.getDouble(n, k) * Wh.getDouble(k, j);
                }
                double expected = activation == RnnCell.Activation.TANH ? Math.tanh(a) : Math.max(0, a);
                assertEquals(expected, h.getDouble(n, j), 1e-12);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(RnnCell.Activation.class)
    void backwardMatchesFiniteDifferences(RnnCell.Activation activation) {
        RnnCell cell = new RnnCell(D, H, activation, DataType.DOUBLE, 11);
        cell.parameters().get("b").assign(TestData.gaussian(5, 1, H).muli(0.1));
        INDArray x = TestData.gaussian(3, N, D);
        INDArray hPrev = TestData.gaussian(4, N, H);
        INDArray R = TestData.gaussian(6, N, H);
        var step = cell.forward(x, State.of(hPrev));
        StepGradients g = cell.backward(State.of(R), step.cache());
        GradientCheck.create()
                .wrt("x", x, g.dx())
                .wrt("hPrev", hPrev, g.dPrevious().h())
                .wrt("Wx", cell.parameters().get("Wx"), g.parameters().get("Wx"))
                .wrt("Wh", cell.parameters().get("Wh"), g.parameters().get("Wh"))
                .wrt("b", cell.parameters().get("b"), g.parameters().get("b"))
                .run(() -> TestData.dot(cell.forward(x, State.of(hPrev)).state().h(), R))
                .requirePassed();
    }

    @Test
    void forwardAndBackwardLeaveTheirInputsUnchanged() {
        RnnCell cell = new RnnCell(D, H, RnnCell.Activation.TANH, DataType.DOUBLE, 1);
        INDArray x = TestData.gaussian(1, N, D);
        INDArray hPrev = TestData.gaussian(2, N, H);
        INDArray dh = TestData.gaussian(3, N, H);
        INDArray x0 = x.dup();
        INDArray h0 = hPrev.dup();
        INDArray dh0 = dh.dup();
        var step = cell.forward(x, State.of(hPrev));
        INDArray h = step.state().h().dup();
        cell.backward(State.of(dh), step.cache());
        assertEquals(x0, x);
        assertEquals(h0, hPrev);
        assertEquals(dh0, dh);
        assertEquals(h, step.state().h(), "backward must not modify the cached output");
    }

    @Test
    void theSameSeedGivesTheSameWeights() {
        RnnCell a = new RnnCell(D, H, RnnCell.Activation.TANH, DataType.FLOAT, 42);
        RnnCell b = new RnnCell(D, H, RnnCell.Activation.TANH, DataType.FLOAT, 42);
        assertEquals(a.parameters().get("Wx"), b.parameters().get("Wx"));
        assertEquals(a.parameters().get("Wh"), b.parameters().get("Wh"));
    }

    @Test
    void floatCellComputesInFloat() {
        RnnCell cell = new RnnCell(D, H, RnnCell.Activation.TANH, DataType.FLOAT, 42);
        INDArray h = cell.forward(TestData.gaussian(1, N, D).castTo(DataType.FLOAT), cell.zeroState(N)).state().h();
        assertEquals(DataType.FLOAT, h.dataType());
    }

    @Test
    void aWrongHiddenStateShapeIsRefusedWithBothShapes() {
        RnnCell cell = new RnnCell(D, H, RnnCell.Activation.TANH, DataType.DOUBLE, 1);
        ShapeException e = assertThrows(ShapeException.class,
                () -> cell.forward(TestData.gaussian(1, 2, D), State.of(TestData.gaussian(2, 2, 8))));
        assertEquals("RnnCell.forward: hPrev must have shape (N, H) = (2, 5), but has shape (2, 8).", e.getMessage());
    }

    @Test
    void aTransposedInputGetsAHint() {
        RnnCell cell = new RnnCell(D, H, RnnCell.Activation.TANH, DataType.DOUBLE, 1);
        ShapeException e = assertThrows(ShapeException.class,
                () -> cell.forward(TestData.gaussian(1, D, D + 1), cell.zeroState(D)));
        assertTrue(e.getMessage().startsWith("RnnCell.forward: x must have shape (N, D) = (4, 4), but has shape (4, 5)."),
                e.getMessage());
    }

    @Test
    void aFloatInputToADoubleCellIsRefused() {
        RnnCell cell = new RnnCell(D, H, RnnCell.Activation.TANH, DataType.DOUBLE, 1);
        ShapeException e = assertThrows(ShapeException.class,
                () -> cell.forward(TestData.gaussian(1, N, D).castTo(DataType.FLOAT), cell.zeroState(N)));
        assertEquals("RnnCell.forward: x must have data type DOUBLE, but has FLOAT. Convert it with castTo(DataType.DOUBLE).",
                e.getMessage());
    }

    @Test
    void anLstmStateIsRefusedWithAnExplanation() {
        RnnCell cell = new RnnCell(D, H, RnnCell.Activation.TANH, DataType.DOUBLE, 7);
        ShapeException e = assertThrows(ShapeException.class, () -> cell.forward(TestData.gaussian(1, N, D),
                new State(TestData.gaussian(2, N, H), TestData.gaussian(3, N, H))));
        assertEquals("RnnCell.forward: previous must carry only h, but also carries a cell state c of shape (3, 5). "
                + "A vanilla RNN has no cell state (is this an LSTM's state?); pass State.of(h).", e.getMessage());
    }

    @Test
    void aGradientOfAnotherTypeOrWithACellStateIsRefused() {
        RnnCell cell = new RnnCell(D, H, RnnCell.Activation.TANH, DataType.DOUBLE, 7);
        RnnCell.Cache cache = cell.forward(TestData.gaussian(1, N, D), cell.zeroState(N)).cache();
        ShapeException type = assertThrows(ShapeException.class,
                () -> cell.backward(State.of(TestData.gaussian(2, N, H).castTo(DataType.FLOAT)), cache));
        assertTrue(type.getMessage().startsWith("RnnCell.backward: dh must have data type DOUBLE"), type.getMessage());
        ShapeException withCell = assertThrows(ShapeException.class,
                () -> cell.backward(new State(TestData.gaussian(2, N, H), TestData.gaussian(3, N, H)), cache));
        assertEquals("RnnCell.backward: dNext must carry only dh, but also carries dc of shape (3, 5). "
                + "A vanilla RNN has no cell state; pass State.of(dh).", withCell.getMessage());
    }
}

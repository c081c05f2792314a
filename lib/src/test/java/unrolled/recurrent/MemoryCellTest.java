package unrolled.recurrent;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.TestData;
import unrolled.cell.State;
import unrolled.cell.StepGradients;
import unrolled.check.GradientCheck;

/** The test-only cell must itself be right before it can vouch for the layers. */
class MemoryCellTest {

    @Test
    void backwardMatchesFiniteDifferences() {
        MemoryCell cell = new MemoryCell(3, 4, DataType.DOUBLE, 5);
        INDArray x = TestData.gaussian(1, 2, 3);
        INDArray hPrev = TestData.gaussian(2, 2, 4);
        INDArray cPrev = TestData.gaussian(3, 2, 4);
        INDArray Rh = TestData.gaussian(4, 2, 4);
        INDArray Rc = TestData.gaussian(5, 2, 4);
        var step = cell.forward(x, new State(hPrev, cPrev));
        StepGradients g = cell.backward(new State(Rh, Rc), step.cache());
        GradientCheck.create()
                .wrt("x", x, g.dx())
                .wrt("hPrev", hPrev, g.dPrevious().h())
                .wrt("cPrev", cPrev, g.dPrevious().c())
                .wrt("Wx", cell.parameters().get("Wx"), g.parameters().get("Wx"))
                .wrt("Wh", cell.parameters().get("Wh"), g.parameters().get("Wh"))
                .wrt("b", cell.parameters().get("b"), g.parameters().get("b"))
                .run(() -> {
                    State s = cell.forward(x, new State(hPrev, cPrev)).state();
                    return TestData.dot(s.h(), Rh) + TestData.dot(s.c(), Rc);
                })
                .requirePassed();
    }
}

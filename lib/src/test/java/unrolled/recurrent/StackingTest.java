package unrolled.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static unrolled.recurrent.Close.assertClose;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.TestData;
import unrolled.layer.Dropout;
import unrolled.param.Gradients;
import unrolled.param.Parameters;

class StackingTest {

    @Test
    void forwardFeedsEachLevelTheDroppedOutputsOfTheOneBelow() {
        INDArray x = TestData.gaussian(1, 2, 3, 4);
        List<INDArray> inputs = new ArrayList<>();
        Stacking.Forward<INDArray> stack = Stacking.forward(3, x, new Dropout(0.5, Dropout.Mode.STANDARD, 7), true,
                (l, input) -> {
                    inputs.add(input);
                    return input.mul(l + 2.0);
                },
                y -> y);
        Dropout reference = new Dropout(0.5, Dropout.Mode.STANDARD, 7);
        assertClose(x, inputs.get(0), 0, "level 0 reads x itself");
        INDArray y1 = reference.forward(x.mul(2.0), true).output();
        assertClose(y1, inputs.get(1), 0, "level 1 reads dropout(y0)");
        INDArray y2 = reference.forward(y1.mul(3.0), true).output();
        assertClose(y2, inputs.get(2), 0, "level 2 reads dropout(y1)");
        assertClose(y2.mul(4.0), stack.outputs(), 0, "the top level's outputs");
        assertEquals(2, stack.dropouts().size());
        assertEquals(3, stack.levels().size());
    }

    @Test
    void backwardRunsTheLevelsTopDownAndOrdersTheGradientsByTheStacksParameters() {
        Parameters order = new Parameters();
        order.add("layer0.w", TestData.gaussian(2, 1, 1)).add("layer1.w", TestData.gaussian(3, 1, 1));
        INDArray dTop = TestData.gaussian(4, 2, 3, 4);
        List<Integer> visited = new ArrayList<>();
        Stacking.Backward result = Stacking.backward(2, dTop, null, List.of(), order, (l, dy) -> {
            visited.add(l);
            return new Stacking.Backward(dy.mul(10.0), new Gradients().take("w", dy.sum(true, 0, 1, 2).reshape(1, 1)));
        });
        assertEquals(List.of(1, 0), visited);
        assertEquals(List.of("layer0.w", "layer1.w"), List.copyOf(result.parameters().names()));
        assertClose(dTop.mul(100.0), result.dx(), 1e-12, "dx went through both levels");
        assertEquals(dTop.sumNumber().doubleValue() * 10, result.parameters().get("layer0.w").getDouble(0), 1e-9);
    }
}

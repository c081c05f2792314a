package unrolled.hierarchical;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.TestData;
import unrolled.cell.GruCell;
import unrolled.cell.LstmCell;
import unrolled.cell.RnnCell;
import unrolled.cell.State;
import unrolled.check.GradientCheck;
import unrolled.recurrent.RecurrentLayer;

class ChunkedRecurrentTest {

    private static void check(ChunkedRecurrent encoder) {
        INDArray x = TestData.gaussian(1, 2, 6, 3);
        ChunkedRecurrent.Result forward = encoder.forward(x);
        INDArray R = TestData.gaussian(2, forward.outputs().shape());
        INDArray S = TestData.gaussian(3, 2, encoder.hiddenSize());
        ChunkedRecurrent.Backward g = encoder.backward(R, new State(S, null), forward.cache());
        g.parameters().requireMatches("test", encoder.parameters());
        GradientCheck check = GradientCheck.create().wrt("x", x, g.dx());
        for (Map.Entry<String, INDArray> p : encoder.parameters()) {
            check.wrt(p.getKey(), p.getValue(), g.parameters().get(p.getKey()));
        }
        check.run(() -> {
            ChunkedRecurrent.Result again = encoder.forward(x);
            return TestData.dot(again.outputs(), R) + TestData.dot(again.finalState().h(), S);
        }).requirePassed();
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        check(new ChunkedRecurrent(new RnnCell(3, 4, RnnCell.Activation.TANH, DataType.DOUBLE, 1),
                new RnnCell(4, 5, RnnCell.Activation.TANH, DataType.DOUBLE, 2), 3));
        check(new ChunkedRecurrent(new GruCell(3, 4, DataType.DOUBLE, 1), new LstmCell(4, 5, DataType.DOUBLE, 2), 2));
    }

    @Test
    void eachSummaryIsTheLowerCellRunFromZeroOverItsChunkAlone() {
        RnnCell lower = new RnnCell(3, 4, RnnCell.Activation.TANH, DataType.DOUBLE, 1);
        ChunkedRecurrent encoder = new ChunkedRecurrent(lower, new RnnCell(4, 5, RnnCell.Activation.TANH, DataType.DOUBLE, 2), 3);
        INDArray x = TestData.gaussian(4, 2, 6, 3);
        ChunkedRecurrent.Result result = encoder.forward(x);
        assertArrayEquals(new long[] {2, 2, 4}, result.summaries().shape());
        RecurrentLayer<RnnCell.Cache> alone = new RecurrentLayer<>(lower);
        for (int c = 0; c < 2; c++) {
            INDArray chunk = x.get(NDArrayIndex.all(), NDArrayIndex.interval(3 * c, 3 * c + 3), NDArrayIndex.all()).dup();
            INDArray expected = alone.forward(chunk).finalState().h();
            INDArray got = result.summaries().get(NDArrayIndex.all(), NDArrayIndex.point(c), NDArrayIndex.all());
            assertTrue(expected.equalsWithEps(got, 1e-12), "chunk " + c);
        }
    }

    @Test
    void aLengthThatIsNotAMultipleOfTheChunkIsRefused() {
        ChunkedRecurrent encoder = new ChunkedRecurrent(new RnnCell(3, 4, RnnCell.Activation.TANH, DataType.DOUBLE, 1),
                new RnnCell(4, 5, RnnCell.Activation.TANH, DataType.DOUBLE, 2), 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> encoder.forward(TestData.gaussian(1, 2, 6, 3)));
        assertTrue(e.getMessage().contains("multiple of the chunk length k = 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ChunkedRecurrent(
                new RnnCell(3, 4, RnnCell.Activation.TANH, DataType.DOUBLE, 1),
                new RnnCell(5, 5, RnnCell.Activation.TANH, DataType.DOUBLE, 2), 2));
    }
}

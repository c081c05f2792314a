package unrolled.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.TestData;
import unrolled.cell.LstmCell;
import unrolled.cell.RnnCell;
import unrolled.cell.State;
import unrolled.check.GradientCheck;
import unrolled.recurrent.RecurrentLayer;
import unrolled.recurrent.SequenceGradients;
import unrolled.tensor.ShapeException;

class ConditionalRecurrentTest {

    private static final int N = 3;
    private static final int T = 4;
    private static final int D = 2;
    private static final int H = 3;
    private static final int L = 4;
    private static final int K = 2;
    private static final INDArray LABELS = Nd4j.createFromArray(2, 0, 2);

    private static void checkGradients(ConditionalRecurrent<?> layer) {
        checkTyped(layer);
    }

    private static <C> void checkTyped(ConditionalRecurrent<C> layer) {
        INDArray x = TestData.gaussian(1, N, T, D);
        INDArray R = TestData.gaussian(2, N, T, H);
        INDArray Rh = TestData.gaussian(3, N, H);
        ConditionalRecurrent.Result<C> result = layer.forward(x, LABELS);
        SequenceGradients g = layer.backward(R, State.of(Rh), result.cache());
        GradientCheck check = GradientCheck.create().wrt("x", x, g.dx());
        for (String name : layer.parameters().names()) {
            check.wrt(name, layer.parameters().get(name), g.parameters().get(name));
        }
        check.run(() -> {
            ConditionalRecurrent.Result<C> again = layer.forward(x, LABELS);
            return TestData.dot(again.outputs(), R) + TestData.dot(again.finalState().h(), Rh);
        }).requirePassed();
    }

    @Test
    void initialStateConditioningOfAnRnnMatchesFiniteDifferences() {
        checkGradients(ConditionalRecurrent.throughInitialState(
                new RecurrentLayer<>(new RnnCell(D, H, RnnCell.Activation.TANH, DataType.DOUBLE, 1)), L, 2));
    }

    @Test
    void initialStateConditioningOfAnLstmMatchesFiniteDifferences() {
        checkGradients(ConditionalRecurrent.throughInitialState(
                new RecurrentLayer<>(new LstmCell(D, H, DataType.DOUBLE, 1)), L, 2));
    }

    @Test
    void inputConditioningOfAnLstmMatchesFiniteDifferences() {
        checkGradients(ConditionalRecurrent.throughInput(
                new RecurrentLayer<>(new LstmCell(D + K, H, DataType.DOUBLE, 1)), L, K, 2));
    }

    @Test
    void inputConditioningIsTheLayerRunOnInputsWithTheLabelRowAppended() {
        RecurrentLayer<RnnCell.Cache> inner = new RecurrentLayer<>(new RnnCell(D + K, H, RnnCell.Activation.TANH, DataType.DOUBLE, 1));
        ConditionalRecurrent<RnnCell.Cache> layer = ConditionalRecurrent.throughInput(inner, L, K, 2);
        INDArray x = TestData.gaussian(1, N, T, D);
        INDArray E = layer.parameters().get("E");
        INDArray xTilde = Nd4j.zeros(DataType.DOUBLE, N, T, D + K);
        for (int n = 0; n < N; n++) {
            for (int t = 0; t < T; t++) {
                for (int d = 0; d < D; d++) {
                    xTilde.putScalar(new long[] {n, t, d}, x.getDouble(n, t, d));
                }
                for (int k = 0; k < K; k++) {
                    xTilde.putScalar(new long[] {n, t, D + k}, E.getDouble(LABELS.getLong(n), k));
                }
            }
        }
        assertEquals(inner.forward(xTilde).outputs(), layer.forward(x, LABELS).outputs());
    }

    @Test
    void theSameInputUnderDifferentLabelsGivesDifferentOutputs() {
        ConditionalRecurrent<RnnCell.Cache> layer = ConditionalRecurrent.throughInitialState(
                new RecurrentLayer<>(new RnnCell(D, H, RnnCell.Activation.TANH, DataType.DOUBLE, 1)), L, 2);
        INDArray one = TestData.gaussian(1, 1, T, D);
        INDArray x = Nd4j.concat(0, one, one, one);
        INDArray y = layer.forward(x, LABELS).outputs();
        INDArray first = y.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all());
        assertEquals(first, y.get(NDArrayIndex.point(2), NDArrayIndex.all(), NDArrayIndex.all()), "label 2 twice");
        assertNotEquals(first, y.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.all()), "labels 2 and 0");
        assertTrue(layer.parameters().contains("layer.Wx"));
    }

    @Test
    void aLabelOutsideTheRangeIsRefusedWithItsPosition() {
        ConditionalRecurrent<RnnCell.Cache> layer = ConditionalRecurrent.throughInitialState(
                new RecurrentLayer<>(new RnnCell(D, H, RnnCell.Activation.TANH, DataType.DOUBLE, 1)), L, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(TestData.gaussian(1, N, T, D), Nd4j.createFromArray(0, 4, 1)));
        assertEquals("ConditionalRecurrent.forward: label 4 of sequence 1 is outside [0, 4).", e.getMessage());
    }

    @Test
    void oneLabelPerSequenceIsRequired() {
        ConditionalRecurrent<RnnCell.Cache> layer = ConditionalRecurrent.throughInitialState(
                new RecurrentLayer<>(new RnnCell(D, H, RnnCell.Activation.TANH, DataType.DOUBLE, 1)), L, 2);
        ShapeException e = assertThrows(ShapeException.class,
                () -> layer.forward(TestData.gaussian(1, N, T, D), Nd4j.createFromArray(0, 1)));
        assertEquals("ConditionalRecurrent.forward: labels must have shape (N,) = (3,), one label per sequence, but has "
                + "shape (2,).", e.getMessage());
    }

    @Test
    void aLayerTooNarrowForTheLabelVectorIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConditionalRecurrent.throughInput(new RecurrentLayer<>(new LstmCell(2, H, DataType.DOUBLE, 1)), L, 2, 1));
        assertEquals("ConditionalRecurrent: the layer reads 2 features per step, which must be D + K with D ≥ 1, but "
                + "labelSize K is 2.", e.getMessage());
    }
}

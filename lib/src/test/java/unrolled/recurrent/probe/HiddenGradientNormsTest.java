package unrolled.recurrent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.TestData;
import unrolled.cell.RnnCell;
import unrolled.cell.State;
import unrolled.check.GradientCheck;
import unrolled.param.Init;
import unrolled.recurrent.Close;
import unrolled.recurrent.MemoryCell;
import unrolled.recurrent.RecurrentLayer;
import unrolled.recurrent.SequenceGradients;

class HiddenGradientNormsTest {

    private static final int N = 2;
    private static final int T = 4;
    private static final int D = 3;
    private static final int H = 4;

    @Test
    void theRecordedGradientsAreTheLossGradientsWithRespectToEachStateAndTheNormsTheirLengths() {
        RecurrentLayer<RnnCell.Cache> layer = new RecurrentLayer<>(new RnnCell(D, H, RnnCell.Activation.TANH, DataType.DOUBLE, 1));
        INDArray x = TestData.gaussian(2, N, T, D);
        INDArray R = TestData.gaussian(3, N, T, H);
        INDArray Rf = TestData.gaussian(4, N, H);
        var result = layer.forward(x);
        SequenceGradients g = layer.backward(R, State.of(Rf), result.cache());
        double[] norms = HiddenGradientNorms.of(g);
        double[] norms1 = HiddenGradientNorms.of(g, 1);
        for (int t = 0; t < T; t++) {
            // L as a function of h_t alone: its own output term, plus everything computed from it afterwards
            int from = t;
            INDArray ht = result.outputs().get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all()).dup();
            INDArray dh = g.dStates().get(t).h();
            Close.requirePassed("dL/dh_" + t, GradientCheck.create().wrt("h_" + t, ht, dh).run(() -> {
                double loss = TestData.dot(ht, R.get(NDArrayIndex.all(), NDArrayIndex.point(from), NDArrayIndex.all()));
                if (from == T - 1) {
                    return loss + TestData.dot(ht, Rf);
                }
                INDArray rest = x.get(NDArrayIndex.all(), NDArrayIndex.interval(from + 1, T), NDArrayIndex.all()).dup();
                var r = layer.forward(rest, State.of(ht), null);
                return loss + TestData.dot(r.outputs(), R.get(NDArrayIndex.all(), NDArrayIndex.interval(from + 1, T),
                        NDArrayIndex.all())) + TestData.dot(r.finalState().h(), Rf);
            }));
            double sum = 0;
            double sum1 = 0;
            for (int n = 0; n < N; n++) {
                for (int j = 0; j < H; j++) {
                    sum += dh.getDouble(n, j) * dh.getDouble(n, j);
                    sum1 += n == 1 ? dh.getDouble(n, j) * dh.getDouble(n, j) : 0;
                }
            }
            assertEquals(Math.sqrt(sum), norms[t], 1e-12);
            assertEquals(Math.sqrt(sum1), norms1[t], 1e-12);
        }
    }

    @Test
    void withAContractiveTanhRnnTheNormsShrinkAtLeastGeometricallyGoingBack() {
        // ‖J_t‖₂ ≤ max tanh'·‖Wh‖₂ ≤ 0.5, so each step back at least halves ‖∂L/∂h‖ when only the last state is scored
        int steps = 8;
        RnnCell cell = new RnnCell(D, H, RnnCell.Activation.TANH, DataType.DOUBLE, 5);
        cell.parameters().get("Wh").assign(Init.orthogonal(H, H, 0.5, 6, DataType.DOUBLE));
        RecurrentLayer<RnnCell.Cache> layer = new RecurrentLayer<>(cell);
        var result = layer.forward(TestData.gaussian(7, N, steps, D));
        SequenceGradients g = layer.backward(Nd4j.zeros(DataType.DOUBLE, N, steps, H),
                State.of(TestData.gaussian(8, N, H)), result.cache());
        double[] norms = HiddenGradientNorms.of(g);
        for (int t = 0; t < steps - 1; t++) {
            assertTrue(norms[t] <= 0.5 * norms[t + 1] * (1 + 1e-12), "t=" + t + ": " + norms[t] + " vs " + norms[t + 1]);
        }
        JacobianProducts products = JacobianProducts.of(layer, result.cache(), 0);
        for (int t = 0; t < steps; t++) {
            assertTrue(products.spectralNorm(t) <= Math.pow(0.5, steps - t) * (1 + 1e-12), "‖P_" + t + "‖");
        }
    }

    @Test
    void cellStateNormsAreReadForACellWithACellStateAndRefusedOtherwise() {
        RecurrentLayer<MemoryCell.Cache> memory = new RecurrentLayer<>(new MemoryCell(D, H, DataType.DOUBLE, 9));
        INDArray x = TestData.gaussian(10, N, T, D);
        SequenceGradients g = memory.backward(TestData.gaussian(11, N, T, H), null, memory.forward(x).cache());
        double[] norms = HiddenGradientNorms.ofCellState(g);
        for (int t = 0; t < T; t++) {
            assertEquals(g.dStates().get(t).c().norm2Number().doubleValue(), norms[t], 0.0);
        }
        assertEquals(0.0, norms[T - 1], 0.0, "nothing scores c_{T-1} directly");
        assertTrue(norms[0] > 0);

        RecurrentLayer<RnnCell.Cache> rnn = new RecurrentLayer<>(new RnnCell(D, H, RnnCell.Activation.TANH, DataType.DOUBLE, 1));
        SequenceGradients gr = rnn.backward(TestData.gaussian(11, N, T, H), null, rnn.forward(x).cache());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HiddenGradientNorms.ofCellState(gr));
        assertEquals("HiddenGradientNorms.ofCellState: the cell has no cell state c; use of(gradients) for ‖∂L/∂h_t‖.",
                e.getMessage());
        IllegalArgumentException out = assertThrows(IllegalArgumentException.class, () -> HiddenGradientNorms.of(gr, 2));
        assertEquals("HiddenGradientNorms.of: sequence must be in [0, N) = [0, 2), but is 2.", out.getMessage());
    }
}

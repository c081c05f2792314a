package unrolled.cell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.tensor.ShapeException;
import unrolled.tensor.Shapes;

class GruCellTest {

    private static final int N = 3;
    private static final int D = 4;
    private static final int H = 5;

    /**
     * The GRU equations (reset gate applied to h·Whn + bhn, as in cuDNN) with plain loops, reading the weights
     * through the declared gate order only.
     */
    private record Reference(double[][][] gates, double[][] h) {

        static Reference of(GruCell cell, INDArray x, INDArray hPrev) {
            INDArray Wx = cell.parameters().get("Wx");
            INDArray Wh = cell.parameters().get("Wh");
            INDArray bx = cell.parameters().get("bx");
            INDArray bh = cell.parameters().get("bh");
            double[][][] gates = new double[GruGate.COUNT][N][H];
            double[][] h = new double[N][H];
            for (int n = 0; n < N; n++) {
                // xPart[gate][j] = x·Wx + bx,  hPart[gate][j] = h·Wh + bh, for the gate's column j
                double[][] xPart = new double[GruGate.COUNT][H];
                double[][] hPart = new double[GruGate.COUNT][H];
                for (GruGate gate : GruGate.values()) {
                    for (int j = 0; j < H; j++) {
                        int column = (int) gate.offset(H) + j;
                        double ax = bx.getDouble(0, column);
                        for (int d = 0; d < D; d++) {
                            ax += x.getDouble(n, d) * Wx.getDouble(d, column);
                        }
                        double ah = bh.getDouble(0, column);
                        for (int k = 0; k < H; k++) {
                            ah += hPrev.getDouble(n, k) * Wh.getDouble(k, column);
                        }
                        xPart[gate.ordinal()][j] = ax;
                        hPart[gate.ordinal()][j] = ah;
                    }
                }
                int r = GruGate.RESET.ordinal();
                int z = GruGate.UPDATE.ordinal();
                int c = GruGate.CANDIDATE.ordinal();
                for (int j = 0; j < H; j++) {
                    gates[r][n][j] = sigmoid(xPart[r][j] + hPart[r][j]);
                    gates[z][n][j] = sigmoid(xPart[z][j] + hPart[z][j]);
                    gates[c][n][j] = Math.tanh(xPart[c][j] + gates[r][n][j] * hPart[c][j]);
                    h[n][j] = (1 - gates[z][n][j]) * gates[c][n][j] + gates[z][n][j] * hPrev.getDouble(n, j);
                }
            }
            return new Reference(gates, h);
        }

        private static double sigmoid(double a) {
            return 1 / (1 + Math.exp(-a));
        }
    }

    private static GruCell cellWithRandomBiases(long seed) {
        GruCell cell = new GruCell(D, H, DataType.DOUBLE, seed);
        cell.parameters().get("bx").assign(TestData.gaussian(seed + 100, 1, 3 * H).muli(0.5));
        cell.parameters().get("bh").assign(TestData.gaussian(seed + 200, 1, 3 * H).muli(0.5));
        return cell;
    }

    @Test
    void forwardMatchesTheEquationsComputedElementByElement() {
        GruCell cell = cellWithRandomBiases(7);
        INDArray x = TestData.gaussian(1, N, D);
        INDArray hPrev = TestData.gaussian(2, N, H);
        Step<GruCell.Cache> step = cell.forward(x, State.of(hPrev));
        Reference expected = Reference.of(cell, x, hPrev);
        for (int n = 0; n < N; n++) {
            for (int j = 0; j < H; j++) {
                assertEquals(expected.h()[n][j], step.state().h().getDouble(n, j), 1e-12, "h");
                for (GruGate gate : GruGate.values()) {
                    assertEquals(expected.gates()[gate.ordinal()][n][j], step.cache().gate(gate).getDouble(n, j), 1e-12,
                            "gate " + gate.symbol());
                }
            }
        }
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        GruCell cell = cellWithRandomBiases(11);
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
                .wrt("bx", cell.parameters().get("bx"), g.parameters().get("bx"))
                .wrt("bh", cell.parameters().get("bh"), g.parameters().get("bh"))
                .run(() -> TestData.dot(cell.forward(x, State.of(hPrev)).state().h(), R))
                .requirePassed();
    }

    @Test
    void withTheUpdateGateShutTheOldStatePassesStraightThrough() {
        GruCell cell = new GruCell(D, H, DataType.DOUBLE, 3);
        // bz = +40 on both biases: z = σ(80 + …) = 1 to double precision, so h_t = h_{t−1} and dh_{t−1} = dh
        GruGate.UPDATE.block(cell.parameters().get("bx"), H).assign(40.0);
        GruGate.UPDATE.block(cell.parameters().get("bh"), H).assign(40.0);
        INDArray hPrev = TestData.gaussian(2, N, H).muli(0.1);
        INDArray dh = TestData.gaussian(3, N, H);
        var step = cell.forward(TestData.gaussian(1, N, D).muli(0.1), State.of(hPrev));
        INDArray dhPrev = cell.backward(State.of(dh), step.cache()).dPrevious().h();
        for (int n = 0; n < N; n++) {
            for (int j = 0; j < H; j++) {
                assertEquals(hPrev.getDouble(n, j), step.state().h().getDouble(n, j), 1e-12);
                assertEquals(dh.getDouble(n, j), dhPrev.getDouble(n, j), 1e-12);
            }
        }
    }

    @Test
    void forwardAndBackwardLeaveTheirInputsAndTheCacheUnchanged() {
        GruCell cell = cellWithRandomBiases(1);
        INDArray x = TestData.gaussian(1, N, D);
        INDArray hPrev = TestData.gaussian(2, N, H);
        INDArray dh = TestData.gaussian(4, N, H);
        List<INDArray> inputs = List.of(x, hPrev, dh);
        List<INDArray> before = inputs.stream().map(INDArray::dup).toList();
        var step = cell.forward(x, State.of(hPrev));
        GruCell.Cache cache = step.cache();
        List<INDArray> cached = List.of(cache.x(), cache.hPrev(), cache.r(), cache.z(), cache.n(), cache.ahn(),
                step.state().h());
        List<INDArray> cachedBefore = cached.stream().map(INDArray::dup).toList();
        cell.backward(State.of(dh), cache);
        assertEquals(before, inputs);
        assertEquals(cachedBefore, cached, "backward must not modify the cache or the output");
    }

    @Test
    void theSameSeedGivesTheSameWeightsAndAnotherSeedOthers() {
        GruCell a = new GruCell(D, H, DataType.DOUBLE, 42);
        GruCell b = new GruCell(D, H, DataType.DOUBLE, 42);
        GruCell other = new GruCell(D, H, DataType.DOUBLE, 43);
        for (String name : List.of("Wx", "Wh", "bx", "bh")) {
            assertEquals(a.parameters().get(name), b.parameters().get(name), name);
        }
        assertNotEquals(a.parameters().get("Wx"), other.parameters().get("Wx"));
        assertNotEquals(a.parameters().get("Wh"), other.parameters().get("Wh"));
    }

    @Test
    void everyGateBlockOfWhIsOrthogonalAndTheBiasesStartAtZero() {
        GruCell cell = new GruCell(D, H, DataType.DOUBLE, 5);
        INDArray Wh = cell.parameters().get("Wh");
        for (GruGate gate : GruGate.values()) {
            INDArray block = gate.block(Wh, H);
            for (int p = 0; p < H; p++) {
                for (int q = 0; q < H; q++) {
                    double dot = 0;
                    for (int k = 0; k < H; k++) {
                        dot += block.getDouble(k, p) * block.getDouble(k, q);
                    }
                    assertEquals(p == q ? 1.0 : 0.0, dot, 1e-12, gate + " block, columns " + p + ", " + q);
                }
            }
        }
        assertEquals(Nd4j.zeros(DataType.DOUBLE, 1, 3 * H), cell.parameters().get("bx"));
        assertEquals(Nd4j.zeros(DataType.DOUBLE, 1, 3 * H), cell.parameters().get("bh"));
    }

    @Test
    void theParameterCountIsThreeHTimesDPlusHPlusTwo() {
        GruCell cell = new GruCell(D, H, DataType.DOUBLE, 1);
        assertEquals(List.of("Wx", "Wh", "bx", "bh"), List.copyOf(cell.parameters().names()));
        assertEquals("(4, 15)", Shapes.of(cell.parameters().get("Wx")));
        assertEquals("(5, 15)", Shapes.of(cell.parameters().get("Wh")));
        assertEquals("(1, 15)", Shapes.of(cell.parameters().get("bx")));
        assertEquals("(1, 15)", Shapes.of(cell.parameters().get("bh")));
        // 3H·D input weights + 3H·H recurrent weights + two biases of 3H each
        assertEquals(3L * H * (D + H + 2), cell.parameters().count());
    }

    @Test
    void theZeroStateHasNoCellState() {
        State zero = new GruCell(D, H, DataType.FLOAT, 1).zeroState(N);
        assertEquals(Nd4j.zeros(DataType.FLOAT, N, H), zero.h());
        assertEquals(false, zero.hasCell());
    }

    @Test
    void aFloatCellComputesInFloatAndAgreesWithDouble() {
        GruCell single = new GruCell(D, H, DataType.FLOAT, 42);
        GruCell twice = new GruCell(D, H, DataType.DOUBLE, 42);
        INDArray x = TestData.gaussian(1, N, D);
        INDArray hPrev = TestData.gaussian(2, N, H);
        var step = single.forward(x.castTo(DataType.FLOAT), State.of(hPrev.castTo(DataType.FLOAT)));
        assertEquals(DataType.FLOAT, step.state().h().dataType());
        INDArray expected = twice.forward(x, State.of(hPrev)).state().h();
        assertEquals(0.0, step.state().h().castTo(DataType.DOUBLE).sub(expected).amaxNumber().doubleValue(), 1e-5);
        StepGradients g = single.backward(single.zeroState(N), step.cache());
        assertEquals(DataType.FLOAT, g.dx().dataType());
        assertEquals(DataType.FLOAT, g.parameters().get("Wh").dataType());
    }

    @Test
    void aWrongHiddenStateShapeIsRefusedWithBothShapes() {
        GruCell cell = new GruCell(D, H, DataType.DOUBLE, 1);
        ShapeException e = assertThrows(ShapeException.class,
                () -> cell.forward(TestData.gaussian(1, N, D), State.of(TestData.gaussian(2, N, 6))));
        assertEquals("GruCell.forward: hPrev must have shape (N, H) = (3, 5), but has shape (3, 6).", e.getMessage());
    }

    @Test
    void aWrongInputShapeIsRefusedWithBothShapes() {
        GruCell cell = new GruCell(D, H, DataType.DOUBLE, 1);
        ShapeException e = assertThrows(ShapeException.class,
                () -> cell.forward(TestData.gaussian(1, N, 7), cell.zeroState(N)));
        assertEquals("GruCell.forward: x must have shape (N, D) = (3, 4), but has shape (3, 7).", e.getMessage());
    }

    @Test
    void aWrongGradientShapeIsRefusedWithBothShapes() {
        GruCell cell = new GruCell(D, H, DataType.DOUBLE, 1);
        var step = cell.forward(TestData.gaussian(1, N, D), cell.zeroState(N));
        ShapeException e = assertThrows(ShapeException.class,
                () -> cell.backward(State.of(TestData.gaussian(2, N, 6)), step.cache()));
        assertEquals("GruCell.backward: dh must have shape (N, H) = (3, 5), but has shape (3, 6).", e.getMessage());
    }

    @Test
    void anLstmStateIsRefusedWithAnExplanation() {
        GruCell cell = new GruCell(D, H, DataType.DOUBLE, 1);
        ShapeException e = assertThrows(ShapeException.class, () -> cell.forward(TestData.gaussian(1, N, D),
                new State(TestData.gaussian(2, N, H), TestData.gaussian(3, N, H))));
        assertEquals("GruCell.forward: previous must carry only h, but also carries a cell state c of shape (3, 5). "
                + "A GRU has no cell state (is this an LSTM's state?); pass State.of(h).", e.getMessage());
    }

    @Test
    void aCellStateGradientIsRefusedWithAnExplanation() {
        GruCell cell = new GruCell(D, H, DataType.DOUBLE, 1);
        var step = cell.forward(TestData.gaussian(1, N, D), cell.zeroState(N));
        ShapeException e = assertThrows(ShapeException.class, () -> cell.backward(
                new State(TestData.gaussian(2, N, H), TestData.gaussian(3, N, H)), step.cache()));
        assertEquals("GruCell.backward: dNext must carry only dh, but also carries dc of shape (3, 5). "
                + "A GRU has no cell state; pass State.of(dh).", e.getMessage());
    }

    @Test
    void aFloatInputToADoubleCellIsRefused() {
        GruCell cell = new GruCell(D, H, DataType.DOUBLE, 1);
        ShapeException e = assertThrows(ShapeException.class,
                () -> cell.forward(TestData.gaussian(1, N, D).castTo(DataType.FLOAT), cell.zeroState(N)));
        assertEquals("GruCell.forward: x must have data type DOUBLE, but has FLOAT. Convert it with castTo(DataType.DOUBLE).",
                e.getMessage());
    }
}

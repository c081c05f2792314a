package unrolled.cell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.tensor.ShapeException;
import unrolled.tensor.Shapes;

class LstmCellTest {

    private static final int N = 3;
    private static final int D = 4;
    private static final int H = 5;

    /** The LSTM equations with plain loops, reading the weights through the declared gate order only. */
    private record Reference(double[][][] gates, double[][] c, double[][] h) {

        static Reference of(LstmCell cell, INDArray x, INDArray hPrev, INDArray cPrev) {
            INDArray Wx = cell.parameters().get("Wx");
            INDArray Wh = cell.parameters().get("Wh");
            INDArray b = cell.parameters().get("b");
            double[][][] gates = new double[LstmGate.COUNT][N][H];
            double[][] c = new double[N][H];
            double[][] h = new double[N][H];
            for (int n = 0; n < N; n++) {
                for (LstmGate gate : LstmGate.values()) {
                    for (int j = 0; j < H; j++) {
                        int column = (int) gate.offset(H) + j;
                        double a = b.getDouble(0, column);
                        for (int d = 0; d < D; d++) {
                            a += x.getDouble(n, d) * Wx.getDouble(d, column);
                        }
                        for (int k = 0; k < H; k++) {
                            a += hPrev.getDouble(n, k) * Wh.getDouble(k, column);
                        }
                        gates[gate.ordinal()][n][j] = gate == LstmGate.CANDIDATE ? Math.tanh(a) : 1 / (1 + Math.exp(-a));
                    }
                }
                for (int j = 0; j < H; j++) {
                    double i = gates[LstmGate.INPUT.ordinal()][n][j];
                    double f = gates[LstmGate.FORGET.ordinal()][n][j];
                    double o = gates[LstmGate.OUTPUT.ordinal()][n][j];
                    double g = gates[LstmGate.CANDIDATE.ordinal()][n][j];
                    c[n][j] = f * cPrev.getDouble(n, j) + i * g;
                    h[n][j] = o * Math.tanh(c[n][j]);
                }
            }
            return new Reference(gates, c, h);
        }
    }

    private static LstmCell cellWithRandomBias(long seed) {
        LstmCell cell = new LstmCell(D, H, DataType.DOUBLE, seed);
        cell.parameters().get("b").assign(TestData.gaussian(seed + 100, 1, 4 * H).muli(0.5));
        return cell;
    }

    @Test
    void forwardMatchesTheEquationsComputedElementByElement() {
        LstmCell cell = cellWithRandomBias(7);
        INDArray x = TestData.gaussian(1, N, D);
        INDArray hPrev = TestData.gaussian(2, N, H);
        INDArray cPrev = TestData.gaussian(3, N, H);
        Step<LstmCell.Cache> step = cell.forward(x, new State(hPrev, cPrev));
        Reference expected = Reference.of(cell, x, hPrev, cPrev);
        for (int n = 0; n < N; n++) {
            for (int j = 0; j < H; j++) {
                assertEquals(expected.h()[n][j], step.state().h().getDouble(n, j), 1e-12, "h");
                assertEquals(expected.c()[n][j], step.state().c().getDouble(n, j), 1e-12, "c");
                for (LstmGate gate : LstmGate.values()) {
                    assertEquals(expected.gates()[gate.ordinal()][n][j], step.cache().gate(gate).getDouble(n, j), 1e-12,
                            "gate " + gate.symbol());
                }
            }
        }
    }

    @ParameterizedTest(name = "dc arriving at c_t is non-zero: {0}")
    @ValueSource(booleans = {true, false})
    void backwardMatchesFiniteDifferences(boolean cellGradientArrives) {
        LstmCell cell = cellWithRandomBias(11);
        INDArray x = TestData.gaussian(3, N, D);
        INDArray hPrev = TestData.gaussian(4, N, H);
        INDArray cPrev = TestData.gaussian(5, N, H);
        INDArray R = TestData.gaussian(6, N, H);
        INDArray S = cellGradientArrives ? TestData.gaussian(7, N, H) : Nd4j.zeros(DataType.DOUBLE, N, H);
        var step = cell.forward(x, new State(hPrev, cPrev));
        // L = Σ h_t ⊙ R + Σ c_t ⊙ S, so dh = R and dc = S
        StepGradients g = cell.backward(new State(R, S), step.cache());
        GradientCheck.create()
                .wrt("x", x, g.dx())
                .wrt("hPrev", hPrev, g.dPrevious().h())
                .wrt("cPrev", cPrev, g.dPrevious().c())
                .wrt("Wx", cell.parameters().get("Wx"), g.parameters().get("Wx"))
                .wrt("Wh", cell.parameters().get("Wh"), g.parameters().get("Wh"))
                .wrt("b", cell.parameters().get("b"), g.parameters().get("b"))
                .run(() -> {
                    State next = cell.forward(x, new State(hPrev, cPrev)).state();
                    return TestData.dot(next.h(), R) + TestData.dot(next.c(), S);
                })
                .requirePassed();
    }

    @Test
    void withoutAHiddenGradientTheCellGradientFlowsBackThroughTheForgetGateAlone() {
        LstmCell cell = cellWithRandomBias(13);
        INDArray x = TestData.gaussian(1, N, D);
        INDArray hPrev = TestData.gaussian(2, N, H);
        INDArray cPrev = TestData.gaussian(3, N, H);
        INDArray dc = TestData.gaussian(4, N, H);
        var step = cell.forward(x, new State(hPrev, cPrev));
        INDArray dcPrev = cell.backward(new State(Nd4j.zeros(DataType.DOUBLE, N, H), dc), step.cache()).dPrevious().c();
        double[][] f = Reference.of(cell, x, hPrev, cPrev).gates()[LstmGate.FORGET.ordinal()];
        for (int n = 0; n < N; n++) {
            for (int j = 0; j < H; j++) {
                // ∂c_t/∂c_{t−1} = f: the constant error carousel
                assertEquals(dc.getDouble(n, j) * f[n][j], dcPrev.getDouble(n, j), 1e-12);
            }
        }
    }

    @Test
    void forwardAndBackwardLeaveTheirInputsAndTheCacheUnchanged() {
        LstmCell cell = cellWithRandomBias(1);
        INDArray x = TestData.gaussian(1, N, D);
        INDArray hPrev = TestData.gaussian(2, N, H);
        INDArray cPrev = TestData.gaussian(3, N, H);
        INDArray dh = TestData.gaussian(4, N, H);
        INDArray dc = TestData.gaussian(5, N, H);
        List<INDArray> inputs = List.of(x, hPrev, cPrev, dh, dc);
        List<INDArray> before = inputs.stream().map(INDArray::dup).toList();
        var step = cell.forward(x, new State(hPrev, cPrev));
        LstmCell.Cache cache = step.cache();
        List<INDArray> cached = List.of(cache.x(), cache.hPrev(), cache.cPrev(), cache.i(), cache.f(), cache.o(), cache.g(),
                cache.c(), cache.tanhC(), step.state().h());
        List<INDArray> cachedBefore = cached.stream().map(INDArray::dup).toList();
        cell.backward(new State(dh, dc), cache);
        assertEquals(before, inputs);
        assertEquals(cachedBefore, cached, "backward must not modify the cache or the output");
    }

    @Test
    void theSameSeedGivesTheSameWeightsAndAnotherSeedOthers() {
        LstmCell a = new LstmCell(D, H, DataType.DOUBLE, 42);
        LstmCell b = new LstmCell(D, H, DataType.DOUBLE, 42);
        LstmCell other = new LstmCell(D, H, DataType.DOUBLE, 43);
        for (String name : List.of("Wx", "Wh", "b")) {
            assertEquals(a.parameters().get(name), b.parameters().get(name), name);
        }
        assertNotEquals(a.parameters().get("Wx"), other.parameters().get("Wx"));
        assertNotEquals(a.parameters().get("Wh"), other.parameters().get("Wh"));
    }

    @Test
    void everyGateBlockOfWhIsOrthogonalAndTheBlocksDiffer() {
        LstmCell cell = new LstmCell(D, H, DataType.DOUBLE, 5);
        INDArray Wh = cell.parameters().get("Wh");
        for (LstmGate gate : LstmGate.values()) {
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
        assertNotEquals(LstmGate.INPUT.block(Wh, H), LstmGate.FORGET.block(Wh, H));
    }

    @Test
    void theForgetBiasSetsExactlyTheForgetBlockOfB() {
        INDArray b = new LstmCell(D, H, 2.5, DataType.DOUBLE, 3).parameters().get("b");
        INDArray byDefault = new LstmCell(D, H, DataType.DOUBLE, 3).parameters().get("b");
        assertEquals(1.0, LstmCell.DEFAULT_FORGET_BIAS);
        for (LstmGate gate : LstmGate.values()) {
            for (int j = 0; j < H; j++) {
                int column = (int) gate.offset(H) + j;
                assertEquals(gate == LstmGate.FORGET ? 2.5 : 0.0, b.getDouble(0, column), 0.0, gate + " column " + j);
                assertEquals(gate == LstmGate.FORGET ? 1.0 : 0.0, byDefault.getDouble(0, column), 0.0, gate + " column " + j);
            }
        }
    }

    @Test
    void theParameterCountIsFourHTimesDPlusHPlusOne() {
        LstmCell cell = new LstmCell(D, H, DataType.DOUBLE, 1);
        assertEquals(List.of("Wx", "Wh", "b"), List.copyOf(cell.parameters().names()));
        assertEquals("(4, 20)", Shapes.of(cell.parameters().get("Wx")));
        assertEquals("(5, 20)", Shapes.of(cell.parameters().get("Wh")));
        assertEquals("(1, 20)", Shapes.of(cell.parameters().get("b")));
        assertEquals(4L * H * (D + H + 1), cell.parameters().count());
    }

    @Test
    void theZeroStateCarriesHAndC() {
        State zero = new LstmCell(D, H, DataType.FLOAT, 1).zeroState(N);
        assertEquals(Nd4j.zeros(DataType.FLOAT, N, H), zero.h());
        assertEquals(Nd4j.zeros(DataType.FLOAT, N, H), zero.c());
    }

    @Test
    void aFloatCellComputesInFloatAndAgreesWithDouble() {
        LstmCell single = new LstmCell(D, H, DataType.FLOAT, 42);
        LstmCell twice = new LstmCell(D, H, DataType.DOUBLE, 42);
        INDArray x = TestData.gaussian(1, N, D);
        State previous = new State(TestData.gaussian(2, N, H), TestData.gaussian(3, N, H));
        State floatPrevious = new State(previous.h().castTo(DataType.FLOAT), previous.c().castTo(DataType.FLOAT));
        var step = single.forward(x.castTo(DataType.FLOAT), floatPrevious);
        assertEquals(DataType.FLOAT, step.state().h().dataType());
        assertEquals(DataType.FLOAT, step.state().c().dataType());
        State expected = twice.forward(x, previous).state();
        assertEquals(0.0, step.state().h().castTo(DataType.DOUBLE).sub(expected.h()).amaxNumber().doubleValue(), 1e-5);
        assertEquals(0.0, step.state().c().castTo(DataType.DOUBLE).sub(expected.c()).amaxNumber().doubleValue(), 1e-5);
        StepGradients g = single.backward(single.zeroState(N), step.cache());
        assertEquals(DataType.FLOAT, g.dx().dataType());
        assertEquals(DataType.FLOAT, g.parameters().get("Wh").dataType());
    }

    @Test
    void aWrongCellStateShapeIsRefusedWithBothShapes() {
        LstmCell cell = new LstmCell(D, H, DataType.DOUBLE, 1);
        ShapeException e = assertThrows(ShapeException.class, () -> cell.forward(TestData.gaussian(1, N, D),
                new State(TestData.gaussian(2, N, H), TestData.gaussian(3, N, 6))));
        assertEquals("LstmCell.forward: cPrev must have shape (N, H) = (3, 5), but has shape (3, 6).", e.getMessage());
    }

    @Test
    void aWrongHiddenStateShapeIsRefusedWithBothShapes() {
        LstmCell cell = new LstmCell(D, H, DataType.DOUBLE, 1);
        ShapeException e = assertThrows(ShapeException.class, () -> cell.forward(TestData.gaussian(1, 2, D),
                new State(TestData.gaussian(2, 2, 8), TestData.gaussian(3, 2, H))));
        assertEquals("LstmCell.forward: hPrev must have shape (N, H) = (2, 5), but has shape (2, 8).", e.getMessage());
    }

    @Test
    void aWrongInputShapeIsRefusedWithBothShapes() {
        LstmCell cell = new LstmCell(D, H, DataType.DOUBLE, 1);
        ShapeException e = assertThrows(ShapeException.class,
                () -> cell.forward(TestData.gaussian(1, N, 7), cell.zeroState(N)));
        assertEquals("LstmCell.forward: x must have shape (N, D) = (3, 4), but has shape (3, 7).", e.getMessage());
    }

    @Test
    void aStateWithoutACellStateIsRefusedWithAnExplanation() {
        LstmCell cell = new LstmCell(D, H, DataType.DOUBLE, 1);
        ShapeException e = assertThrows(ShapeException.class,
                () -> cell.forward(TestData.gaussian(1, N, D), State.of(TestData.gaussian(2, N, H))));
        assertEquals("LstmCell.forward: previous must carry the cell state cPrev of shape (N, H) = (3, 5), but has none. "
                + "An LSTM state is new State(h, c); start from zeroState(N).", e.getMessage());
    }

    @Test
    void aBackwardStepWithoutDcIsRefusedWithAnExplanation() {
        LstmCell cell = new LstmCell(D, H, DataType.DOUBLE, 1);
        var step = cell.forward(TestData.gaussian(1, N, D), cell.zeroState(N));
        ShapeException e = assertThrows(ShapeException.class,
                () -> cell.backward(State.of(TestData.gaussian(2, N, H)), step.cache()));
        assertEquals("LstmCell.backward: dNext must carry dc of shape (N, H) = (3, 5), but has none. "
                + "Pass zeros when no loss reaches c_t directly: new State(dh, dc).", e.getMessage());
    }

    @Test
    void aWrongGradientShapeIsRefusedWithBothShapes() {
        LstmCell cell = new LstmCell(D, H, DataType.DOUBLE, 1);
        var step = cell.forward(TestData.gaussian(1, N, D), cell.zeroState(N));
        ShapeException e = assertThrows(ShapeException.class,
                () -> cell.backward(new State(TestData.gaussian(2, N, H), TestData.gaussian(3, N, 6)), step.cache()));
        assertEquals("LstmCell.backward: dc must have shape (N, H) = (3, 5), but has shape (3, 6).", e.getMessage());
    }

    @Test
    void aFloatInputToADoubleCellIsRefused() {
        LstmCell cell = new LstmCell(D, H, DataType.DOUBLE, 1);
        ShapeException e = assertThrows(ShapeException.class,
                () -> cell.forward(TestData.gaussian(1, N, D).castTo(DataType.FLOAT), cell.zeroState(N)));
        assertEquals("LstmCell.forward: x must have data type DOUBLE, but has FLOAT. Convert it with castTo(DataType.DOUBLE).",
                e.getMessage());
    }

    @Test
    void aNonFiniteForgetBiasIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LstmCell(D, H, Double.NaN, DataType.DOUBLE, 1));
        assertEquals("LstmCell: forgetBias must be finite, but is NaN.", e.getMessage());
    }
}

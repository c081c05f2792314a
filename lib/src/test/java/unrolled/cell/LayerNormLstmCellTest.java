package unrolled.cell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.recurrent.RecurrentLayer;
import unrolled.recurrent.SequenceGradients;
import unrolled.tensor.ShapeException;

class LayerNormLstmCellTest {

    private static final int N = 3;
    private static final int D = 4;
    private static final int H = 5;

    /** A cell whose biases, gains and shifts are all away from their initial values, so every term is exercised. */
    private static LayerNormLstmCell cellWithRandomNorms(long seed) {
        return cellWithRandomNorms(D, H, seed);
    }

    private static LayerNormLstmCell cellWithRandomNorms(int inputSize, int hiddenSize, long seed) {
        LayerNormLstmCell cell = new LayerNormLstmCell(inputSize, hiddenSize, DataType.DOUBLE, seed);
        long k = 0;
        for (Map.Entry<String, INDArray> entry : cell.parameters()) {
            String name = entry.getKey();
            INDArray value = entry.getValue();
            if (name.endsWith("gamma")) {
                value.assign(TestData.gaussian(seed + 100 + k, value.shape()).muli(0.3).addi(1.0));
            } else if (name.endsWith("beta") || name.equals("b")) {
                value.assign(TestData.gaussian(seed + 100 + k, value.shape()).muli(0.5));
            }
            k++;
        }
        return cell;
    }

    /** Layer normalisation of each row of a, with gain and shift, by plain loops. */
    private static double[][] layerNorm(INDArray a, INDArray gamma, INDArray beta) {
        int rows = (int) a.size(0);
        int width = (int) a.size(1);
        double[][] out = new double[rows][width];
        for (int r = 0; r < rows; r++) {
            double mean = 0;
            for (int j = 0; j < width; j++) {
                mean += a.getDouble(r, j) / width;
            }
            double variance = 0;
            for (int j = 0; j < width; j++) {
                variance += Math.pow(a.getDouble(r, j) - mean, 2) / width;
            }
            for (int j = 0; j < width; j++) {
                double standardised = (a.getDouble(r, j) - mean) / Math.sqrt(variance + 1e-5);
                out[r][j] = gamma.getDouble(0, j) * standardised + beta.getDouble(0, j);
            }
        }
        return out;
    }

    @Test
    void forwardMatchesTheEquationsComputedElementByElement() {
        LayerNormLstmCell cell = cellWithRandomNorms(7);
        var p = cell.parameters();
        INDArray x = TestData.gaussian(1, N, D);
        INDArray hPrev = TestData.gaussian(2, N, H);
        INDArray cPrev = TestData.gaussian(3, N, H);
        Step<LayerNormLstmCell.Cache> step = cell.forward(x, new State(hPrev, cPrev));

        double[][] lnX = layerNorm(x.mmul(p.get("Wx")), p.get("normX.gamma"), p.get("normX.beta"));
        double[][] lnH = layerNorm(hPrev.mmul(p.get("Wh")), p.get("normH.gamma"), p.get("normH.beta"));
        double[][] c = new double[N][H];
        double[][] o = new double[N][H];
        for (int n = 0; n < N; n++) {
            for (int j = 0; j < H; j++) {
                double[] gate = new double[LstmGate.COUNT];
                for (LstmGate block : LstmGate.values()) {
                    int column = (int) block.offset(H) + j;
                    double a = lnX[n][column] + lnH[n][column] + p.get("b").getDouble(0, column);
                    gate[block.ordinal()] = block == LstmGate.CANDIDATE ? Math.tanh(a) : 1 / (1 + Math.exp(-a));
                }
                c[n][j] = gate[LstmGate.FORGET.ordinal()] * cPrev.getDouble(n, j)
                        + gate[LstmGate.INPUT.ordinal()] * gate[LstmGate.CANDIDATE.ordinal()];
                o[n][j] = gate[LstmGate.OUTPUT.ordinal()];
                assertEquals(gate[LstmGate.FORGET.ordinal()], step.cache().gate(LstmGate.FORGET).getDouble(n, j), 1e-12);
            }
        }
        double[][] lnC = layerNorm(Nd4j.createFromArray(c), p.get("normC.gamma"), p.get("normC.beta"));
        for (int n = 0; n < N; n++) {
            for (int j = 0; j < H; j++) {
                assertEquals(c[n][j], step.state().c().getDouble(n, j), 1e-12, "c");
                assertEquals(o[n][j] * Math.tanh(lnC[n][j]), step.state().h().getDouble(n, j), 1e-12, "h");
            }
        }
    }

    @ParameterizedTest(name = "dc arriving at c_t is non-zero: {0}")
    @ValueSource(booleans = {true, false})
    void backwardMatchesFiniteDifferencesForEveryParameterAndInput(boolean cellGradientArrives) {
        LayerNormLstmCell cell = cellWithRandomNorms(11);
        INDArray x = TestData.gaussian(3, N, D);
        INDArray hPrev = TestData.gaussian(4, N, H);
        INDArray cPrev = TestData.gaussian(5, N, H);
        INDArray R = TestData.gaussian(6, N, H);
        INDArray S = cellGradientArrives ? TestData.gaussian(7, N, H) : Nd4j.zeros(DataType.DOUBLE, N, H);
        var step = cell.forward(x, new State(hPrev, cPrev));
        // L = Σ h_t ⊙ R + Σ c_t ⊙ S, so dh = R and dc = S
        StepGradients g = cell.backward(new State(R, S), step.cache());
        GradientCheck check = GradientCheck.create()
                .wrt("x", x, g.dx())
                .wrt("hPrev", hPrev, g.dPrevious().h())
                .wrt("cPrev", cPrev, g.dPrevious().c());
        for (Map.Entry<String, INDArray> parameter : cell.parameters()) {
            check.wrt(parameter.getKey(), parameter.getValue(), g.parameters().get(parameter.getKey()));
        }
        check.run(() -> {
            State next = cell.forward(x, new State(hPrev, cPrev)).state();
            return TestData.dot(next.h(), R) + TestData.dot(next.c(), S);
        }).requirePassed();
    }

    @Test
    void backpropagationThroughTimeOverASequenceMatchesFiniteDifferences() {
        // a small cell over three steps: every entry of every array is checked, in seconds
        LayerNormLstmCell cell = cellWithRandomNorms(2, 3, 17);
        RecurrentLayer<LayerNormLstmCell.Cache> layer = new RecurrentLayer<>(cell);
        INDArray x = TestData.gaussian(8, 2, 3, 2);
        INDArray R = TestData.gaussian(9, 2, 3, 3);
        var result = layer.forward(x);
        SequenceGradients g = layer.backward(R, null, result.cache());
        GradientCheck check = GradientCheck.create().wrt("x", x, g.dx());
        for (Map.Entry<String, INDArray> parameter : cell.parameters()) {
            check.wrt(parameter.getKey(), parameter.getValue(), g.parameters().get(parameter.getKey()));
        }
        check.run(() -> TestData.dot(layer.forward(x).outputs(), R)).requirePassed();
    }

    /** The share of gate values within 0.01 of 0 or 1, where σ′ < 0.01: saturated. */
    private static double saturatedShare(INDArray gate) {
        double[] values = gate.dup().reshape(gate.length()).toDoubleVector();
        return java.util.Arrays.stream(values).filter(v -> Math.abs(v - 0.5) > 0.49).count() / (double) values.length;
    }

    @Test
    void largeInputsSaturateThePlainLstmsGatesButNotTheLayerNormalisedOnes() {
        LayerNormLstmCell normalised = new LayerNormLstmCell(D, H, DataType.DOUBLE, 3);
        LstmCell plain = new LstmCell(D, H, DataType.DOUBLE, 3);
        INDArray x = TestData.gaussian(1, N, D);
        State zero = plain.zeroState(N);
        // LN(s·a) = LN(a) up to ε: the gates do not move when the inputs grow a hundredfold
        INDArray normalisedGate = normalised.forward(x, zero).cache().gate(LstmGate.INPUT);
        INDArray normalisedGateLarge = normalised.forward(x.mul(100), zero).cache().gate(LstmGate.INPUT);
        double moved = normalisedGate.sub(normalisedGateLarge).amaxNumber().doubleValue();
        assertTrue(moved < 1e-3, "the layer-normalised gates moved by " + moved);
        assertEquals(0.0, saturatedShare(normalisedGateLarge));
        double plainSaturated = saturatedShare(plain.forward(x.mul(100), zero).cache().gate(LstmGate.INPUT));
        assertTrue(plainSaturated > 0.5, "share of saturated plain gates: " + plainSaturated);
    }

    @Test
    void itStartsFromTheSameWeightsAsThePlainLstmWithTheSameSeed() {
        LayerNormLstmCell normalised = new LayerNormLstmCell(D, H, DataType.DOUBLE, 5);
        LstmCell plain = new LstmCell(D, H, DataType.DOUBLE, 5);
        for (String name : new String[] {"Wx", "Wh", "b"}) {
            assertEquals(plain.parameters().get(name), normalised.parameters().get(name), name);
        }
        assertEquals(4L * H * (D + H + 1) + 2L * (8 * H + H), normalised.parameters().count());
    }

    @Test
    void aWrongCellStateShapeIsRefusedWithBothShapes() {
        LayerNormLstmCell cell = new LayerNormLstmCell(D, H, DataType.DOUBLE, 1);
        INDArray x = TestData.gaussian(1, N, D);
        ShapeException e = assertThrows(ShapeException.class, () -> cell.forward(x,
                new State(Nd4j.zeros(DataType.DOUBLE, N, H), Nd4j.zeros(DataType.DOUBLE, N, H + 1))));
        assertEquals("LayerNormLstmCell.forward: cPrev must have shape (N, H) = (3, 5), but has shape (3, 6).", e.getMessage());
    }

    @Test
    void aStateWithoutACellStateIsRefusedWithAnExplanation() {
        LayerNormLstmCell cell = new LayerNormLstmCell(D, H, DataType.DOUBLE, 1);
        ShapeException e = assertThrows(ShapeException.class,
                () -> cell.forward(TestData.gaussian(1, N, D), State.of(Nd4j.zeros(DataType.DOUBLE, N, H))));
        assertTrue(e.getMessage().contains("start from zeroState(N)"), e.getMessage());
    }

    @Test
    void aBackwardStepWithoutDcIsRefusedWithAnExplanation() {
        LayerNormLstmCell cell = new LayerNormLstmCell(D, H, DataType.DOUBLE, 1);
        var step = cell.forward(TestData.gaussian(1, N, D), cell.zeroState(N));
        ShapeException e = assertThrows(ShapeException.class,
                () -> cell.backward(State.of(Nd4j.zeros(DataType.DOUBLE, N, H)), step.cache()));
        assertTrue(e.getMessage().startsWith("LayerNormLstmCell.backward: dNext must carry dc"), e.getMessage());
    }
}

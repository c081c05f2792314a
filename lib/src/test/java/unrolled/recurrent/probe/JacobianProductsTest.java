package unrolled.recurrent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static unrolled.recurrent.Close.assertClose;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import tech.tablesaw.api.Table;
import unrolled.TestData;
import unrolled.cell.RecurrentCell;
import unrolled.cell.RnnCell;
import unrolled.cell.State;
import unrolled.param.Init;
import unrolled.recurrent.MemoryCell;
import unrolled.recurrent.RecurrentLayer;
import unrolled.recurrent.SequenceGradients;
import unrolled.data.SequenceMask;

class JacobianProductsTest {

    private static final int N = 2;
    private static final int T = 5;
    private static final int D = 3;
    private static final int H = 4;

    private static INDArray step(INDArray a, int t) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all()).dup();
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b[0].length; j++) {
                for (int k = 0; k < b.length; k++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }

    @Test
    void forALinearRnnTheProductsArePowersOfWhTransposed() {
        // ReLU with positive inputs, weights and biases: every pre-activation is positive, φ' = 1, J_t = Whᵀ
        RnnCell cell = new RnnCell(D, H, RnnCell.Activation.RELU, DataType.DOUBLE, 1);
        cell.parameters().get("Wx").assign(Init.uniform(D, H, 0.1, 0.5, 2, DataType.DOUBLE));
        INDArray Wh = cell.parameters().get("Wh").assign(Init.uniform(H, H, 0.05, 0.4, 3, DataType.DOUBLE));
        cell.parameters().get("b").assign(0.1);
        RecurrentLayer<RnnCell.Cache> layer = new RecurrentLayer<>(cell);
        INDArray x = Nd4j.math().abs(TestData.gaussian(4, N, T, D));
        var result = layer.forward(x);
        assertTrue(result.outputs().minNumber().doubleValue() > 0, "every unit must be active");

        JacobianProducts products = JacobianProducts.of(layer, result.cache(), 1);
        assertEquals(T, products.length());
        double[][] WhT = new double[H][H];
        for (int i = 0; i < H; i++) {
            for (int j = 0; j < H; j++) {
                WhT[i][j] = Wh.getDouble(j, i);
            }
        }
        double[][] power = WhT;
        for (int t = T - 1; t >= 0; t--) {
            // P_t = (Whᵀ)^(T − t)
            assertClose(Nd4j.createFromArray(power), products.product(t), 1e-12, "P_" + t);
            double[] sigma = SingularValues.of(Nd4j.createFromArray(power));
            assertEquals(sigma[0], products.spectralNorm(t), 1e-12);
            power = multiply(power, WhT);
        }
    }

    @Test
    void theStepJacobianFromBackwardEqualsTheClosedFormComputedByHand() {
        RnnCell cell = new RnnCell(D, H, RnnCell.Activation.TANH, DataType.DOUBLE, 5);
        RecurrentLayer<RnnCell.Cache> layer = new RecurrentLayer<>(cell);
        var result = layer.forward(TestData.gaussian(6, N, T, D), State.of(TestData.gaussian(7, N, H)), null);
        INDArray Wh = cell.parameters().get("Wh");
        for (int t = 0; t < T; t++) {
            for (int n = 0; n < N; n++) {
                RnnCell.Cache cache = result.cache().steps().get(t);
                INDArray fromBackward = JacobianProducts.stepJacobian(cell, cache, N, n);
                INDArray closedForm = JacobianProducts.rnnStepJacobian(cell, cache, n);
                // J[i, j] = (1 − h_t[i]²)·Wh[j, i]
                double[][] byHand = new double[H][H];
                for (int i = 0; i < H; i++) {
                    double h = result.outputs().getDouble(n, t, i);
                    for (int j = 0; j < H; j++) {
                        byHand[i][j] = (1 - h * h) * Wh.getDouble(j, i);
                    }
                }
                assertClose(Nd4j.createFromArray(byHand), closedForm, 1e-15, "closed form J_" + t);
                assertClose(Nd4j.createFromArray(byHand), fromBackward, 1e-15, "J_" + t + " from backward");
            }
        }
    }

    @Test
    void theProductsMatchFiniteDifferencesOfTheLastStateForARnn() {
        productsMatchFiniteDifferences(new RnnCell(D, H, RnnCell.Activation.TANH, DataType.DOUBLE, 8));
    }

    @Test
    void theProductsMatchFiniteDifferencesOfTheLastStateForACellWithACellState() {
        productsMatchFiniteDifferences(new MemoryCell(D, H, DataType.DOUBLE, 9));
    }

    /** Column j of P_t = (s_{T−1}(s_{t−1} + εe_j) − s_{T−1}(s_{t−1} − εe_j)) / 2ε, running the cell by hand. */
    private static <C> void productsMatchFiniteDifferences(RecurrentCell<C> cell) {
        int n = 1;
        RecurrentLayer<C> layer = new RecurrentLayer<>(cell);
        boolean hasC = layer.hasCellState();
        int size = hasC ? 2 * H : H;
        INDArray x = TestData.gaussian(10, N, T, D);
        State initial = new State(TestData.gaussian(11, N, H), hasC ? TestData.gaussian(12, N, H) : null);
        JacobianProducts products = JacobianProducts.of(layer, layer.forward(x, initial, null).cache(), n);
        List<State> entering = new ArrayList<>();
        State s = initial;
        for (int t = 0; t < T; t++) {
            entering.add(s);
            s = cell.forward(step(x, t), s).state();
        }
        double epsilon = 1e-6;
        for (int t = 0; t < T; t++) {
            double[][] expected = new double[size][size];
            for (int j = 0; j < size; j++) {
                double[] plus = last(cell, x, perturb(entering.get(t), n, j, epsilon), t, n);
                double[] minus = last(cell, x, perturb(entering.get(t), n, j, -epsilon), t, n);
                for (int i = 0; i < size; i++) {
                    expected[i][j] = (plus[i] - minus[i]) / (2 * epsilon);
                }
            }
            assertClose(Nd4j.createFromArray(expected), products.product(t), 1e-8, "P_" + t);
        }
    }

    private static State perturb(State s, int n, int j, double by) {
        State copy = new State(s.h().dup(), s.c() == null ? null : s.c().dup());
        INDArray target = j < H ? copy.h() : copy.c();
        target.putScalar(new long[] {n, j % H}, target.getDouble(n, j % H) + by);
        return copy;
    }

    private static <C> double[] last(RecurrentCell<C> cell, INDArray x, State from, int t, int n) {
        State s = from;
        for (int k = t; k < T; k++) {
            s = cell.forward(step(x, k), s).state();
        }
        double[] h = s.h().getRow(n).toDoubleVector();
        if (s.c() == null) {
            return h;
        }
        double[] c = s.c().getRow(n).toDoubleVector();
        double[] both = new double[2 * H];
        System.arraycopy(h, 0, both, 0, H);
        System.arraycopy(c, 0, both, H, H);
        return both;
    }

    @Test
    void theBackwardPassSendsTheFinalGradientThroughTheProducts() {
        RnnCell cell = new RnnCell(D, H, RnnCell.Activation.TANH, DataType.DOUBLE, 13);
        RecurrentLayer<RnnCell.Cache> layer = new RecurrentLayer<>(cell);
        var result = layer.forward(TestData.gaussian(14, N, T, D));
        INDArray v = TestData.gaussian(15, N, H);
        SequenceGradients g = layer.backward(Nd4j.zeros(DataType.DOUBLE, N, T, H), State.of(v), result.cache());
        for (int n = 0; n < N; n++) {
            JacobianProducts products = JacobianProducts.of(layer, result.cache(), n);
            INDArray vn = v.get(NDArrayIndex.interval(n, n + 1), NDArrayIndex.all());
            // ∂L/∂h_{t−1} = v·P_t
            for (int t = 1; t < T; t++) {
                assertClose(vn.mmul(products.product(t)),
                        g.dStates().get(t - 1).h().get(NDArrayIndex.interval(n, n + 1), NDArrayIndex.all()), 1e-13,
                        "dL/dh_" + (t - 1));
            }
            assertClose(vn.mmul(products.product(0)),
                    g.dInitial().h().get(NDArrayIndex.interval(n, n + 1), NDArrayIndex.all()), 1e-13, "dL/dh_{-1}");
        }
    }

    @Test
    void paddedStepsAreIdentitiesAndTheRestEqualsTheSequenceAlone() {
        RnnCell cell = new RnnCell(D, H, RnnCell.Activation.TANH, DataType.DOUBLE, 16);
        RecurrentLayer<RnnCell.Cache> layer = new RecurrentLayer<>(cell);
        INDArray x = TestData.gaussian(17, N, T, D);
        var padded = layer.forward(x, SequenceMask.ofLengths(new int[] {T, 2}, T));
        JacobianProducts products = JacobianProducts.of(layer, padded.cache(), 1);
        INDArray identity = Nd4j.eye(H).castTo(DataType.DOUBLE);
        for (int t = 2; t < T; t++) {
            assertClose(identity, products.stepJacobian(t), 0, "J_" + t + " on padding");
            assertClose(identity, products.product(t), 0, "P_" + t + " over padding only");
        }
        INDArray alone = x.get(NDArrayIndex.interval(1, 2), NDArrayIndex.interval(0, 2), NDArrayIndex.all()).dup();
        JacobianProducts unpadded = JacobianProducts.of(layer, layer.forward(alone).cache(), 0);
        assertClose(unpadded.product(0), products.product(0), 1e-14, "P_0");
        assertClose(unpadded.product(1), products.product(1), 1e-14, "P_1");
    }

    @Test
    void theTableListsTheProductsFromTheLastStepBack() {
        RnnCell cell = new RnnCell(D, H, RnnCell.Activation.TANH, DataType.DOUBLE, 18);
        RecurrentLayer<RnnCell.Cache> layer = new RecurrentLayer<>(cell);
        JacobianProducts products = JacobianProducts.of(layer, layer.forward(TestData.gaussian(19, N, T, D)).cache(), 0);
        Table table = products.table("Jacobian products");
        assertEquals(T, table.rowCount());
        for (int row = 0; row < T; row++) {
            int t = T - 1 - row;
            assertEquals(t, table.intColumn("t").getInt(row));
            assertEquals(row + 1, table.intColumn("factors").getInt(row));
            assertEquals(products.spectralNorm(t), table.doubleColumn("spectral norm").getDouble(row), 0.0);
            double[] sigma = products.singularValues(t);
            assertEquals(sigma[H - 1], table.doubleColumn("smallest singular value").getDouble(row), 0.0);
        }
    }

    @Test
    void aSequenceOutsideTheBatchIsRefused() {
        RecurrentLayer<RnnCell.Cache> layer = new RecurrentLayer<>(new RnnCell(D, H, RnnCell.Activation.TANH, DataType.DOUBLE, 1));
        var cache = layer.forward(TestData.gaussian(1, N, T, D)).cache();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JacobianProducts.of(layer, cache, 2));
        assertEquals("JacobianProducts.of: sequence must be in [0, N) = [0, 2), but is 2.", e.getMessage());
    }
}

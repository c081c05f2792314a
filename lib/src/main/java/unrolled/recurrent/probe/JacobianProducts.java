package unrolled.recurrent.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;
import unrolled.cell.RecurrentCell;
import unrolled.cell.RnnCell;
import unrolled.cell.State;
import unrolled.cell.StepGradients;
import unrolled.recurrent.RecurrentLayer;
import unrolled.data.SequenceMask;
import unrolled.tensor.Shapes;

/**
 * Why gradients vanish or explode: the products of step Jacobians along one sequence of a forward pass.
 *
 * <p><b>The step Jacobian.</b> Write s_t for the state after step t (h_t, or [h_t, c_t] for an LSTM: S = H or 2H
 * numbers) and J_t = ∂s_t/∂s_{t−1}, the (S, S) matrix with J_t[i, j] = ∂s_t[i]/∂s_{t−1}[j]. For the vanilla
 * {@link RnnCell} it has a closed form. With row vectors, a_t = x_t·Wx + h_{t−1}·Wh + b, so
 * <pre>
 *   a_t[i] = Σ_j h_{t−1}[j]·Wh[j, i] + (terms without h_{t−1})   ⇒   ∂a_t[i]/∂h_{t−1}[j] = Wh[j, i] = (Whᵀ)[i, j]
 *   h_t[i] = φ(a_t[i])                                          ⇒   ∂h_t[i]/∂h_{t−1}[j] = φ'(a_t[i])·(Whᵀ)[i, j]
 *   J_t = diag(φ'(a_t))·Whᵀ                                        φ' = 1 − h_t² (tanh), [h_t &gt; 0] (ReLU)
 * </pre>
 * (Whᵀ, not Wh, because row-vector maths multiplies by Wh on the right.) Hence ‖J_t‖₂ ≤ max|φ'|·‖Wh‖₂, and since
 * |tanh'| ≤ 1 a tanh RNN whose ‖Wh‖₂ &lt; 1 must shrink every gradient by a constant factor per step. For any other
 * cell, {@link #stepJacobian} builds J_t from the cell's own backward pass: backward computes vector–Jacobian
 * products v ↦ v·J_t, so feeding the unit vector e_i as dh (or dc) returns the i-th row of J_t — the i-th column of
 * J_tᵀ — and S backward calls give the whole matrix. On a padded step the state is frozen, so J_t = I.
 *
 * <p><b>The products.</b> For t = T−1 … 0 this class computes
 * <pre>
 *   P_t = ∂s_{T−1}/∂s_{t−1} = J_{T−1}·J_{T−2} ⋯ J_t        (T − t factors; P_0 reaches the initial state s_{−1})
 * </pre>
 * — in the 1-based notation with h_0 the initial state and h_T the last, ∏_{k=t+1}^{T} ∂h_k/∂h_{k−1}. The gradient the
 * last state sends back to the state entering step t is the row vector ∂L/∂s_{T−1}·P_t, so the singular values of P_t
 * bound it: σ_min(P_t)·‖g‖ ≤ ‖g·P_t‖ ≤ σ_max(P_t)·‖g‖. Their geometric decay (or growth) in the number of factors is the
 * vanishing (or exploding) gradient.
 *
 * <p>All matrices are DOUBLE, whatever the layer computes in.
 */
public final class JacobianProducts {

    private final List<INDArray> stepJacobians;
    private final List<INDArray> products;
    private final List<double[]> singularValues;

    private JacobianProducts(List<INDArray> stepJacobians, List<INDArray> products) {
        this.stepJacobians = stepJacobians;
        this.products = products;
        this.singularValues = new ArrayList<>();
        for (INDArray product : products) {
            singularValues.add(SingularValues.of(product));
        }
    }

    /**
     * The Jacobian products of one sequence of a layer's forward pass, each step Jacobian from the cell's backward.
     *
     * @param layer the layer that ran the forward pass
     * @param cache the forward pass's cache; not modified
     * @param sequence n, the sequence of the batch to probe, in [0, N)
     * @param <C> the cell's cache type
     * @return the step Jacobians J_t, the products P_t and their singular values, for t = 0 … T−1
     */
    public static <C> JacobianProducts of(RecurrentLayer<C> layer, RecurrentLayer.Cache<C> cache, int sequence) {
        Objects.requireNonNull(layer, "JacobianProducts.of: layer must not be null");
        Objects.requireNonNull(cache, "JacobianProducts.of: cache must not be null");
        requireSequence("JacobianProducts.of", sequence, cache.batchSize());
        int steps = cache.length();
        SequenceMask mask = cache.mask();
        List<INDArray> jacobians = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
            if (mask != null && !mask.isReal(sequence, t)) {
                // a padded step freezes the state: s_t = s_{t−1}
                int size = layer.hasCellState() ? 2 * layer.hiddenSize() : layer.hiddenSize();
                jacobians.add(Nd4j.eye(size).castTo(DataType.DOUBLE));
            } else {
                jacobians.add(stepJacobian(layer.cell(), cache.steps().get(t), cache.batchSize(), sequence));
            }
        }
        return fromStepJacobians(jacobians);
    }

    /**
     * The products of given step Jacobians J_0 … J_{T−1}: P_{T−1} = J_{T−1}, then P_t = P_{t+1}·J_t.
     *
     * @param stepJacobians J_t for t = 0 … T−1, each (S, S), at least one; not modified
     * @return the products and their singular values
     */
    public static JacobianProducts fromStepJacobians(List<INDArray> stepJacobians) {
        Objects.requireNonNull(stepJacobians, "JacobianProducts.fromStepJacobians: stepJacobians must not be null");
        if (stepJacobians.isEmpty()) {
            throw new IllegalArgumentException("JacobianProducts.fromStepJacobians: stepJacobians must hold at least one matrix, but is empty.");
        }
        long size = stepJacobians.get(0).rank() == 2 ? stepJacobians.get(0).size(0) : Shapes.ANY;
        List<INDArray> jacobians = new ArrayList<>();
        for (int t = 0; t < stepJacobians.size(); t++) {
            Shapes.require("JacobianProducts.fromStepJacobians", "stepJacobians[" + t + "]",
                    stepJacobians.get(t), "(S, S)", size, size);
            jacobians.add(stepJacobians.get(t).castTo(DataType.DOUBLE).dup());
        }
        int steps = jacobians.size();
        INDArray[] products = new INDArray[steps];
        // P_{T−1} = J_{T−1};  P_t = P_{t+1}·J_t
        products[steps - 1] = jacobians.get(steps - 1).dup();
        for (int t = steps - 2; t >= 0; t--) {
            products[t] = products[t + 1].mmul(jacobians.get(t));
        }
        return new JacobianProducts(List.copyOf(jacobians), List.of(products));
    }

    /**
     * One step's Jacobian J = ∂s_t/∂s_{t−1} for sequence n, from the cell's own backward pass: for each i, backward
     * with dNext = e_i (a one in row n, column i of dh, or of dc for i ≥ H) returns row i of J in row n of dPrevious.
     * Works for any cell.
     *
     * @param cell the cell
     * @param stepCache the cell's cache for the step; not modified
     * @param batchSize N, the batch size the step ran with
     * @param sequence n, in [0, N)
     * @param <C> the cell's cache type
     * @return J, (S, S) DOUBLE, S = H, or 2H for a cell with a cell state (state order [h, c])
     */
    public static <C> INDArray stepJacobian(RecurrentCell<C> cell, C stepCache, long batchSize, int sequence) {
        Objects.requireNonNull(cell, "JacobianProducts.stepJacobian: cell must not be null");
        Objects.requireNonNull(stepCache, "JacobianProducts.stepJacobian: stepCache must not be null");
        requireSequence("JacobianProducts.stepJacobian", sequence, batchSize);
        int hidden = cell.hiddenSize();
        boolean hasCellState = cell.zeroState(1).hasCell();
        int size = hasCellState ? 2 * hidden : hidden;
        INDArray J = Nd4j.zeros(DataType.DOUBLE, size, size);
        for (int i = 0; i < size; i++) {
            INDArray dh = Nd4j.zeros(cell.dataType(), batchSize, hidden);
            INDArray dc = hasCellState ? Nd4j.zeros(cell.dataType(), batchSize, hidden) : null;
            // dNext = e_i in sequence n's row
            (i < hidden ? dh : dc).putScalar(new long[] {sequence, i % hidden}, 1.0);
            StepGradients g = cell.backward(new State(dh, dc), stepCache);
            // e_i·J = row i of J
            J.get(NDArrayIndex.point(i), NDArrayIndex.interval(0, hidden))
                    .assign(g.dPrevious().h().getRow(sequence).castTo(DataType.DOUBLE));
            if (hasCellState) {
                J.get(NDArrayIndex.point(i), NDArrayIndex.interval(hidden, size))
                        .assign(g.dPrevious().c().getRow(sequence).castTo(DataType.DOUBLE));
            }
        }
        return J;
    }

    /**
     * The closed form for the vanilla RNN: J_t = diag(φ'(a_t))·Whᵀ for sequence n (derived in the class comment).
     *
     * @param cell the RNN cell
     * @param stepCache its cache for step t; not modified
     * @param sequence n, in [0, N)
     * @return J_t, (H, H) DOUBLE
     */
    public static INDArray rnnStepJacobian(RnnCell cell, RnnCell.Cache stepCache, int sequence) {
        Objects.requireNonNull(cell, "JacobianProducts.rnnStepJacobian: cell must not be null");
        Objects.requireNonNull(stepCache, "JacobianProducts.rnnStepJacobian: stepCache must not be null");
        requireSequence("JacobianProducts.rnnStepJacobian", sequence, stepCache.h().size(0));
        INDArray h = stepCache.h().getRow(sequence).castTo(DataType.DOUBLE).reshape(1, cell.hiddenSize());
        // φ'(a_t) from h_t = φ(a_t):  tanh' = 1 − h²,  relu' = [h > 0]
        INDArray dPhi = cell.activation() == RnnCell.Activation.TANH
                ? h.mul(h).rsubi(1.0)
                : h.gt(0.0).castTo(DataType.DOUBLE);
        INDArray WhT = cell.parameters().get("Wh").castTo(DataType.DOUBLE).transpose();
        // diag(φ') · Whᵀ: scale row i of Whᵀ by φ'_i
        return WhT.mulColumnVector(dPhi.reshape(cell.hiddenSize(), 1));
    }

    /** @return T, the number of steps */
    public int length() {
        return products.size();
    }

    /**
     * @param step t, in [0, T)
     * @return a copy of J_t = ∂s_t/∂s_{t−1}, (S, S)
     */
    public INDArray stepJacobian(int step) {
        return stepJacobians.get(Objects.checkIndex(step, length())).dup();
    }

    /**
     * @param step t, in [0, T)
     * @return a copy of P_t = J_{T−1} ⋯ J_t = ∂s_{T−1}/∂s_{t−1}, (S, S)
     */
    public INDArray product(int step) {
        return products.get(Objects.checkIndex(step, length())).dup();
    }

    /**
     * @param step t, in [0, T)
     * @return the singular values of P_t, largest first
     */
    public double[] singularValues(int step) {
        return singularValues.get(Objects.checkIndex(step, length())).clone();
    }

    /**
     * @param step t, in [0, T)
     * @return ‖P_t‖₂, the largest singular value of P_t
     */
    public double spectralNorm(int step) {
        return singularValues.get(Objects.checkIndex(step, length()))[0];
    }

    /** @return ‖P_t‖₂ for t = 0 … T−1 */
    public double[] spectralNorms() {
        double[] norms = new double[length()];
        for (int t = 0; t < norms.length; t++) {
            norms[t] = spectralNorm(t);
        }
        return norms;
    }

    /**
     * @param title the table's name
     * @return one row per t = T−1 … 0: t, the number of factors T − t, ‖P_t‖₂ and σ_min(P_t)
     */
    public Table table(String title) {
        IntColumn step = IntColumn.create("t");
        IntColumn factors = IntColumn.create("factors");
        DoubleColumn largest = DoubleColumn.create("spectral norm");
        DoubleColumn smallest = DoubleColumn.create("smallest singular value");
        for (int t = length() - 1; t >= 0; t--) {
            double[] sigma = singularValues.get(t);
            step.append(t);
            factors.append(length() - t);
            largest.append(sigma[0]);
            smallest.append(sigma[sigma.length - 1]);
        }
        return Table.create(title, step, factors, largest, smallest);
    }

    @Override
    public String toString() {
        return "JacobianProducts(T=" + length() + ", S=" + products.get(0).size(0) + ")";
    }

    private static void requireSequence(String method, int sequence, long batchSize) {
        if (sequence < 0 || sequence >= batchSize) {
            throw new IllegalArgumentException(method + ": sequence must be in [0, N) = [0, " + batchSize + "), but is "
                    + sequence + ".");
        }
    }
}

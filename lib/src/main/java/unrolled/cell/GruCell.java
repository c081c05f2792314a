package unrolled.cell;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import unrolled.param.Gradients;
import unrolled.param.Init;
import unrolled.param.Parameters;
import unrolled.tensor.ShapeException;
import unrolled.tensor.Slices;

/**
 * The gated recurrent unit (GRU) cell, in the formulation cuDNN and PyTorch use, with its three blocks fused:
 *
 * <pre>
 *   ax = x_t·Wx + bx,   ah = h_{t−1}·Wh + bh      Wx (D, 3H), Wh (H, 3H), bx (1, 3H), bh (1, 3H); ax, ah (N, 3H)
 *   split each into blocks r, z, n                in the order of {@link GruGate}
 *   r = σ(ax_r + ah_r)                            reset gate:  σ(x·Wxr + bxr + h·Whr + bhr)
 *   z = σ(ax_z + ah_z)                            update gate: σ(x·Wxz + bxz + h·Whz + bhz)
 *   n = tanh(ax_n + r ⊙ ah_n)                     candidate:   tanh(x·Wxn + bxn + r ⊙ (h·Whn + bhn))
 *   h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
 * </pre>
 *
 * <p><b>How this differs from Cho et al. (2014).</b> The original GRU resets the old state <em>before</em> the
 * matrix product: n = tanh(x·Wxn + (r ⊙ h_{t−1})·Whn + b_n). Here r multiplies <em>after</em> it, and after the
 * recurrent bias: r ⊙ (h_{t−1}·Whn + bhn). The two are different functions of the weights (in the original,
 * r_k silences one component of h_{t−1} in every unit; here r_j scales all of unit j's recurrent input), and
 * train about equally well. The reason for this form is speed: h_{t−1}·Wh for all three blocks is one
 * (H, 3H) product that does not wait for r. It needs two biases on the candidate, bxn outside r and bhn inside
 * it; for r and z only the sum bx + bh matters, and both are kept so the weights have the cuDNN/PyTorch layout.
 * The update gate follows Cho et al.: z near 1 keeps the old state. (Some texts, e.g. Chung et al. 2014, write
 * h_t = (1 − z) ⊙ h_{t−1} + z ⊙ n: the same model with z and 1 − z swapped.)
 *
 * <p>Parameters: 3H(D + H + 2) numbers, against 4H(D + H + 1) for an {@link LstmCell} of the same size.
 *
 * <p>Backward, with dh = ∂L/∂h_t:
 * <pre>
 *   dn = dh ⊙ (1 − z)    dz = dh ⊙ (h_{t−1} − n)
 *   da_n = dn ⊙ (1 − n²)   dr = da_n ⊙ ah_n   da_r = dr ⊙ r(1 − r)   da_z = dz ⊙ z(1 − z)
 *   dax = [da_r, da_z, da_n]   dah = [da_r, da_z, da_n ⊙ r]
 *   dWx = x_tᵀ·dax   dbx = Σ_N dax   dWh = h_{t−1}ᵀ·dah   dbh = Σ_N dah
 *   dx_t = dax·Wxᵀ   dh_{t−1} = dah·Whᵀ + dh ⊙ z
 * </pre>
 *
 * <p>Initialisation: {@code Wx} Xavier-uniform over the whole (D, 3H) matrix; {@code Wh} orthogonal block by
 * block, so each gate's (H, H) recurrent matrix is orthogonal on its own; both biases zero.
 *
 * <p>States carry h only: {@code State.of(h)}, or {@link #zeroState}.
 */
public final class GruCell extends CellSizes implements RecurrentCell<GruCell.Cache> {

    /**
     * What the forward step keeps for the backward step.
     *
     * @param x the input x_t, (N, D)
     * @param hPrev the previous hidden state h_{t−1}, (N, H)
     * @param r the reset gate, (N, H)
     * @param z the update gate, (N, H)
     * @param n the candidate, (N, H)
     * @param ahn ah_n = h_{t−1}·Whn + bhn, the candidate's recurrent input before the reset gate, (N, H)
     */
    public record Cache(INDArray x, INDArray hPrev, INDArray r, INDArray z, INDArray n, INDArray ahn)
            implements CellSteps.Cached {

        /**
         * The activations of one block, for gate heatmaps: {@code cache.gate(GruGate.UPDATE)} is z.
         * Read it, do not modify it: the backward step uses the same array.
         *
         * @param gate which block
         * @return its activation, (N, H)
         */
        public INDArray gate(GruGate gate) {
            Objects.requireNonNull(gate, "GruCell.Cache.gate: gate must not be null");
            return switch (gate) {
                case RESET -> r;
                case UPDATE -> z;
                case CANDIDATE -> n;
            };
        }
    }

    private final INDArray Wx;
    private final INDArray Wh;
    private final INDArray bx;
    private final INDArray bh;

    /**
     * @param inputSize D, positive
     * @param hiddenSize H, positive
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of the weights
     */
    public GruCell(int inputSize, int hiddenSize, DataType dataType, long seed) {
        super("GruCell", inputSize, hiddenSize, dataType);
        int fused = GruGate.COUNT * hiddenSize;
        this.Wx = Init.xavierUniform(inputSize, fused, seed, dataType);
        this.Wh = Nd4j.zeros(dataType, hiddenSize, fused);
        for (GruGate gate : GruGate.values()) {
            gate.block(Wh, hiddenSize).assign(Init.orthogonal(hiddenSize, hiddenSize, 1.0, seed + 1 + gate.ordinal(), dataType));
        }
        this.bx = Nd4j.zeros(dataType, 1, fused);
        this.bh = Nd4j.zeros(dataType, 1, fused);
        parameters.add("Wx", Wx).add("Wh", Wh).add("bx", bx).add("bh", bh);
    }

    /**
     * One forward step.
     *
     * <p>Wrong shapes are refused with a {@link ShapeException} such as
     * {@code GruCell.forward: hPrev must have shape (N, H) = (3, 5), but has shape (3, 6).}; a state that carries
     * a cell state c (an LSTM's) is refused with a message that says so.
     *
     * @param x the input x_t, (N, D)
     * @param previous h_{t−1}, (N, H), without a cell state
     * @return the new state h_t and the cache for {@link #backward}
     */
    @Override
    public Step<Cache> forward(INDArray x, State previous) {
        CellSteps.requireStep("GruCell.forward", "A GRU", x, previous, inputSize, hiddenSize, dataType);
        INDArray hPrev = previous.h();

        // ax = x_t·Wx + bx,  ah = h_{t−1}·Wh + bh      (N, 3H), blocks r, z, n
        INDArray ax = x.mmul(Wx).addiRowVector(bx);
        INDArray ah = hPrev.mmul(Wh).addiRowVector(bh);
        // r = σ(ax_r + ah_r),  z = σ(ax_z + ah_z)
        INDArray r = Transforms.sigmoid(GruGate.RESET.block(ax, hiddenSize).add(GruGate.RESET.block(ah, hiddenSize)), false);
        INDArray z = Transforms.sigmoid(GruGate.UPDATE.block(ax, hiddenSize).add(GruGate.UPDATE.block(ah, hiddenSize)), false);
        // n = tanh(ax_n + r ⊙ ah_n),  ah_n = h_{t−1}·Whn + bhn
        INDArray ahn = GruGate.CANDIDATE.block(ah, hiddenSize).dup();
        INDArray n = Transforms.tanh(GruGate.CANDIDATE.block(ax, hiddenSize).add(r.mul(ahn)), false);
        // h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
        INDArray h = z.rsub(1.0).muli(n).addi(z.mul(hPrev));
        return new Step<>(State.of(h), new Cache(x, hPrev, r, z, n, ahn));
    }

    /**
     * One backward step.
     *
     * <p>Wrong shapes are refused with a {@link ShapeException} such as
     * {@code GruCell.backward: dh must have shape (N, H) = (3, 5), but has shape (3, 6).}
     *
     * @param dNext dh = ∂L/∂h_t, (N, H), without a cell-state gradient
     * @param cache the cache {@link #forward} returned for this step
     * @return dx_t (N, D), dh_{t−1} (N, H), and the gradients of Wx, Wh, bx and bh
     */
    @Override
    public StepGradients backward(State dNext, Cache cache) {
        CellSteps.requireStepGradient("GruCell.backward", "A GRU", dNext, cache, hiddenSize, dataType);
        INDArray dh = dNext.h();
        INDArray r = cache.r();
        INDArray z = cache.z();
        INDArray n = cache.n();

        // from h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}:  dn = dh ⊙ (1 − z),  dz = dh ⊙ (h_{t−1} − n)
        INDArray dn = z.rsub(1.0).muli(dh);
        INDArray dz = cache.hPrev().sub(n).muli(dh);
        // through n = tanh(ax_n + r ⊙ ah_n):  da_n = dn ⊙ (1 − n²),  dr = da_n ⊙ ah_n
        INDArray dan = CellSteps.tanhDerivative(n).muli(dn);
        INDArray dr = dan.mul(cache.ahn());
        // through the sigmoids:  da_r = dr ⊙ r(1 − r),  da_z = dz ⊙ z(1 − z)
        INDArray dar = dr.muli(CellSteps.sigmoidDerivative(r));
        INDArray daz = dz.muli(CellSteps.sigmoidDerivative(z));

        // dax = [da_r, da_z, da_n],  dah = [da_r, da_z, da_n ⊙ r]      (N, 3H), in the order of GruGate
        INDArray dax = Slices.joinColumns(dar, daz, dan);
        INDArray dah = Slices.joinColumns(dar, daz, dan.mul(r));

        // dWx = x_tᵀ·dax,  dWh = h_{t−1}ᵀ·dah,  dx_t = dax·Wxᵀ,  dbx = Σ_N dax,  dbh = Σ_N dah
        CellSteps.Products products = CellSteps.Products.backward(cache.x(), Wx, dax, cache.hPrev(), Wh, dah);
        Gradients grads = products.parameters()
                .accumulate("bx", CellSteps.biasGradient(dax))
                .accumulate("bh", CellSteps.biasGradient(dah));
        // dh_{t−1} = dah·Whᵀ + dh ⊙ z
        INDArray dhPrev = products.dhPrev().addi(dh.mul(z));
        return new StepGradients(products.dx(), State.of(dhPrev), grads);
    }

    /**
     * @param batchSize N, positive
     * @return h = 0 of shape (N, H), without a cell state
     */
    @Override
    public State zeroState(long batchSize) {
        return zeros("GruCell.zeroState", batchSize, false);
    }

    /** @return Wx (D, 3H), Wh (H, 3H), bx (1, 3H), bh (1, 3H): 3H(D + H + 2) numbers */
    @Override
    public Parameters parameters() {
        return parameters;
    }

    @Override
    public String toString() {
        return describe("GruCell", "");
    }
}

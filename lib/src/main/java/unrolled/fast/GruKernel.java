package unrolled.fast;

import unrolled.cell.GruCell;
import unrolled.cell.GruGate;

/**
 * The GRU's row maths for the {@link Kernel} skeleton, computing exactly what {@link GruCell} computes (the cuDNN form,
 * blocks in {@link GruGate} order), as a portable loop; {@link VectorGruRows} is the same on the vector units. The
 * recurrent product is kept apart, AH_t = h_{t−1}·Wh + bh, because its n block is multiplied by r:
 *
 * <pre>
 *   forward:   r = σ(ax_r + ah_r),  z = σ(ax_z + ah_z),  n = tanh(ax_n + r ⊙ ah_n)      AX_t = x_t·Wx + bx
 *              h̃_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
 *   backward:  dh = dy_t + g_h
 *              da_n = dh⊙(1−z)⊙(1−n²),  da_r = da_n⊙ah_n⊙r(1−r),  da_z = dh⊙(h_{t−1}−n)⊙z(1−z)
 *              dAX_t = [da_r, da_z, da_n],  dAH_t = [da_r, da_z, da_n ⊙ r]
 *              g_h = dh ⊙ z (the skeleton adds dAH_t·Whᵀ)
 * </pre>
 * The gate activations overwrite AX in place; AH is kept whole because ah_n is needed by the backward pass.
 */
final class GruKernel extends Kernel<GruKernel.Buffers> {

    /**
     * The GRU's tape buffers.
     *
     * @param A (N, T, 3H): AX_t = x_t·Wx + bx, then the gates [r, z, n] once step t has run
     * @param AH (N, T, 3H): AH_t = h_{t−1}·Wh + bh
     */
    record Buffers(Slab A, Slab AH) implements Kernel.Sums {
    }

    private final int ro;
    private final int zo;
    private final int no;

    GruKernel(GruCell cell) {
        super(cell, GruGate.COUNT, false, "bx", "bh");
        ro = (int) GruGate.RESET.offset(hiddenSize);
        zo = (int) GruGate.UPDATE.offset(hiddenSize);
        no = (int) GruGate.CANDIDATE.offset(hiddenSize);
    }

    @Override
    Buffers buffers(WorkBuffers.Set set, int batchSize, int steps) {
        return new Buffers(set.get("AX", batchSize, steps, 3L * hiddenSize), set.get("AH", batchSize, steps, 3L * hiddenSize));
    }

    @Override
    Rows<Buffers> vectorRows() {
        return Simd.gru(dataType, hiddenSize);
    }

    @Override
    public void forward(Tape<Buffers> tape, int a, int s, Slab hOut, Slab cOut, int out) {
        Slab AX = tape.cell.A();
        Slab AH = tape.cell.AH();
        for (int j = 0; j < hiddenSize; j++) {
            // r = σ(ax_r + ah_r),  z = σ(ax_z + ah_z),  n = tanh(ax_n + r ⊙ ah_n)
            double r = sigmoid(AX.get(a + ro + j) + AH.get(a + ro + j));
            double z = sigmoid(AX.get(a + zo + j) + AH.get(a + zo + j));
            double n = tanh(AX.get(a + no + j) + r * AH.get(a + no + j));
            AX.set(a + ro + j, r);
            AX.set(a + zo + j, z);
            AX.set(a + no + j, n);
            // h̃_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
            double h = (1.0 - z) * n + z * tape.hPrev.get(s + j);
            writeState(tape, s, hOut, out, j, h);
        }
    }

    @Override
    public void backward(Tape<Buffers> tape, Flow flow, int a, int s, int q) {
        Slab gates = tape.cell.A();
        Slab dAX = flow.dA();
        Slab dAH = flow.dAH();
        for (int j = 0; j < hiddenSize; j++) {
            // ∂L/∂h_t = dy_t + g_h
            double dh = stateGradient(flow, s, q, j);
            double r = gates.get(a + ro + j);
            double z = gates.get(a + zo + j);
            double n = gates.get(a + no + j);
            // dn = dh ⊙ (1 − z),  dz = dh ⊙ (h_{t−1} − n)
            double dn = (1.0 - z) * dh;
            double dz = (tape.hPrev.get(s + j) - n) * dh;
            // da_n = dn ⊙ (1 − n²),  da_r = da_n ⊙ ah_n ⊙ r(1 − r),  da_z = dz ⊙ z(1 − z)
            double dan = (1.0 - n * n) * dn;
            double dar = dan * tape.cell.AH().get(a + no + j) * (r * (1.0 - r));
            double daz = dz * (z * (1.0 - z));
            dAX.set(a + ro + j, dar);
            dAX.set(a + zo + j, daz);
            dAX.set(a + no + j, dan);
            dAH.set(a + ro + j, dar);
            dAH.set(a + zo + j, daz);
            dAH.set(a + no + j, dan * r);
            // g_h = dh ⊙ z;  the skeleton adds dAH_t·Whᵀ
            flow.gh().set(q + j, dh * z);
        }
    }

    @Override
    Object stepCache(Tape<Buffers> tape, int t) {
        int H = hiddenSize;
        Slab gates = tape.cell.A();
        return new GruCell.Cache(view(tape.x, t), view(tape.hPrev, t), view(gates, t, ro, H), view(gates, t, zo, H),
                view(gates, t, no, H), view(tape.cell.AH(), t, no, H));
    }
}

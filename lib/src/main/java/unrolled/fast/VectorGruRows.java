package unrolled.fast;

import static unrolled.fast.VectorMath.LANES;
import static unrolled.fast.VectorMath.load;
import static unrolled.fast.VectorMath.row;
import static unrolled.fast.VectorMath.sigmoid;
import static unrolled.fast.VectorMath.stateGradient;
import static unrolled.fast.VectorMath.tanh;

import jdk.incubator.vector.FloatVector;
import unrolled.cell.GruGate;

/**
 * The element-wise maths of one GRU step for one sequence of the batch (one row), in FLOAT on the vector units: the
 * formulas of {@link GruKernel}'s portable loop, a whole vector of j at a time, on arrays padded to whole vectors.
 * One instance per lane and pass; real steps only (padded steps take the portable loop, see {@link VectorLstmRows}).
 */
final class VectorGruRows {

    private final int H;
    private final int ro;
    private final int zo;
    private final int no;
    private final float[] r;
    private final float[] z;
    private final float[] n;
    private final float[] hr;
    private final float[] hz;
    private final float[] hn;
    private final float[] hp;
    private final float[] h;

    VectorGruRows(int hiddenSize) {
        H = hiddenSize;
        ro = (int) GruGate.RESET.offset(H);
        zo = (int) GruGate.UPDATE.offset(H);
        no = (int) GruGate.CANDIDATE.offset(H);
        r = row(H);
        z = row(H);
        n = row(H);
        hr = row(H);
        hz = row(H);
        hn = row(H);
        hp = row(H);
        h = row(H);
    }

    /**
     * Step t of sequence n, forward. a is the row's first index in the (N, T, 3H) buffers, s in the (N, T, H) ones,
     * out where the new state goes.
     *
     * @param inputGates (N, T, 3H): AX_t = x_t·Wx + bx on entry, [r, z, n] on return
     * @param recurrent (N, T, 3H): AH_t = h_{t−1}·Wh + bh, read only
     * @param previousH (N, T, H): h_{t−1}
     * @param outputs (N, T, H): receives y_t = h_t
     * @param hOut receives h_t at out: the next step's h_{t−1} slot, or the final state
     */
    void forward(Slab.Floats inputGates, Slab.Floats recurrent, int a, Slab.Floats previousH, int s,
            Slab.Floats outputs, Slab.Floats hOut, int out) {
        inputGates.read(a + ro, r, H);
        inputGates.read(a + zo, z, H);
        inputGates.read(a + no, n, H);
        recurrent.read(a + ro, hr, H);
        recurrent.read(a + zo, hz, H);
        recurrent.read(a + no, hn, H);
        previousH.read(s, hp, H);
        for (int j = 0; j < H; j += LANES) {
            // r = σ(ax_r + ah_r),  z = σ(ax_z + ah_z),  n = tanh(ax_n + r ⊙ ah_n)
            FloatVector vr = sigmoid(load(r, j).add(load(hr, j)));
            FloatVector vz = sigmoid(load(z, j).add(load(hz, j)));
            FloatVector vn = tanh(load(n, j).add(vr.mul(load(hn, j))));
            vr.intoArray(r, j);
            vz.intoArray(z, j);
            vn.intoArray(n, j);
            // h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
            vz.neg().add(1f).mul(vn).add(vz.mul(load(hp, j))).intoArray(h, j);
        }
        inputGates.write(a + ro, r, H);
        inputGates.write(a + zo, z, H);
        inputGates.write(a + no, n, H);
        outputs.write(s, h, H);
        hOut.write(out, h, H);
    }

    /**
     * Step t of sequence n, backward. Offsets as in {@link #forward}; q is the row's place in the (N, H) running
     * gradient.
     *
     * @param gates (N, T, 3H): [r, z, n] of the forward pass
     * @param recurrent (N, T, 3H): AH of the forward pass (its n block, ah_n, is read)
     * @param previousH (N, T, H): h_{t−1}
     * @param dy (N, T, H): ∂L/∂y
     * @param gh (N, H): ∂L/∂h_t flowing back from step t + 1 on entry; g_h = dh ⊙ z on return (the caller adds
     *     dAH_t·Whᵀ)
     * @param dAX (N, T, 3H): receives ∂L/∂AX_t
     * @param dAH (N, T, 3H): receives ∂L/∂AH_t
     * @param dH (N, T, H): receives ∂L/∂h_t
     */
    void backward(Slab.Floats gates, Slab.Floats recurrent, int a, Slab.Floats previousH, int s, Slab.Floats dy,
            Slab.Floats gh, int q, Slab.Floats dAX, Slab.Floats dAH, Slab.Floats dH) {
        // ∂L/∂h_t = dy_t + g_h, into h
        stateGradient(gh, q, dy, s, dH, h, hp, H);
        gates.read(a + ro, r, H);
        gates.read(a + zo, z, H);
        gates.read(a + no, n, H);
        recurrent.read(a + no, hn, H);
        previousH.read(s, hp, H);
        for (int j = 0; j < H; j += LANES) {
            FloatVector dh = load(h, j);
            FloatVector vr = load(r, j);
            FloatVector vz = load(z, j);
            FloatVector vn = load(n, j);
            // dn = dh ⊙ (1 − z),  dz = dh ⊙ (h_{t−1} − n)
            FloatVector dn = vz.neg().add(1f).mul(dh);
            FloatVector dz = load(hp, j).sub(vn).mul(dh);
            // da_n = dn ⊙ (1 − n²),  da_r = da_n ⊙ ah_n ⊙ r(1 − r),  da_z = dz ⊙ z(1 − z)
            FloatVector dan = vn.mul(vn).neg().add(1f).mul(dn);
            dan.mul(load(hn, j)).mul(vr.mul(vr.neg().add(1f))).intoArray(hr, j);
            dz.mul(vz.mul(vz.neg().add(1f))).intoArray(hz, j);
            dan.intoArray(n, j);
            // dAH's n block is da_n ⊙ r
            dan.mul(vr).intoArray(hn, j);
            // g_h = dh ⊙ z
            dh.mul(vz).intoArray(h, j);
        }
        dAX.write(a + ro, hr, H);
        dAX.write(a + zo, hz, H);
        dAX.write(a + no, n, H);
        dAH.write(a + ro, hr, H);
        dAH.write(a + zo, hz, H);
        dAH.write(a + no, hn, H);
        gh.write(q, h, H);
    }
}

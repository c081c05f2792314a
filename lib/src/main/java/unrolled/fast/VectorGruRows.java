package unrolled.fast;

import static unrolled.fast.VectorMath.LANES;
import static unrolled.fast.VectorMath.SPECIES;
import static unrolled.fast.VectorMath.read;
import static unrolled.fast.VectorMath.row;
import static unrolled.fast.VectorMath.rows;
import static unrolled.fast.VectorMath.sigmoid;
import static unrolled.fast.VectorMath.stateGradient;
import static unrolled.fast.VectorMath.tanh;
import static unrolled.fast.VectorMath.write;

import jdk.incubator.vector.FloatVector;
import unrolled.cell.GruGate;

/**
 * The GRU's row maths in FLOAT on the vector units: the formulas of {@link GruKernel}'s portable loop, a whole vector of
 * j at a time, on arrays padded to whole vectors. One instance per lane and pass; real steps only (padded steps take
 * the portable loop, see {@link VectorLstmRows}).
 */
final class VectorGruRows implements Rows<GruKernel.Buffers> {

    private final int H;
    /** The row's input-side blocks in {@link GruGate} order: ax_r, ax_z, ax_n, then r, z, n, then their gradients. */
    private final float[][] gates;
    /** The recurrent product's blocks: ah_r, ah_z, ah_n, then dAH's. */
    private final float[][] recurrent;
    private final float[] r;
    private final float[] z;
    private final float[] n;
    private final float[] hr;
    private final float[] hz;
    private final float[] hn;
    private final float[] hPrev;
    private final float[] h;

    VectorGruRows(int hiddenSize) {
        H = hiddenSize;
        gates = rows(GruGate.COUNT, H);
        recurrent = rows(GruGate.COUNT, H);
        r = gates[GruGate.RESET.ordinal()];
        z = gates[GruGate.UPDATE.ordinal()];
        n = gates[GruGate.CANDIDATE.ordinal()];
        hr = recurrent[GruGate.RESET.ordinal()];
        hz = recurrent[GruGate.UPDATE.ordinal()];
        hn = recurrent[GruGate.CANDIDATE.ordinal()];
        hPrev = row(H);
        h = row(H);
    }

    @Override
    public void forward(Tape<GruKernel.Buffers> tape, int a, int s, Slab hOut, Slab cOut, int out) {
        Slab.Floats AX = (Slab.Floats) tape.cell.A();
        read(AX, a, gates, H);
        read((Slab.Floats) tape.cell.AH(), a, recurrent, H);
        ((Slab.Floats) tape.hPrev).read(s, hPrev, H);
        // r = σ(ax_r + ah_r),  z = σ(ax_z + ah_z)
        for (int j = 0; j < H; j += LANES) {
            FloatVector.fromArray(SPECIES, r, j).add(FloatVector.fromArray(SPECIES, hr, j)).intoArray(r, j);
            FloatVector.fromArray(SPECIES, z, j).add(FloatVector.fromArray(SPECIES, hz, j)).intoArray(z, j);
        }
        sigmoid(r, H);
        sigmoid(z, H);
        // n = tanh(ax_n + r ⊙ ah_n)
        for (int j = 0; j < H; j += LANES) {
            FloatVector.fromArray(SPECIES, n, j).add(FloatVector.fromArray(SPECIES, r, j).mul(FloatVector.fromArray(SPECIES, hn, j))).intoArray(n, j);
        }
        tanh(n, n, H);
        // h̃_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
        for (int j = 0; j < H; j += LANES) {
            FloatVector vz = FloatVector.fromArray(SPECIES, z, j);
            vz.neg().add(1f).mul(FloatVector.fromArray(SPECIES, n, j)).add(vz.mul(FloatVector.fromArray(SPECIES, hPrev, j))).intoArray(h, j);
        }
        write(AX, a, gates, H);
        ((Slab.Floats) tape.outputs).write(s, h, H);
        ((Slab.Floats) hOut).write(out, h, H);
    }

    @Override
    public void backward(Tape<GruKernel.Buffers> tape, Kernel.Flow flow, int a, int s, int q) {
        Slab.Floats gh = (Slab.Floats) flow.gh();
        // ∂L/∂h_t = dy_t + g_h, into h
        stateGradient(gh, q, (Slab.Floats) flow.dy(), s, (Slab.Floats) flow.dH(), h, hPrev, H);
        read((Slab.Floats) tape.cell.A(), a, gates, H);
        ((Slab.Floats) tape.cell.AH()).read(a + GruGate.CANDIDATE.ordinal() * H, hn, H);
        ((Slab.Floats) tape.hPrev).read(s, hPrev, H);
        for (int j = 0; j < H; j += LANES) {
            FloatVector dh = FloatVector.fromArray(SPECIES, h, j);
            FloatVector vr = FloatVector.fromArray(SPECIES, r, j);
            FloatVector vz = FloatVector.fromArray(SPECIES, z, j);
            FloatVector vn = FloatVector.fromArray(SPECIES, n, j);
            // dn = dh ⊙ (1 − z),  dz = dh ⊙ (h_{t−1} − n)
            FloatVector dn = vz.neg().add(1f).mul(dh);
            FloatVector dz = FloatVector.fromArray(SPECIES, hPrev, j).sub(vn).mul(dh);
            // da_n = dn ⊙ (1 − n²),  da_r = da_n ⊙ ah_n ⊙ r(1 − r),  da_z = dz ⊙ z(1 − z)
            FloatVector dan = vn.mul(vn).neg().add(1f).mul(dn);
            dan.mul(FloatVector.fromArray(SPECIES, hn, j)).mul(vr.mul(vr.neg().add(1f))).intoArray(hr, j);
            dz.mul(vz.mul(vz.neg().add(1f))).intoArray(hz, j);
            dan.intoArray(n, j);
            // dAH's n block is da_n ⊙ r
            dan.mul(vr).intoArray(hn, j);
            // g_h = dh ⊙ z
            dh.mul(vz).intoArray(h, j);
        }
        // dAX_t = [da_r, da_z, da_n],  dAH_t = [da_r, da_z, da_n ⊙ r]
        Slab.Floats dAX = (Slab.Floats) flow.dA();
        dAX.write(a + GruGate.RESET.ordinal() * H, hr, H);
        dAX.write(a + GruGate.UPDATE.ordinal() * H, hz, H);
        dAX.write(a + GruGate.CANDIDATE.ordinal() * H, n, H);
        write((Slab.Floats) flow.dAH(), a, recurrent, H);
        gh.write(q, h, H);
    }
}

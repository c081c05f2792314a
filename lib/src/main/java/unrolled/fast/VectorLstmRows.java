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

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import unrolled.cell.LstmGate;

/**
 * The LSTM's row maths in FLOAT on the vector units: the formulas of {@link LstmKernel}'s portable loop, a whole vector
 * of j at a time. Each block the row reads is copied into an array padded to whole vectors, computed there, and the
 * results copied back. One instance per lane and pass: its arrays are its own, allocated once, so the time loop
 * allocates nothing.
 *
 * <p>Real steps only: padded steps (a frozen state, a zero gradient) take the portable loop. Handling them here as well
 * made JDK 17's compiler keep some vectors as heap objects (1.3 kB per padded row, measured by the allocation test),
 * and they are only copies.
 */
final class VectorLstmRows implements Rows<LstmKernel.Buffers> {

    private final int H;
    /** The row's four blocks in {@link LstmGate} order: i, f, o, g (the activations, then their gradients). */
    private final float[][] gates;
    private final float[] i;
    private final float[] f;
    private final float[] o;
    private final float[] g;
    private final float[] cPrev;
    private final float[] c;
    private final float[] tanhC;
    private final float[] h;

    VectorLstmRows(int hiddenSize) {
        H = hiddenSize;
        gates = rows(LstmGate.COUNT, H);
        i = gates[LstmGate.INPUT.ordinal()];
        f = gates[LstmGate.FORGET.ordinal()];
        o = gates[LstmGate.OUTPUT.ordinal()];
        g = gates[LstmGate.CANDIDATE.ordinal()];
        cPrev = row(H);
        c = row(H);
        tanhC = row(H);
        h = row(H);
    }

    @Override
    public void forward(Tape<LstmKernel.Buffers> tape, int a, int s, Slab hOut, Slab cOut, int out) {
        Slab.Floats A = (Slab.Floats) tape.cell.A();
        read(A, a, gates, H);
        ((Slab.Floats) tape.cPrev).read(s, cPrev, H);
        // i = σ(a_i), f = σ(a_f), o = σ(a_o), g = tanh(a_g)
        sigmoid(i, H);
        sigmoid(f, H);
        sigmoid(o, H);
        tanh(g, g, H);
        // c̃_t = f ⊙ c_{t−1} + i ⊙ g
        for (int j = 0; j < H; j += LANES) {
            FloatVector.fromArray(SPECIES, f, j).mul(FloatVector.fromArray(SPECIES, cPrev, j)).add(FloatVector.fromArray(SPECIES, i, j).mul(FloatVector.fromArray(SPECIES, g, j))).intoArray(c, j);
        }
        // h̃_t = o ⊙ tanh(c̃_t)
        tanh(c, tanhC, H);
        for (int j = 0; j < H; j += LANES) {
            FloatVector.fromArray(SPECIES, o, j).mul(FloatVector.fromArray(SPECIES, tanhC, j)).intoArray(h, j);
        }
        write(A, a, gates, H);
        ((Slab.Floats) tape.cell.cell()).write(s, c, H);
        ((Slab.Floats) tape.cell.tanhC()).write(s, tanhC, H);
        ((Slab.Floats) tape.outputs).write(s, h, H);
        ((Slab.Floats) hOut).write(out, h, H);
        ((Slab.Floats) cOut).write(out, c, H);
    }

    @Override
    public void backward(Tape<LstmKernel.Buffers> tape, Kernel.Flow flow, int a, int s, int r) {
        Slab.Floats gh = (Slab.Floats) flow.gh();
        Slab.Floats gc = (Slab.Floats) flow.gc();
        // the backward pass reuses the forward's arrays: h holds dh, c holds dc, the gate blocks their gradients
        // ∂L/∂h_t = dy_t + g_h, into h;  ∂L/∂c_t = g_c, into c
        stateGradient(gh, r, (Slab.Floats) flow.dy(), s, (Slab.Floats) flow.dH(), h, tanhC, H);
        gc.read(r, c, H);
        ((Slab.Floats) flow.dC()).write(s, c, H);
        read((Slab.Floats) tape.cell.A(), a, gates, H);
        ((Slab.Floats) tape.cell.tanhC()).read(s, tanhC, H);
        ((Slab.Floats) tape.cPrev).read(s, cPrev, H);
        for (int j = 0; j < H; j += LANES) {
            FloatVector dh = FloatVector.fromArray(SPECIES, h, j);
            FloatVector vi = FloatVector.fromArray(SPECIES, i, j);
            FloatVector vf = FloatVector.fromArray(SPECIES, f, j);
            FloatVector vo = FloatVector.fromArray(SPECIES, o, j);
            FloatVector vg = FloatVector.fromArray(SPECIES, g, j);
            FloatVector vtc = FloatVector.fromArray(SPECIES, tanhC, j);
            // dc_total = dc + dh ⊙ o ⊙ (1 − tanh²(c̃_t))
            FloatVector dcTotal = FloatVector.fromArray(SPECIES, c, j).add(dh.mul(vo).mul(vtc.mul(vtc).neg().add(1f)));
            // da_i = dc_total⊙g⊙i(1−i), da_f = dc_total⊙c_{t−1}⊙f(1−f), da_o = dh⊙tanh(c̃_t)⊙o(1−o), da_g = dc_total⊙i⊙(1−g²)
            dcTotal.mul(vg).mul(vi.mul(vi.neg().add(1f))).intoArray(i, j);
            dcTotal.mul(FloatVector.fromArray(SPECIES, cPrev, j)).mul(vf.mul(vf.neg().add(1f))).intoArray(f, j);
            dh.mul(vtc).mul(vo.mul(vo.neg().add(1f))).intoArray(o, j);
            dcTotal.mul(vi).mul(vg.mul(vg).neg().add(1f)).intoArray(g, j);
            // g_c = dc_{t−1} = dc_total ⊙ f
            dcTotal.mul(vf).intoArray(c, j);
        }
        write((Slab.Floats) flow.dA(), a, gates, H);
        gc.write(r, c, H);
        // g_h = 0: the skeleton adds dA_t·Whᵀ after the step's rows
        Arrays.fill(h, 0f);
        gh.write(r, h, H);
    }
}

package unrolled.fast;

import static unrolled.fast.VectorMath.LANES;
import static unrolled.fast.VectorMath.load;
import static unrolled.fast.VectorMath.row;
import static unrolled.fast.VectorMath.sigmoid;
import static unrolled.fast.VectorMath.stateGradient;
import static unrolled.fast.VectorMath.tanh;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import unrolled.cell.LstmGate;

/**
 * The element-wise maths of one LSTM step for one sequence of the batch (one row), in FLOAT on the vector units: the
 * formulas of {@link LstmKernel}'s portable loop, a whole vector of j at a time. Each block the row reads is copied
 * into an array padded to whole vectors, computed there, and the results copied back. One instance per lane and
 * pass: its arrays are its own, allocated once, so the time loop allocates nothing.
 *
 * <p>Real steps only: padded steps (a frozen state, a zero gradient) take the kernel's portable loop. Handling them
 * here as well made JDK 17's compiler keep some vectors as heap objects (1.3 kB per padded row, measured by the
 * kernels' allocation test), and they are only copies.
 */
final class VectorLstmRows {

    private final int H;
    private final int io;
    private final int fo;
    private final int oo;
    private final int go;
    private final float[] i;
    private final float[] f;
    private final float[] o;
    private final float[] g;
    private final float[] cp;
    private final float[] c;
    private final float[] tc;
    private final float[] h;

    VectorLstmRows(int hiddenSize) {
        H = hiddenSize;
        io = (int) LstmGate.INPUT.offset(H);
        fo = (int) LstmGate.FORGET.offset(H);
        oo = (int) LstmGate.OUTPUT.offset(H);
        go = (int) LstmGate.CANDIDATE.offset(H);
        i = row(H);
        f = row(H);
        o = row(H);
        g = row(H);
        cp = row(H);
        c = row(H);
        tc = row(H);
        h = row(H);
    }

    /**
     * Step t of sequence n, forward. Offsets are element indices: a of the row's 4H pre-activations in the (N, T, 4H)
     * buffer, s of its H values in the (N, T, H) buffers, out of where the new state goes.
     *
     * @param gates (N, T, 4H): A_t on entry, [i, f, o, g] on return
     * @param previousC (N, T, H): c_{t−1}
     * @param cells (N, T, H): receives c̃_t
     * @param tanhCells (N, T, H): receives tanh(c̃_t)
     * @param outputs (N, T, H): receives y_t = h_t
     * @param hOut receives h_t at out: the next step's h_{t−1} slot, or the final state
     * @param cOut receives c_t at out
     */
    void forward(Slab.Floats gates, int a, Slab.Floats previousC, int s, Slab.Floats cells, Slab.Floats tanhCells,
            Slab.Floats outputs, Slab.Floats hOut, Slab.Floats cOut, int out) {
        gates.read(a + io, i, H);
        gates.read(a + fo, f, H);
        gates.read(a + oo, o, H);
        gates.read(a + go, g, H);
        previousC.read(s, cp, H);
        for (int j = 0; j < H; j += LANES) {
            // i = σ(a_i), f = σ(a_f), o = σ(a_o), g = tanh(a_g)
            FloatVector vi = sigmoid(load(i, j));
            FloatVector vf = sigmoid(load(f, j));
            FloatVector vo = sigmoid(load(o, j));
            FloatVector vg = tanh(load(g, j));
            vi.intoArray(i, j);
            vf.intoArray(f, j);
            vo.intoArray(o, j);
            vg.intoArray(g, j);
            // c̃_t = f ⊙ c_{t−1} + i ⊙ g,  h̃_t = o ⊙ tanh(c̃_t)
            FloatVector vc = vf.mul(load(cp, j)).add(vi.mul(vg));
            FloatVector vtc = tanh(vc);
            vc.intoArray(c, j);
            vtc.intoArray(tc, j);
            vo.mul(vtc).intoArray(h, j);
        }
        gates.write(a + io, i, H);
        gates.write(a + fo, f, H);
        gates.write(a + oo, o, H);
        gates.write(a + go, g, H);
        cells.write(s, c, H);
        tanhCells.write(s, tc, H);
        // y_t = h_t = h̃_t
        outputs.write(s, h, H);
        hOut.write(out, h, H);
        cOut.write(out, c, H);
    }

    /**
     * Step t of sequence n, backward. Offsets as in {@link #forward}; r is the row's place in the (N, H) running
     * gradients.
     *
     * @param gates (N, T, 4H): [i, f, o, g] of the forward pass
     * @param previousC (N, T, H): c_{t−1}
     * @param tanhCells (N, T, H): tanh(c̃_t)
     * @param dy (N, T, H): ∂L/∂y
     * @param gh (N, H): ∂L/∂h_t flowing back from step t + 1 on entry; 0 on return (the caller adds dA_t·Whᵀ)
     * @param gc (N, H): ∂L/∂c_t flowing back on entry; ∂L/∂c_{t−1} on return
     * @param dA (N, T, 4H): receives ∂L/∂A_t
     * @param dH (N, T, H): receives ∂L/∂h_t
     * @param dC (N, T, H): receives ∂L/∂c_t
     */
    void backward(Slab.Floats gates, int a, Slab.Floats previousC, Slab.Floats tanhCells, int s, Slab.Floats dy,
            Slab.Floats gh, Slab.Floats gc, int r, Slab.Floats dA, Slab.Floats dH, Slab.Floats dC) {
        // the backward pass reuses the forward's arrays: h holds dh, c holds dc, cp holds c_{t−1}
        // ∂L/∂h_t = dy_t + g_h, into h;  ∂L/∂c_t = g_c, into c
        stateGradient(gh, r, dy, s, dH, h, tc, H);
        gc.read(r, c, H);
        dC.write(s, c, H);
        gates.read(a + io, i, H);
        gates.read(a + fo, f, H);
        gates.read(a + oo, o, H);
        gates.read(a + go, g, H);
        tanhCells.read(s, tc, H);
        previousC.read(s, cp, H);
        for (int j = 0; j < H; j += LANES) {
            FloatVector dh = load(h, j);
            FloatVector vi = load(i, j);
            FloatVector vf = load(f, j);
            FloatVector vo = load(o, j);
            FloatVector vg = load(g, j);
            FloatVector vtc = load(tc, j);
            // dc_total = dc + dh ⊙ o ⊙ (1 − tanh²(c̃_t))
            FloatVector dcTotal = load(c, j).add(dh.mul(vo).mul(vtc.mul(vtc).neg().add(1f)));
            // da_i = dc_total⊙g⊙i(1−i), da_f = dc_total⊙c_{t−1}⊙f(1−f), da_o = dh⊙tanh(c̃_t)⊙o(1−o), da_g = dc_total⊙i⊙(1−g²)
            dcTotal.mul(vg).mul(vi.mul(vi.neg().add(1f))).intoArray(i, j);
            dcTotal.mul(load(cp, j)).mul(vf.mul(vf.neg().add(1f))).intoArray(f, j);
            dh.mul(vtc).mul(vo.mul(vo.neg().add(1f))).intoArray(o, j);
            dcTotal.mul(vi).mul(vg.mul(vg).neg().add(1f)).intoArray(g, j);
            // g_c = dc_{t−1} = dc_total ⊙ f
            dcTotal.mul(vf).intoArray(c, j);
        }
        dA.write(a + io, i, H);
        dA.write(a + fo, f, H);
        dA.write(a + oo, o, H);
        dA.write(a + go, g, H);
        gc.write(r, c, H);
        // g_h is filled by the product dA_t·Whᵀ after the step's rows
        Arrays.fill(h, 0f);
        gh.write(r, h, H);
    }
}

package unrolled.fast;

import org.nd4j.linalg.api.buffer.DataType;
import unrolled.cell.GruCell;
import unrolled.cell.GruGate;
import unrolled.cell.State;
import unrolled.param.Gradients;

/**
 * The GRU over a whole sequence, computing exactly what {@link GruCell} computes step by step (the cuDNN form, blocks
 * in {@link GruGate} order):
 *
 * <pre>
 *   before the loop:  AX = x·Wx + bx                            (N·T, D)·(D, 3H): one product for every step
 *   step t:           AH_t = h_{t−1}·Wh + bh                     (N, H)·(H, 3H): one product
 *                     r = σ(ax_r + ah_r), z = σ(ax_z + ah_z), n = tanh(ax_n + r ⊙ ah_n)    one pass over memory
 *                     h̃_t = (1 − z) ⊙ n + z ⊙ h_{t−1};  h_t = h̃_t on real steps, h_{t−1} on padding;  y_t = m_t ⊙ h_t
 * backward, t = T−1 … 0:
 *                     dh = m_t ⊙ dy_t + g_h
 *                     da_n = dh⊙(1−z)⊙(1−n²),  da_r = da_n⊙ah_n⊙r(1−r),  da_z = dh⊙(h_{t−1}−n)⊙z(1−z)
 *                     dAX_t = [da_r, da_z, da_n],  dAH_t = [da_r, da_z, da_n ⊙ r]
 *                     g_h = dh ⊙ z + dAH_t·Whᵀ                       (N, 3H)·(3H, H): one product
 *                     on padding: dAX_t = dAH_t = 0, g_h = dh          (the frozen path)
 * after the loop:     dWx = xᵀ·dAX, dbx = Σ dAX, dWh = h_prevᵀ·dAH, dbh = Σ dAH, dx = dAX·Wxᵀ
 * </pre>
 * The gate activations overwrite AX in place; AH is kept whole because ah_n is needed by the backward pass.
 */
final class GruKernel extends Kernel {

    GruKernel(GruCell cell) {
        super(cell.inputSize(), cell.hiddenSize(), cell.dataType(), cell.parameters());
    }

    @Override
    boolean hasCellState() {
        return false;
    }

    @Override
    Tape forward(Slab x, int batchSize, int steps, Slab h0, Slab c0, int[] lengths, boolean learnedInitial,
            Workspace workspace) {
        int N = batchSize;
        int T = steps;
        int D = inputSize;
        int H = hiddenSize;
        int G = GruGate.COUNT * H;
        int ro = (int) GruGate.RESET.offset(H);
        int zo = (int) GruGate.UPDATE.offset(H);
        int no = (int) GruGate.CANDIDATE.offset(H);
        Slab Wx = Slab.of(parameters.get("Wx"));
        Slab Wh = Slab.of(parameters.get("Wh"));
        Slab bx = Slab.of(parameters.get("bx"));
        Slab bh = Slab.of(parameters.get("bh"));
        DataType type = dataType;
        Slab AX = workspace.get("AX", N, T, G);
        Slab AH = workspace.get("AH", N, T, G);
        Slab hPrev = workspace.get("hPrev", N, T, H);
        Slab y = Slab.zeros(type, N, T, H);
        Slab finalH = Slab.zeros(type, N, H);

        // the whole pass on lanes: sequences [from, to) of the batch on one core each (see Lanes)
        Lanes.run(Lanes.count(N, (long) N * T * H * G), N, (lane, from, to) -> {
            // products on another thread need their own pointers
            Slab xRows = forLane(lane, x);
            Slab WxRows = forLane(lane, Wx);
            Slab hPrevRows = forLane(lane, hPrev);
            Slab WhRows = forLane(lane, Wh);
            Slab AXRows = forLane(lane, AX);
            Slab AHRows = forLane(lane, AH);
            // the gate maths on the vector units (FLOAT, with the Vector API), else the portable loop below
            VectorGruRows vector = Simd.gru(type, H);
            // AX = x·Wx + bx for all T steps of these sequences at once; AH starts as bh, each step's product adds in
            fillRows(AX, from * T, to * T, bx, G);
            Slab.gemm(false, false, (to - from) * T, G, D, 1.0, xRows, from * T * D, D, WxRows, 0, G, 1.0, AXRows,
                    from * T * G, G);
            fillRows(AH, from * T, to * T, bh, G);
            copyIntoStep(h0, hPrev, from, to, T, 0, H);
            for (int t = 0; t < T; t++) {
                // AH_t = h_{t−1}·Wh + bh: step t of sequences [from, to), rows T·3H apart
                Slab.gemm(false, false, to - from, G, H, 1.0, hPrevRows, (from * T + t) * H, T * H, WhRows, 0, G,
                        1.0, AHRows, (from * T + t) * G, T * G);
                for (int n = from; n < to; n++) {
                    int a = (n * T + t) * G;
                    int s = (n * T + t) * H;
                    boolean real = t < lengths[n];
                    Slab hOut = t + 1 < T ? hPrev : finalH;
                    int out = t + 1 < T ? s + H : n * H;
                    if (vector != null && real) {
                        vector.forward((Slab.Floats) AX, (Slab.Floats) AH, a, (Slab.Floats) hPrev, s, (Slab.Floats) y, (Slab.Floats) hOut, out);
                        continue;
                    }
                    for (int j = 0; j < H; j++) {
                        // r = σ(ax_r + ah_r),  z = σ(ax_z + ah_z),  n = tanh(ax_n + r ⊙ ah_n)
                        double r = sigmoid(AX.get(a + ro + j) + AH.get(a + ro + j));
                        double z = sigmoid(AX.get(a + zo + j) + AH.get(a + zo + j));
                        double nn = tanh(AX.get(a + no + j) + r * AH.get(a + no + j));
                        AX.set(a + ro + j, r);
                        AX.set(a + zo + j, z);
                        AX.set(a + no + j, nn);
                        double hp = hPrev.get(s + j);
                        if (real) {
                            // h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
                            double h = (1.0 - z) * nn + z * hp;
                            y.set(s + j, h);
                            hOut.set(out + j, h);
                        } else {
                            hOut.set(out + j, hp);
                        }
                    }
                }
            }
        });
        return new Tape(this, workspace, N, T, lengths, learnedInitial, x, AX, hPrev, null, null, null, AH, y, finalH, null);
    }

    @Override
    Backward backward(Tape tape, Slab dy, Slab gh, Slab gc, Workspace scratch) {
        int N = tape.batchSize;
        int T = tape.steps;
        int D = inputSize;
        int H = hiddenSize;
        int G = GruGate.COUNT * H;
        int ro = (int) GruGate.RESET.offset(H);
        int zo = (int) GruGate.UPDATE.offset(H);
        int no = (int) GruGate.CANDIDATE.offset(H);
        Slab Wx = Slab.of(parameters.get("Wx"));
        Slab Wh = Slab.of(parameters.get("Wh"));
        DataType type = dataType;
        Slab gates = tape.gates;
        Slab AH = tape.recurrent;
        Slab hPrev = tape.hPrev;
        Slab dAX = scratch.get("dAX", N, T, G);
        Slab dAH = scratch.get("dAH", N, T, G);
        Slab dH = scratch.get("dH", N, T, H);

        int lanes = Lanes.count(N, (long) N * T * H * G);
        Slab dWx = Slab.zeros(type, D, G);
        Slab dWh = Slab.zeros(type, H, G);
        Slab dx = Slab.zeros(type, N, T, D);
        Slab[] dWxParts = parts(scratch, "dWx", lanes, dWx, D, G);
        Slab[] dWhParts = parts(scratch, "dWh", lanes, dWh, H, G);
        Slab dbx = Slab.zeros(type, 1, G);
        Slab[] dbxParts = parts(scratch, "dbx", lanes, dbx, 1, G);
        Slab dbh = Slab.zeros(type, 1, G);
        Slab[] dbhParts = parts(scratch, "dbh", lanes, dbh, 1, G);
        Slab ones = ones(scratch, N * T);
        Lanes.run(lanes, N, (lane, from, to) -> {
            Slab dAHRows = forLane(lane, dAH);
            Slab WhRows = forLane(lane, Wh);
            Slab ghRows = forLane(lane, gh);
            VectorGruRows vector = Simd.gru(type, H);
            for (int t = T - 1; t >= 0; t--) {
                for (int n = from; n < to; n++) {
                    int a = (n * T + t) * G;
                    int s = (n * T + t) * H;
                    int q = n * H;
                    boolean real = t < tape.lengths[n];
                    if (vector != null && real) {
                        vector.backward((Slab.Floats) gates, (Slab.Floats) AH, a, (Slab.Floats) hPrev, s,
                                (Slab.Floats) dy, (Slab.Floats) gh, q, (Slab.Floats) dAX, (Slab.Floats) dAH,
                                (Slab.Floats) dH);
                        continue;
                    }
                    for (int j = 0; j < H; j++) {
                        // ∂L/∂h_t = m_t ⊙ dy_t + g_h
                        double dh = real ? gh.get(q + j) + dy.get(s + j) : gh.get(q + j);
                        dH.set(s + j, dh);
                        if (!real) {
                            // padding: dAX_t = dAH_t = 0, the gradient passes by the frozen state
                            dAX.set(a + ro + j, 0.0);
                            dAX.set(a + zo + j, 0.0);
                            dAX.set(a + no + j, 0.0);
                            dAH.set(a + ro + j, 0.0);
                            dAH.set(a + zo + j, 0.0);
                            dAH.set(a + no + j, 0.0);
                            gh.set(q + j, dh);
                            continue;
                        }
                        double r = gates.get(a + ro + j);
                        double z = gates.get(a + zo + j);
                        double nn = gates.get(a + no + j);
                        // dn = dh ⊙ (1 − z),  dz = dh ⊙ (h_{t−1} − n)
                        double dn = (1.0 - z) * dh;
                        double dz = (hPrev.get(s + j) - nn) * dh;
                        // da_n = dn ⊙ (1 − n²),  da_r = da_n ⊙ ah_n ⊙ r(1 − r),  da_z = dz ⊙ z(1 − z)
                        double dan = (1.0 - nn * nn) * dn;
                        double dar = dan * AH.get(a + no + j) * (r * (1.0 - r));
                        double daz = dz * (z * (1.0 - z));
                        dAX.set(a + ro + j, dar);
                        dAX.set(a + zo + j, daz);
                        dAX.set(a + no + j, dan);
                        dAH.set(a + ro + j, dar);
                        dAH.set(a + zo + j, daz);
                        dAH.set(a + no + j, dan * r);
                        // g_h = dh ⊙ z, plus dAH_t·Whᵀ below
                        gh.set(q + j, dh * z);
                    }
                }
                // g_h += dAH_t·Whᵀ: (to − from, 3H)·(3H, H)
                Slab.gemm(false, true, to - from, H, G, 1.0, dAHRows, (from * T + t) * G, T * G, WhRows, 0, G, 1.0,
                        ghRows, from * H, H);
            }
            // this lane's rows of the weight gradients: dWx = xᵀ·dAX, dWh = h_prevᵀ·dAH, dbx = Σ dAX, dbh = Σ dAH
            // (summed over lanes below), and dx = dAX·Wxᵀ
            int rows = (to - from) * T;
            int first = from * T;
            Slab dAXRows = forLane(lane, dAX);
            Slab.gemm(true, false, D, G, rows, 1.0, forLane(lane, tape.x), first * D, D, dAXRows, first * G, G, 0.0,
                    dWxParts[lane], 0, G);
            Slab.gemm(true, false, H, G, rows, 1.0, forLane(lane, hPrev), first * H, H, dAHRows, first * G, G, 0.0,
                    dWhParts[lane], 0, G);
            Slab.gemm(false, true, rows, D, G, 1.0, dAXRows, first * G, G, forLane(lane, Wx), 0, G, 0.0,
                    forLane(lane, dx), first * D, D);
            Slab onesRows = forLane(lane, ones);
            columnSums(onesRows, dAXRows, first, rows, G, dbxParts[lane]);
            columnSums(onesRows, dAHRows, first, rows, G, dbhParts[lane]);
        });
        addParts(dWxParts);
        addParts(dWhParts);
        addParts(dbhParts);
        addParts(dbxParts);
        Gradients gradients = new Gradients()
                .accumulate("Wx", dWx.array)
                .accumulate("Wh", dWh.array)
                .accumulate("bx", dbx.array)
                .accumulate("bh", dbh.array);
        return new Backward(dx.array, State.of(gh.array), gradients, dH, null);
    }

    @Override
    Object stepCache(Tape tape, int t) {
        int H = hiddenSize;
        return new GruCell.Cache(view(tape.x, t), view(tape.hPrev, t),
                view(tape.gates, t, GruGate.RESET.offset(H), H), view(tape.gates, t, GruGate.UPDATE.offset(H), H),
                view(tape.gates, t, GruGate.CANDIDATE.offset(H), H), view(tape.recurrent, t, GruGate.CANDIDATE.offset(H), H));
    }
}

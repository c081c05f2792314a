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

        // AX = x·Wx + bx for all N·T rows at once; AH starts as bh everywhere, each step's product adds to it
        fillRows(AX, N * T, bx, G);
        Slab.gemm(false, false, N * T, G, D, 1.0, x, 0, D, Wx, 0, G, 1.0, AX, 0, G);
        fillRows(AH, N * T, bh, G);
        copyIntoStep(h0, hPrev, N, T, 0, H);

        // the time loop, sequences split into lanes that run on separate cores (see Lanes)
        Lanes.run(Lanes.count(N, (long) N * T * H * G), N, (lane, from, to) -> {
            // products on another thread need their own pointers
            Slab hPrevRows = lane == 0 ? hPrev : hPrev.twin();
            Slab WhRows = lane == 0 ? Wh : Wh.twin();
            Slab AHRows = lane == 0 ? AH : AH.twin();
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
        Slab dH = Slab.zeros(type, N, T, H);

        Lanes.run(Lanes.count(N, (long) N * T * H * G), N, (lane, from, to) -> {
            Slab dAHRows = lane == 0 ? dAH : dAH.twin();
            Slab WhRows = lane == 0 ? Wh : Wh.twin();
            Slab ghRows = lane == 0 ? gh : gh.twin();
            for (int t = T - 1; t >= 0; t--) {
                for (int n = from; n < to; n++) {
                    int a = (n * T + t) * G;
                    int s = (n * T + t) * H;
                    int q = n * H;
                    boolean real = t < tape.lengths[n];
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
        });

        int rows = N * T;
        Slab dWx = Slab.zeros(type, D, G);
        Slab dWh = Slab.zeros(type, H, G);
        Slab dx = Slab.zeros(type, N, T, D);
        // dWx = xᵀ·dAX,  dWh = h_prevᵀ·dAH,  dbx = Σ dAX,  dbh = Σ dAH,  dx = dAX·Wxᵀ
        Slab.gemm(true, false, D, G, rows, 1.0, tape.x, 0, D, dAX, 0, G, 0.0, dWx, 0, G);
        Slab.gemm(true, false, H, G, rows, 1.0, hPrev, 0, H, dAH, 0, G, 0.0, dWh, 0, G);
        Slab.gemm(false, true, rows, D, G, 1.0, dAX, 0, G, Wx, 0, G, 0.0, dx, 0, D);
        Gradients gradients = new Gradients()
                .accumulate("Wx", dWx.array)
                .accumulate("Wh", dWh.array)
                .accumulate("bx", columnSums(dAX, rows, G))
                .accumulate("bh", columnSums(dAH, rows, G));
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

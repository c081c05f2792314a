package unrolled.fast;

import org.nd4j.linalg.api.buffer.DataType;
import unrolled.cell.LstmCell;
import unrolled.cell.LstmGate;
import unrolled.cell.State;
import unrolled.param.Gradients;

/**
 * The LSTM over a whole sequence, computing exactly what {@link LstmCell} computes step by step (same fused
 * weights, blocks in {@link LstmGate} order):
 *
 * <pre>
 *   before the loop:  A = x·Wx + b                               (N·T, D)·(D, 4H): one product for every step
 *   step t:           A_t += h_{t−1}·Wh                          (N, H)·(H, 4H): one product
 *                     i, f, o = σ(A_t blocks), g = tanh(A_t block)   one pass over memory, with:
 *                     c̃_t = f ⊙ c_{t−1} + i ⊙ g,  h̃_t = o ⊙ tanh(c̃_t)
 *                     h_t, c_t = h̃_t, c̃_t on real steps; h_{t−1}, c_{t−1} on padding;  y_t = m_t ⊙ h_t
 * backward, t = T−1 … 0:
 *                     dh = m_t ⊙ dy_t + g_h,  dc = g_c                 (g = what flows back from step t + 1)
 *                     dc_total = dc + dh ⊙ o ⊙ (1 − tanh²c̃_t)
 *                     dA_t = [dc_total⊙g⊙i(1−i), dc_total⊙c_{t−1}⊙f(1−f), dh⊙tanh c̃_t⊙o(1−o), dc_total⊙i⊙(1−g²)]
 *                     g_c = dc_total ⊙ f,  g_h = dA_t·Whᵀ                (N, 4H)·(4H, H): one product
 *                     on padding: dA_t = 0, g_h = dh, g_c = dc           (the frozen path)
 * after the loop:     dWx = xᵀ·dA,  dWh = h_prevᵀ·dA,  db = Σ dA,  dx = dA·Wxᵀ   one product each over all N·T rows
 * </pre>
 */
final class LstmKernel extends Kernel {

    LstmKernel(LstmCell cell) {
        super(cell.inputSize(), cell.hiddenSize(), cell.dataType(), cell.parameters());
    }

    @Override
    boolean hasCellState() {
        return true;
    }

    @Override
    Tape forward(Slab x, int batchSize, int steps, Slab h0, Slab c0, int[] lengths, boolean learnedInitial,
            Workspace workspace) {
        int N = batchSize;
        int T = steps;
        int D = inputSize;
        int H = hiddenSize;
        int G = LstmGate.COUNT * H;
        int io = (int) LstmGate.INPUT.offset(H);
        int fo = (int) LstmGate.FORGET.offset(H);
        int oo = (int) LstmGate.OUTPUT.offset(H);
        int go = (int) LstmGate.CANDIDATE.offset(H);
        Slab Wx = Slab.of(parameters.get("Wx"));
        Slab Wh = Slab.of(parameters.get("Wh"));
        Slab b = Slab.of(parameters.get("b"));
        DataType type = dataType;
        Slab A = workspace.get("A", N, T, G);
        Slab hPrev = workspace.get("hPrev", N, T, H);
        Slab cPrev = workspace.get("cPrev", N, T, H);
        Slab cell = workspace.get("cell", N, T, H);
        Slab tanhC = workspace.get("tanhC", N, T, H);
        Slab y = Slab.zeros(type, N, T, H);
        Slab finalH = Slab.zeros(type, N, H);
        Slab finalC = Slab.zeros(type, N, H);

        // the whole pass on lanes: sequences [from, to) of the batch on one core each (see Lanes)
        Lanes.run(Lanes.count(N, (long) N * T * H * G), N, (lane, from, to) -> {
            // products on another thread need their own pointers
            Slab xRows = forLane(lane, x);
            Slab WxRows = forLane(lane, Wx);
            Slab hPrevRows = forLane(lane, hPrev);
            Slab WhRows = forLane(lane, Wh);
            Slab ARows = forLane(lane, A);
            // the gate maths on the vector units (FLOAT, with the Vector API), else the portable loop below
            VectorLstmRows vector = Simd.lstm(type, H);
            // A = x·Wx + b for all T steps of these sequences at once: each row starts as b, then the product adds in
            fillRows(A, from * T, to * T, b, G);
            Slab.gemm(false, false, (to - from) * T, G, D, 1.0, xRows, from * T * D, D, WxRows, 0, G, 1.0, ARows,
                    from * T * G, G);
            copyIntoStep(h0, hPrev, from, to, T, 0, H);
            copyIntoStep(c0, cPrev, from, to, T, 0, H);
            for (int t = 0; t < T; t++) {
                // A_t += h_{t−1}·Wh: step t of sequences [from, to), rows T·4H apart
                Slab.gemm(false, false, to - from, G, H, 1.0, hPrevRows, (from * T + t) * H, T * H, WhRows, 0, G,
                        1.0, ARows, (from * T + t) * G, T * G);
                for (int n = from; n < to; n++) {
                    int a = (n * T + t) * G;
                    int s = (n * T + t) * H;
                    boolean real = t < lengths[n];
                    // where the state after step t goes: the next step's h_prev slot, or the final state
                    Slab hOut = t + 1 < T ? hPrev : finalH;
                    Slab cOut = t + 1 < T ? cPrev : finalC;
                    int out = t + 1 < T ? s + H : n * H;
                    if (vector != null && real) {
                        vector.forward((Slab.Floats) A, a, (Slab.Floats) cPrev, s, (Slab.Floats) cell,
                                (Slab.Floats) tanhC, (Slab.Floats) y, (Slab.Floats) hOut, (Slab.Floats) cOut, out);
                        continue;
                    }
                    for (int j = 0; j < H; j++) {
                        // i = σ(a_i), f = σ(a_f), o = σ(a_o), g = tanh(a_g)
                        double i = sigmoid(A.get(a + io + j));
                        double f = sigmoid(A.get(a + fo + j));
                        double o = sigmoid(A.get(a + oo + j));
                        double g = tanh(A.get(a + go + j));
                        A.set(a + io + j, i);
                        A.set(a + fo + j, f);
                        A.set(a + oo + j, o);
                        A.set(a + go + j, g);
                        // c̃_t = f ⊙ c_{t−1} + i ⊙ g,  h̃_t = o ⊙ tanh(c̃_t)
                        double cp = cPrev.get(s + j);
                        double c = f * cp + i * g;
                        double tc = tanh(c);
                        double h = o * tc;
                        cell.set(s + j, c);
                        tanhC.set(s + j, tc);
                        if (real) {
                            // y_t = h_t = h̃_t
                            y.set(s + j, h);
                            hOut.set(out + j, h);
                            cOut.set(out + j, c);
                        } else {
                            // padding: the state is frozen, y_t stays 0
                            hOut.set(out + j, hPrev.get(s + j));
                            cOut.set(out + j, cp);
                        }
                    }
                }
            }
        });
        return new Tape(this, workspace, N, T, lengths, learnedInitial, x, A, hPrev, cPrev, cell, tanhC, null, y, finalH, finalC);
    }

    @Override
    Backward backward(Tape tape, Slab dy, Slab gh, Slab gc, Workspace scratch) {
        int N = tape.batchSize;
        int T = tape.steps;
        int D = inputSize;
        int H = hiddenSize;
        int G = LstmGate.COUNT * H;
        int io = (int) LstmGate.INPUT.offset(H);
        int fo = (int) LstmGate.FORGET.offset(H);
        int oo = (int) LstmGate.OUTPUT.offset(H);
        int go = (int) LstmGate.CANDIDATE.offset(H);
        Slab Wx = Slab.of(parameters.get("Wx"));
        Slab Wh = Slab.of(parameters.get("Wh"));
        DataType type = dataType;
        Slab gates = tape.gates;
        Slab cPrev = tape.cPrev;
        Slab tanhC = tape.tanhC;
        Slab dA = scratch.get("dA", N, T, G);
        Slab dH = scratch.get("dH", N, T, H);
        Slab dC = scratch.get("dC", N, T, H);

        int lanes = Lanes.count(N, (long) N * T * H * G);
        Slab dWx = Slab.zeros(type, D, G);
        Slab dWh = Slab.zeros(type, H, G);
        Slab dx = Slab.zeros(type, N, T, D);
        Slab[] dWxParts = parts(scratch, "dWx", lanes, dWx, D, G);
        Slab[] dWhParts = parts(scratch, "dWh", lanes, dWh, H, G);
        Slab db = Slab.zeros(type, 1, G);
        Slab[] dbParts = parts(scratch, "db", lanes, db, 1, G);
        Slab ones = ones(scratch, N * T);
        Lanes.run(lanes, N, (lane, from, to) -> {
            Slab dARows = forLane(lane, dA);
            Slab WhRows = forLane(lane, Wh);
            Slab ghRows = forLane(lane, gh);
            VectorLstmRows vector = Simd.lstm(type, H);
            for (int t = T - 1; t >= 0; t--) {
                for (int n = from; n < to; n++) {
                    int a = (n * T + t) * G;
                    int s = (n * T + t) * H;
                    int r = n * H;
                    boolean real = t < tape.lengths[n];
                    if (vector != null && real) {
                        vector.backward((Slab.Floats) gates, a, (Slab.Floats) cPrev, (Slab.Floats) tanhC, s,
                                (Slab.Floats) dy, (Slab.Floats) gh, (Slab.Floats) gc, r, (Slab.Floats) dA,
                                (Slab.Floats) dH, (Slab.Floats) dC);
                        continue;
                    }
                    for (int j = 0; j < H; j++) {
                        // ∂L/∂h_t = m_t ⊙ dy_t + g_h,  ∂L/∂c_t = g_c
                        double dh = real ? gh.get(r + j) + dy.get(s + j) : gh.get(r + j);
                        double dc = gc.get(r + j);
                        dH.set(s + j, dh);
                        dC.set(s + j, dc);
                        if (!real) {
                            // padding: dA_t = 0, the state's gradient passes by (g_h = dh, g_c = dc unchanged)
                            dA.set(a + io + j, 0.0);
                            dA.set(a + fo + j, 0.0);
                            dA.set(a + oo + j, 0.0);
                            dA.set(a + go + j, 0.0);
                            gh.set(r + j, dh);
                            continue;
                        }
                        double i = gates.get(a + io + j);
                        double f = gates.get(a + fo + j);
                        double o = gates.get(a + oo + j);
                        double g = gates.get(a + go + j);
                        double tc = tanhC.get(s + j);
                        // dc_total = dc + dh ⊙ o ⊙ (1 − tanh²(c̃_t))
                        double dcTotal = dc + dh * o * (1.0 - tc * tc);
                        // da_i = dc_total⊙g⊙i(1−i), da_f = dc_total⊙c_{t−1}⊙f(1−f), da_o = dh⊙tanh(c̃_t)⊙o(1−o), da_g = dc_total⊙i⊙(1−g²)
                        dA.set(a + io + j, dcTotal * g * (i * (1.0 - i)));
                        dA.set(a + fo + j, dcTotal * cPrev.get(s + j) * (f * (1.0 - f)));
                        dA.set(a + oo + j, dh * tc * (o * (1.0 - o)));
                        dA.set(a + go + j, dcTotal * i * (1.0 - g * g));
                        // g_c = dc_{t−1} = dc_total ⊙ f;  g_h is filled by the product below
                        gc.set(r + j, dcTotal * f);
                        gh.set(r + j, 0.0);
                    }
                }
                // g_h += dA_t·Whᵀ: (to − from, 4H)·(4H, H), dA_t's rows T·4H apart
                Slab.gemm(false, true, to - from, H, G, 1.0, dARows, (from * T + t) * G, T * G, WhRows, 0, G, 1.0,
                        ghRows, from * H, H);
            }
            // this lane's rows of the weight gradients: dWx = xᵀ·dA, dWh = h_prevᵀ·dA, db = Σ dA (summed over lanes
            // below), and dx = dA·Wxᵀ
            int rows = (to - from) * T;
            int first = from * T;
            Slab.gemm(true, false, D, G, rows, 1.0, forLane(lane, tape.x), first * D, D, dARows, first * G, G, 0.0,
                    dWxParts[lane], 0, G);
            Slab.gemm(true, false, H, G, rows, 1.0, forLane(lane, tape.hPrev), first * H, H, dARows, first * G, G, 0.0,
                    dWhParts[lane], 0, G);
            Slab.gemm(false, true, rows, D, G, 1.0, dARows, first * G, G, forLane(lane, Wx), 0, G, 0.0,
                    forLane(lane, dx), first * D, D);
            columnSums(forLane(lane, ones), dARows, first, rows, G, dbParts[lane]);
        });
        addParts(dWxParts);
        addParts(dWhParts);
        addParts(dbParts);
        Gradients gradients = new Gradients()
                .accumulate("Wx", dWx.array)
                .accumulate("Wh", dWh.array)
                .accumulate("b", db.array);
        return new Backward(dx.array, new State(gh.array, gc.array), gradients, dH, dC);
    }

    @Override
    Object stepCache(Tape tape, int t) {
        int H = hiddenSize;
        return new LstmCell.Cache(view(tape.x, t), view(tape.hPrev, t), view(tape.cPrev, t),
                view(tape.gates, t, LstmGate.INPUT.offset(H), H), view(tape.gates, t, LstmGate.FORGET.offset(H), H),
                view(tape.gates, t, LstmGate.OUTPUT.offset(H), H), view(tape.gates, t, LstmGate.CANDIDATE.offset(H), H),
                view(tape.cell, t), view(tape.tanhC, t));
    }
}

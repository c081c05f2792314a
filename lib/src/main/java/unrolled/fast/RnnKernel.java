package unrolled.fast;

import org.nd4j.linalg.api.buffer.DataType;
import unrolled.cell.RnnCell;
import unrolled.cell.State;
import unrolled.param.Gradients;

/**
 * The vanilla RNN over a whole sequence, computing exactly what {@link RnnCell} computes step by step:
 *
 * <pre>
 *   before the loop:  A = x·Wx + b                    (N·T, D)·(D, H): one product for every step
 *   step t:           A_t += h_{t−1}·Wh               (N, H)·(H, H): one product
 *                     h̃_t = φ(A_t)                    one pass; h_t = h̃_t on real steps, h_{t−1} on padding
 * backward, t = T−1 … 0:
 *                     dh = m_t ⊙ dy_t + g_h,  da_t = dh ⊙ φ'(a_t)   (tanh: 1 − h̃², ReLU: [h̃ > 0])
 *                     g_h = da_t·Whᵀ;  on padding da_t = 0, g_h = dh
 * after the loop:     dWx = xᵀ·da, dWh = h_prevᵀ·da, db = Σ da, dx = da·Wxᵀ
 * </pre>
 */
final class RnnKernel extends Kernel {

    private final boolean relu;

    RnnKernel(RnnCell cell) {
        super(cell.inputSize(), cell.hiddenSize(), cell.dataType(), cell.parameters());
        this.relu = cell.activation() == RnnCell.Activation.RELU;
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
        Slab Wx = Slab.of(parameters.get("Wx"));
        Slab Wh = Slab.of(parameters.get("Wh"));
        Slab b = Slab.of(parameters.get("b"));
        DataType type = dataType;
        Slab A = workspace.get("A", N, T, H);
        Slab hPrev = workspace.get("hPrev", N, T, H);
        Slab y = Slab.zeros(type, N, T, H);
        Slab finalH = Slab.zeros(type, N, H);

        // the whole pass on lanes: sequences [from, to) of the batch on one core each (see Lanes)
        Lanes.run(Lanes.count(N, (long) N * T * H * H), N, (lane, from, to) -> {
            // products on another thread need their own pointers
            Slab xRows = forLane(lane, x);
            Slab WxRows = forLane(lane, Wx);
            Slab hPrevRows = forLane(lane, hPrev);
            Slab WhRows = forLane(lane, Wh);
            Slab ARows = forLane(lane, A);
            // the activation on the vector units (FLOAT, with the Vector API), else the portable loop below
            VectorRnnRows vector = Simd.rnn(type, H, relu);
            // A = x·Wx + b for all T steps of these sequences at once
            fillRows(A, from * T, to * T, b, H);
            Slab.gemm(false, false, (to - from) * T, H, D, 1.0, xRows, from * T * D, D, WxRows, 0, H, 1.0, ARows,
                    from * T * H, H);
            copyIntoStep(h0, hPrev, from, to, T, 0, H);
            for (int t = 0; t < T; t++) {
                // A_t += h_{t−1}·Wh on sequences [from, to)
                Slab.gemm(false, false, to - from, H, H, 1.0, hPrevRows, (from * T + t) * H, T * H, WhRows, 0, H,
                        1.0, ARows, (from * T + t) * H, T * H);
                for (int n = from; n < to; n++) {
                    int s = (n * T + t) * H;
                    boolean real = t < lengths[n];
                    Slab hOut = t + 1 < T ? hPrev : finalH;
                    int out = t + 1 < T ? s + H : n * H;
                    if (vector != null && real) {
                        vector.forward((Slab.Floats) A, s, (Slab.Floats) y, (Slab.Floats) hOut, out);
                        continue;
                    }
                    for (int j = 0; j < H; j++) {
                        // h̃_t = φ(a_t), kept in A for the backward pass
                        double a = A.get(s + j);
                        double h = relu ? Math.max(0.0, a) : tanh(a);
                        A.set(s + j, h);
                        if (real) {
                            y.set(s + j, h);
                            hOut.set(out + j, h);
                        } else {
                            hOut.set(out + j, hPrev.get(s + j));
                        }
                    }
                }
            }
        });
        return new Tape(this, workspace, N, T, lengths, learnedInitial, x, A, hPrev, null, null, null, null, y, finalH, null);
    }

    @Override
    Backward backward(Tape tape, Slab dy, Slab gh, Slab gc, Workspace scratch) {
        int N = tape.batchSize;
        int T = tape.steps;
        int D = inputSize;
        int H = hiddenSize;
        Slab Wx = Slab.of(parameters.get("Wx"));
        Slab Wh = Slab.of(parameters.get("Wh"));
        DataType type = dataType;
        Slab hNew = tape.gates;
        Slab dA = scratch.get("dA", N, T, H);
        Slab dH = scratch.get("dH", N, T, H);

        int lanes = Lanes.count(N, (long) N * T * H * H);
        Slab dWx = Slab.zeros(type, D, H);
        Slab dWh = Slab.zeros(type, H, H);
        Slab dx = Slab.zeros(type, N, T, D);
        Slab[] dWxParts = parts(scratch, "dWx", lanes, dWx, D, H);
        Slab[] dWhParts = parts(scratch, "dWh", lanes, dWh, H, H);
        Slab db = Slab.zeros(type, 1, H);
        Slab[] dbParts = parts(scratch, "db", lanes, db, 1, H);
        Slab ones = ones(scratch, N * T);
        Lanes.run(lanes, N, (lane, from, to) -> {
            Slab dARows = forLane(lane, dA);
            Slab WhRows = forLane(lane, Wh);
            Slab ghRows = forLane(lane, gh);
            VectorRnnRows vector = Simd.rnn(type, H, relu);
            for (int t = T - 1; t >= 0; t--) {
                for (int n = from; n < to; n++) {
                    int s = (n * T + t) * H;
                    int q = n * H;
                    boolean real = t < tape.lengths[n];
                    if (vector != null && real) {
                        vector.backward((Slab.Floats) hNew, s, (Slab.Floats) dy, (Slab.Floats) gh, q, (Slab.Floats) dA,
                                (Slab.Floats) dH);
                        continue;
                    }
                    for (int j = 0; j < H; j++) {
                        // ∂L/∂h_t = m_t ⊙ dy_t + g_h
                        double dh = real ? gh.get(q + j) + dy.get(s + j) : gh.get(q + j);
                        dH.set(s + j, dh);
                        if (!real) {
                            // padding: da_t = 0, the gradient passes by the frozen state
                            dA.set(s + j, 0.0);
                            gh.set(q + j, dh);
                            continue;
                        }
                        // da = dh ⊙ φ'(a):  tanh' = 1 − h²,  relu' = [h > 0]
                        double h = hNew.get(s + j);
                        double dPhi = relu ? (h > 0.0 ? 1.0 : 0.0) : 1.0 - h * h;
                        dA.set(s + j, dh * dPhi);
                        gh.set(q + j, 0.0);
                    }
                }
                // g_h += da_t·Whᵀ on sequences [from, to)
                Slab.gemm(false, true, to - from, H, H, 1.0, dARows, (from * T + t) * H, T * H, WhRows, 0, H, 1.0,
                        ghRows, from * H, H);
            }
            // this lane's rows of the weight gradients: dWx = xᵀ·da, dWh = h_prevᵀ·da, db = Σ da (summed over lanes
            // below), and dx = da·Wxᵀ
            int rows = (to - from) * T;
            int first = from * T;
            Slab.gemm(true, false, D, H, rows, 1.0, forLane(lane, tape.x), first * D, D, dARows, first * H, H, 0.0,
                    dWxParts[lane], 0, H);
            Slab.gemm(true, false, H, H, rows, 1.0, forLane(lane, tape.hPrev), first * H, H, dARows, first * H, H, 0.0,
                    dWhParts[lane], 0, H);
            Slab.gemm(false, true, rows, D, H, 1.0, dARows, first * H, H, forLane(lane, Wx), 0, H, 0.0,
                    forLane(lane, dx), first * D, D);
            columnSums(forLane(lane, ones), dARows, first, rows, H, dbParts[lane]);
        });
        addParts(dWxParts);
        addParts(dWhParts);
        addParts(dbParts);
        Gradients gradients = new Gradients()
                .accumulate("Wx", dWx.array)
                .accumulate("Wh", dWh.array)
                .accumulate("b", db.array);
        return new Backward(dx.array, State.of(gh.array), gradients, dH, null);
    }

    @Override
    Object stepCache(Tape tape, int t) {
        return new RnnCell.Cache(view(tape.x, t), view(tape.hPrev, t), view(tape.gates, t));
    }
}

package unrolled.fast;

import unrolled.cell.LstmCell;
import unrolled.cell.LstmGate;

/**
 * The LSTM's row maths for the {@link Kernel} skeleton, computing exactly what {@link LstmCell} computes (same fused
 * weights, blocks in {@link LstmGate} order), as a portable loop; {@link VectorLstmRows} is the same on the vector units.
 *
 * <pre>
 *   forward:   i, f, o = σ(a_i, a_f, a_o),  g = tanh(a_g)          A_t = x_t·Wx + h_{t−1}·Wh + b, from the skeleton
 *              c̃_t = f ⊙ c_{t−1} + i ⊙ g,  h̃_t = o ⊙ tanh(c̃_t)
 *   backward:  dh = dy_t + g_h,  dc = g_c                          (g: what flows back from step t + 1)
 *              dc_total = dc + dh ⊙ o ⊙ (1 − tanh²c̃_t)
 *              dA_t = [dc_total⊙g⊙i(1−i), dc_total⊙c_{t−1}⊙f(1−f), dh⊙tanh c̃_t⊙o(1−o), dc_total⊙i⊙(1−g²)]
 *              g_c = dc_total ⊙ f,  g_h = 0 (the skeleton adds dA_t·Whᵀ)
 * </pre>
 */
final class LstmKernel extends Kernel<LstmKernel.Buffers> {

    /**
     * The LSTM's tape buffers.
     *
     * @param A (N, T, 4H): A_t, then the gates [i, f, o, g] once step t has run
     * @param cell (N, T, H): c̃_t, the new cell state before masking
     * @param tanhC (N, T, H): tanh(c̃_t)
     */
    record Buffers(Slab A, Slab cell, Slab tanhC) implements Kernel.Sums {
    }

    private final int io;
    private final int fo;
    private final int oo;
    private final int go;

    LstmKernel(LstmCell cell) {
        super(cell, LstmGate.COUNT, true, "b", null);
        io = (int) LstmGate.INPUT.offset(hiddenSize);
        fo = (int) LstmGate.FORGET.offset(hiddenSize);
        oo = (int) LstmGate.OUTPUT.offset(hiddenSize);
        go = (int) LstmGate.CANDIDATE.offset(hiddenSize);
    }

    @Override
    Buffers buffers(WorkBuffers.Set set, int batchSize, int steps) {
        return new Buffers(set.get("A", batchSize, steps, 4L * hiddenSize), set.get("cell", batchSize, steps, hiddenSize),
                set.get("tanhC", batchSize, steps, hiddenSize));
    }

    @Override
    Rows<Buffers> vectorRows() {
        return Simd.lstm(dataType, hiddenSize);
    }

    @Override
    public void forward(Tape<Buffers> tape, int a, int s, Slab hOut, Slab cOut, int out) {
        Slab A = tape.cell.A();
        Slab cPrev = tape.cPrev;
        for (int j = 0; j < hiddenSize; j++) {
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
            double c = f * cPrev.get(s + j) + i * g;
            double tanhC = tanh(c);
            double h = o * tanhC;
            tape.cell.cell().set(s + j, c);
            tape.cell.tanhC().set(s + j, tanhC);
            writeState(tape, s, hOut, out, j, h);
            cOut.set(out + j, c);
        }
    }

    @Override
    public void backward(Tape<Buffers> tape, Flow flow, int a, int s, int r) {
        Slab gates = tape.cell.A();
        Slab gc = flow.gc();
        Slab dA = flow.dA();
        for (int j = 0; j < hiddenSize; j++) {
            // ∂L/∂h_t = dy_t + g_h,  ∂L/∂c_t = g_c
            double dh = stateGradient(flow, s, r, j);
            double dc = gc.get(r + j);
            flow.dC().set(s + j, dc);
            double i = gates.get(a + io + j);
            double f = gates.get(a + fo + j);
            double o = gates.get(a + oo + j);
            double g = gates.get(a + go + j);
            double tanhC = tape.cell.tanhC().get(s + j);
            // dc_total = dc + dh ⊙ o ⊙ (1 − tanh²(c̃_t))
            double dcTotal = dc + dh * o * (1.0 - tanhC * tanhC);
            // da_i = dc_total⊙g⊙i(1−i), da_f = dc_total⊙c_{t−1}⊙f(1−f), da_o = dh⊙tanh(c̃_t)⊙o(1−o), da_g = dc_total⊙i⊙(1−g²)
            dA.set(a + io + j, dcTotal * g * (i * (1.0 - i)));
            dA.set(a + fo + j, dcTotal * tape.cPrev.get(s + j) * (f * (1.0 - f)));
            dA.set(a + oo + j, dh * tanhC * (o * (1.0 - o)));
            dA.set(a + go + j, dcTotal * i * (1.0 - g * g));
            // g_c = dc_{t−1} = dc_total ⊙ f;  g_h = 0, the skeleton adds dA_t·Whᵀ
            gc.set(r + j, dcTotal * f);
            flow.gh().set(r + j, 0.0);
        }
    }

    @Override
    Object stepCache(Tape<Buffers> tape, int t) {
        int H = hiddenSize;
        Slab gates = tape.cell.A();
        return new LstmCell.Cache(view(tape.x, t), view(tape.hPrev, t), view(tape.cPrev, t), view(gates, t, io, H),
                view(gates, t, fo, H), view(gates, t, oo, H), view(gates, t, go, H), view(tape.cell.cell(), t),
                view(tape.cell.tanhC(), t));
    }
}

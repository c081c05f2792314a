package unrolled.fast;

import unrolled.cell.RnnCell;

/**
 * The vanilla RNN's row maths for the {@link Kernel} skeleton, computing exactly what {@link RnnCell} computes, as a
 * portable loop; {@link VectorRnnRows} is the same on the vector units.
 *
 * <pre>
 *   forward:   h̃_t = φ(a_t)                                    a_t = x_t·Wx + h_{t−1}·Wh + b, from the skeleton
 *   backward:  dh = dy_t + g_h,  da_t = dh ⊙ φ'(a_t)           tanh: 1 − h̃²,  ReLU: [h̃ > 0]
 *              g_h = 0 (the skeleton adds da_t·Whᵀ)
 * </pre>
 */
final class RnnKernel extends Kernel<RnnKernel.Buffers> {

    /**
     * The RNN's tape buffer.
     *
     * @param A (N, T, H): a_t, then h̃_t = φ(a_t) once step t has run
     */
    record Buffers(Slab A) implements Kernel.Sums {
    }

    private final boolean relu;

    RnnKernel(RnnCell cell) {
        super(cell, 1, false, "b", null);
        this.relu = cell.activation() == RnnCell.Activation.RELU;
    }

    @Override
    Buffers buffers(WorkBuffers.Set set, int batchSize, int steps) {
        return new Buffers(set.get("A", batchSize, steps, hiddenSize));
    }

    @Override
    Rows<Buffers> vectorRows() {
        return Simd.rnn(dataType, hiddenSize, relu);
    }

    @Override
    public void forward(Tape<Buffers> tape, int a, int s, Slab hOut, Slab cOut, int out) {
        Slab A = tape.cell.A();
        for (int j = 0; j < hiddenSize; j++) {
            // h̃_t = φ(a_t), kept in A for the backward pass
            double h = relu ? Math.max(0.0, A.get(s + j)) : tanh(A.get(s + j));
            A.set(s + j, h);
            writeState(tape, s, hOut, out, j, h);
        }
    }

    @Override
    public void backward(Tape<Buffers> tape, Flow flow, int a, int s, int q) {
        Slab hNew = tape.cell.A();
        Slab gh = flow.gh();
        for (int j = 0; j < hiddenSize; j++) {
            // ∂L/∂h_t = dy_t + g_h
            double dh = stateGradient(flow, s, q, j);
            // da = dh ⊙ φ'(a):  tanh' = 1 − h²,  relu' = [h > 0]
            double h = hNew.get(s + j);
            double dPhi = relu ? (h > 0.0 ? 1.0 : 0.0) : 1.0 - h * h;
            flow.dA().set(s + j, dh * dPhi);
            // g_h = 0;  the skeleton adds da_t·Whᵀ
            gh.set(q + j, 0.0);
        }
    }

    @Override
    Object stepCache(Tape<Buffers> tape, int t) {
        return new RnnCell.Cache(view(tape.x, t), view(tape.hPrev, t), view(tape.cell.A(), t));
    }
}

package unrolled.fast;

import static unrolled.fast.VectorMath.LANES;
import static unrolled.fast.VectorMath.load;
import static unrolled.fast.VectorMath.row;
import static unrolled.fast.VectorMath.stateGradient;
import static unrolled.fast.VectorMath.tanh;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The element-wise maths of one vanilla-RNN step for one sequence of the batch (one row), in FLOAT on the vector
 * units: the formulas of {@link RnnKernel}'s portable loop, a whole vector of j at a time, on arrays padded to whole
 * vectors. One instance per lane and pass; real steps only (padded steps take the portable loop, see
 * {@link VectorLstmRows}).
 */
final class VectorRnnRows {

    private final int H;
    private final boolean relu;
    private final float[] h;
    private final float[] dh;

    VectorRnnRows(int hiddenSize, boolean relu) {
        H = hiddenSize;
        this.relu = relu;
        h = row(H);
        dh = row(H);
    }

    /**
     * Step t of sequence n, forward; s is the row's first index in the (N, T, H) buffers, out where the new state goes.
     *
     * @param A (N, T, H): a_t on entry, h̃_t = φ(a_t) on return
     * @param outputs (N, T, H): receives y_t = h_t
     * @param hOut receives h_t at out: the next step's h_{t−1} slot, or the final state
     */
    void forward(Slab.Floats A, int s, Slab.Floats outputs, Slab.Floats hOut, int out) {
        A.read(s, h, H);
        // h̃_t = φ(a_t): ReLU = max(0, a), or tanh. One loop per activation: a vector chosen between the two by a
        // branch would be a heap object in JDK 17's compiled code (measured by the kernels' allocation test)
        if (relu) {
            for (int j = 0; j < H; j += LANES) {
                load(h, j).lanewise(VectorOperators.MAX, 0f).intoArray(h, j);
            }
        } else {
            for (int j = 0; j < H; j += LANES) {
                tanh(load(h, j)).intoArray(h, j);
            }
        }
        A.write(s, h, H);
        outputs.write(s, h, H);
        hOut.write(out, h, H);
    }

    /**
     * Step t of sequence n, backward; q is the row's place in the (N, H) running gradient.
     *
     * @param hNew (N, T, H): h̃_t of the forward pass
     * @param dy (N, T, H): ∂L/∂y
     * @param gh (N, H): ∂L/∂h_t flowing back from step t + 1 on entry; 0 on return (the caller adds da_t·Whᵀ)
     * @param dA (N, T, H): receives ∂L/∂a_t
     * @param dH (N, T, H): receives ∂L/∂h_t
     */
    void backward(Slab.Floats hNew, int s, Slab.Floats dy, Slab.Floats gh, int q, Slab.Floats dA, Slab.Floats dH) {
        // ∂L/∂h_t = dy_t + g_h, into dh
        stateGradient(gh, q, dy, s, dH, dh, h, H);
        hNew.read(s, h, H);
        // da = dh ⊙ φ'(a):  relu' = [h > 0],  tanh' = 1 − h²  (one loop each, as above)
        if (relu) {
            for (int j = 0; j < H; j += LANES) {
                FloatVector vh = load(h, j);
                load(dh, j).blend(0f, vh.compare(VectorOperators.LE, 0f)).intoArray(h, j);
            }
        } else {
            for (int j = 0; j < H; j += LANES) {
                FloatVector vh = load(h, j);
                load(dh, j).mul(vh.mul(vh).neg().add(1f)).intoArray(h, j);
            }
        }
        dA.write(s, h, H);
        Arrays.fill(dh, 0f);
        gh.write(q, dh, H);
    }
}

package unrolled.fast;

import static unrolled.fast.VectorMath.LANES;
import static unrolled.fast.VectorMath.SPECIES;
import static unrolled.fast.VectorMath.row;
import static unrolled.fast.VectorMath.stateGradient;
import static unrolled.fast.VectorMath.tanh;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The vanilla RNN's row maths in FLOAT on the vector units: the formulas of {@link RnnKernel}'s portable loop, a whole
 * vector of j at a time, on arrays padded to whole vectors. One instance per lane and pass; real steps only (padded
 * steps take the portable loop, see {@link VectorLstmRows}).
 */
final class VectorRnnRows implements Rows<RnnKernel.Buffers> {

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

    @Override
    public void forward(Tape<RnnKernel.Buffers> tape, int a, int s, Slab hOut, Slab cOut, int out) {
        Slab.Floats A = (Slab.Floats) tape.cell.A();
        A.read(s, h, H);
        // h̃_t = φ(a_t): ReLU = max(0, a), or tanh. One loop per activation: a vector chosen between the two by a
        // branch would be a heap object in JDK 17's compiled code (measured by the allocation test)
        if (relu) {
            for (int j = 0; j < H; j += LANES) {
                FloatVector.fromArray(SPECIES, h, j).lanewise(VectorOperators.MAX, 0f).intoArray(h, j);
            }
        } else {
            tanh(h, h, H);
        }
        A.write(s, h, H);
        ((Slab.Floats) tape.outputs).write(s, h, H);
        ((Slab.Floats) hOut).write(out, h, H);
    }

    @Override
    public void backward(Tape<RnnKernel.Buffers> tape, Kernel.Flow flow, int a, int s, int q) {
        Slab.Floats gh = (Slab.Floats) flow.gh();
        // ∂L/∂h_t = dy_t + g_h, into dh
        stateGradient(gh, q, (Slab.Floats) flow.dy(), s, (Slab.Floats) flow.dH(), dh, h, H);
        ((Slab.Floats) tape.cell.A()).read(s, h, H);
        // da = dh ⊙ φ'(a):  relu' = [h > 0],  tanh' = 1 − h²  (one loop each, as above)
        if (relu) {
            for (int j = 0; j < H; j += LANES) {
                FloatVector vh = FloatVector.fromArray(SPECIES, h, j);
                FloatVector.fromArray(SPECIES, dh, j).blend(0f, vh.compare(VectorOperators.LE, 0f)).intoArray(h, j);
            }
        } else {
            for (int j = 0; j < H; j += LANES) {
                FloatVector vh = FloatVector.fromArray(SPECIES, h, j);
                FloatVector.fromArray(SPECIES, dh, j).mul(vh.mul(vh).neg().add(1f)).intoArray(h, j);
            }
        }
        ((Slab.Floats) flow.dA()).write(s, h, H);
        // g_h = 0: the skeleton adds da_t·Whᵀ
        Arrays.fill(dh, 0f);
        gh.write(q, dh, H);
    }
}

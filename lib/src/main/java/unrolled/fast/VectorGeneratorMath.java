package unrolled.fast;

import static unrolled.fast.VectorMath.LANES;
import static unrolled.fast.VectorMath.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * The vector loops of {@link LstmGenerator}'s FLOAT step: the row-times-matrix product over weights packed in column
 * blocks (see {@link FloatLstmSteps#pack}) and the LSTM's element-wise gate maths. Loaded only when {@link Simd} has found
 * the {@code jdk.incubator.vector} module.
 */
final class VectorGeneratorMath {

    /** Columns per packed block: four vectors, kept in registers while the rows stream past. */
    static final int BLOCK = 4 * LANES;

    private VectorGeneratorMath() {
    }

    /**
     * out = x·W + b over packed weights: per block of {@link #BLOCK} columns, four accumulators start at b and take one
     * fused multiply-add per row, reading the block's rows in memory order.
     *
     * @param x the row, (rows,)
     * @param weights W packed by {@link FloatLstmSteps#pack} with {@link #BLOCK}, (blocks · rows · BLOCK,)
     * @param rows the rows of W
     * @param bias b padded to blocks · BLOCK
     * @param out receives x·W + b, (blocks · BLOCK,)
     */
    static void product(float[] x, float[] weights, int rows, float[] bias, float[] out) {
        int blocks = out.length / BLOCK;
        for (int b = 0; b < blocks; b++) {
            int column = b * BLOCK;
            FloatVector s0 = FloatVector.fromArray(SPECIES, bias, column);
            FloatVector s1 = FloatVector.fromArray(SPECIES, bias, column + LANES);
            FloatVector s2 = FloatVector.fromArray(SPECIES, bias, column + 2 * LANES);
            FloatVector s3 = FloatVector.fromArray(SPECIES, bias, column + 3 * LANES);
            int at = b * rows * BLOCK;
            for (int k = 0; k < rows; k++, at += BLOCK) {
                FloatVector xk = FloatVector.broadcast(SPECIES, x[k]);
                s0 = FloatVector.fromArray(SPECIES, weights, at).fma(xk, s0);
                s1 = FloatVector.fromArray(SPECIES, weights, at + LANES).fma(xk, s1);
                s2 = FloatVector.fromArray(SPECIES, weights, at + 2 * LANES).fma(xk, s2);
                s3 = FloatVector.fromArray(SPECIES, weights, at + 3 * LANES).fma(xk, s3);
            }
            s0.intoArray(out, column);
            s1.intoArray(out, column + LANES);
            s2.intoArray(out, column + 2 * LANES);
            s3.intoArray(out, column + 3 * LANES);
        }
    }

    /**
     * The LSTM's element-wise step on whole vectors, the last H mod LANES units one at a time.
     *
     * <pre>
     *   i, f, o = σ(a_i, a_f, a_o),  g = tanh(a_g)
     *   c ← f ⊙ c + i ⊙ g,  h ← o ⊙ tanh(c)
     * </pre>
     *
     * @param a the gate pre-activations, (4H,) or longer, blocks in {@link unrolled.cell.LstmGate} order at the offsets
     * @param offsets the offsets of i, f, o and g in a
     * @param c the cell state, (H,), updated
     * @param h the hidden state, (H,), overwritten
     */
    static void gates(float[] a, int[] offsets, float[] c, float[] h) {
        int H = h.length;
        int io = offsets[0];
        int fo = offsets[1];
        int oo = offsets[2];
        int go = offsets[3];
        int j = SPECIES.loopBound(H);
        // i, f, o = σ(a_i, a_f, a_o),  g = tanh(a_g): in place in a, whole vectors (the tail below, one at a time)
        VectorActivations.sigmoid(a, io, a, io, j);
        VectorActivations.sigmoid(a, fo, a, fo, j);
        VectorActivations.sigmoid(a, oo, a, oo, j);
        VectorActivations.tanh(a, go, a, go, j);
        // c ← f ⊙ c + i ⊙ g
        for (int k = 0; k < j; k += LANES) {
            FloatVector.fromArray(SPECIES, a, fo + k).mul(FloatVector.fromArray(SPECIES, c, k))
                    .add(FloatVector.fromArray(SPECIES, a, io + k).mul(FloatVector.fromArray(SPECIES, a, go + k)))
                    .intoArray(c, k);
        }
        // h ← o ⊙ tanh(c)
        VectorActivations.tanh(c, 0, h, 0, j);
        for (int k = 0; k < j; k += LANES) {
            FloatVector.fromArray(SPECIES, a, oo + k).mul(FloatVector.fromArray(SPECIES, h, k)).intoArray(h, k);
        }
        FloatLstmSteps.gates(a, offsets, c, h, j);
    }
}

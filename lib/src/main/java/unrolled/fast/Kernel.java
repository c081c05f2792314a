package unrolled.fast;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.cell.State;
import unrolled.param.Gradients;
import unrolled.param.Parameters;

/**
 * The whole-sequence forward and backward pass of one cell type, on raw memory: the input projection of all steps as
 * one product before the time loop, one fused product per step, the element-wise gate maths in one Java loop per step,
 * and the weight gradients as one product each after the loop. On a multi-core machine each of these runs on
 * {@link Lanes}: every lane does them for its own sequences of the batch (its rows of each product, its part of each
 * weight gradient, which are added up at the end). Subclasses: {@link LstmKernel}, {@link GruKernel}, {@link RnnKernel}.
 */
abstract class Kernel {

    /**
     * The gradients of one backward pass, before they are wrapped in the library's result types. dH and dC (∂L/∂h_t,
     * ∂L/∂c_t for every t) are work buffers of the scratch workspace, overwritten by the next backward pass.
     */
    record Backward(INDArray dx, State dInitial, Gradients parameters, Slab dH, Slab dC) {
    }

    final int inputSize;
    final int hiddenSize;
    final DataType dataType;
    /** The cell's live parameters: read at every call, never copied, so an optimiser's updates are seen. */
    final Parameters parameters;
    /** DOUBLE uses Math.exp and Math.tanh (agreement to round-off); FLOAT the fast e^a (error far below a float's). */
    private final boolean exact;

    Kernel(int inputSize, int hiddenSize, DataType dataType, Parameters parameters) {
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.dataType = dataType;
        this.parameters = parameters;
        this.exact = dataType == DataType.DOUBLE;
    }

    /** @return true if the cell carries a cell state c (an LSTM) */
    abstract boolean hasCellState();

    /**
     * The forward pass over every step.
     *
     * @param x (N, T, D), plain memory
     * @param h0 the initial h, (N, H)
     * @param c0 the initial c, (N, H), or null without a cell state
     * @param lengths L_n for each sequence (T when unpadded)
     * @param learnedInitial recorded on the tape for the backward pass
     * @param workspace where the tape's buffers come from (each is completely overwritten)
     * @return the tape, holding the outputs and the final state
     */
    abstract Tape forward(Slab x, int batchSize, int steps, Slab h0, Slab c0, int[] lengths, boolean learnedInitial,
            Workspace workspace);

    /**
     * The backward pass over every step.
     *
     * @param tape from {@link #forward}
     * @param dy ∂L/∂y, (N, T, H), plain memory
     * @param gh ∂L/∂(final h), (N, H), a new array the pass overwrites with the running gradient
     * @param gc ∂L/∂(final c), (N, H), likewise, or null without a cell state
     * @param scratch where the pre-activation gradients' and the per-step state gradients' buffers come from (each is
     *     completely overwritten)
     * @return the gradients
     */
    abstract Backward backward(Tape tape, Slab dy, Slab gh, Slab gc, Workspace scratch);

    /**
     * @param tape from {@link #forward}
     * @param t the step
     * @return the reference cell's cache record for step t, made of views of the tape (read-only)
     */
    abstract Object stepCache(Tape tape, int t);

    // ---- shared pieces ----

    /** Writes the row b (1, width) into rows [fromRow, toRow) of an (rows, width) slab: the bias a product adds to. */
    static void fillRows(Slab target, int fromRow, int toRow, Slab b, int width) {
        for (int r = fromRow; r < toRow; r++) {
            b.copyTo(0, target, r * width, width);
        }
    }

    /**
     * part = Σ over rows [firstRow, firstRow + rows) of an (·, width) slab, as one product 1ᵀ·source: a lane's part of
     * a bias gradient.
     *
     * @param ones a slab of at least rows ones (from {@link #ones}), this lane's twin
     * @param part (1, width), overwritten
     */
    static void columnSums(Slab ones, Slab source, int firstRow, int rows, int width, Slab part) {
        Slab.gemm(false, false, 1, width, rows, 1.0, ones, 0, rows, source, firstRow * width, width, 0.0, part, 0, width);
    }

    /** @return a work buffer of count ones, the left operand of {@link #columnSums} */
    static Slab ones(Workspace scratch, int count) {
        Slab ones = scratch.get("ones", 1, count);
        for (int k = 0; k < count; k++) {
            ones.set(k, 1.0);
        }
        return ones;
    }

    /**
     * Where each lane writes its part of a weight gradient: lane 0 into the result itself, lane l ≥ 1 into a work
     * buffer of the same shape; {@link #addParts} then adds them up.
     */
    static Slab[] parts(Workspace scratch, String name, int lanes, Slab result, long rows, long columns) {
        Slab[] parts = new Slab[lanes];
        parts[0] = result;
        for (int lane = 1; lane < lanes; lane++) {
            parts[lane] = scratch.get(name + lane, rows, columns);
        }
        return parts;
    }

    /** parts[0] += parts[1] + … : the lanes' parts of a weight gradient, summed into the result. */
    static void addParts(Slab[] parts) {
        Slab result = parts[0];
        for (int lane = 1; lane < parts.length; lane++) {
            Slab part = parts[lane];
            for (int k = 0; k < result.length; k++) {
                result.set(k, result.get(k) + part.get(k));
            }
        }
    }

    /** Copies rows [from, to) of an (N, H) state into slot t of an (N, T, H) buffer. */
    static void copyIntoStep(Slab state, Slab buffer, int from, int to, int steps, int t, int width) {
        for (int n = from; n < to; n++) {
            state.copyTo(n * width, buffer, (n * steps + t) * width, width);
        }
    }

    /** @return the slab for lane 0 (this thread), or a twin with its own gemm pointers for another lane */
    static Slab forLane(int lane, Slab slab) {
        return lane == 0 ? slab : slab.twin();
    }

    /** σ(a) = 1 / (1 + e^{−a}). */
    final double sigmoid(double a) {
        return 1.0 / (1.0 + exp(-a));
    }

    /** tanh(a): Math.tanh in DOUBLE; in FLOAT 1 − 2/(e^{2a} + 1) with the fast e^a below. */
    final double tanh(double a) {
        if (exact) {
            return Math.tanh(a);
        }
        return 1.0 - 2.0 / (exp(2.0 * a) + 1.0);
    }

    /** e^a: Math.exp in DOUBLE; in FLOAT {@link #fastExp}, whose error is far below a float's rounding. */
    final double exp(double a) {
        return exact ? Math.exp(a) : fastExp(a);
    }

    /**
     * e^a to a relative error below 1e-8 (a float rounds at 6e-8), about twice as fast as Math.exp:
     * <pre>
     *   e^a = 2^k · e^u,   k = round(a·log₂e),  u = a − k·ln 2 ∈ [−ln2/2, ln2/2]
     *   e^u ≈ Σ_{m=0..7} u^m / m!            (Horner; the first omitted term is below 0.35⁸/8! ≈ 5e-9)
     *   2^k is built from its exponent bits
     * </pre>
     * a is clamped to [−700, 700] (e^{±700} is still a finite double, and far beyond any float); NaN stays NaN.
     */
    static double fastExp(double a) {
        if (a < -700.0) {
            a = -700.0;
        } else if (a > 700.0) {
            a = 700.0;
        }
        double k = Math.floor(a * LOG2_E + 0.5);
        double u = a - k * LN_2;
        double p = 1.0 / 5040.0;
        p = p * u + 1.0 / 720.0;
        p = p * u + 1.0 / 120.0;
        p = p * u + 1.0 / 24.0;
        p = p * u + 1.0 / 6.0;
        p = p * u + 0.5;
        p = p * u + 1.0;
        p = p * u + 1.0;
        return p * Double.longBitsToDouble(((long) k + 1023L) << 52);
    }

    private static final double LOG2_E = 1.4426950408889634;
    private static final double LN_2 = 0.6931471805599453;

    /** Step t of an (N, T, F) array, columns [from, from + width): a view. */
    static INDArray view(Slab buffer, int t, long from, long width) {
        return buffer.array.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.interval(from, from + width));
    }

    /** Step t of an (N, T, F) array, all columns: a view. */
    static INDArray view(Slab buffer, int t) {
        return buffer.array.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all());
    }
}

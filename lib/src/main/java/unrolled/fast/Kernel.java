package unrolled.fast;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.cell.RecurrentCell;
import unrolled.cell.State;
import unrolled.param.Gradients;
import unrolled.param.Parameters;

/**
 * The whole-sequence pass every cell shares; a cell ({@link LstmKernel}, {@link GruKernel}, {@link RnnKernel}) supplies
 * only the element-wise maths of one row, forward and backward (its portable loop, as {@link Rows}), its tape buffers
 * and its cache records. With G·H columns of pre-activations per step:
 *
 * <pre>
 *   before the loop:  A = x·Wx + b                          (N·T, D)·(D, G·H): one product for every step
 *   step t:           A_t += h_{t−1}·Wh                     (N, H)·(H, G·H): one product (a GRU keeps it apart, + bh)
 *                     each real row: the cell's maths, A_t → h̃_t (and c̃_t);  h_t = h̃_t,  y_t = h_t
 *                     each padded row: the cell's maths for the tape, then h_t = h_{t−1} (the frozen state), y_t = 0
 * backward, t = T−1 … 0:
 *                     each real row: the cell's maths, from ∂L/∂h_t = dy_t + g_h to dA_t and what flows on (g_h, g_c)
 *                     each padded row: dA_t = 0, g_h and g_c pass by unchanged
 *                     g_h += dA_t·Whᵀ                        (N, G·H)·(G·H, H): one product
 * after the loop:     dWx = xᵀ·dA,  dWh = h_prevᵀ·dA,  db = 1ᵀ·dA,  dx = dA·Wxᵀ   one product each over all N·T rows
 * </pre>
 *
 * Every product is a BLAS call on raw memory ({@link Slab#gemm}): step t of every sequence is a set of rows T·G·H
 * apart, which gemm reads through its leading dimension. On a multi-core machine all of it runs on {@link Lanes}: each
 * lane does it for its own sequences of the batch (its rows of each product, its part of each weight gradient, added
 * up at the end). The row maths runs on the vector units when {@link Simd} finds them (FLOAT), else in the cell's
 * portable loop; padded rows always take the portable loop.
 *
 * @param <B> the cell's own tape buffers
 */
abstract class Kernel<B extends Kernel.Sums> implements Rows<B> {

    /** Where a cell's tape keeps its pre-activations. */
    interface Sums {
        /** @return the (N, T, G·H) buffer that x·Wx + b is written into (and each step's h_{t−1}·Wh added into) */
        Slab A();

        /** @return the (N, T, G·H) buffer that each step's h_{t−1}·Wh + bh goes into, when the cell keeps it apart */
        default Slab AH() {
            return A();
        }
    }

    /**
     * The buffers of one backward pass: dy = ∂L/∂y (N, T, H); g_h, g_c the running gradients (N, H), the final
     * state's on entry and the initial state's on return; dA the pre-activations' gradients (N, T, G·H), with dAH the
     * recurrent product's (the same buffer unless the cell keeps that product apart); dH, dC ∂L/∂h_t, ∂L/∂c_t (N, T, H).
     * The c buffers are null without a cell state.
     */
    record Flow(Slab dy, Slab gh, Slab gc, Slab dA, Slab dAH, Slab dH, Slab dC) {
    }

    /**
     * The gradients of one backward pass, before they are wrapped in the library's result types. dH and dC are work
     * buffers, overwritten by the next backward pass.
     */
    record Backward(INDArray dx, State dInitial, Gradients parameters, Slab dH, Slab dC) {
    }

    final int inputSize;
    final int hiddenSize;
    final DataType dataType;
    /** G: the blocks of pre-activations per step (LSTM 4, GRU 3, RNN 1). */
    final int blocks;
    final boolean hasCellState;
    /** The cell's live parameters: read at every call, never copied, so an optimiser's updates are seen. */
    final Parameters parameters;
    /** The bias of x·Wx ("b" or "bx"), and of h·Wh when the cell keeps that product apart ("bh"; else null). */
    private final String inputBias;
    private final String recurrentBias;
    /** DOUBLE uses Math.exp and Math.tanh (agreement to round-off); FLOAT the fast e^a (error far below a float's). */
    private final boolean exact;

    Kernel(RecurrentCell<?> cell, int blocks, boolean hasCellState, String inputBias, String recurrentBias) {
        this.inputSize = cell.inputSize();
        this.hiddenSize = cell.hiddenSize();
        this.dataType = cell.dataType();
        this.blocks = blocks;
        this.hasCellState = hasCellState;
        this.parameters = cell.parameters();
        this.inputBias = inputBias;
        this.recurrentBias = recurrentBias;
        this.exact = dataType == DataType.DOUBLE;
    }

    // ---- what a cell supplies ----

    /** @return the cell's own tape buffers for a pass of N sequences of T steps, from the set */
    abstract B buffers(WorkBuffers.Set set, int batchSize, int steps);

    /** @return the vector units' row maths for one lane, or null when the portable loops are to be used */
    abstract Rows<B> vectorRows();

    /**
     * @param tape from {@link #forward}
     * @param t the step
     * @return the reference cell's cache record for step t, made of views of the tape (read-only)
     */
    abstract Object stepCache(Tape<B> tape, int t);

    // ---- the skeleton ----

    /**
     * The forward pass over every step.
     *
     * @param x (N, T, D), plain memory
     * @param h0 the initial h, (N, H)
     * @param c0 the initial c, (N, H), or null without a cell state
     * @param lengths L_n for each sequence (T when unpadded)
     * @param learnedInitial recorded on the tape for the backward pass
     * @param set where the tape's buffers come from (each is completely overwritten)
     * @return the tape, holding the outputs and the final state
     */
    final Tape<B> forward(Slab x, int batchSize, int steps, Slab h0, Slab c0, int[] lengths, boolean learnedInitial,
            WorkBuffers.Set set) {
        int N = batchSize;
        int T = steps;
        int D = inputSize;
        int H = hiddenSize;
        int G = blocks * H;
        Slab Wx = parameter("Wx");
        Slab Wh = parameter("Wh");
        Slab b = parameter(inputBias);
        Slab bh = recurrentBias == null ? null : parameter(recurrentBias);
        B buffers = buffers(set, N, T);
        Tape<B> tape = new Tape<>(this, set, N, T, lengths, learnedInitial, x, set.get("hPrev", N, T, H),
                hasCellState ? set.get("cPrev", N, T, H) : null, buffers, Slab.zeros(dataType, N, T, H),
                Slab.zeros(dataType, N, H), hasCellState ? Slab.zeros(dataType, N, H) : null);
        Slab A = buffers.A();
        Slab AH = buffers.AH();
        Slab hPrev = tape.hPrev;
        Slab cPrev = tape.cPrev;

        Lanes.run(Lanes.count(N, (long) N * T * H * G), N, (lane, from, to) -> {
            // the row maths on the vector units (FLOAT, with the Vector API), else this cell's portable loop
            Rows<B> vector = vectorRows();
            Rows<B> rows = vector != null ? vector : this;
            // A = x·Wx + b for all T steps of these sequences at once: each row starts as b, then the product adds in
            fillRows(A, from * T, to * T, b, G);
            Slab.gemm(false, false, (to - from) * T, G, D, 1.0, forLane(lane, x), from * T * D, D, forLane(lane, Wx), 0,
                    G, 1.0, forLane(lane, A), from * T * G, G);
            if (bh != null) {
                fillRows(AH, from * T, to * T, bh, G);
            }
            copyIntoStep(h0, hPrev, from, to, T, H);
            if (cPrev != null) {
                copyIntoStep(c0, cPrev, from, to, T, H);
            }
            Slab hPrevRows = forLane(lane, hPrev);
            Slab WhRows = forLane(lane, Wh);
            Slab AHRows = forLane(lane, AH);
            for (int t = 0; t < T; t++) {
                // A_t += h_{t−1}·Wh: step t of sequences [from, to), rows T·G·H apart
                Slab.gemm(false, false, to - from, G, H, 1.0, hPrevRows, (from * T + t) * H, T * H, WhRows, 0, G, 1.0,
                        AHRows, (from * T + t) * G, T * G);
                for (int n = from; n < to; n++) {
                    int a = (n * T + t) * G;
                    int s = (n * T + t) * H;
                    // where the state after step t goes: the next step's h_{t−1} slot, or the final state
                    Slab hOut = t + 1 < T ? hPrev : tape.finalH;
                    Slab cOut = t + 1 < T ? cPrev : tape.finalC;
                    int out = t + 1 < T ? s + H : n * H;
                    if (t < lengths[n]) {
                        rows.forward(tape, a, s, hOut, cOut, out);
                    } else {
                        // padding: the cell's values go on the tape (as the reference's cache has them), but the
                        // state is frozen, h_t = h_{t−1}, and y_t stays 0
                        forward(tape, a, s, hOut, cOut, out);
                        tape.outputs.fill(s, H, 0.0);
                        hPrev.copyTo(s, hOut, out, H);
                        if (cPrev != null) {
                            cPrev.copyTo(s, cOut, out, H);
                        }
                    }
                }
            }
        });
        return tape;
    }

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
    final Backward backward(Tape<B> tape, Slab dy, Slab gh, Slab gc, WorkBuffers.Set scratch) {
        int N = tape.batchSize;
        int T = tape.steps;
        int D = inputSize;
        int H = hiddenSize;
        int G = blocks * H;
        Slab Wx = parameter("Wx");
        Slab Wh = parameter("Wh");
        Slab dA = scratch.get("dA", N, T, G);
        Slab dAH = recurrentBias == null ? dA : scratch.get("dAH", N, T, G);
        Flow flow = new Flow(dy, gh, gc, dA, dAH, scratch.get("dH", N, T, H),
                hasCellState ? scratch.get("dC", N, T, H) : null);

        int lanes = Lanes.count(N, (long) N * T * H * G);
        Slab dWx = Slab.zeros(dataType, D, G);
        Slab dWh = Slab.zeros(dataType, H, G);
        Slab db = Slab.zeros(dataType, 1, G);
        Slab dbh = recurrentBias == null ? null : Slab.zeros(dataType, 1, G);
        Slab dx = Slab.zeros(dataType, N, T, D);
        Slab[] dWxParts = parts(scratch, "dWx", lanes, dWx);
        Slab[] dWhParts = parts(scratch, "dWh", lanes, dWh);
        Slab[] dbParts = parts(scratch, "db", lanes, db);
        Slab[] dbhParts = dbh == null ? null : parts(scratch, "dbh", lanes, dbh);
        Slab ones = ones(scratch, N * T);
        Lanes.run(lanes, N, (lane, from, to) -> {
            Rows<B> vector = vectorRows();
            Rows<B> rows = vector != null ? vector : this;
            Slab dAHRows = forLane(lane, dAH);
            Slab WhRows = forLane(lane, Wh);
            Slab ghRows = forLane(lane, gh);
            for (int t = T - 1; t >= 0; t--) {
                for (int n = from; n < to; n++) {
                    int a = (n * T + t) * G;
                    int s = (n * T + t) * H;
                    int r = n * H;
                    if (t < tape.lengths[n]) {
                        rows.backward(tape, flow, a, s, r);
                    } else {
                        // padding: ∂L/∂h_t = g_h (y_t was not used), dA_t = 0, and g_h, g_c pass by the frozen state
                        gh.copyTo(r, flow.dH(), s, H);
                        if (gc != null) {
                            gc.copyTo(r, flow.dC(), s, H);
                        }
                        dA.fill(a, G, 0.0);
                        dAH.fill(a, G, 0.0);
                    }
                }
                // g_h += dA_t·Whᵀ: (to − from, G·H)·(G·H, H), dA_t's rows T·G·H apart
                Slab.gemm(false, true, to - from, H, G, 1.0, dAHRows, (from * T + t) * G, T * G, WhRows, 0, G, 1.0,
                        ghRows, from * H, H);
            }
            // this lane's rows of the weight gradients: dWx = xᵀ·dA, dWh = h_prevᵀ·dAH, db = 1ᵀ·dA (bh: 1ᵀ·dAH), summed
            // over the lanes below, and dx = dA·Wxᵀ
            int rowCount = (to - from) * T;
            int first = from * T;
            Slab dARows = forLane(lane, dA);
            Slab.gemm(true, false, D, G, rowCount, 1.0, forLane(lane, tape.x), first * D, D, dARows, first * G, G, 0.0,
                    dWxParts[lane], 0, G);
            Slab.gemm(true, false, H, G, rowCount, 1.0, forLane(lane, tape.hPrev), first * H, H, dAHRows, first * G, G,
                    0.0, dWhParts[lane], 0, G);
            Slab.gemm(false, true, rowCount, D, G, 1.0, dARows, first * G, G, forLane(lane, Wx), 0, G, 0.0,
                    forLane(lane, dx), first * D, D);
            Slab onesRows = forLane(lane, ones);
            columnSums(onesRows, dARows, first, rowCount, G, dbParts[lane]);
            if (dbhParts != null) {
                columnSums(onesRows, dAHRows, first, rowCount, G, dbhParts[lane]);
            }
        });
        addParts(dWxParts);
        addParts(dWhParts);
        addParts(dbParts);
        Gradients gradients = new Gradients()
                .accumulate("Wx", dWx.array)
                .accumulate("Wh", dWh.array)
                .accumulate(inputBias, db.array);
        if (dbhParts != null) {
            addParts(dbhParts);
            gradients.accumulate(recurrentBias, dbh.array);
        }
        return new Backward(dx.array, new State(gh.array, gc == null ? null : gc.array), gradients, flow.dH(), flow.dC());
    }

    // ---- the skeleton's pieces ----

    private Slab parameter(String name) {
        return Slab.of(parameters.get(name));
    }

    /** Writes the row b (1, width) into rows [fromRow, toRow) of an (rows, width) slab: the bias a product adds to. */
    private static void fillRows(Slab target, int fromRow, int toRow, Slab b, int width) {
        for (int r = fromRow; r < toRow; r++) {
            b.copyTo(0, target, r * width, width);
        }
    }

    /** Copies rows [from, to) of an (N, H) state into slot 0 of an (N, T, H) buffer. */
    private static void copyIntoStep(Slab state, Slab buffer, int from, int to, int steps, int width) {
        for (int n = from; n < to; n++) {
            state.copyTo(n * width, buffer, n * steps * width, width);
        }
    }

    /**
     * part = Σ over rows [firstRow, firstRow + rows) of an (·, width) slab, as one product 1ᵀ·source: a lane's part of
     * a bias gradient.
     *
     * @param ones a slab of at least rows ones (from {@link #ones}), this lane's twin
     * @param part (1, width), overwritten
     */
    private static void columnSums(Slab ones, Slab source, int firstRow, int rows, int width, Slab part) {
        Slab.gemm(false, false, 1, width, rows, 1.0, ones, 0, rows, source, firstRow * width, width, 0.0, part, 0, width);
    }

    /** @return a work buffer of count ones, the left operand of {@link #columnSums} */
    private static Slab ones(WorkBuffers.Set scratch, int count) {
        Slab ones = scratch.get("ones", 1, count);
        ones.fill(0, count, 1.0);
        return ones;
    }

    /**
     * Where each lane writes its part of a weight gradient: lane 0 into the result itself, lane l ≥ 1 into a work
     * buffer of the same shape; {@link #addParts} then adds them up.
     */
    private static Slab[] parts(WorkBuffers.Set scratch, String name, int lanes, Slab result) {
        Slab[] parts = new Slab[lanes];
        parts[0] = result;
        for (int lane = 1; lane < lanes; lane++) {
            parts[lane] = scratch.get(name + lane, result.array.shape());
        }
        return parts;
    }

    /** parts[0] += parts[1] + … : the lanes' parts of a weight gradient, summed into the result. */
    private static void addParts(Slab[] parts) {
        Slab result = parts[0];
        for (int lane = 1; lane < parts.length; lane++) {
            Slab part = parts[lane];
            for (int k = 0; k < result.length; k++) {
                result.set(k, result.get(k) + part.get(k));
            }
        }
    }

    /** @return the slab for lane 0 (this thread), or a twin with its own gemm pointers for another lane */
    private static Slab forLane(int lane, Slab slab) {
        return lane == 0 ? slab : slab.twin();
    }

    // ---- for the cells' portable loops and caches ----

    /** Element j of the row's new state: y_t = h̃_t at s (the output), h_t = h̃_t at out (the state after step t). */
    static void writeState(Tape<?> tape, int s, Slab hOut, int out, int j, double h) {
        tape.outputs.set(s + j, h);
        hOut.set(out + j, h);
    }

    /** @return element j of ∂L/∂h_t = dy_t + g_h (what flows back from step t + 1), also written to dH */
    static double stateGradient(Flow flow, int s, int r, int j) {
        double dh = flow.gh().get(r + j) + flow.dy().get(s + j);
        flow.dH().set(s + j, dh);
        return dh;
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

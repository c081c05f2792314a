package unrolled.fast;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.layer.LayerGradients;
import unrolled.layer.LayerNorm;
import unrolled.param.Gradients;
import unrolled.param.Parameters;
import unrolled.data.SequenceMask;
import unrolled.tensor.Shapes;
import unrolled.transformer.TransformerEncoderBlock;

/**
 * A Transformer encoder block's forward and backward passes on plain memory: what
 * {@link TransformerEncoderBlock}'s readable sublayers compute one ND4J operation at a time, here as a few BLAS
 * products over all N·T rows and one Java loop per row. With R = N·T rows, d = D / h, s = 1/√d:
 *
 * <pre>
 *   [Q K V] = X·[Wq Wk Wv] + [bq bk bv]                    three products (R, D)·(D, D) into one (R, 3D) buffer
 *   per sequence n and head i:
 *     S = s·Q_i·K_iᵀ                                        (T, d)·(d, T), written into α's buffer
 *     α = softmax over the allowed keys of each row          one pass per row: j &lt; min(L_n, causal ? i + 1 : T)
 *     head_i = α·V_i                                        (T, T)·(T, d), into its d columns of the (R, D) concat
 *   A = concat·Wo + bo                                      (R, D)·(D, D)
 *   h = LayerNorm₁(x + A)                                   one pass per row: μ, σ², x̂₁, 1/√(σ² + ε), γ₁ ⊙ x̂₁ + β₁
 *   u = max(0, h·W1 + b1)                                   (R, D)·(D, F), the ReLU in place
 *   y = LayerNorm₂(h + u·W2 + b2)                           (R, F)·(F, D), then one pass per row
 * </pre>
 *
 * and backward, in reverse, each line the readable sublayer's formula on the same buffers:
 *
 * <pre>
 *   dz₂ = LayerNorm₂'(dy)                 dγ₂ = Σ dy ⊙ x̂₂,  dβ₂ = Σ dy              one pass per row
 *   dW2 = uᵀ·dz₂,  db2 = Σ dz₂,  du = dz₂·W2ᵀ ⊙ [u &gt; 0]
 *   dW1 = hᵀ·du,   db1 = Σ du,   dh = dz₂ + du·W1ᵀ                               the residual adds dz₂
 *   dz₁ = LayerNorm₁'(dh)                 dγ₁, dβ₁ likewise
 *   dWo = concatᵀ·dz₁,  dbo = Σ dz₁,  dconcat = dz₁·Woᵀ
 *   per sequence and head:  dV_i = αᵀ·dhead_i,  dα = dhead_i·V_iᵀ,  dS = α ⊙ (dα − Σ_j α ⊙ dα),
 *                           dQ_i = s·dS·K_i,  dK_i = s·dSᵀ·Q_i
 *   dWq = Xᵀ·dQ (dWk, dWv likewise),  db = Σ dQ …,  dx = dz₁ + dQ·Wqᵀ + dK·Wkᵀ + dV·Wvᵀ
 * </pre>
 *
 * <p>Up to the attention, backward works on each row alone, and a row of dy that is all zero stays zero through it. So
 * that part runs over each sequence's span of steps whose rows of dy are not all zero (gathered into one block of rows),
 * and the attention's gradient products over those queries alone: a model that reads only the last step, as a
 * classifier does, pays for N rows there instead of N·T. (In exact arithmetic the skipped rows contribute zero; the
 * results agree with the full pass whenever the forward pass's values are finite.)
 *
 * <p>No ND4J operation is dispatched inside a pass. The forward pass's intermediate arrays (its tape) live in work
 * buffers that are reused from call to call: a tape's buffers become spare once its backward pass has run, and at most
 * {@value #SETS} sets exist, the least recently taken one being reused when all are busy (forward passes whose tapes
 * never see a backward pass, such as evaluation, do not make memory grow). A backward pass on a tape whose buffers a
 * later pass has reused runs that forward pass again from the input it kept, with the current parameters. What a call
 * returns (the output, the input gradient, the parameter gradients) is new memory, the caller's.
 *
 * <p>It reads the reference block's live parameters at every call (never copies them), so an optimiser's updates
 * are seen, and names its gradients as {@link TransformerEncoderBlock#parameters()} does. DOUBLE uses
 * {@code Math.exp}, FLOAT a faster e^a whose error is far below a float's rounding. The tests hold it to the
 * readable block (outputs, weights and every gradient to round-off) and check its gradients by finite differences.
 */
public final class FastEncoderBlock {

    /** How many tapes' buffers are kept at most. */
    static final int SETS = 8;

    private final int modelSize;
    private final int heads;
    private final int feedForwardSize;
    private final DataType dataType;
    private final double epsilon = LayerNorm.DEFAULT_EPSILON;
    private final Parameters parameters;
    /** Buffer sets, least recently taken first. */
    private final List<Buffers> sets = new ArrayList<>();
    /** Slabs over the parameters' arrays, by name. */
    private final Map<String, Slab> parameterSlabs = new HashMap<>();
    /** The backward pass's scratch buffers, shared by every backward pass. */
    private final WorkBuffers.Set scratch;
    /** Where the buffer sets come from. */
    private final WorkBuffers work;
    /** True in FLOAT with the Vector API module: the row passes below then run on the vector units. */
    private final boolean vectorUnits;
    /** The softmax rows on the vector units (FLOAT with the Vector API module), else null for the portable loops. */
    private final VectorSoftmaxRows vectorSoftmax;
    /** The forward layer norms on the vector units, under the same condition, else null. */
    private final VectorLayerNormRows vectorLayerNorm;
    /** The ReLU's blocks of values and of the gate deciding its gradient (FLOAT). */
    private final float[] rectifyValues = new float[1024];
    private final float[] rectifyGate = new float[1024];
    /** P and one sequence of x + P, as float arrays (FLOAT), grown to the largest T·D seen. */
    private float[] positionRows = new float[0];
    private float[] inputRows = new float[0];
    /** Per sequence, the first and the last step whose row of ∂L/∂y is not all zero (see {@link #spans}). */
    private int[] first = new int[0];
    private int[] last = new int[0];
    /** Zeros, written in bulk over the masked part of a row of attention weights (FLOAT). */
    private final float[] zeros = new float[256];

    /**
     * @param reference the readable block whose parameters this pass reads and whose results it reproduces, not null
     */
    public FastEncoderBlock(TransformerEncoderBlock reference) {
        Objects.requireNonNull(reference, "FastEncoderBlock: reference must not be null");
        this.modelSize = reference.modelSize();
        this.heads = reference.heads();
        this.feedForwardSize = reference.feedForwardSize();
        this.dataType = reference.dataType();
        this.parameters = reference.parameters();
        this.work = new WorkBuffers(dataType);
        this.scratch = work.scratch;
        boolean vector = dataType == DataType.FLOAT && Simd.active();
        this.vectorUnits = vector;
        this.vectorSoftmax = vector ? new VectorSoftmaxRows() : null;
        this.vectorLayerNorm = vector ? new VectorLayerNormRows(modelSize) : null;
    }

    /**
     * One tape's buffers (a {@link WorkBuffers.Set}: each is completely overwritten before it is read) and what the
     * choice of a set for the next pass needs to know.
     */
    private static final class Buffers {
        private final WorkBuffers.Set slabs;
        /** How many forward passes have taken this set: a tape remembers the number of its own. */
        private int generation;
        private boolean spare = true;
        private int batchSize = -1;
        private int steps = -1;

        Buffers(WorkBuffers.Set slabs) {
            this.slabs = slabs;
        }
    }

    /**
     * A forward pass's intermediate arrays, R = N·T rows: [Q K V] (R, 3D), α (N, h, T, T), the heads' concatenation
     * (R, D), the attention's output A (R, D), x̂₁ and 1/√(σ₁² + ε) (R, D) and (R), h (R, D), u (R, F), the
     * feed-forward output (R, D), x̂₂ and 1/√(σ₂² + ε).
     */
    private record Activations(Slab qkv, Slab alpha, Slab concat, Slab attended, Slab xHat1, Slab inverseStd1, Slab h,
            Slab u, Slab f, Slab xHat2, Slab inverseStd2) {
    }

    /** @return the tape's intermediate arrays in its buffer set */
    private Activations activations(Tape tape) {
        WorkBuffers.Set set = tape.set.slabs;
        long R = (long) tape.batchSize * tape.steps;
        return new Activations(set.get("qkv", R, 3L * modelSize), set.get("alpha", tape.batchSize, heads, tape.steps,
                tape.steps), set.get("concat", R, modelSize), set.get("attended", R, modelSize),
                set.get("xHat1", R, modelSize), set.get("inverseStd1", R), set.get("h", R, modelSize),
                set.get("u", R, feedForwardSize), set.get("f", R, modelSize), set.get("xHat2", R, modelSize),
                set.get("inverseStd2", R));
    }

    /**
     * What a forward pass leaves for its backward pass: the input, the mask and the buffers holding its intermediate
     * arrays (valid while no later pass has reused them).
     */
    public final class Tape {
        private final Slab x;
        /** The positions P (T, D) added to x before the block, or null. */
        private Slab positions;
        private final INDArray output;
        private final int batchSize;
        private final int steps;
        private final int[] lengths;
        private final boolean causal;
        private Buffers set;
        private int generation;
        private INDArray weights;

        private Tape(Slab x, INDArray output, int batchSize, int steps, int[] lengths, boolean causal) {
            this.x = x;
            this.output = output;
            this.batchSize = batchSize;
            this.steps = steps;
            this.lengths = lengths;
            this.causal = causal;
        }

        /** @return y, (N, T, D) */
        public INDArray output() {
            return output;
        }

        /**
         * @return every head's attention weights α, (N, h, T, T): a copy, made at the first call, of the tape's buffer
         * @throws IllegalStateException if a later forward pass has reused the buffer before this first call
         */
        public INDArray weights() {
            if (weights == null) {
                if (overwritten()) {
                    throw new IllegalStateException("TransformerEncoderBlock.forward: the attention weights of this pass "
                            + "were first asked for after later passes reused their memory; read weights() right after "
                            + "forward, or turn the fast path off with useFastPath(false).");
                }
                weights = activations(this).alpha().array.dup();
            }
            return weights;
        }

        /** @return N */
        public int batchSize() {
            return batchSize;
        }

        /** @return T */
        public int steps() {
            return steps;
        }

        private boolean overwritten() {
            return set.generation != generation;
        }
    }

    /**
     * @param x the input, (N, T, D), of the block's data type (copied once if not plain memory)
     * @param keyMask which positions are real, (N, T), or null if none is padded
     * @param causal true to let position i attend only to positions j ≤ i
     * @return the tape, holding y (N, T, D)
     */
    public Tape forward(INDArray x, SequenceMask keyMask, boolean causal) {
        return forward(x, null, keyMask, causal);
    }

    /**
     * The block on x + P: the positions are added to every sequence as the block reads its input, into the tape's own
     * memory, instead of as an array of their own before the block (what a fixed positional encoding does in front of
     * the first block).
     *
     * @param x the input, (N, T, D), of the block's data type (copied once if not plain memory)
     * @param positions P, (T, D), of the block's data type, or null for none
     * @param keyMask which positions are real, (N, T), or null if none is padded
     * @param causal true to let position i attend only to positions j ≤ i
     * @return the tape, holding y = Block(x + P) (N, T, D)
     */
    public Tape forward(INDArray x, INDArray positions, SequenceMask keyMask, boolean causal) {
        String method = "FastEncoderBlock.forward";
        Shapes.require(method, "x", x, "(N, T, D)", Shapes.ANY, Shapes.ANY, modelSize);
        Shapes.requireType(method, "x", x, dataType);
        int n = Math.toIntExact(x.size(0));
        int t = Math.toIntExact(x.size(1));
        if (positions != null) {
            Shapes.require(method, "positions", positions, "(T, D)", dataType, t, modelSize);
        }
        if (keyMask != null) {
            keyMask.requireShape(method, n, t);
        }
        int[] lengths = new int[n];
        for (int s = 0; s < n; s++) {
            lengths[s] = keyMask == null ? t : keyMask.length(s);
        }
        Tape tape = new Tape(Slab.of(x), Nd4j.zeros(dataType, n, t, modelSize), n, t, lengths, causal);
        tape.positions = positions == null ? null : Slab.of(positions);
        // the products here are too small to share (N·T×D by D×D): OpenBLAS runs them on this thread alone
        int blasThreads = BlasThreads.single();
        try {
            run(tape);
        } finally {
            BlasThreads.restore(blasThreads);
        }
        return tape;
    }

    /** Takes a buffer set for the tape and runs the forward pass into it. */
    private void run(Tape tape) {
        Buffers set = take(tape.batchSize, tape.steps);
        tape.set = set;
        tape.generation = set.generation;
        int N = tape.batchSize;
        int T = tape.steps;
        int R = N * T;
        int D = modelSize;
        int F = feedForwardSize;
        int d = D / heads;
        double scale = 1.0 / Math.sqrt(d);
        Slab x = input(tape);
        if (tape.positions != null) {
            // X = x + P, every sequence
            addPositions(tape.x, tape.positions, x, N, T * D);
        }
        Activations tapeArrays = activations(tape);
        Slab qkv = tapeArrays.qkv();
        Slab alpha = tapeArrays.alpha();
        Slab concat = tapeArrays.concat();
        Slab attended = tapeArrays.attended();
        Slab h = tapeArrays.h();
        Slab u = tapeArrays.u();
        Slab f = tapeArrays.f();
        Slab y = Slab.of(tape.output);

        // [Q K V] = X·[Wq Wk Wv] + [bq bk bv]: each row starts as the biases, the products add in
        String[] projections = {"Wq", "Wk", "Wv"};
        String[] biases = {"bq", "bk", "bv"};
        for (int p = 0; p < 3; p++) {
            fillRows(qkv, R, 3 * D, p * D, parameter("attention." + biases[p]), D);
            Slab.gemm(false, false, R, D, D, 1.0, x, 0, D, parameter("attention." + projections[p]), 0, D, 1.0, qkv, p * D,
                    3 * D);
        }
        for (int s = 0; s < N; s++) {
            int rows = s * T;
            for (int i = 0; i < heads; i++) {
                int at = (s * heads + i) * T * T;
                // S = s·Q_i·K_iᵀ into α's buffer
                Slab.gemm(false, true, T, T, d, scale, qkv, rows * 3 * D + i * d, 3 * D, qkv, rows * 3 * D + D + i * d,
                        3 * D, 0.0, alpha, at, T);
                // α = softmax over the allowed keys, row by row
                for (int q = 0; q < T; q++) {
                    softmaxRow(alpha, at + q * T, T, allowedKeys(tape, s, q));
                }
                // head_i = α·V_i into its columns of the concatenation
                Slab.gemm(false, false, T, d, T, 1.0, alpha, at, T, qkv, rows * 3 * D + 2 * D + i * d, 3 * D, 0.0, concat,
                        rows * D + i * d, D);
            }
        }
        // A = concat·Wo + bo
        fillRows(attended, R, D, 0, parameter("attention.bo"), D);
        Slab.gemm(false, false, R, D, D, 1.0, concat, 0, D, parameter("attention.Wo"), 0, D, 1.0, attended, 0, D);
        // h = LayerNorm₁(x + A)
        normaliseRows(x, attended, R, parameter("norm1.gamma"), parameter("norm1.beta"), tapeArrays.xHat1(),
                tapeArrays.inverseStd1(), h);
        // u = max(0, h·W1 + b1)
        fillRows(u, R, F, 0, parameter("feedForward.b1"), F);
        Slab.gemm(false, false, R, F, D, 1.0, h, 0, D, parameter("feedForward.W1"), 0, F, 1.0, u, 0, F);
        rectify(u, null, R * F);
        // F = u·W2 + b2,  y = LayerNorm₂(h + F)
        fillRows(f, R, D, 0, parameter("feedForward.b2"), D);
        Slab.gemm(false, false, R, D, F, 1.0, u, 0, F, parameter("feedForward.W2"), 0, D, 1.0, f, 0, D);
        normaliseRows(h, f, R, parameter("norm2.gamma"), parameter("norm2.beta"), tapeArrays.xHat2(),
                tapeArrays.inverseStd2(), y);
    }

    /**
     * @param dy ∂L/∂y, (N, T, D) (copied once if not plain memory)
     * @param tape from {@link #forward}
     * @return ∂L/∂x (N, T, D) and every parameter's gradient under the names of the block's parameters
     */
    public LayerGradients backward(INDArray dy, Tape tape) {
        String method = "FastEncoderBlock.backward";
        Objects.requireNonNull(tape, method + ": tape must not be null");
        int N = tape.batchSize;
        int T = tape.steps;
        int D = modelSize;
        int F = feedForwardSize;
        int d = D / heads;
        double scale = 1.0 / Math.sqrt(d);
        Shapes.require(method, "dy", dy, "(N, T, D)", N, T, D);
        Shapes.requireType(method, "dy", dy, dataType);
        int blasThreads = BlasThreads.single();
        try {
            return backward(dy, tape, N, T, D, F, d, scale);
        } finally {
            BlasThreads.restore(blasThreads);
        }
    }

    /** The backward pass after the checks, with OpenBLAS on one thread. */
    private LayerGradients backward(INDArray dy, Tape tape, int N, int T, int D, int F, int d, double scale) {
        int R = N * T;
        if (tape.overwritten()) {
            // a later pass has reused this tape's buffers: its forward pass runs again from the input it kept
            run(tape);
        }
        Slab x = input(tape);
        Activations tapeArrays = activations(tape);
        Slab qkv = tapeArrays.qkv();
        Slab alpha = tapeArrays.alpha();
        Slab dY = Slab.of(dy);
        // Up to the attention every line below works on each row alone, and a row of dy that is all zero stays zero
        // through it. So the row-wise part runs over the steps first[n] … last[n] of each sequence, the span of its
        // rows of dy that are not all zero, gathered one after another into L rows (all R rows when every row
        // carries gradient; one row per sequence when only the last step is read, as a classifier does).
        int L = spans(dY, N, T, D);
        boolean everyRow = L == R;
        Slab dYLive = everyRow ? dY : gather(dY, "dYLive", D, N, T);
        Slab xHat2 = everyRow ? tapeArrays.xHat2() : gather(tapeArrays.xHat2(), "xHat2Live", D, N, T);
        Slab inverseStd2 = everyRow ? tapeArrays.inverseStd2() : gather(tapeArrays.inverseStd2(), "inverseStd2Live", 1, N, T);
        Slab u = everyRow ? tapeArrays.u() : gather(tapeArrays.u(), "uLive", F, N, T);
        Slab h = everyRow ? tapeArrays.h() : gather(tapeArrays.h(), "hLive", D, N, T);
        Slab xHat1 = everyRow ? tapeArrays.xHat1() : gather(tapeArrays.xHat1(), "xHat1Live", D, N, T);
        Slab inverseStd1 = everyRow ? tapeArrays.inverseStd1() : gather(tapeArrays.inverseStd1(), "inverseStd1Live", 1, N, T);
        Slab concat = everyRow ? tapeArrays.concat() : gather(tapeArrays.concat(), "concatLive", D, N, T);
        Slab dz2 = scratch.get("dz2", R, D);
        Slab du = scratch.get("du", R, F);
        Slab dh = scratch.get("dh", R, D);
        Slab dz1 = scratch.get("dz1", R, D);
        Slab dConcat = scratch.get("dConcat", R, D);
        Slab dScores = scratch.get("dScores", T, T);
        Slab dqkv = scratch.get("dqkv", R, 3L * D);
        Slab dx = Slab.zeros(dataType, N, T, D);
        Gradients grads = new Gradients();

        // dz₂ = LayerNorm₂'(dy), dγ₂, dβ₂
        normaliseRowsBackward(dYLive, xHat2, inverseStd2, L, parameter("norm2.gamma"), dz2, grads, "norm2");
        // dW2 = uᵀ·dz₂,  db2 = Σ dz₂,  du = dz₂·W2ᵀ ⊙ [u > 0]
        grads.take("feedForward.W2", product(true, false, F, D, L, u, F, dz2, D));
        grads.take("feedForward.b2", columnSums(dz2, L, D));
        Slab.gemm(false, true, L, F, D, 1.0, dz2, 0, D, parameter("feedForward.W2"), 0, D, 0.0, du, 0, F);
        rectify(du, u, L * F);
        // dW1 = hᵀ·du,  db1 = Σ du,  dh = dz₂ + du·W1ᵀ
        grads.take("feedForward.W1", product(true, false, D, F, L, h, D, du, F));
        grads.take("feedForward.b1", columnSums(du, L, F));
        dz2.copyTo(0, dh, 0, L * D);
        Slab.gemm(false, true, L, D, F, 1.0, du, 0, F, parameter("feedForward.W1"), 0, F, 1.0, dh, 0, D);
        // dz₁ = LayerNorm₁'(dh), dγ₁, dβ₁
        normaliseRowsBackward(dh, xHat1, inverseStd1, L, parameter("norm1.gamma"), dz1, grads, "norm1");
        // dWo = concatᵀ·dz₁,  dbo = Σ dz₁,  dconcat = dz₁·Woᵀ
        grads.take("attention.Wo", product(true, false, D, D, L, concat, D, dz1, D));
        grads.take("attention.bo", columnSums(dz1, L, D));
        Slab.gemm(false, true, L, D, D, 1.0, dz1, 0, D, parameter("attention.Wo"), 0, D, 0.0, dConcat, 0, D);
        int live = 0;
        for (int s = 0; s < N; s++) {
            int q0 = s * T * 3 * D;
            int from = first[s];
            int m = last[s] - from + 1;
            for (int i = 0; i < heads; i++) {
                int at = (s * heads + i) * T * T;
                if (m == 0) {
                    // no gradient reaches this sequence: dQ_i, dK_i, dV_i are zero
                    for (int p = 0; p < 3; p++) {
                        zeroRows(dqkv, q0 + p * D + i * d, 3 * D, T, d);
                    }
                    continue;
                }
                // the m rows of dhead_i that carry gradient, and the rows of α they came from (queries from … from + m − 1)
                int dHead = live * D + i * d;
                // dV_i = αᵀ·dhead_i,  dα = dhead_i·V_iᵀ (zero in the other rows)
                Slab.gemm(true, false, T, d, m, 1.0, alpha, at + from * T, T, dConcat, dHead, D, 0.0, dqkv,
                        q0 + 2 * D + i * d, 3 * D);
                Slab.gemm(false, true, m, T, d, 1.0, dConcat, dHead, D, qkv, q0 + 2 * D + i * d, 3 * D, 0.0, dScores, 0, T);
                // dS = α ⊙ (dα − Σ_j α ⊙ dα), row by row
                for (int q = from; q < from + m; q++) {
                    softmaxRowBackward(alpha, at + q * T, dScores, (q - from) * T, T, allowedKeys(tape, s, q));
                }
                // dQ_i = s·dS·K_i (zero in the other rows),  dK_i = s·dSᵀ·Q_i
                Slab.gemm(false, false, m, d, T, scale, dScores, 0, T, qkv, q0 + D + i * d, 3 * D, 0.0, dqkv,
                        q0 + from * 3 * D + i * d, 3 * D);
                zeroRows(dqkv, q0 + i * d, 3 * D, from, d);
                zeroRows(dqkv, q0 + (from + m) * 3 * D + i * d, 3 * D, T - from - m, d);
                Slab.gemm(true, false, T, d, m, scale, dScores, 0, T, qkv, q0 + from * 3 * D + i * d, 3 * D, 0.0, dqkv,
                        q0 + D + i * d, 3 * D);
            }
            // dx starts as dz₁ (the residual): the gathered rows back in their places, zero elsewhere
            dz1.copyTo(live * D, dx, (s * T + from) * D, m * D);
            live += m;
        }
        // dWq = Xᵀ·dQ, dbq = Σ dQ (and K, V);  dx = dz₁ + dQ·Wqᵀ + dK·Wkᵀ + dV·Wvᵀ
        String[] projections = {"Wq", "Wk", "Wv"};
        String[] biases = {"bq", "bk", "bv"};
        for (int p = 0; p < 3; p++) {
            Slab dW = Slab.zeros(dataType, D, D);
            Slab.gemm(true, false, D, D, R, 1.0, x, 0, D, dqkv, p * D, 3 * D, 0.0, dW, 0, D);
            grads.take("attention." + projections[p], dW.array);
            grads.take("attention." + biases[p], columnSums(dqkv, p * D, 3 * D, R, D));
            Slab.gemm(false, true, R, D, D, 1.0, dqkv, p * D, 3 * D, parameter("attention." + projections[p]), 0, D, 1.0,
                    dx, 0, D);
        }
        tape.set.spare = true;
        // in the order of the block's parameters, without copies: every array here is new and the caller's
        Gradients ordered = new Gradients();
        for (String name : parameters.names()) {
            ordered.take(name, grads.get(name));
        }
        return new LayerGradients(dx.array, ordered);
    }

    /**
     * Finds in each sequence n the first and the last step whose row of dy is not all zero, into {@link #first} and
     * {@link #last} (first[n] = 0, last[n] = −1 when there is none).
     *
     * @return L, the number of steps in those spans over all sequences
     */
    private int spans(Slab dY, int N, int T, int D) {
        if (first.length < N) {
            first = new int[N];
            last = new int[N];
        }
        int L = 0;
        for (int s = 0; s < N; s++) {
            int lo = 0;
            while (lo < T && rowIsZero(dY, (s * T + lo) * D, D)) {
                lo++;
            }
            int hi = T - 1;
            while (hi >= lo && rowIsZero(dY, (s * T + hi) * D, D)) {
                hi--;
            }
            first[s] = hi < lo ? 0 : lo;
            last[s] = hi < lo ? -1 : hi;
            L += last[s] - first[s] + 1;
        }
        return L;
    }

    /** @return true if the width elements from {@code at} are all zero */
    private boolean rowIsZero(Slab slab, int at, int width) {
        if (slab instanceof Slab.Floats floats && width <= rectifyValues.length) {
            float[] row = rectifyValues;
            floats.read(at, row, width);
            for (int k = 0; k < width; k++) {
                if (row[k] != 0f) {
                    return false;
                }
            }
            return true;
        }
        for (int k = 0; k < width; k++) {
            if (slab.get(at + k) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * @return a scratch buffer (R, width) holding, one after another from row 0, the rows first[n] … last[n] of each
     *     sequence n of source, (N·T, width)
     */
    private Slab gather(Slab source, String name, int width, int N, int T) {
        Slab target = width == 1 ? scratch.get(name, (long) N * T) : scratch.get(name, (long) N * T, width);
        int live = 0;
        for (int s = 0; s < N; s++) {
            int m = last[s] - first[s] + 1;
            source.copyTo((s * T + first[s]) * width, target, live * width, m * width);
            live += m;
        }
        return target;
    }

    /** Sets count rows of width elements to zero, the first at {@code at}, each {@code stride} after the one before. */
    private void zeroRows(Slab slab, int at, int stride, int count, int width) {
        for (int r = 0; r < count; r++) {
            if (slab instanceof Slab.Floats floats) {
                zero(floats, at + r * stride, width);
            } else {
                slab.fill(at + r * stride, width, 0.0);
            }
        }
    }

    // ---- the passes' pieces ----

    /** @return the block's input X: x itself, or x + P in the tape's buffer set when positions are added */
    private Slab input(Tape tape) {
        return tape.positions == null ? tape.x
                : tape.set.slabs.get("input", tape.batchSize, tape.steps, modelSize);
    }

    /** out[n] = x[n] + P for each of the N sequences of {@code block} = T·D elements. */
    private void addPositions(Slab x, Slab positions, Slab out, int N, int block) {
        if (x instanceof Slab.Floats xs) {
            if (positionRows.length < block) {
                positionRows = new float[block];
                inputRows = new float[block];
            }
            float[] p = positionRows;
            float[] row = inputRows;
            ((Slab.Floats) positions).read(0, p, block);
            for (int s = 0; s < N; s++) {
                xs.read(s * block, row, block);
                for (int k = 0; k < block; k++) {
                    row[k] += p[k];
                }
                ((Slab.Floats) out).write(s * block, row, block);
            }
            return;
        }
        for (int s = 0; s < N; s++) {
            for (int k = 0; k < block; k++) {
                out.set(s * block + k, x.get(s * block + k) + positions.get(k));
            }
        }
    }

    /** @return how many keys query q of sequence s may attend to: the first min(L_s, causal ? q + 1 : T) */
    private static int allowedKeys(Tape tape, int s, int q) {
        return Math.min(tape.lengths[s], tape.causal ? q + 1 : tape.steps);
    }

    /**
     * α_j = exp(S_j − max S) / Σ_k exp(S_k − max S) over the first {@code allowed} of a row of {@code width} scores,
     * written over them; α_j = 0 for the rest (all zero when nothing is allowed).
     */
    private void softmaxRow(Slab scores, int at, int width, int allowed) {
        if (vectorSoftmax != null) {
            vectorSoftmax.forward((Slab.Floats) scores, at, allowed, allowed);
            zero((Slab.Floats) scores, at + allowed, width - allowed);
            return;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < allowed; j++) {
            max = Math.max(max, scores.get(at + j));
        }
        double sum = 0;
        for (int j = 0; j < allowed; j++) {
            double e = exp(scores.get(at + j) - max);
            scores.set(at + j, e);
            sum += e;
        }
        for (int j = 0; j < allowed; j++) {
            scores.set(at + j, scores.get(at + j) / sum);
        }
        scores.fill(at + allowed, width - allowed, 0.0);
    }

    /** dS_j = α_j (dα_j − Σ_k α_k dα_k), written over dα's row; zero where α is. */
    private void softmaxRowBackward(Slab alpha, int at, Slab dScores, int dAt, int width, int allowed) {
        if (vectorSoftmax != null) {
            vectorSoftmax.backward((Slab.Floats) alpha, at, (Slab.Floats) dScores, dAt, allowed, allowed);
            zero((Slab.Floats) dScores, dAt + allowed, width - allowed);
            return;
        }
        double inner = 0;
        for (int j = 0; j < allowed; j++) {
            inner += alpha.get(at + j) * dScores.get(dAt + j);
        }
        for (int j = 0; j < allowed; j++) {
            dScores.set(dAt + j, alpha.get(at + j) * (dScores.get(dAt + j) - inner));
        }
        dScores.fill(dAt + allowed, width - allowed, 0.0);
    }

    /**
     * The ReLU and its gradient in place over the first count elements: v = max(0, v) when gate is null, else
     * v = v·[gate &gt; 0] (u &gt; 0 decides the gradient, as the reference's mask does; NaN counts as not above 0).
     * FLOAT runs through float arrays a block at a time (bulk copies between the off-heap memory and the heap), on the
     * vector units with the Vector API module ({@link VectorRectifier}); DOUBLE keeps the element loop.
     */
    private void rectify(Slab values, Slab gate, int count) {
        if (values instanceof Slab.Floats floats) {
            float[] v = rectifyValues;
            float[] g = rectifyGate;
            for (int from = 0; from < count; from += v.length) {
                int length = Math.min(v.length, count - from);
                floats.read(from, v, length);
                float[] decides = v;
                if (gate != null) {
                    ((Slab.Floats) gate).read(from, g, length);
                    decides = g;
                }
                if (vectorUnits) {
                    VectorRectifier.apply(v, decides, length);
                } else {
                    for (int k = 0; k < length; k++) {
                        v[k] = decides[k] > 0f ? v[k] : 0f;
                    }
                }
                floats.write(from, v, length);
            }
            return;
        }
        Slab decides = gate == null ? values : gate;
        for (int k = 0; k < count; k++) {
            if (!(decides.get(k) > 0)) {
                values.set(k, 0.0);
            }
        }
    }

    /** Sets elements [from, from + count) of a FLOAT slab to 0 in bulk copies of a zero array. */
    private void zero(Slab.Floats slab, int from, int count) {
        for (int done = 0; done < count; done += zeros.length) {
            slab.write(from + done, zeros, Math.min(zeros.length, count - done));
        }
    }

    /**
     * Per row r of R: z = a_r + b_r, μ = mean z, σ² = mean (z − μ)², s = 1/√(σ² + ε), x̂ = (z − μ)·s, out = γ ⊙ x̂ + β.
     */
    private void normaliseRows(Slab a, Slab b, int rows, Slab gamma, Slab beta, Slab xHat, Slab inverseStd, Slab out) {
        if (vectorLayerNorm != null) {
            vectorLayerNorm.forward((Slab.Floats) a, (Slab.Floats) b, rows, (Slab.Floats) gamma, (Slab.Floats) beta, epsilon,
                    (Slab.Floats) xHat, (Slab.Floats) inverseStd, (Slab.Floats) out);
            return;
        }
        int D = modelSize;
        for (int r = 0; r < rows; r++) {
            int at = r * D;
            double sum = 0;
            for (int k = 0; k < D; k++) {
                sum += a.get(at + k) + b.get(at + k);
            }
            double mu = sum / D;
            double squares = 0;
            for (int k = 0; k < D; k++) {
                double centred = a.get(at + k) + b.get(at + k) - mu;
                squares += centred * centred;
            }
            double s = 1.0 / Math.sqrt(squares / D + epsilon);
            inverseStd.set(r, s);
            for (int k = 0; k < D; k++) {
                double hat = (a.get(at + k) + b.get(at + k) - mu) * s;
                xHat.set(at + k, hat);
                out.set(at + k, gamma.get(k) * hat + beta.get(k));
            }
        }
    }

    /**
     * Per row: dγ += dy ⊙ x̂, dβ += dy, dx̂ = dy ⊙ γ, dz = (s / D)·(D·dx̂ − Σ dx̂ − x̂ ⊙ Σ (dx̂ ⊙ x̂)), written to dz;
     * dγ and dβ go into the gradients under prefix.gamma and prefix.beta.
     */
    private void normaliseRowsBackward(Slab dy, Slab xHat, Slab inverseStd, int rows, Slab gamma, Slab dz,
            Gradients grads, String prefix) {
        int D = modelSize;
        double[] dGamma = new double[D];
        double[] dBeta = new double[D];
        for (int r = 0; r < rows; r++) {
            int at = r * D;
            double sumDxHat = 0;
            double sumDxHatXHat = 0;
            for (int k = 0; k < D; k++) {
                double g = dy.get(at + k);
                double hat = xHat.get(at + k);
                dGamma[k] += g * hat;
                dBeta[k] += g;
                double dxHat = g * gamma.get(k);
                sumDxHat += dxHat;
                sumDxHatXHat += dxHat * hat;
            }
            double s = inverseStd.get(r);
            for (int k = 0; k < D; k++) {
                double hat = xHat.get(at + k);
                double dxHat = dy.get(at + k) * gamma.get(k);
                dz.set(at + k, s / D * (D * dxHat - sumDxHat - hat * sumDxHatXHat));
            }
        }
        grads.take(prefix + ".gamma", row(dGamma));
        grads.take(prefix + ".beta", row(dBeta));
    }

    /** @return op(A)·op(B), (m, n), a new array; A and B start at element 0 with leading dimensions lda, ldb */
    private INDArray product(boolean transA, boolean transB, int m, int n, int k, Slab a, int lda, Slab b, int ldb) {
        Slab c = Slab.zeros(dataType, m, n);
        Slab.gemm(transA, transB, m, n, k, 1.0, a, 0, lda, b, 0, ldb, 0.0, c, 0, n);
        return c.array;
    }

    /** @return Σ over the rows of an (rows, width) slab, (1, width), a new array */
    private INDArray columnSums(Slab source, int rows, int width) {
        return columnSums(source, 0, width, rows, width);
    }

    /** @return Σ over rows of the width columns starting at column {@code from} of a slab whose rows are stride apart */
    private INDArray columnSums(Slab source, int from, int stride, int rows, int width) {
        double[] sums = new double[width];
        for (int r = 0; r < rows; r++) {
            int at = r * stride + from;
            for (int k = 0; k < width; k++) {
                sums[k] += source.get(at + k);
            }
        }
        return row(sums);
    }

    /** @return the values as a (1, width) array of the block's data type */
    private INDArray row(double[] values) {
        Slab out = Slab.zeros(dataType, 1, values.length);
        for (int k = 0; k < values.length; k++) {
            out.set(k, values[k]);
        }
        return out.array;
    }

    /** Writes b (width values) into columns [from, from + width) of each of rows rows, stride apart. */
    private static void fillRows(Slab target, int rows, int stride, int from, Slab b, int width) {
        for (int r = 0; r < rows; r++) {
            b.copyTo(0, target, r * stride + from, width);
        }
    }

    /**
     * @return a slab over the parameter's live array, made once per array (a parameter replaced by a new array gets a
     *     new slab)
     */
    private Slab parameter(String name) {
        INDArray array = parameters.get(name);
        Slab slab = parameterSlabs.get(name);
        if (slab == null || slab.array != array) {
            slab = Slab.of(array);
            if (slab.array != array) {
                // not plain memory: a copy, read afresh at every call
                return slab;
            }
            parameterSlabs.put(name, slab);
        }
        return slab;
    }

    /** e^a: Math.exp in DOUBLE, the fast e^a in FLOAT. */
    private double exp(double a) {
        return dataType == DataType.DOUBLE ? Math.exp(a) : Kernel.fastExp(a);
    }

    /**
     * @return a buffer set for a pass of N sequences of T steps: a spare one of that size, else any spare one, else a
     *     new one while there are fewer than {@value #SETS}, else the one taken longest ago (its tape is overwritten)
     */
    private Buffers take(int batchSize, int steps) {
        Buffers chosen = null;
        for (Buffers set : sets) {
            if (set.spare && set.batchSize == batchSize && set.steps == steps) {
                chosen = set;
                break;
            }
        }
        if (chosen == null) {
            for (Buffers set : sets) {
                if (set.spare) {
                    chosen = set;
                    break;
                }
            }
        }
        if (chosen == null) {
            chosen = sets.size() < SETS ? new Buffers(work.forForwardPass()) : sets.get(0);
        }
        // least recently taken first
        sets.remove(chosen);
        sets.add(chosen);
        chosen.spare = false;
        chosen.generation++;
        chosen.batchSize = batchSize;
        chosen.steps = steps;
        return chosen;
    }

    /** @return D */
    public int modelSize() {
        return modelSize;
    }

    /** @return DOUBLE or FLOAT */
    public DataType dataType() {
        return dataType;
    }

    @Override
    public String toString() {
        return "FastEncoderBlock(D=" + modelSize + ", h=" + heads + ", F=" + feedForwardSize + ", " + dataType + ")";
    }
}

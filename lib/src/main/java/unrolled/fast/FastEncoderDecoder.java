package unrolled.fast;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.attention.AdditiveAttention;
import unrolled.attention.Attention;
import unrolled.attention.LuongAttention;
import unrolled.cell.GruCell;
import unrolled.cell.LstmCell;
import unrolled.cell.RecurrentCell;
import unrolled.cell.State;
import unrolled.layer.Affine;
import unrolled.layer.Embedding;
import unrolled.param.Gradients;
import unrolled.data.SequenceMask;
import unrolled.tensor.Shapes;

/**
 * The attention decoder of {@link unrolled.seq2seq.EncoderDecoder} on plain memory: its training step after the
 * encoder (decoder steps with attention, readout, softmax cross-entropy and the backward pass through all of it),
 * and the greedy translation of one source with its attention weights, computing what the readable cells and attention
 * compute one ND4J operation at a time. Greedy decoding of a batch and beam search run on {@link FastDecoding}, which
 * reads this decoder's parameter buffers.
 *
 * <pre>
 *   once per call:   K = m·Wm, the additive attention's key projection of the whole memory   (N, S, A)
 *   per step t, for all live rows at once:
 *     x = E_tgt[ŷ_{t−1}]
 *     BAHDANAU:  u_j = tanh(s_{t−1}·Wq + b + K_j),  e_j = u_j·v,  α = softmax(e) over real j,  c_t = Σ_j α_j m_j
 *                s_t = cell([x, c_t], s_{t−1})
 *     LUONG:     s_t = cell(x, s_{t−1}),  k = s_t (dot) or s_t·W (general),  e_j = k·m_j,  α, c_t as above
 *     z_t = [s_t, c_t]·W_out + b_out   (s_t alone without attention)
 *     ℓ_t = log Σ exp(z_t − max z_t) − (z_t,y − max z_t),   dz_t = m_t / Σm · (softmax(z_t) − onehot(y_t))
 *   backward, t = T−1 … 0, for all live rows at once: the same equations as the readable classes, every weight
 *   gradient summed over the step's rows (dW += Xᵀ·dY) into one buffer per parameter
 * </pre>
 *
 * <p>All arithmetic runs in double on Java arrays, whatever the model's data type (a FLOAT model's numbers are rounded
 * to float only where they leave: logits, gradients, states). The sizes of the curriculum's decoders (H of 32–48, a
 * few dozen rows) are far too small for a BLAS call per step to pay: each weight matrix meets a step's rows in one
 * product on the vector units ({@code RowProducts}), and the element-wise work (gates, attention, softmax) runs row by
 * row between the products. A row stops being computed after its last counted target step: its later steps receive
 * zero gradient in the readable model too, so skipping them changes nothing; the rows are kept in order of that last
 * step, longest first, so that a step's live rows are always the first few and its products run over one block. The
 * work buffers grow to the largest call seen and are reused, so the time loop allocates nothing.
 *
 * <p>It shares the parts' parameter arrays (read at every call, so training in place is seen at once) and holds no
 * state between calls other than its buffers. Not thread-safe: one decoder per thread.
 */
public final class FastEncoderDecoder {

    /**
     * The training step's result after the decoder.
     *
     * @param loss the masked mean cross-entropy, nats per counted target step
     * @param dMemory ∂loss/∂m, (N, S, H), for the encoder's backward pass
     * @param dStart ∂loss/∂s_{−1}, the gradient of the encoder's final state, (N, H) (and c for an LSTM)
     * @param targetEmbedding ∂loss/∂E_tgt under the name {@code E}
     * @param decoder the decoder cell's gradients under its parameter names
     * @param attention the attention's gradients under its parameter names (empty without attention or for DOT)
     * @param output the readout's gradients, {@code W} and {@code b}
     */
    public record Trained(double loss, INDArray dMemory, State dStart, Gradients targetEmbedding, Gradients decoder,
            Gradients attention, Gradients output) {
    }

    /**
     * A greedy decoding of one row with the attention weights of every step.
     *
     * @param tokens the output ids, without &lt;eos&gt;
     * @param weights the attention weights at each output step (&lt;eos&gt; included), (Tout + 1, S); null without
     *     attention
     */
    public record Decoded(int[] tokens, INDArray weights) {
    }

    enum Cell { GRU, LSTM }

    /** The JVM's widest vector of doubles (8 lanes with AVX-512, 4 with AVX2). */
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final int L = DOUBLES.length();

    enum Kind { NONE, ADDITIVE, DOT, GENERAL }

    final Embedding targetEmbedding;
    private final RecurrentCell<?> cell;
    private final Attention<?> attention;
    private final Affine output;
    private final Map<INDArray, Slab> parameterSlabs = new IdentityHashMap<>();
    final Cell cellKind;
    final Kind kind;
    final DataType dataType;
    final int endToken;
    final int startToken;
    /** E, H, A (the additive attention's width), D (the cell's input), G (its gate width), R (the readout's input), V. */
    final int e;
    final int h;
    final int a;
    final int d;
    final int g;
    final int r;
    final int v;

    // the parameters, copied from the parts' arrays at every call
    final double[] embedding;
    final double[] wx;
    final double[] wh;
    final double[] bx;
    final double[] bh;
    final double[] wq;
    final double[] wm;
    final double[] ba;
    final double[] va;
    final double[] wOut;
    final double[] bOut;
    // their transposes, for the backward pass's products
    private final double[] wxT;
    private final double[] whT;
    private final double[] wqT;
    private final double[] wmT;
    private final double[] wOutT;
    // their gradients
    private final double[] dEmbedding;
    private final double[] dWx;
    private final double[] dWh;
    private final double[] dBx;
    private final double[] dBh;
    private final double[] dWq;
    private final double[] dWm;
    private final double[] dBa;
    private final double[] dVa;
    private final double[] dWOut;
    private final double[] dWOutT;
    private final double[] dBOut;

    // per-call buffers, grown to the largest call seen: memory, keys, and one slice per step of every cache
    private double[] memory = new double[0];
    private double[] keys = new double[0];
    private double[] dMemory = new double[0];
    private boolean[] real = new boolean[0];
    private boolean[] ownReal = new boolean[0];
    private int[] inputs = new int[0];
    private int[] targets = new int[0];
    private double[] countWeights = new double[0];
    private int[] lastStep = new int[0];
    private double[] cellInputs = new double[0];
    private double[] states = new double[0];
    private double[] cells = new double[0];
    private double[] gates = new double[0];
    private double[] preReset = new double[0];
    private double[] tanhCells = new double[0];
    private double[] hidden = new double[0];
    private double[] weights = new double[0];
    private double[] contexts = new double[0];
    private double[] queryKeys = new double[0];
    private double[] logits = new double[0];
    private double[] dNextH = new double[0];
    private double[] dNextC = new double[0];
    private double[] dScoreRow = new double[0];
    private double[] dKeys = new double[0];
    /** The memory and keys the steps read. */
    private double[] ownMemory = new double[0];
    private double[] ownKeys = new double[0];
    /** How many times the parameters have been read into this decoder's buffers. */
    long loads;
    /** The batch row at each position (rows in order of their last counted step, longest first), and back. */
    private int[] order = new int[0];
    private int[] position = new int[0];
    /** One past the last real source position of the row at each position. */
    private int[] realEnd = new int[0];
    // one row per live row of a step: the recurrent products, the additive queries (their gradients in the backward
    // pass), and the backward pass's gradients
    private double[] recurrent = new double[0];
    private double[] queryPart = new double[0];
    private double[] dReadIn = new double[0];
    private double[] dHidden = new double[0];
    private double[] dKey = new double[0];
    private double[] dGates = new double[0];
    private double[] dGatesH = new double[0];
    private double[] dInput = new double[0];
    /** The left factor of a transposed product, copied transposed. */
    private double[] transposed = new double[0];
    /** The lanes of a vector dot product, added in order. */
    private final double[] laneSums = new double[L];

    /**
     * @param cell the decoder cell
     * @param attention the attention, or null
     * @return true if this class computes the decoder: a {@link GruCell} or an {@link LstmCell}, with no attention, an
     *     {@link AdditiveAttention} or a {@link LuongAttention}
     */
    public static boolean supports(RecurrentCell<?> cell, Attention<?> attention) {
        boolean cellFits = cell instanceof GruCell || cell instanceof LstmCell;
        boolean attentionFits = attention == null || attention instanceof AdditiveAttention || attention instanceof LuongAttention;
        return cellFits && attentionFits;
    }

    /**
     * A fast decoder over the model's own parts (their parameters are shared, not copied).
     *
     * @param targetEmbedding E_tgt, (V, E)
     * @param cell the decoder cell, a GRU or an LSTM of hidden size H, reading E (or E + H with additive attention)
     * @param attention additive attention (read before the cell, query s_{t−1}), Luong attention (after it, query
     *     s_t), or null
     * @param output the readout, (H or 2H) → V
     * @param startToken the id fed before the first token (&lt;bos&gt;)
     * @param endToken the id that ends a sequence (&lt;eos&gt;)
     */
    public FastEncoderDecoder(Embedding targetEmbedding, RecurrentCell<?> cell, Attention<?> attention, Affine output,
            int startToken, int endToken) {
        String method = "FastEncoderDecoder";
        this.targetEmbedding = Objects.requireNonNull(targetEmbedding, method + ": targetEmbedding must not be null");
        this.cell = Objects.requireNonNull(cell, method + ": cell must not be null");
        this.output = Objects.requireNonNull(output, method + ": output must not be null");
        if (!supports(cell, attention)) {
            throw new IllegalArgumentException(method + ": supports a GruCell or LstmCell with no, additive or Luong "
                    + "attention, but was given " + cell + " and " + attention + ".");
        }
        this.attention = attention;
        this.cellKind = cell instanceof GruCell ? Cell.GRU : Cell.LSTM;
        this.kind = attention == null ? Kind.NONE : attention instanceof AdditiveAttention ? Kind.ADDITIVE
                : ((LuongAttention) attention).score() == LuongAttention.Score.DOT ? Kind.DOT : Kind.GENERAL;
        this.dataType = cell.dataType();
        this.startToken = startToken;
        this.endToken = endToken;
        this.e = targetEmbedding.embeddingSize();
        this.h = cell.hiddenSize();
        this.a = kind == Kind.ADDITIVE ? ((AdditiveAttention) attention).attentionSize() : h;
        this.d = cell.inputSize();
        this.g = (cellKind == Cell.GRU ? 3 : 4) * h;
        this.r = kind == Kind.NONE ? h : 2 * h;
        this.v = output.outputSize();
        int expectedInput = kind == Kind.ADDITIVE ? e + h : e;
        if (d != expectedInput || output.inputSize() != r || (attention != null && attention.memorySize() != h)) {
            throw new IllegalArgumentException(method + ": the parts do not fit: cell input " + d + " (expected "
                    + expectedInput + "), readout input " + output.inputSize() + " (expected " + r + ").");
        }
        this.embedding = new double[targetEmbedding.vocabularySize() * e];
        this.wx = new double[d * g];
        this.wh = new double[h * g];
        this.bx = new double[g];
        this.bh = new double[g];
        this.wq = new double[kind == Kind.ADDITIVE ? h * a : kind == Kind.GENERAL ? h * h : 0];
        this.wm = new double[kind == Kind.ADDITIVE ? h * a : 0];
        this.ba = new double[kind == Kind.ADDITIVE ? a : 0];
        this.va = new double[kind == Kind.ADDITIVE ? a : 0];
        this.wOut = new double[r * v];
        this.bOut = new double[v];
        this.wxT = new double[wx.length];
        this.whT = new double[wh.length];
        this.wqT = new double[wq.length];
        this.wmT = new double[wm.length];
        this.wOutT = new double[wOut.length];
        this.dEmbedding = new double[embedding.length];
        this.dWx = new double[wx.length];
        this.dWh = new double[wh.length];
        this.dBx = new double[g];
        this.dBh = new double[g];
        this.dWq = new double[wq.length];
        this.dWm = new double[wm.length];
        this.dBa = new double[ba.length];
        this.dVa = new double[va.length];
        this.dWOut = new double[wOut.length];
        this.dWOutT = new double[wOut.length];
        this.dBOut = new double[v];
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Training

    /**
     * The decoder's part of a training step: forward with teacher-forcing ratio ε, the masked mean cross-entropy, and
     * the backward pass down to the encoder's outputs and final state.
     *
     * @param memory m, the encoder's outputs, (N, S, H)
     * @param sourceMask which source steps are real, (N, S), or null for all
     * @param start s_{−1}, the encoder's final state, (N, H) (and c for an LSTM)
     * @param targetIds y, (N, T), integer ids
     * @param targetMask the weight of each target step, (N, T), 1 where it counts and 0 at padding
     * @param teacherForcingRatio ε in [0, 1]
     * @param random the teacher-forcing draws, consumed exactly as the readable model does (one per row and step after
     *     the first, when 0 &lt; ε &lt; 1)
     * @return the loss and the gradients
     */
    public Trained train(INDArray memory, SequenceMask sourceMask, State start, INDArray targetIds, INDArray targetMask,
            double teacherForcingRatio, Random random) {
        String method = "FastEncoderDecoder.train";
        Objects.requireNonNull(random, method + ": random must not be null");
        int n = checkMemory(method, memory, sourceMask, start);
        int s = Math.toIntExact(memory.size(1));
        Shapes.require(method, "targetIds", targetIds, "(N, T)", n, Shapes.ANY);
        int steps = Math.toIntExact(targetIds.size(1));
        Shapes.require(method, "targetMask", targetMask, "(N, T)", n, steps);
        if (!(teacherForcingRatio >= 0 && teacherForcingRatio <= 1)) {
            throw new IllegalArgumentException(method + ": teacherForcingRatio must be in [0, 1], but is "
                    + teacherForcingRatio + ".");
        }
        growSteps(n, s, steps);
        readIds(targetIds, targets, n * steps);
        for (int k = 0; k < n * steps; k++) {
            if (targets[k] < 0 || targets[k] >= v) {
                throw new IllegalArgumentException(method + ": every target id must be in [0, V) = [0, " + v
                        + "), but targetIds(" + k / steps + ", " + k % steps + ") = " + targets[k] + ".");
            }
        }
        readWeights(targetMask, countWeights, n * steps);
        double totalWeight = 0;
        for (int i = 0; i < n; i++) {
            lastStep[i] = 0;
            for (int t = 0; t < steps; t++) {
                double c = countWeights[i * steps + t];
                totalWeight += c;
                if (c != 0) {
                    lastStep[i] = t + 1;
                }
            }
        }
        orderByLastStep(n, steps);
        loadMemory(memory, sourceMask, start, n, s);
        // forward, one step of every live row at a time: every row reads ŷ_{t−1} (the true y_{t−1} with probability ε)
        double lossSum = 0;
        for (int p = 0; p < n; p++) {
            inputs[p] = startToken;
        }
        for (int t = 0; t < steps; t++) {
            int live = liveRows(t, n);
            forwardStep(t, n, live, s);
            for (int p = 0; p < live; p++) {
                int at = t * n + p;
                int i = order[p];
                int predicted = RowProducts.argmax(logits, at * v, v);
                lossSum += lossAndGradient(at * v, targets[i * steps + t], countWeights[i * steps + t], totalWeight);
                if (t + 1 < steps) {
                    inputs[at + n] = predicted;
                }
            }
            if (t + 1 < steps) {
                // ŷ_t = y_t with probability ε, argmax z_t otherwise (the argmax was put in place above); the draws are
                // taken in the batch's own row order, as the readable model takes them
                for (int i = 0; i < n; i++) {
                    boolean teacher = teacherForcingRatio >= 1
                            || (teacherForcingRatio > 0 && random.nextDouble() < teacherForcingRatio);
                    if (teacher) {
                        inputs[(t + 1) * n + position[i]] = targets[i * steps + t];
                    }
                }
            }
        }
        transposeWeights();
        clearGradients(n, s);
        for (int t = steps - 1; t >= 0; t--) {
            backwardStep(t, n, liveRows(t, n), s);
        }
        transpose(dWOutT, v, r, dWOut);
        if (kind == Kind.ADDITIVE) {
            // K = m·Wm:  dWm = mᵀ·dK,  dm += dK·Wmᵀ, once over all N·S memory rows
            transposedProductAdd(this.memory, 0, h, n * s, h, dKeys, 0, a, dWm, 0, a);
            RowProducts.multiplyAdd(dKeys, 0, a, n * s, a, wmT, 0, h, dMemory, 0, h);
        }
        return gradients(n, s, totalWeight == 0 ? 0 : lossSum / totalWeight);
    }

    /**
     * Puts the rows in order of their last counted step, longest first (ties in batch order), so that the rows still
     * live at step t are the first few: each step's products then run over one block of consecutive rows.
     * {@code order[p]} is the batch row at position p, {@code position[i]} the position of batch row i.
     */
    private void orderByLastStep(int n, int steps) {
        order = growInts(order, n);
        position = growInts(position, n);
        int p = 0;
        for (int last = steps; last >= 0; last--) {
            for (int i = 0; i < n; i++) {
                if (lastStep[i] == last) {
                    order[p] = i;
                    position[i] = p++;
                }
            }
        }
    }

    /** @return how many rows (from position 0) are still live at step t: those whose last counted step is t or later */
    private int liveRows(int t, int n) {
        int live = 0;
        while (live < n && lastStep[order[live]] > t) {
            live++;
        }
        return live;
    }

    /** Writes ℓ's gradient over the logits at {@code at} and returns c·ℓ (zero gradient for c = 0). */
    private double lossAndGradient(int at, int y, double c, double totalWeight) {
        if (c == 0) {
            Arrays.fill(logits, at, at + v, 0);
            return 0;
        }
        // ℓ = log Σ exp(z − max z) − (z_y − max z)
        double max = logits[at];
        for (int k = 1; k < v; k++) {
            max = Math.max(max, logits[at + k]);
        }
        double shiftedTarget = logits[at + y] - max;
        double sumExp = 0;
        for (int k = 0; k < v; k++) {
            double p = Math.exp(logits[at + k] - max);
            logits[at + k] = p;
            sumExp += p;
        }
        // dz = c/Σc · (softmax(z) − onehot(y))
        double share = c / totalWeight;
        for (int k = 0; k < v; k++) {
            logits[at + k] = share * logits[at + k] / sumExp;
        }
        logits[at + y] -= share;
        return c * (Math.log(sumExp) - shiftedTarget);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Decoding

    /**
     * Greedy decoding of one source, with the attention weights of every step.
     *
     * @param memory m, (1, S, H)
     * @param start s_{−1}, (1, H) (and c)
     * @param maxLength the most tokens (&lt;eos&gt; not counted), positive
     * @return the tokens and, with attention, the weights (Tout + 1, S)
     */
    public Decoded translate(INDArray memory, State start, int maxLength) {
        String method = "FastEncoderDecoder.translate";
        Shapes.requirePositive(method, "maxLength", maxLength);
        int n = checkMemory(method, memory, null, start);
        if (n != 1) {
            throw new IllegalArgumentException(method + ": memory must hold one source, (1, S, H), but holds " + n + ".");
        }
        int s = Math.toIntExact(memory.size(1));
        growSteps(1, s, maxLength + 1);
        order = growInts(order, 1);
        position = growInts(position, 1);
        order[0] = 0;
        position[0] = 0;
        loadMemory(memory, null, start, 1, s);
        int[] tokens = new int[maxLength];
        int length = 0;
        int steps = 0;
        inputs[0] = startToken;
        for (int t = 0; t <= maxLength; t++) {
            forwardStep(t, 1, 1, s);
            steps++;
            int next = RowProducts.argmax(logits, t * v, v);
            if (next == endToken || t == maxLength) {
                break;
            }
            tokens[length++] = next;
            inputs[t + 1] = next;
        }
        INDArray map = null;
        if (kind != Kind.NONE) {
            Slab out = Slab.zeros(dataType, steps, s);
            for (int k = 0; k < steps * s; k++) {
                out.set(k, weights[k]);
            }
            map = out.array;
        }
        return new Decoded(Arrays.copyOf(tokens, length), map);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // One step of the live rows

    /**
     * Step t of the first {@code live} of n rows: reads ŷ_{t−1} and s_{t−1} from the buffers, writes s_t, the caches and
     * the logits z_t. Row p of step t sits at index t·n + p of every per-step buffer, so the step's rows are one block:
     * each weight matrix meets all of them in one product.
     */
    private void forwardStep(int t, int n, int live, int s) {
        int first = t * n;
        int prev = first * h;
        int next = (first + n) * h;
        // x = E_tgt[ŷ_{t−1}]
        for (int p = 0; p < live; p++) {
            System.arraycopy(embedding, inputs[first + p] * e, cellInputs, (first + p) * d, e);
        }
        if (kind == Kind.ADDITIVE) {
            // c_t = attend(s_{t−1}, m), the cell reads [x, c_t]; the queries q = s_{t−1}·Wq + b of all rows at once
            RowProducts.fillRows(queryPart, 0, live, a, ba, 0);
            RowProducts.multiplyAdd(states, prev, h, live, h, wq, 0, a, queryPart, 0, a);
            for (int p = 0; p < live; p++) {
                attendAdditive(first + p, p, s);
                System.arraycopy(contexts, (first + p) * h, cellInputs, (first + p) * d + e, h);
            }
        }
        int gate = first * g;
        RowProducts.fillRows(gates, gate, live, g, bx, 0);
        RowProducts.multiplyAdd(cellInputs, first * d, d, live, d, wx, 0, g, gates, gate, g);
        if (cellKind == Cell.GRU) {
            RowProducts.fillRows(recurrent, 0, live, g, bh, 0);
            RowProducts.multiplyAdd(states, prev, h, live, h, wh, 0, g, recurrent, 0, g);
            for (int p = 0; p < live; p++) {
                gruForward(first + p, p, n);
            }
        } else {
            RowProducts.multiplyAdd(states, prev, h, live, h, wh, 0, g, gates, gate, g);
            for (int p = 0; p < live; p++) {
                lstmForward(first + p, n);
            }
        }
        if (kind == Kind.DOT || kind == Kind.GENERAL) {
            // c_t = attend(s_t, m), with the key k = s_t (dot) or s_t·W (general) of all rows at once
            if (kind == Kind.DOT) {
                System.arraycopy(states, next, queryKeys, first * h, live * h);
            } else {
                Arrays.fill(queryKeys, first * h, (first + live) * h, 0);
                RowProducts.multiplyAdd(states, next, h, live, h, wq, 0, h, queryKeys, first * h, h);
            }
            for (int p = 0; p < live; p++) {
                attendLuong(first + p, p, s);
            }
        }
        // z_t = [s_t, c_t]·W_out + b_out
        int z = first * v;
        RowProducts.fillRows(logits, z, live, v, bOut, 0);
        RowProducts.multiplyAdd(states, next, h, live, h, wOut, 0, v, logits, z, v);
        if (kind != Kind.NONE) {
            RowProducts.multiplyAdd(contexts, first * h, h, live, h, wOut, h * v, v, logits, z, v);
        }
    }

    /**
     * GRU after its products (ax = x·Wx + bx in the gates, ah = h·Wh + bh in {@code recurrent}): r = σ(ax_r + ah_r),
     * z = σ(ax_z + ah_z), n = tanh(ax_n + r ⊙ ah_n), h' = (1 − z) ⊙ n + z ⊙ h.
     */
    private void gruForward(int at, int p, int n) {
        int gate = at * g;
        int ah = p * g;
        int prev = at * h;
        int next = (at + n) * h;
        int c = at * h;
        // r = σ(ax_r + ah_r),  z = σ(ax_z + ah_z): the sums in place, then σ over both blocks
        for (int j = 0; j < 2 * h; j++) {
            gates[gate + j] += recurrent[ah + j];
        }
        VectorActivations.sigmoid(gates, gate, gates, gate, 2 * h);
        // n = tanh(ax_n + r ⊙ ah_n)
        for (int j = 0; j < h; j++) {
            double ahn = recurrent[ah + 2 * h + j];
            preReset[c + j] = ahn;
            gates[gate + 2 * h + j] += gates[gate + j] * ahn;
        }
        VectorActivations.tanh(gates, gate + 2 * h, gates, gate + 2 * h, h);
        // h' = (1 − z) ⊙ n + z ⊙ h
        for (int j = 0; j < h; j++) {
            double zj = gates[gate + h + j];
            states[next + j] = (1 - zj) * gates[gate + 2 * h + j] + zj * states[prev + j];
        }
    }

    /** LSTM after its product (a = x·Wx + h·Wh + b in the gates): i, f, o = σ(a_i, a_f, a_o), g = tanh(a_g); c' = f ⊙ c + i ⊙ g; h' = o ⊙ tanh(c'). */
    private void lstmForward(int at, int n) {
        int gate = at * g;
        int prev = at * h;
        int next = (at + n) * h;
        // i, f, o = σ(a_i, a_f, a_o),  g = tanh(a_g)
        VectorActivations.sigmoid(gates, gate, gates, gate, 3 * h);
        VectorActivations.tanh(gates, gate + 3 * h, gates, gate + 3 * h, h);
        // c' = f ⊙ c + i ⊙ g
        for (int j = 0; j < h; j++) {
            cells[next + j] = gates[gate + h + j] * cells[prev + j] + gates[gate + j] * gates[gate + 3 * h + j];
        }
        // h' = o ⊙ tanh(c')
        VectorActivations.tanh(cells, next, tanhCells, at * h, h);
        for (int j = 0; j < h; j++) {
            states[next + j] = gates[gate + 2 * h + j] * tanhCells[at * h + j];
        }
    }

    /**
     * u_j = tanh(q + K_j), e_j = u_j·v, α = softmax over real j, c = Σ_j α_j m_j, for the row at position p, whose
     * query q = s_{t−1}·Wq + b is row p of {@code queryPart}. The tanh of all its positions up to its last real one run
     * as one pass on the vector units (a masked position's u is computed and never read).
     */
    private void attendAdditive(int at, int p, int s) {
        int u = at * s * a;
        int w = at * s;
        int end = realEnd[p];
        int query = p * a;
        for (int j = 0; j < end; j++) {
            int key = row(p, s, j) * a;
            int out = u + j * a;
            int k = 0;
            for (; k + L <= a; k += L) {
                DoubleVector.fromArray(DOUBLES, queryPart, query + k).add(DoubleVector.fromArray(DOUBLES, keys, key + k))
                        .intoArray(hidden, out + k);
            }
            for (; k < a; k++) {
                hidden[out + k] = queryPart[query + k] + keys[key + k];
            }
        }
        VectorActivations.tanh(hidden, u, hidden, u, end * a);
        for (int j = 0; j < s; j++) {
            // e_j = u_j·v
            weights[w + j] = j < end && real[row(p, s, j)] ? dot(hidden, u + j * a, va, 0, a) : Double.NEGATIVE_INFINITY;
        }
        softmaxAndAverage(at, p, s);
    }

    /** e_j = k·m_j with k = row at of {@code queryKeys}, α = softmax over real j, c = Σ_j α_j m_j. */
    private void attendLuong(int at, int p, int s) {
        int key = at * h;
        int w = at * s;
        int end = realEnd[p];
        for (int j = 0; j < s; j++) {
            weights[w + j] = j < end && real[row(p, s, j)] ? dot(queryKeys, key, memory, row(p, s, j) * h, h)
                    : Double.NEGATIVE_INFINITY;
        }
        softmaxAndAverage(at, p, s);
    }

    /** α = softmax(e) over the real positions (masked ones hold −∞ and get 0), then c_t = Σ_j α_j m_j. */
    private void softmaxAndAverage(int at, int p, int s) {
        int w = at * s;
        RowProducts.softmax(weights, w, s);
        int c = at * h;
        Arrays.fill(contexts, c, c + h, 0);
        RowProducts.multiplyAdd(weights, w, s, 1, realEnd[p], memory, row(p, s, 0) * h, h, contexts, c, h);
    }

    /** @return the row of memory (and keys) that source position j of the row at position p reads */
    private int row(int p, int s, int j) {
        return p * s + j;
    }

    /** Backward through step t of the first {@code live} of n rows: readout, Luong attention, cell, additive attention, embedding. */
    private void backwardStep(int t, int n, int live, int s) {
        int first = t * n;
        int prev = first * h;
        int next = (first + n) * h;
        int z = first * v;
        int c = first * h;
        // z_t = [s_t, c_t]·W_out + b_out:  dW_out += readInᵀ·dz (summed as its transpose dzᵀ·readIn, whose rows are
        // a few vectors wide where V is not),  db_out += Σ dz,  dReadIn = dz·W_outᵀ
        addRows(logits, z, live, v, dBOut);
        transposedProductAdd(logits, z, v, live, v, states, next, h, dWOutT, 0, r);
        if (kind != Kind.NONE) {
            transposedProductAdd(logits, z, v, live, v, contexts, c, h, dWOutT, h, r);
        }
        Arrays.fill(dReadIn, 0, live * r, 0);
        RowProducts.multiplyAdd(logits, z, v, live, v, wOutT, 0, r, dReadIn, 0, r);
        // ∂L/∂s_t: the readout's share plus what step t + 1 sent back
        for (int p = 0; p < live; p++) {
            for (int j = 0; j < h; j++) {
                dHidden[p * h + j] = dReadIn[p * r + j] + dNextH[p * h + j];
            }
        }
        if (kind == Kind.DOT || kind == Kind.GENERAL) {
            for (int p = 0; p < live; p++) {
                luongBackward(first + p, p, s);
            }
            if (kind == Kind.DOT) {
                // k = s_t:  ds_t += dk
                RowProducts.axpy(1, dKey, 0, dHidden, 0, live * h);
            } else {
                // k = s_t·W:  dW += s_tᵀ·dk,  ds_t += dk·Wᵀ
                transposedProductAdd(states, next, h, live, h, dKey, 0, h, dWq, 0, h);
                RowProducts.multiplyAdd(dKey, 0, h, live, h, wqT, 0, h, dHidden, 0, h);
            }
        }
        if (cellKind == Cell.GRU) {
            for (int p = 0; p < live; p++) {
                gruBackward(first + p, p);
            }
            // dWx += [x, c]ᵀ·dax, dbx += Σ dax, dWh += hᵀ·dah, dbh += Σ dah; dx = dax·Wxᵀ, dh_{t−1} += dah·Whᵀ
            transposedProductAdd(cellInputs, first * d, d, live, d, dGates, 0, g, dWx, 0, g);
            addRows(dGates, 0, live, g, dBx);
            transposedProductAdd(states, prev, h, live, h, dGatesH, 0, g, dWh, 0, g);
            addRows(dGatesH, 0, live, g, dBh);
            RowProducts.multiplyAdd(dGatesH, 0, g, live, g, whT, 0, h, dNextH, 0, h);
        } else {
            for (int p = 0; p < live; p++) {
                lstmBackward(first + p, p);
            }
            // dWx += [x, c]ᵀ·da, dWh += hᵀ·da, db += Σ da; dx = da·Wxᵀ, dh_{t−1} = da·Whᵀ
            transposedProductAdd(cellInputs, first * d, d, live, d, dGates, 0, g, dWx, 0, g);
            transposedProductAdd(states, prev, h, live, h, dGates, 0, g, dWh, 0, g);
            addRows(dGates, 0, live, g, dBx);
            Arrays.fill(dNextH, 0, live * h, 0);
            RowProducts.multiplyAdd(dGates, 0, g, live, g, whT, 0, h, dNextH, 0, h);
        }
        Arrays.fill(dInput, 0, live * d, 0);
        RowProducts.multiplyAdd(dGates, 0, g, live, g, wxT, 0, d, dInput, 0, d);
        if (kind == Kind.ADDITIVE) {
            // c_t reached the readout and the cell's input [x, c_t]
            for (int p = 0; p < live; p++) {
                for (int j = 0; j < h; j++) {
                    dReadIn[p * r + h + j] += dInput[p * d + e + j];
                }
                additiveBackward(first + p, p, s);
            }
            // q = s_{t−1}·Wq + b:  dWq += s_{t−1}ᵀ·dq,  db += Σ dq,  ds_{t−1} += dq·Wqᵀ
            transposedProductAdd(states, prev, h, live, h, queryPart, 0, a, dWq, 0, a);
            addRows(queryPart, 0, live, a, dBa);
            RowProducts.multiplyAdd(queryPart, 0, a, live, a, wqT, 0, h, dNextH, 0, h);
        }
        // dE_tgt[ŷ_{t−1}] += dx (the padding row receives nothing)
        for (int p = 0; p < live; p++) {
            int token = inputs[first + p];
            if (token != targetEmbedding.paddingId()) {
                RowProducts.axpy(1, dInput, p * d, dEmbedding, token * e, e);
            }
        }
    }

    /**
     * Through c = Σ α_j m_j and the softmax, for the row at position p with dc at {@code dContext[dc ..]}:
     * dα_j = m_j·dc, dm_j += α_j dc, de_j = α_j (dα_j − Σ_k α_k dα_k).
     */
    private void averageBackward(int at, int p, int s, double[] dContext, int dc) {
        int w = at * s;
        int end = realEnd[p];
        double inner = 0;
        for (int j = 0; j < end; j++) {
            double alpha = weights[w + j];
            if (alpha == 0) {
                dScoreRow[j] = 0;
                continue;
            }
            int m = row(p, s, j) * h;
            double dAlpha = dot(memory, m, dContext, dc, h);
            dScoreRow[j] = dAlpha;
            inner += alpha * dAlpha;
            RowProducts.axpy(alpha, dContext, dc, dMemory, m, h);
        }
        for (int j = 0; j < end; j++) {
            dScoreRow[j] = weights[w + j] * (dScoreRow[j] - inner);
        }
    }

    /** Luong, the row at position p: dk = Σ_j de_j m_j (row p of {@code dKey}), dm_j += de_j k. */
    private void luongBackward(int at, int p, int s) {
        averageBackward(at, p, s, dReadIn, p * r + h);
        int dk = p * h;
        Arrays.fill(dKey, dk, dk + h, 0);
        int key = at * h;
        for (int j = 0; j < realEnd[p]; j++) {
            double de = dScoreRow[j];
            if (de != 0) {
                int m = row(p, s, j) * h;
                RowProducts.axpy(de, memory, m, dKey, dk, h);
                RowProducts.axpy(de, queryKeys, key, dMemory, m, h);
            }
        }
    }

    /**
     * Additive, the row at position p: du_j = de_j v, da_j = du_j ⊙ (1 − u_j²), dv += Σ_j de_j u_j, dK_j += da_j, and
     * dq = Σ_j da_j into row p of {@code queryPart} (the query's products are taken back for all rows at once).
     */
    private void additiveBackward(int at, int p, int s) {
        averageBackward(at, p, s, dReadIn, p * r + h);
        int dq = p * a;
        Arrays.fill(queryPart, dq, dq + a, 0);
        int u = at * s * a;
        for (int j = 0; j < realEnd[p]; j++) {
            double de = dScoreRow[j];
            if (de == 0) {
                continue;
            }
            int row = u + j * a;
            // K_j = m_j·Wm was computed once per call: its gradient dK_j is summed here and taken back through Wm once
            int key = row(p, s, j) * a;
            DoubleVector scale = DoubleVector.broadcast(DOUBLES, de);
            int k = 0;
            for (; k + L <= a; k += L) {
                DoubleVector uk = DoubleVector.fromArray(DOUBLES, hidden, row + k);
                uk.fma(scale, DoubleVector.fromArray(DOUBLES, dVa, k)).intoArray(dVa, k);
                DoubleVector da = scale.mul(DoubleVector.fromArray(DOUBLES, va, k)).mul(uk.mul(uk).neg().add(1));
                da.add(DoubleVector.fromArray(DOUBLES, queryPart, dq + k)).intoArray(queryPart, dq + k);
                da.add(DoubleVector.fromArray(DOUBLES, dKeys, key + k)).intoArray(dKeys, key + k);
            }
            for (; k < a; k++) {
                double uk = hidden[row + k];
                dVa[k] = Math.fma(uk, de, dVa[k]);
                double da = de * va[k] * (1 - uk * uk);
                queryPart[dq + k] += da;
                dKeys[key + k] += da;
            }
        }
    }

    /**
     * GRU, the row at position p: dn = dh(1 − z), dz = dh(h_{t−1} − n), da_n = dn(1 − n²), dr = da_n·ah_n,
     * da_r = dr·r(1 − r), da_z = dz·z(1 − z); dax = [da_r, da_z, da_n], dah = [da_r, da_z, da_n ⊙ r] (rows p of
     * {@code dGates} and {@code dGatesH}), and dh_{t−1} starts as dh ⊙ z (the products add dah·Whᵀ).
     */
    private void gruBackward(int at, int p) {
        int gate = at * g;
        int c = at * h;
        int prev = at * h;
        int dg = p * g;
        for (int j = 0; j < h; j++) {
            double rj = gates[gate + j];
            double zj = gates[gate + h + j];
            double nj = gates[gate + 2 * h + j];
            double dh = dHidden[p * h + j];
            double dan = dh * (1 - zj) * (1 - nj * nj);
            double dr = dan * preReset[c + j];
            double dar = dr * rj * (1 - rj);
            double daz = dh * (states[prev + j] - nj) * zj * (1 - zj);
            dGates[dg + j] = dar;
            dGates[dg + h + j] = daz;
            dGates[dg + 2 * h + j] = dan;
            dGatesH[dg + j] = dar;
            dGatesH[dg + h + j] = daz;
            dGatesH[dg + 2 * h + j] = dan * rj;
            dNextH[p * h + j] = dh * zj;
        }
    }

    /**
     * LSTM, the row at position p: dc_total = dc + dh ⊙ o ⊙ (1 − tanh² c_t); da_i = dc_total·g·i(1 − i),
     * da_f = dc_total·c_{t−1}·f(1 − f), da_o = dh·tanh c_t·o(1 − o), da_g = dc_total·i·(1 − g²) (row p of
     * {@code dGates}); dc_{t−1} = dc_total ⊙ f.
     */
    private void lstmBackward(int at, int p) {
        int gate = at * g;
        int c = at * h;
        int prev = at * h;
        int dg = p * g;
        for (int j = 0; j < h; j++) {
            double ij = gates[gate + j];
            double fj = gates[gate + h + j];
            double oj = gates[gate + 2 * h + j];
            double gj = gates[gate + 3 * h + j];
            double tc = tanhCells[c + j];
            double dh = dHidden[p * h + j];
            double dcTotal = dNextC[p * h + j] + dh * oj * (1 - tc * tc);
            dGates[dg + j] = dcTotal * gj * ij * (1 - ij);
            dGates[dg + h + j] = dcTotal * cells[prev + j] * fj * (1 - fj);
            dGates[dg + 2 * h + j] = dh * tc * oj * (1 - oj);
            dGates[dg + 3 * h + j] = dcTotal * ij * (1 - gj * gj);
            dNextC[p * h + j] = dcTotal * fj;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Small kernels on row-major arrays

    /**
     * C (k × n) += xᵀ·y = Σ_p x[p, ·]ᵀ y[p, ·] over the m rows p of x (m × k, rows lda apart) and y (m × n, rows n
     * apart), C's rows ldc apart: a weight gradient summed over a step's rows. x is copied transposed (k × m, a few
     * thousand entries against k·m·n multiply-adds) so that the sum runs as one {@code RowProducts} product, in row
     * order.
     */
    private void transposedProductAdd(double[] x, int xOffset, int lda, int m, int k, double[] y, int yOffset, int n,
            double[] c, int cOffset, int ldc) {
        transposed = grow(transposed, k * m);
        for (int p = 0; p < m; p++) {
            for (int q = 0; q < k; q++) {
                transposed[q * m + p] = x[xOffset + p * lda + q];
            }
        }
        RowProducts.multiplyAdd(transposed, 0, m, k, m, y, yOffset, n, c, cOffset, ldc);
    }

    /** sum[j] += Σ_p values[offset + p·n + j], the m rows in order: a bias gradient summed over a step's rows. */
    private static void addRows(double[] values, int offset, int m, int n, double[] sum) {
        for (int p = 0; p < m; p++) {
            RowProducts.axpy(1, values, offset + p * n, sum, 0, n);
        }
    }

    /**
     * @return Σ_j x[xo + j]·y[yo + j]: L running sums on the vector units, then added in lane order (a fixed order, so
     *     the same inputs give the same bits on every run), then the last few entries
     */
    private double dot(double[] x, int xo, double[] y, int yo, int count) {
        DoubleVector sums = DoubleVector.zero(DOUBLES);
        int j = 0;
        for (; j + L <= count; j += L) {
            sums = DoubleVector.fromArray(DOUBLES, x, xo + j).fma(DoubleVector.fromArray(DOUBLES, y, yo + j), sums);
        }
        sums.intoArray(laneSums, 0);
        double sum = 0;
        for (int lane = 0; lane < L; lane++) {
            sum += laneSums[lane];
        }
        for (; j < count; j++) {
            sum = Math.fma(x[xo + j], y[yo + j], sum);
        }
        return sum;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Buffers and parameters

    /** Checks m, the mask and s_{−1}; returns N. */
    private int checkMemory(String method, INDArray memoryArray, SequenceMask mask, State start) {
        Shapes.require(method, "memory", memoryArray, "(N, S, H)", Shapes.ANY, Shapes.ANY, h);
        Shapes.requireType(method, "memory", memoryArray, dataType);
        Objects.requireNonNull(start, method + ": start must not be null");
        int n = Math.toIntExact(memoryArray.size(0));
        int s = Math.toIntExact(memoryArray.size(1));
        Shapes.require(method, "start.h", start.h(), "(N, H)", n, h);
        if (cellKind == Cell.LSTM && !start.hasCell()) {
            throw new IllegalArgumentException(method + ": an LSTM decoder starts from a state with a cell state c, but "
                    + "start carries only h.");
        }
        if (cellKind == Cell.LSTM) {
            Shapes.require(method, "start.c", start.c(), "(N, H)", n, h);
        }
        if (mask != null) {
            mask.requireShape(method, n, s);
        }
        return n;
    }

    /**
     * Reads the parameters, copies m, the mask and s_{−1} with batch row {@code order[p]} at position p, and computes
     * the additive keys K = m·Wm once for every step.
     */
    private void loadMemory(INDArray memoryArray, SequenceMask mask, State start, int n, int s) {
        loadParameters();
        int rowSize = s * h;
        ownMemory = grow(ownMemory, n * rowSize);
        Slab m = Slab.of(memoryArray);
        for (int p = 0; p < n; p++) {
            int from = order[p] * rowSize;
            for (int k = 0; k < rowSize; k++) {
                ownMemory[p * rowSize + k] = m.get(from + k);
            }
        }
        memory = ownMemory;
        if (ownReal.length < n * s) {
            ownReal = new boolean[n * s];
        }
        real = ownReal;
        realEnd = growInts(realEnd, n);
        for (int p = 0; p < n; p++) {
            realEnd[p] = 0;
            for (int j = 0; j < s; j++) {
                ownReal[p * s + j] = mask == null || mask.isReal(order[p], j);
                if (ownReal[p * s + j]) {
                    realEnd[p] = j + 1;
                }
            }
        }
        if (kind == Kind.ADDITIVE) {
            ownKeys = grow(ownKeys, n * s * a);
            Arrays.fill(ownKeys, 0, n * s * a, 0);
            RowProducts.multiplyAdd(memory, 0, h, n * s, h, wm, 0, a, ownKeys, 0, a);
        }
        keys = ownKeys;
        Slab hs = Slab.of(start.h());
        Slab cs = cellKind == Cell.LSTM ? Slab.of(start.c()) : null;
        for (int p = 0; p < n; p++) {
            for (int k = 0; k < h; k++) {
                states[p * h + k] = hs.get(order[p] * h + k);
                if (cs != null) {
                    cells[p * h + k] = cs.get(order[p] * h + k);
                }
            }
        }
    }

    /** Grows the per-step buffers to n rows, S source steps and T steps (states hold T + 1). */
    private void growSteps(int n, int s, int steps) {
        int rows = n * steps;
        states = grow(states, (rows + n) * h);
        cells = cellKind == Cell.LSTM ? grow(cells, (rows + n) * h) : cells;
        inputs = growInts(inputs, rows + n);
        targets = growInts(targets, rows);
        countWeights = grow(countWeights, rows);
        if (lastStep.length < n) {
            lastStep = new int[n];
        }
        cellInputs = grow(cellInputs, rows * d);
        gates = grow(gates, rows * g);
        preReset = cellKind == Cell.GRU ? grow(preReset, rows * h) : preReset;
        tanhCells = cellKind == Cell.LSTM ? grow(tanhCells, rows * h) : tanhCells;
        logits = grow(logits, rows * v);
        dNextH = grow(dNextH, n * h);
        dNextC = grow(dNextC, n * h);
        if (kind != Kind.NONE) {
            weights = grow(weights, rows * s);
            contexts = grow(contexts, rows * h);
            queryKeys = grow(queryKeys, rows * h);
            dMemory = grow(dMemory, n * s * h);
            dKeys = grow(dKeys, n * s * a);
            dScoreRow = grow(dScoreRow, s);
        }
        if (kind == Kind.ADDITIVE) {
            hidden = grow(hidden, rows * s * a);
        }
        // one row per live row of a step
        recurrent = grow(recurrent, n * g);
        queryPart = grow(queryPart, n * a);
        dReadIn = grow(dReadIn, n * r);
        dHidden = grow(dHidden, n * h);
        dKey = grow(dKey, n * h);
        dGates = grow(dGates, n * g);
        dGatesH = grow(dGatesH, n * g);
        dInput = grow(dInput, n * d);
    }

    /** @return the buffer if it holds size entries, else a larger copy of it (what it holds is kept) */
    private static double[] grow(double[] buffer, int size) {
        return buffer.length >= size ? buffer : Arrays.copyOf(buffer, Math.max(size, buffer.length + buffer.length / 2));
    }

    private static int[] growInts(int[] buffer, int size) {
        return buffer.length >= size ? buffer : new int[Math.max(size, buffer.length + buffer.length / 2)];
    }

    /** Copies every parameter into its Java array (the parts' arrays may have changed since the last call). */
    void loadParameters() {
        loads++;
        read(targetEmbedding.parameters().get("E"), embedding);
        var cellParameters = cell.parameters();
        read(cellParameters.get("Wx"), wx);
        read(cellParameters.get("Wh"), wh);
        if (cellKind == Cell.GRU) {
            read(cellParameters.get("bx"), bx);
            read(cellParameters.get("bh"), bh);
        } else {
            read(cellParameters.get("b"), bx);
        }
        if (kind == Kind.ADDITIVE) {
            read(attention.parameters().get("Wq"), wq);
            read(attention.parameters().get("Wm"), wm);
            read(attention.parameters().get("b"), ba);
            read(attention.parameters().get("v"), va);
        } else if (kind == Kind.GENERAL) {
            read(attention.parameters().get("W"), wq);
        }
        read(output.parameters().get("W"), wOut);
        read(output.parameters().get("b"), bOut);
    }

    /** Wᵀ of every weight matrix, which only the backward pass reads. */
    private void transposeWeights() {
        transpose(wx, d, g, wxT);
        transpose(wh, h, g, whT);
        transpose(wq, h, wq.length / h, wqT);
        transpose(wm, h, wm.length / h, wmT);
        transpose(wOut, r, v, wOutT);
    }

    /** into = Wᵀ for W (rows, cols) row-major. */
    private static void transpose(double[] w, int rows, int cols, double[] into) {
        for (int k = 0; k < rows; k++) {
            for (int j = 0; j < cols; j++) {
                into[j * rows + k] = w[k * cols + j];
            }
        }
    }

    void read(INDArray array, double[] into) {
        // a plain parameter array is read through the same slab call after call (it is updated in place)
        Slab from = parameterSlabs.computeIfAbsent(array, p -> Slab.isPlain(p) ? Slab.of(p) : null);
        if (from == null) {
            from = Slab.of(array);
        }
        for (int k = 0; k < into.length; k++) {
            into[k] = from.get(k);
        }
    }

    /** Reads integer ids of a (N, T) array into {@code into}, row-major. */
    static void readIds(INDArray ids, int[] into, int count) {
        INDArray plain = ids.ordering() == 'c' && ids.offset() == 0 && ids.elementWiseStride() == 1 ? ids : ids.dup('c');
        var data = plain.data();
        for (int k = 0; k < count; k++) {
            into[k] = data.getInt(k);
        }
    }

    /** Reads a (N, T) numeric array into {@code into}, row-major. */
    private static void readWeights(INDArray values, double[] into, int count) {
        INDArray plain = values.ordering() == 'c' && values.offset() == 0 && values.elementWiseStride() == 1 ? values
                : values.dup('c');
        var data = plain.data();
        for (int k = 0; k < count; k++) {
            into[k] = data.getDouble(k);
        }
    }

    private void clearGradients(int n, int s) {
        for (double[] grad : new double[][] {dEmbedding, dWx, dWh, dBx, dBh, dWq, dWm, dBa, dVa, dWOutT, dBOut}) {
            Arrays.fill(grad, 0);
        }
        Arrays.fill(dNextH, 0, n * h, 0);
        if (cellKind == Cell.LSTM) {
            Arrays.fill(dNextC, 0, n * h, 0);
        }
        if (kind != Kind.NONE) {
            Arrays.fill(dMemory, 0, n * s * h, 0);
            Arrays.fill(dKeys, 0, n * s * a, 0);
        }
    }

    /** The gradients as arrays of the model's data type, under the parts' parameter names. */
    private Trained gradients(int n, int s, double loss) {
        INDArray dm = kind == Kind.NONE ? Nd4j.zeros(dataType, n, s, h) : writeRows(dMemory, n, s * h, n, s, h);
        INDArray dh = writeRows(dNextH, n, h, n, h);
        INDArray dc = cellKind == Cell.LSTM ? writeRows(dNextC, n, h, n, h) : null;
        Gradients decoder = new Gradients().take("Wx", write(dWx, dWx.length, d, g)).take("Wh", write(dWh, dWh.length, h, g));
        if (cellKind == Cell.GRU) {
            decoder.take("bx", write(dBx, g, 1, g)).take("bh", write(dBh, g, 1, g));
        } else {
            decoder.take("b", write(dBx, g, 1, g));
        }
        Gradients attentionGradients = new Gradients();
        if (kind == Kind.ADDITIVE) {
            attentionGradients.take("Wq", write(dWq, dWq.length, h, a)).take("Wm", write(dWm, dWm.length, h, a))
                    .take("b", write(dBa, a, 1, a)).take("v", write(dVa, a, a, 1));
        } else if (kind == Kind.GENERAL) {
            attentionGradients.take("W", write(dWq, dWq.length, h, h));
        }
        Gradients readout = new Gradients().take("W", write(dWOut, dWOut.length, r, v)).take("b", write(dBOut, v, 1, v));
        Gradients table = new Gradients().take("E", write(dEmbedding, dEmbedding.length, targetEmbedding.vocabularySize(), e));
        return new Trained(loss, dm, new State(dh, dc), table, decoder, attentionGradients, readout);
    }

    /** The n rows of {@code values} (rowSize entries each, in position order) written back in batch order. */
    private INDArray writeRows(double[] values, int n, int rowSize, long... shape) {
        Slab out = Slab.zeros(dataType, shape);
        for (int p = 0; p < n; p++) {
            int to = order[p] * rowSize;
            for (int k = 0; k < rowSize; k++) {
                out.set(to + k, values[p * rowSize + k]);
            }
        }
        return out.array;
    }

    private INDArray write(double[] values, int count, long... shape) {
        Slab out = Slab.zeros(dataType, shape);
        for (int k = 0; k < count; k++) {
            out.set(k, values[k]);
        }
        return out.array;
    }

    /** @return the data type of the model's arrays */
    public DataType dataType() {
        return dataType;
    }

    /** @return V, the number of target tokens */
    public int vocabularySize() {
        return v;
    }

    /** @return H, the decoder's hidden size */
    public int hiddenSize() {
        return h;
    }

    /** @return true for an LSTM decoder, whose states carry a cell state c */
    public boolean hasCellState() {
        return cellKind == Cell.LSTM;
    }

    @Override
    public String toString() {
        return "FastEncoderDecoder(" + cellKind + ", attention=" + kind + ", E=" + e + ", H=" + h + ", V=" + v + ", "
                + dataType + ")";
    }
}

package unrolled.fast;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
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
 *   per step t and row, in one pass:
 *     x = E_tgt[ŷ_{t−1}]
 *     BAHDANAU:  u_j = tanh(s_{t−1}·Wq + b + K_j),  e_j = u_j·v,  α = softmax(e) over real j,  c_t = Σ_j α_j m_j
 *                s_t = cell([x, c_t], s_{t−1})
 *     LUONG:     s_t = cell(x, s_{t−1}),  k = s_t (dot) or s_t·W (general),  e_j = k·m_j,  α, c_t as above
 *     z_t = [s_t, c_t]·W_out + b_out   (s_t alone without attention)
 *     ℓ_t = log Σ exp(z_t − max z_t) − (z_t,y − max z_t),   dz_t = m_t / Σm · (softmax(z_t) − onehot(y_t))
 *   backward, t = T−1 … 0, per row: the same equations as the readable classes, with every weight gradient summed
 *   into one buffer per parameter
 * </pre>
 *
 * <p>All arithmetic runs in double on Java arrays, whatever the model's data type (a FLOAT model's numbers are rounded
 * to float only where they leave: logits, gradients, states); the sizes of the curriculum's decoders (H of 32–48, a
 * few dozen rows) are far too small for a BLAS call per step to pay, and a per-row pass keeps the whole step in cache.
 * A row stops being computed after its last counted target step: its later steps receive zero gradient in the readable
 * model too, so skipping them changes nothing. The work buffers grow to the largest call seen and are reused, so the
 * time loop allocates nothing.
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
    // per-row scratch, sized once
    private final double[] dReadIn;
    private final double[] dGates;
    private final double[] dGatesH;
    private final double[] dInput;
    private final double[] dHidden;
    private final double[] dKey;
    private final double[] queryPart;
    private final double[] dHiddenLayer;
    private final double[] recurrent;

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
        this.dBOut = new double[v];
        this.dReadIn = new double[r];
        this.dGates = new double[g];
        this.dGatesH = new double[g];
        this.dInput = new double[d];
        this.dHidden = new double[h];
        this.dKey = new double[h];
        this.queryPart = new double[a];
        this.dHiddenLayer = new double[a];
        this.recurrent = new double[g];
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
        int n = loadMemory(method, memory, sourceMask, start);
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
        // forward, step by step: every row reads ŷ_{t−1} (the true y_{t−1} with probability ε)
        double lossSum = 0;
        for (int i = 0; i < n; i++) {
            inputs[i] = startToken;
        }
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < n; i++) {
                int at = t * n + i;
                if (t < lastStep[i]) {
                    forwardRow(t, i, n, s, inputs[at]);
                    int y = targets[i * steps + t];
                    double c = countWeights[i * steps + t];
                    int predicted = RowProducts.argmax(logits, at * v, v);
                    lossSum += lossAndGradient(at * v, y, c, totalWeight);
                    if (t + 1 < steps) {
                        inputs[at + n] = predicted;
                    }
                }
            }
            if (t + 1 < steps) {
                // ŷ_t = y_t with probability ε, argmax z_t otherwise (the argmax was put in place above)
                for (int i = 0; i < n; i++) {
                    boolean teacher = teacherForcingRatio >= 1
                            || (teacherForcingRatio > 0 && random.nextDouble() < teacherForcingRatio);
                    if (teacher) {
                        inputs[(t + 1) * n + i] = targets[i * steps + t];
                    }
                }
            }
        }
        transposeWeights();
        clearGradients(n, s);
        for (int t = steps - 1; t >= 0; t--) {
            for (int i = 0; i < n; i++) {
                if (t < lastStep[i]) {
                    backwardRow(t, i, n, s);
                }
            }
        }
        if (kind == Kind.ADDITIVE) {
            // K = m·Wm:  dWm = mᵀ·dK,  dm += dK·Wmᵀ, once over all N·S memory rows
            for (int row = 0; row < n * s; row++) {
                outer(this.memory, row * h, h, dKeys, row * a, a, dWm, 0);
                multiplyTransposed(dKeys, row * a, a, wmT, 0, h, h, dMemory, row * h, true);
            }
        }
        return gradients(n, s, totalWeight == 0 ? 0 : lossSum / totalWeight);
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
        int n = loadMemory(method, memory, null, start);
        if (n != 1) {
            throw new IllegalArgumentException(method + ": memory must hold one source, (1, S, H), but holds " + n + ".");
        }
        int s = Math.toIntExact(memory.size(1));
        growSteps(1, s, maxLength + 1);
        int[] tokens = new int[maxLength];
        int length = 0;
        int steps = 0;
        inputs[0] = startToken;
        for (int t = 0; t <= maxLength; t++) {
            forwardRow(t, 0, 1, s, inputs[t]);
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
    // One row of one step

    /**
     * Step t of row i (of n): reads ŷ_{t−1} = token and s_{t−1} from the state buffers, writes s_t, the caches and
     * the logits z_t at ((t·n + i)·V).
     */
    private void forwardRow(int t, int i, int n, int s, int token) {
        int at = t * n + i;
        int prev = at * h;
        int next = (at + n) * h;
        int in = at * d;
        // x = E_tgt[ŷ_{t−1}]
        System.arraycopy(embedding, token * e, cellInputs, in, e);
        if (kind == Kind.ADDITIVE) {
            // c_t = attend(s_{t−1}, m), the cell reads [x, c_t]
            attendAdditive(at, i, s, states, prev);
            System.arraycopy(contexts, at * h, cellInputs, in + e, h);
        }
        if (cellKind == Cell.GRU) {
            gruForward(at, in, prev, next);
        } else {
            lstmForward(at, in, prev, next);
        }
        if (kind == Kind.DOT || kind == Kind.GENERAL) {
            // c_t = attend(s_t, m)
            attendLuong(at, i, s, next);
        }
        // z_t = [s_t, c_t]·W_out + b_out
        int z = at * v;
        System.arraycopy(bOut, 0, logits, z, v);
        multiplyAdd(states, next, h, wOut, 0, v, logits, z);
        if (kind != Kind.NONE) {
            multiplyAdd(contexts, at * h, h, wOut, h * v, v, logits, z);
        }
    }

    /** ax = x·Wx + bx, ah = h·Wh + bh; r = σ(ax_r + ah_r), z = σ(ax_z + ah_z), n = tanh(ax_n + r ⊙ ah_n), h' = (1 − z) ⊙ n + z ⊙ h. */
    private void gruForward(int at, int in, int prev, int next) {
        int gate = at * g;
        System.arraycopy(bx, 0, gates, gate, g);
        multiplyAdd(cellInputs, in, d, wx, 0, g, gates, gate);
        System.arraycopy(bh, 0, recurrent, 0, g);
        multiplyAdd(states, prev, h, wh, 0, g, recurrent, 0);
        int c = at * h;
        // r = σ(ax_r + ah_r),  z = σ(ax_z + ah_z): the sums in place, then σ over both blocks
        for (int j = 0; j < 2 * h; j++) {
            gates[gate + j] += recurrent[j];
        }
        VectorActivations.sigmoid(gates, gate, gates, gate, 2 * h);
        // n = tanh(ax_n + r ⊙ ah_n)
        for (int j = 0; j < h; j++) {
            double ahn = recurrent[2 * h + j];
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

    /** a = x·Wx + h·Wh + b; i, f, o = σ(a_i, a_f, a_o), g = tanh(a_g); c' = f ⊙ c + i ⊙ g; h' = o ⊙ tanh(c'). */
    private void lstmForward(int at, int in, int prev, int next) {
        int gate = at * g;
        System.arraycopy(bx, 0, gates, gate, g);
        multiplyAdd(cellInputs, in, d, wx, 0, g, gates, gate);
        multiplyAdd(states, prev, h, wh, 0, g, gates, gate);
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

    /** u_j = tanh(q·Wq + b + K_j), e_j = u_j·v, α = softmax over real j, c = Σ_j α_j m_j; q = query[q ..]. */
    private void attendAdditive(int at, int i, int s, double[] query, int q) {
        System.arraycopy(ba, 0, queryPart, 0, a);
        multiplyAdd(query, q, h, wq, 0, a, queryPart, 0);
        int u = at * s * a;
        int w = at * s;
        for (int j = 0; j < s; j++) {
            if (!real[row(i, s, j)]) {
                weights[w + j] = Double.NEGATIVE_INFINITY;
                continue;
            }
            int key = row(i, s, j) * a;
            int out = u + j * a;
            // u_j = tanh(q·Wq + b + K_j): the S·A tanh of a step are most of its element-wise work, a whole vector
            // of them per instruction
            for (int k = 0; k < a; k++) {
                hidden[out + k] = queryPart[k] + keys[key + k];
            }
            VectorActivations.tanh(hidden, out, hidden, out, a);
            // e_j = u_j·v
            double score = dot(hidden, out, va, 0, a);
            weights[w + j] = score;
        }
        softmaxAndAverage(at, i, s);
    }

    /** k = s_t (dot) or s_t·W (general), e_j = k·m_j, α = softmax over real j, c = Σ_j α_j m_j. */
    private void attendLuong(int at, int i, int s, int query) {
        int key = at * h;
        if (kind == Kind.DOT) {
            System.arraycopy(states, query, queryKeys, key, h);
        } else {
            Arrays.fill(queryKeys, key, key + h, 0);
            multiplyAdd(states, query, h, wq, 0, h, queryKeys, key);
        }
        int w = at * s;
        for (int j = 0; j < s; j++) {
            if (!real[row(i, s, j)]) {
                weights[w + j] = Double.NEGATIVE_INFINITY;
                continue;
            }
            weights[w + j] = dot(queryKeys, key, memory, row(i, s, j) * h, h);
        }
        softmaxAndAverage(at, i, s);
    }

    /** α = softmax(e) over the real positions (masked ones hold −∞ and get 0), then c_t = Σ_j α_j m_j. */
    private void softmaxAndAverage(int at, int i, int s) {
        int w = at * s;
        RowProducts.softmax(weights, w, s);
        int c = at * h;
        Arrays.fill(contexts, c, c + h, 0);
        for (int j = 0; j < s; j++) {
            double alpha = weights[w + j];
            if (alpha != 0) {
                axpy(alpha, memory, row(i, s, j) * h, contexts, c, h);
            }
        }
    }

    /** @return the row of memory (and keys) that source position j of row i reads */
    private int row(int i, int s, int j) {
        return i * s + j;
    }

    /** Backward through step t of row i: readout, Luong attention, cell, additive attention, embedding. */
    private void backwardRow(int t, int i, int n, int s) {
        int at = t * n + i;
        int prev = at * h;
        int next = (at + n) * h;
        int z = at * v;
        int c = at * h;
        // z_t = [s_t, c_t]·W_out + b_out:  dW_out += readInᵀ·dz,  db_out += dz,  dReadIn = dz·W_outᵀ
        axpy(1, logits, z, dBOut, 0, v);
        outer(states, next, h, logits, z, v, dWOut, 0);
        multiplyTransposed(logits, z, v, wOutT, 0, r, h, dReadIn, 0, false);
        if (kind != Kind.NONE) {
            outer(contexts, c, h, logits, z, v, dWOut, h * v);
            multiplyTransposed(logits, z, v, wOutT, h, r, h, dReadIn, h, false);
        }
        // ∂L/∂s_t: the readout's share plus what step t + 1 sent back
        for (int j = 0; j < h; j++) {
            dHidden[j] = dReadIn[j] + dNextH[i * h + j];
        }
        if (kind == Kind.DOT || kind == Kind.GENERAL) {
            luongBackward(at, i, s, next);
        }
        if (cellKind == Cell.GRU) {
            gruBackward(at, i, prev);
        } else {
            lstmBackward(at, i, prev);
        }
        if (kind == Kind.ADDITIVE) {
            // c_t reached the readout and the cell's input [x, c_t]
            for (int j = 0; j < h; j++) {
                dReadIn[h + j] += dInput[e + j];
            }
            additiveBackward(at, i, s, prev);
        }
        // dE_tgt[ŷ_{t−1}] += dx (the padding row receives nothing)
        int token = inputs[at];
        if (token != targetEmbedding.paddingId()) {
            axpy(1, dInput, 0, dEmbedding, token * e, e);
        }
    }

    /** Through c = Σ α_j m_j and the softmax: dα_j = m_j·dc, dm_j += α_j dc, de_j = α_j (dα_j − Σ_k α_k dα_k). */
    private void averageBackward(int at, int i, int s, double[] dContext, int dc) {
        int w = at * s;
        double inner = 0;
        for (int j = 0; j < s; j++) {
            double alpha = weights[w + j];
            if (alpha == 0) {
                dScoreRow[j] = 0;
                continue;
            }
            int m = row(i, s, j) * h;
            double dAlpha = dot(memory, m, dContext, dc, h);
            dScoreRow[j] = dAlpha;
            inner += alpha * dAlpha;
            axpy(alpha, dContext, dc, dMemory, m, h);
        }
        for (int j = 0; j < s; j++) {
            dScoreRow[j] = weights[w + j] * (dScoreRow[j] - inner);
        }
    }

    /** Luong: dk = Σ_j de_j m_j, dm_j += de_j k; dot: ds += dk; general: dW += sᵀ·dk, ds += dk·Wᵀ. */
    private void luongBackward(int at, int i, int s, int query) {
        averageBackward(at, i, s, dReadIn, h);
        Arrays.fill(dKey, 0);
        int key = at * h;
        for (int j = 0; j < s; j++) {
            double de = dScoreRow[j];
            if (de != 0) {
                int m = row(i, s, j) * h;
                axpy(de, memory, m, dKey, 0, h);
                axpy(de, queryKeys, key, dMemory, m, h);
            }
        }
        if (kind == Kind.DOT) {
            axpy(1, dKey, 0, dHidden, 0, h);
        } else {
            outer(states, query, h, dKey, 0, h, dWq, 0);
            multiplyTransposed(dKey, 0, h, wqT, 0, h, h, dHidden, 0, true);
        }
    }

    /**
     * Additive: du_j = de_j v, da_j = du_j ⊙ (1 − u_j²), dv += Σ_j de_j u_j, dWm += Σ_j m_jᵀ·da_j, dm_j += da_j·Wmᵀ,
     * daq = Σ_j da_j, dWq += qᵀ·daq, db += daq, dq = daq·Wqᵀ (added to ∂L/∂s_{t−1}).
     */
    private void additiveBackward(int at, int i, int s, int query) {
        averageBackward(at, i, s, dReadIn, h);
        double[] daQuery = queryPart;
        Arrays.fill(daQuery, 0);
        int u = at * s * a;
        for (int j = 0; j < s; j++) {
            double de = dScoreRow[j];
            if (de == 0) {
                continue;
            }
            int row = u + j * a;
            axpy(de, hidden, row, dVa, 0, a);
            for (int k = 0; k < a; k++) {
                double uk = hidden[row + k];
                double da = de * va[k] * (1 - uk * uk);
                dHiddenLayer[k] = da;
                daQuery[k] += da;
            }
            int m = row(i, s, j) * h;
            // K_j = m_j·Wm was computed once per call: its gradient dK_j is summed here and taken back through Wm once
            axpy(1, dHiddenLayer, 0, dKeys, row(i, s, j) * a, a);
        }
        outer(states, query, h, daQuery, 0, a, dWq, 0);
        axpy(1, daQuery, 0, dBa, 0, a);
        multiplyTransposed(daQuery, 0, a, wqT, 0, h, h, dNextH, i * h, true);
    }

    /**
     * GRU: dn = dh(1 − z), dz = dh(h_{t−1} − n), da_n = dn(1 − n²), dr = da_n·ah_n, da_r = dr·r(1 − r),
     * da_z = dz·z(1 − z); dax = [da_r, da_z, da_n], dah = [da_r, da_z, da_n ⊙ r]; dx = dax·Wxᵀ,
     * dh_{t−1} = dah·Whᵀ + dh ⊙ z.
     */
    private void gruBackward(int at, int i, int prev) {
        int gate = at * g;
        int c = at * h;
        for (int j = 0; j < h; j++) {
            double rj = gates[gate + j];
            double zj = gates[gate + h + j];
            double nj = gates[gate + 2 * h + j];
            double dh = dHidden[j];
            double dan = dh * (1 - zj) * (1 - nj * nj);
            double dr = dan * preReset[c + j];
            double dar = dr * rj * (1 - rj);
            double daz = dh * (states[prev + j] - nj) * zj * (1 - zj);
            dGates[j] = dar;
            dGates[h + j] = daz;
            dGates[2 * h + j] = dan;
            dGatesH[j] = dar;
            dGatesH[h + j] = daz;
            dGatesH[2 * h + j] = dan * rj;
            dNextH[i * h + j] = dh * zj;
        }
        int in = at * d;
        outer(cellInputs, in, d, dGates, 0, g, dWx, 0);
        axpy(1, dGates, 0, dBx, 0, g);
        outer(states, prev, h, dGatesH, 0, g, dWh, 0);
        axpy(1, dGatesH, 0, dBh, 0, g);
        multiplyTransposed(dGates, 0, g, wxT, 0, d, d, dInput, 0, false);
        multiplyTransposed(dGatesH, 0, g, whT, 0, h, h, dNextH, i * h, true);
    }

    /**
     * LSTM: dc_total = dc + dh ⊙ o ⊙ (1 − tanh² c_t); da_i = dc_total·g·i(1 − i), da_f = dc_total·c_{t−1}·f(1 − f),
     * da_o = dh·tanh c_t·o(1 − o), da_g = dc_total·i·(1 − g²); dx = da·Wxᵀ, dh_{t−1} = da·Whᵀ, dc_{t−1} = dc_total ⊙ f.
     */
    private void lstmBackward(int at, int i, int prev) {
        int gate = at * g;
        int c = at * h;
        for (int j = 0; j < h; j++) {
            double ij = gates[gate + j];
            double fj = gates[gate + h + j];
            double oj = gates[gate + 2 * h + j];
            double gj = gates[gate + 3 * h + j];
            double tc = tanhCells[c + j];
            double dh = dHidden[j];
            double dcTotal = dNextC[i * h + j] + dh * oj * (1 - tc * tc);
            dGates[j] = dcTotal * gj * ij * (1 - ij);
            dGates[h + j] = dcTotal * cells[prev + j] * fj * (1 - fj);
            dGates[2 * h + j] = dh * tc * oj * (1 - oj);
            dGates[3 * h + j] = dcTotal * ij * (1 - gj * gj);
            dNextC[i * h + j] = dcTotal * fj;
        }
        int in = at * d;
        outer(cellInputs, in, d, dGates, 0, g, dWx, 0);
        axpy(1, dGates, 0, dBx, 0, g);
        outer(states, prev, h, dGates, 0, g, dWh, 0);
        multiplyTransposed(dGates, 0, g, wxT, 0, d, d, dInput, 0, false);
        multiplyTransposed(dGates, 0, g, whT, 0, h, h, dNextH, i * h, false);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Small kernels on row-major arrays

    /** out[o + j] += Σ_k x[xo + k]·W[wo + k·cols + j], j &lt; cols: a row times a matrix, added. */
    private static void multiplyAdd(double[] x, int xo, int rows, double[] w, int wo, int cols, double[] out, int o) {
        for (int k = 0; k < rows; k++) {
            double xk = x[xo + k];
            if (xk != 0) {
                axpy(xk, w, wo + k * cols, out, o, cols);
            }
        }
    }

    /**
     * out[o + k] (+)= Σ_j dy[yo + j]·W[firstRow + k, j], k &lt; rows: a row times the transpose of rows
     * [firstRow, firstRow + rows) of W, read from Wᵀ (cols, totalRows) so that the inner loop runs along memory.
     */
    private static void multiplyTransposed(double[] dy, int yo, int cols, double[] wT, int firstRow, int totalRows,
            int rows, double[] out, int o, boolean add) {
        if (!add) {
            Arrays.fill(out, o, o + rows, 0);
        }
        for (int j = 0; j < cols; j++) {
            double dyj = dy[yo + j];
            if (dyj != 0) {
                axpy(dyj, wT, j * totalRows + firstRow, out, o, rows);
            }
        }
    }

    /** G[go + k·cols + j] += x[xo + k]·dy[yo + j]: an outer product, added (a weight gradient). */
    private static void outer(double[] x, int xo, int rows, double[] dy, int yo, int cols, double[] grad, int go) {
        for (int k = 0; k < rows; k++) {
            double xk = x[xo + k];
            if (xk != 0) {
                axpy(xk, dy, yo, grad, go + k * cols, cols);
            }
        }
    }

    /** y[yo ..] += α·x[xo ..], count entries. */
    private static void axpy(double alpha, double[] x, int xo, double[] y, int yo, int count) {
        for (int j = 0; j < count; j++) {
            y[yo + j] += alpha * x[xo + j];
        }
    }

    private static double dot(double[] x, int xo, double[] y, int yo, int count) {
        double sum = 0;
        for (int j = 0; j < count; j++) {
            sum += x[xo + j] * y[yo + j];
        }
        return sum;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Buffers and parameters

    /** Reads the parameters; checks and copies m, the mask and s_{−1}; computes the additive keys K = m·Wm; returns N. */
    private int loadMemory(String method, INDArray memoryArray, SequenceMask mask, State start) {
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
        if (mask != null) {
            mask.requireShape(method, n, s);
        }
        loadParameters();
        ownMemory = grow(ownMemory, n * s * h);
        Slab m = Slab.of(memoryArray);
        for (int k = 0; k < n * s * h; k++) {
            ownMemory[k] = m.get(k);
        }
        useMemory(n, s, mask);
        growSteps(n, s, 1);
        Slab hs = Slab.of(start.h());
        for (int k = 0; k < n * h; k++) {
            states[k] = hs.get(k);
        }
        if (cellKind == Cell.LSTM) {
            Shapes.require(method, "start.c", start.c(), "(N, H)", n, h);
            Slab cs = Slab.of(start.c());
            for (int k = 0; k < n * h; k++) {
                cells[k] = cs.get(k);
            }
        }
        return n;
    }

    /** Marks the real source positions of n rows and computes the additive keys K = m·Wm, once for every step. */
    private void useMemory(int n, int s, SequenceMask mask) {
        memory = ownMemory;
        if (ownReal.length < n * s) {
            ownReal = new boolean[n * s];
        }
        real = ownReal;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < s; j++) {
                ownReal[i * s + j] = mask == null || mask.isReal(i, j);
            }
        }
        if (kind == Kind.ADDITIVE) {
            ownKeys = grow(ownKeys, n * s * a);
            projectKeys(memory, n * s, ownKeys);
        }
        keys = ownKeys;
    }

    /** K = m·Wm for {@code rows} rows of the memory. */
    private void projectKeys(double[] rows, int count, double[] into) {
        Arrays.fill(into, 0, count * a, 0);
        for (int row = 0; row < count; row++) {
            multiplyAdd(rows, row * h, h, wm, 0, a, into, row * a);
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
        for (double[] grad : new double[][] {dEmbedding, dWx, dWh, dBx, dBh, dWq, dWm, dBa, dVa, dWOut, dBOut}) {
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
        INDArray dm = kind == Kind.NONE ? Nd4j.zeros(dataType, n, s, h) : write(dMemory, n * s * h, n, s, h);
        INDArray dh = write(dNextH, n * h, n, h);
        INDArray dc = cellKind == Cell.LSTM ? write(dNextC, n * h, n, h) : null;
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

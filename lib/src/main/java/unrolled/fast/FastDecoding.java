package unrolled.fast;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.cell.GruCell;
import unrolled.cell.LstmCell;
import unrolled.cell.RecurrentCell;
import unrolled.layer.Embedding;
import unrolled.data.SequenceMask;
import unrolled.tensor.Shapes;

/**
 * Greedy decoding and beam search of {@link unrolled.seq2seq.EncoderDecoder} on plain memory, every row of a batch (or
 * every prefix of a beam) in one pass per step: one matrix product per weight matrix per step on the vector units
 * instead of one small product per row, the element-wise work over whole rows, and beam scoring that ranks every
 * beam's candidates in one pass, keeping only the best 2k without sorting them all.
 *
 * <pre>
 *   once per call:  X_src[v] = E_src[v]·Wx_enc + b_enc           every source token through the encoder's input weights, (V_src, G)
 *                   X_tgt[v] = E_tgt[v]·Wx_dec[0:E] + b_dec       every target token through the decoder's, (V_tgt, G)
 *   encoder, t = 0 … S−1, all N rows:   a = X_src[x_t] + h_{t−1}·Wh (+ bh) → the cell → h_t, m_t = h_t;
 *                                        a padded step keeps the state and leaves m_t = 0
 *   K = m·Wm (additive attention), once
 *   decoder step t, all rows:
 *     BAHDANAU:  q = s_{t−1}·Wq + b,  u_j = tanh(q + K_j),  e_j = u_j·v,  α = softmax(e) over real j,  c_t = Σ_j α_j m_j
 *                a = X_tgt[ŷ_{t−1}] + c_t·Wx_dec[E:E+H] + s_{t−1}·Wh (+ bh) → the cell → s_t
 *     LUONG:     a = X_tgt[ŷ_{t−1}] + s_{t−1}·Wh (+ bh) → the cell → s_t,  k = s_t (dot) or s_t·W,  e_j = k·m_j, α, c_t
 *     z_t = [s_t, c_t]·W_out + b_out
 *   greedy:  ŷ_t = argmax z_t (the first on a tie), per row until &lt;eos&gt; or the limit
 *   beam:    log p = z_t − log Σ exp z_t;  candidates log p(prefix) + log p(v | prefix), the best 2k kept in rank order
 * </pre>
 *
 * <p>It computes what the readable encoder, cells, attention and readout compute, in double whatever the model's data
 * type (as {@link FastEncoderDecoder}, whose parameter buffers it reads), and holds the same bookkeeping as
 * {@link unrolled.seq2seq.EncoderDecoder#greedy} and {@link unrolled.seq2seq.BeamSearch}; the tests hold it to them.
 * The encoder must start from zeros, as the encoder–decoder's does. Buffers grow to the largest call seen and are
 * reused: a decoding step allocates nothing. Not thread-safe.
 */
public final class FastDecoding {

    /** Receives a beam search's hypotheses in the order the search makes them. */
    public interface Hypotheses {

        /**
         * @param tokens the output ids, without &lt;eos&gt;
         * @param logProbability log p of the tokens (and of &lt;eos&gt; when finished)
         * @param scoredLength the length its score divides by: the tokens and &lt;eos&gt; when finished, else the tokens
         * @param finished true if it ended with &lt;eos&gt;
         */
        void add(int[] tokens, double logProbability, int scoredLength, boolean finished);
    }

    private final FastEncoderDecoder decoder;
    private final Embedding sourceEmbedding;
    private final RecurrentCell<?> encoderCell;
    private final boolean lstm;
    private final boolean additive;
    private final boolean luong;
    private final int e;
    private final int h;
    private final int a;
    private final int g;
    private final int v;
    private final int sourceVocabulary;
    private final int targetVocabulary;

    // the encoder's parameters, and both input tables
    private final double[] sourceValues;
    private final double[] encoderWx;
    private final double[] encoderWh;
    private final double[] encoderBx;
    private final double[] encoderBh;
    private final double[] sourceTable;
    private final double[] targetTable;
    /** decoder.loads after this object last built its tables. */
    private long builtAt = -1;

    // per-call buffers, grown to the largest call seen
    private double[] memory = new double[0];
    private double[] keys = new double[0];
    private int[] lengths = new int[0];
    private int[] ids = new int[0];
    private double[] hA = new double[0];
    private double[] hB = new double[0];
    private double[] cA = new double[0];
    private double[] cB = new double[0];
    private double[] gates = new double[0];
    private double[] recurrent = new double[0];
    private double[] queries = new double[0];
    private double[] contexts = new double[0];
    private double[] weights = new double[0];
    private double[] logits = new double[0];
    private int[] tokens = new int[0];
    /** Greedy's outputs, maxLength per row. */
    private int[] written = new int[0];
    private final double[] cellRow;

    // what a step reads: the memory, keys and lengths of a batch (row i reads row i) or of one source (every row reads it)
    private double[] stepMemory;
    private double[] stepKeys;
    private int[] stepLengths;
    private boolean shared;
    private int steps;

    /**
     * A fast decoding over the model's own parts (their parameters are shared, not copied).
     *
     * @param sourceEmbedding E_src, (V_src, E)
     * @param encoderCell the encoder cell, of the decoder's kind (GRU or LSTM), E → H
     * @param decoder the decoder on plain memory, whose parameter buffers this reads
     */
    public FastDecoding(Embedding sourceEmbedding, RecurrentCell<?> encoderCell, FastEncoderDecoder decoder) {
        String method = "FastDecoding";
        this.sourceEmbedding = Objects.requireNonNull(sourceEmbedding, method + ": sourceEmbedding must not be null");
        this.encoderCell = Objects.requireNonNull(encoderCell, method + ": encoderCell must not be null");
        this.decoder = Objects.requireNonNull(decoder, method + ": decoder must not be null");
        this.lstm = decoder.cellKind == FastEncoderDecoder.Cell.LSTM;
        boolean gru = encoderCell instanceof GruCell;
        if (gru == lstm || encoderCell.hiddenSize() != decoder.h
                || encoderCell.inputSize() != sourceEmbedding.embeddingSize()) {
            throw new IllegalArgumentException(method + ": the encoder cell must be of the decoder's kind (" + decoder.cellKind
                    + ") with hidden size " + decoder.h + " reading the source embedding's " + sourceEmbedding.embeddingSize()
                    + " features, but is " + encoderCell + ".");
        }
        this.additive = decoder.kind == FastEncoderDecoder.Kind.ADDITIVE;
        this.luong = decoder.kind == FastEncoderDecoder.Kind.DOT || decoder.kind == FastEncoderDecoder.Kind.GENERAL;
        this.e = decoder.e;
        this.h = decoder.h;
        this.a = decoder.a;
        this.g = decoder.g;
        this.v = decoder.v;
        int sourceE = sourceEmbedding.embeddingSize();
        this.sourceVocabulary = sourceEmbedding.vocabularySize();
        this.targetVocabulary = decoder.embedding.length / e;
        this.sourceValues = new double[sourceVocabulary * sourceE];
        this.encoderWx = new double[sourceE * g];
        this.encoderWh = new double[h * g];
        this.encoderBx = new double[g];
        this.encoderBh = new double[g];
        this.sourceTable = new double[sourceVocabulary * g];
        this.targetTable = new double[targetVocabulary * g];
        this.cellRow = new double[h];
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Greedy decoding of a batch

    /**
     * Greedy decoding of a batch: each row feeds back its own most likely token until &lt;eos&gt; or the limit.
     *
     * @param sources source ids, (N, S), an integer type, each in [0, V_src)
     * @param mask which source steps are real, (N, S), or null if none is padded
     * @param maxLength the most tokens per row (&lt;eos&gt; not counted), positive
     * @return each row's ids, without &lt;eos&gt;
     */
    public int[][] greedy(INDArray sources, SequenceMask mask, int maxLength) {
        String method = "FastDecoding.greedy";
        Shapes.requirePositive(method, "maxLength", maxLength);
        Shapes.require(method, "sources", sources, "(N, S)", Shapes.ANY, Shapes.ANY);
        int n = Math.toIntExact(sources.size(0));
        int s = Math.toIntExact(sources.size(1));
        if (mask != null) {
            mask.requireShape(method, n, s);
        }
        ids = RowProducts.grow(ids, n * s);
        FastEncoderDecoder.readIds(sources, ids, n * s);
        for (int k = 0; k < n * s; k++) {
            if (ids[k] < 0 || ids[k] >= sourceVocabulary) {
                throw new IllegalArgumentException(method + ": every source id must be in [0, V) = [0, " + sourceVocabulary
                        + "), but sources(" + k / s + ", " + k % s + ") = " + ids[k] + ".");
            }
        }
        lengths = RowProducts.grow(lengths, n);
        for (int i = 0; i < n; i++) {
            lengths[i] = mask == null ? s : mask.length(i);
        }
        build();
        growRows(n, s);
        memory = RowProducts.grow(memory, n * s * h);
        encode(n, s, ids, lengths, memory);
        if (additive) {
            keys = RowProducts.grow(keys, n * s * a);
            project(memory, n * s, keys);
        }
        use(memory, keys, lengths, false, s);
        written = RowProducts.grow(written, n * maxLength);
        int[] lengthsOut = new int[n];
        boolean[] done = new boolean[n];
        int remaining = n;
        Arrays.fill(tokens, 0, n, decoder.startToken);
        for (int t = 0; t <= maxLength && remaining > 0; t++) {
            step(n, tokens, hA, cA, hB, cB);
            for (int i = 0; i < n; i++) {
                if (done[i]) {
                    continue;
                }
                int next = RowProducts.argmax(logits, i * v, v);
                if (next == decoder.endToken || t == maxLength) {
                    done[i] = true;
                    remaining--;
                } else {
                    written[i * maxLength + lengthsOut[i]++] = next;
                    tokens[i] = next;
                }
            }
            // s_t becomes the next step's s_{t−1}
            System.arraycopy(hB, 0, hA, 0, n * h);
            System.arraycopy(cB, 0, cA, 0, n * h);
        }
        int[][] out = new int[n][];
        for (int i = 0; i < n; i++) {
            out[i] = Arrays.copyOfRange(written, i * maxLength, i * maxLength + lengthsOut[i]);
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // One source, for search

    /**
     * Encodes one source for a search: its memory, keys and the encoder's final state, computed here once.
     *
     * @param sourceIds the source's ids, at least one, each in [0, V_src)
     * @return the source, whose {@link Source#advance} and {@link Source#beamSearch} run the decoder on it
     */
    public Source source(int[] sourceIds) {
        String method = "FastDecoding.source";
        Objects.requireNonNull(sourceIds, method + ": sourceIds must not be null");
        if (sourceIds.length == 0) {
            throw new IllegalArgumentException(method + ": sourceIds must hold at least one id, but is empty.");
        }
        for (int j = 0; j < sourceIds.length; j++) {
            if (sourceIds[j] < 0 || sourceIds[j] >= sourceVocabulary) {
                throw new IllegalArgumentException(method + ": every source id must be in [0, V) = [0, " + sourceVocabulary
                        + "), but sourceIds[" + j + "] = " + sourceIds[j] + ".");
            }
        }
        return new Source(sourceIds.clone());
    }

    /**
     * One encoded source. Its memory and the encoder's state are computed from the parameters as they were when it was
     * made; the decoder's parameters are read again if another call has read them since (a training step, a greedy
     * batch, another source), as {@link FastEncoderDecoder} does.
     */
    public final class Source {
        private final int s;
        private final double[] sourceMemory;
        private final double[] sourceKeys;
        private final int[] sourceLength;
        private final double[] startH;
        private final double[] startC;
        /** The Wm the keys were projected with. */
        private final double[] keysWm;
        private long readAt;
        // a beam's buffers, grown to the widest search seen
        private int[] prefixes = new int[0];
        private int[] nextPrefixes = new int[0];
        private double[] prefixLogP = new double[0];
        private double[] nextLogP = new double[0];
        private int[] previous = new int[0];
        private double[] topLogP = new double[0];
        private int[] topParent = new int[0];
        private int[] topToken = new int[0];

        private Source(int[] sourceIds) {
            this.s = sourceIds.length;
            build();
            this.readAt = decoder.loads;
            this.sourceMemory = new double[s * h];
            this.sourceLength = new int[] {s};
            growRows(1, s);
            encode(1, s, sourceIds, sourceLength, sourceMemory);
            this.startH = Arrays.copyOf(hA, h);
            this.startC = lstm ? Arrays.copyOf(cA, h) : null;
            this.sourceKeys = new double[additive ? s * a : 0];
            this.keysWm = additive ? decoder.wm.clone() : new double[0];
            if (additive) {
                project(sourceMemory, s, sourceKeys);
            }
        }

        /** @return S, the source's length */
        public int sourceLength() {
            return s;
        }

        /**
         * Copies the encoder's final state s_{−1} into {@code into}: h, then c for an LSTM.
         *
         * @param into H (or 2H) numbers
         */
        public void start(double[] into) {
            System.arraycopy(startH, 0, into, 0, h);
            if (lstm) {
                System.arraycopy(startC, 0, into, h, h);
            }
        }

        /** Reads the decoder's parameters again if another call has read them since, and points the steps here. */
        private void ready(int rows) {
            if (builtAt != decoder.loads) {
                // another call (a training step, a translation) has read the parameters since the tables were built
                build();
            }
            if (readAt != decoder.loads) {
                readAt = decoder.loads;
                if (additive && !Arrays.equals(decoder.wm, keysWm)) {
                    project(sourceMemory, s, sourceKeys);
                    System.arraycopy(decoder.wm, 0, keysWm, 0, keysWm.length);
                }
            }
            growRows(rows, s);
            use(sourceMemory, sourceKeys, sourceLength, true, s);
        }

        /**
         * One decoder step for k prefixes of this source, as one batch.
         *
         * @param k the number of prefixes, positive
         * @param previousTokens their last tokens, k ids
         * @param hIn their states s_{t−1}, k rows of H, row-major
         * @param cIn their cell states for an LSTM (k rows of H), else ignored
         * @param hOut receives s_t, k rows of H
         * @param cOut receives c_t for an LSTM, else ignored
         * @param logProbabilities receives log p(v | prefix), k rows of V
         */
        public void advance(int k, int[] previousTokens, double[] hIn, double[] cIn, double[] hOut, double[] cOut,
                double[] logProbabilities) {
            String method = "FastDecoding.Source.advance";
            Shapes.requirePositive(method, "k", k);
            Objects.requireNonNull(previousTokens, method + ": previousTokens must not be null");
            int rows = k * h;
            boolean cellRows = !lstm || cIn != null && cOut != null && cIn.length >= rows && cOut.length >= rows;
            if (previousTokens.length < k || hIn.length < rows || hOut.length < rows || logProbabilities.length < k * v
                    || !cellRows) {
                throw new IllegalArgumentException(method + ": needs k = " + k + " tokens, states of k·H = " + rows
                        + " numbers (and cell states for an LSTM) and k·V = " + k * v + " log-probabilities, but was given "
                        + previousTokens.length + " tokens, " + hIn.length + " and " + hOut.length + " state numbers and "
                        + logProbabilities.length + " log-probabilities.");
            }
            for (int i = 0; i < k; i++) {
                if (previousTokens[i] < 0 || previousTokens[i] >= targetVocabulary) {
                    throw new IllegalArgumentException(method + ": every previous token must be in [0, V) = [0, "
                            + targetVocabulary + "), but token " + i + " is " + previousTokens[i] + ".");
                }
            }
            ready(k);
            step(k, previousTokens, hIn, cIn, hOut, cOut);
            for (int i = 0; i < k; i++) {
                logSoftmax(i * v);
            }
            System.arraycopy(logits, 0, logProbabilities, 0, k * v);
        }

        /**
         * Beam search over this source, as {@link unrolled.seq2seq.BeamSearch#decode} runs it: the beam's prefixes
         * scored as one batch per step, every extension log p(prefix) + log p(v | prefix) ranked in one pass that keeps
         * the best 2k in order (ties in the order prefix, then token), the k best that do not end in &lt;eos&gt; kept,
         * an &lt;eos&gt; among the k best a finished hypothesis; until k have finished, the beam is empty or the limit
         * is reached.
         *
         * @param width k, the beam width, positive
         * @param maxLength the most tokens before &lt;eos&gt;, positive
         * @param out receives the hypotheses (finished ones, and at the limit the unfinished beam if none finished)
         * @return the number of prefixes scored, the search's cost in decoder steps
         */
        public int beamSearch(int width, int maxLength, Hypotheses out) {
            String method = "FastDecoding.Source.beamSearch";
            Shapes.requirePositive(method, "width", width);
            Shapes.requirePositive(method, "maxLength", maxLength);
            Objects.requireNonNull(out, method + ": out must not be null");
            ready(width);
            int stride = maxLength + 1;
            prefixes = RowProducts.grow(prefixes, width * stride);
            nextPrefixes = RowProducts.grow(nextPrefixes, width * stride);
            prefixLogP = RowProducts.grow(prefixLogP, width);
            nextLogP = RowProducts.grow(nextLogP, width);
            previous = RowProducts.grow(previous, width);
            int keep = 2 * width;
            topLogP = RowProducts.grow(topLogP, keep);
            topParent = RowProducts.grow(topParent, keep);
            topToken = RowProducts.grow(topToken, keep);
            // beam_0 = {⟨<bos>⟩}, from the encoder's state
            int k = 1;
            prefixLogP[0] = 0;
            double[] hIn = hA;
            double[] hOut = hB;
            double[] cIn = cA;
            double[] cOut = cB;
            System.arraycopy(startH, 0, hIn, 0, h);
            if (lstm) {
                System.arraycopy(startC, 0, cIn, 0, h);
            }
            int finished = 0;
            int expansions = 0;
            int length = 0;
            for (int step = 0; step <= maxLength && k > 0 && finished < width; step++) {
                for (int b = 0; b < k; b++) {
                    previous[b] = length == 0 ? decoder.startToken : prefixes[b * stride + length - 1];
                }
                step(k, previous, hIn, cIn, hOut, cOut);
                expansions += k;
                // every extension, log p(prefix) + log p(v | prefix), the best `keep` in rank order
                int count = 0;
                for (int b = 0; b < k; b++) {
                    logSoftmax(b * v);
                    for (int u = 0; u < v; u++) {
                        double logP = logits[b * v + u];
                        if (logP > Double.NEGATIVE_INFINITY) {
                            count = insert(count, keep, prefixLogP[b] + logP, b, u);
                        }
                    }
                }
                boolean last = step == maxLength;
                int next = 0;
                for (int rank = 0; rank < count && next < width; rank++) {
                    int parent = topParent[rank];
                    if (topToken[rank] == decoder.endToken) {
                        // <eos> among the k best: a finished hypothesis, scored with its <eos>
                        if (rank < width) {
                            out.add(Arrays.copyOfRange(prefixes, parent * stride, parent * stride + length), topLogP[rank],
                                    length + 1, true);
                            finished++;
                        }
                    } else if (!last) {
                        System.arraycopy(prefixes, parent * stride, nextPrefixes, next * stride, length);
                        nextPrefixes[next * stride + length] = topToken[rank];
                        nextLogP[next] = topLogP[rank];
                        // the extension's state is its parent's after this step
                        System.arraycopy(hOut, parent * h, hIn, next * h, h);
                        if (lstm) {
                            System.arraycopy(cOut, parent * h, cIn, next * h, h);
                        }
                        next++;
                    }
                }
                if (last && finished == 0) {
                    // nothing ended within the limit: the prefixes as they are
                    for (int b = 0; b < k; b++) {
                        out.add(Arrays.copyOfRange(prefixes, b * stride, b * stride + length), prefixLogP[b], length, false);
                        finished++;
                    }
                }
                int[] swapPrefixes = prefixes;
                prefixes = nextPrefixes;
                nextPrefixes = swapPrefixes;
                double[] swapLogP = prefixLogP;
                prefixLogP = nextLogP;
                nextLogP = swapLogP;
                k = next;
                length++;
            }
            if (finished == 0) {
                for (int b = 0; b < k; b++) {
                    out.add(Arrays.copyOfRange(prefixes, b * stride, b * stride + length), prefixLogP[b], length, false);
                }
            }
            return expansions;
        }

        /**
         * Puts a candidate into the ranked list of at most {@code keep}: after every candidate scored at least as high
         * (so that ties keep the order they came in, as a stable sort does), the last one dropped when full.
         *
         * @return the list's new length
         */
        private int insert(int count, int keep, double logP, int parent, int token) {
            int at = count;
            while (at > 0 && Double.compare(topLogP[at - 1], logP) < 0) {
                at--;
            }
            if (at >= keep) {
                return count;
            }
            int end = Math.min(count, keep - 1);
            for (int q = end; q > at; q--) {
                topLogP[q] = topLogP[q - 1];
                topParent[q] = topParent[q - 1];
                topToken[q] = topToken[q - 1];
            }
            topLogP[at] = logP;
            topParent[at] = parent;
            topToken[at] = token;
            return Math.min(count + 1, keep);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Encoder and decoder steps over all rows

    /**
     * Runs the encoder over n rows of s source ids from zeros: memory (n, s, H) and the final state in hA (and cA).
     */
    private void encode(int n, int s, int[] sourceIds, int[] rowLengths, double[] into) {
        RowProducts.clear(hA, 0, n * h);
        RowProducts.clear(cA, 0, n * h);
        for (int t = 0; t < s; t++) {
            for (int i = 0; i < n; i++) {
                tokens[i] = sourceIds[i * s + t];
            }
            // a = X_src[x_t] (+ h_{t−1}·Wh in the cell step)
            RowProducts.gatherRows(sourceTable, tokens, n, g, gates, 0);
            cell(n, hA, cA, hB, cB, encoderWh, encoderBh);
            for (int i = 0; i < n; i++) {
                int m = (i * s + t) * h;
                if (t < rowLengths[i]) {
                    // m_t = h_t, the state moves on
                    System.arraycopy(hB, i * h, into, m, h);
                    System.arraycopy(hB, i * h, hA, i * h, h);
                    System.arraycopy(cB, i * h, cA, i * h, h);
                } else {
                    // a padded step keeps the state and outputs zeros
                    RowProducts.clear(into, m, h);
                }
            }
        }
    }

    /** K = m·Wm for {@code count} memory rows. */
    private void project(double[] rows, int count, double[] into) {
        RowProducts.clear(into, 0, count * a);
        RowProducts.multiplyAdd(rows, 0, h, count, h, decoder.wm, 0, a, into, 0, a);
    }

    /** Points the decoder steps at a memory: row i reads memory row i, or every row reads row 0 when shared. */
    private void use(double[] stepMemoryRows, double[] stepKeyRows, int[] stepLengthRows, boolean sharedSource, int s) {
        this.stepMemory = stepMemoryRows;
        this.stepKeys = stepKeyRows;
        this.stepLengths = stepLengthRows;
        this.shared = sharedSource;
        this.steps = s;
    }

    /** One decoder step of n rows: ŷ_{t−1} = previousTokens, s_{t−1} = hIn (cIn) → s_t = hOut (cOut), z_t in logits. */
    private void step(int n, int[] previousTokens, double[] hIn, double[] cIn, double[] hOut, double[] cOut) {
        int s = steps;
        // a = X_tgt[ŷ_{t−1}]
        RowProducts.gatherRows(targetTable, previousTokens, n, g, gates, 0);
        if (additive) {
            // q = s_{t−1}·Wq + b, then each row's c_t; the cell reads [E[ŷ_{t−1}], c_t]: a += c_t·Wx[E:E+H]
            RowProducts.fillRows(queries, 0, n, a, decoder.ba, 0);
            RowProducts.multiplyAdd(hIn, 0, h, n, h, decoder.wq, 0, a, queries, 0, a);
            for (int i = 0; i < n; i++) {
                attendAdditive(i, s);
            }
            RowProducts.multiplyAdd(contexts, 0, h, n, h, decoder.wx, e * g, g, gates, 0, g);
        }
        cell(n, hIn, cIn, hOut, cOut, decoder.wh, decoder.bh);
        if (luong) {
            double[] query = hOut;
            if (decoder.kind == FastEncoderDecoder.Kind.GENERAL) {
                // k = s_t·W
                RowProducts.clear(queries, 0, n * h);
                RowProducts.multiplyAdd(hOut, 0, h, n, h, decoder.wq, 0, h, queries, 0, h);
                query = queries;
            }
            for (int i = 0; i < n; i++) {
                attendLuong(i, s, query);
            }
        }
        // z_t = [s_t, c_t]·W_out + b_out
        RowProducts.fillRows(logits, 0, n, v, decoder.bOut, 0);
        RowProducts.multiplyAdd(hOut, 0, h, n, h, decoder.wOut, 0, v, logits, 0, v);
        if (additive || luong) {
            RowProducts.multiplyAdd(contexts, 0, h, n, h, decoder.wOut, h * v, v, logits, 0, v);
        }
    }

    /**
     * The cell over n rows whose input part a = x·Wx + b is in {@code gates}: GRU r, z = σ(a + ah), n = tanh(a_n + r ⊙
     * ah_n), h' = (1 − z) ⊙ n + z ⊙ h with ah = h·Wh + bh; LSTM a += h·Wh, i, f, o = σ, g = tanh, c' = f ⊙ c + i ⊙ g,
     * h' = o ⊙ tanh c'.
     */
    private void cell(int n, double[] hIn, double[] cIn, double[] hOut, double[] cOut, double[] wh, double[] bh) {
        if (lstm) {
            RowProducts.multiplyAdd(hIn, 0, h, n, h, wh, 0, g, gates, 0, g);
            for (int i = 0; i < n; i++) {
                int row = i * g;
                VectorActivations.sigmoid(gates, row, gates, row, 3 * h);
                VectorActivations.tanh(gates, row + 3 * h, gates, row + 3 * h, h);
                int state = i * h;
                for (int j = 0; j < h; j++) {
                    cOut[state + j] = gates[row + h + j] * cIn[state + j] + gates[row + j] * gates[row + 3 * h + j];
                }
                System.arraycopy(cOut, state, cellRow, 0, h);
                VectorActivations.tanh(cellRow, 0, cellRow, 0, h);
                for (int j = 0; j < h; j++) {
                    hOut[state + j] = gates[row + 2 * h + j] * cellRow[j];
                }
            }
            return;
        }
        RowProducts.fillRows(recurrent, 0, n, g, bh, 0);
        RowProducts.multiplyAdd(hIn, 0, h, n, h, wh, 0, g, recurrent, 0, g);
        for (int i = 0; i < n; i++) {
            int row = i * g;
            for (int j = 0; j < 2 * h; j++) {
                gates[row + j] += recurrent[row + j];
            }
            VectorActivations.sigmoid(gates, row, gates, row, 2 * h);
            for (int j = 0; j < h; j++) {
                gates[row + 2 * h + j] += gates[row + j] * recurrent[row + 2 * h + j];
            }
            VectorActivations.tanh(gates, row + 2 * h, gates, row + 2 * h, h);
            int state = i * h;
            for (int j = 0; j < h; j++) {
                double z = gates[row + h + j];
                hOut[state + j] = (1 - z) * gates[row + 2 * h + j] + z * hIn[state + j];
            }
        }
    }

    /** Row i: u_j = tanh(q + K_j), e_j = u_j·v over its real positions, then α and c_t. */
    private void attendAdditive(int i, int s) {
        int source = shared ? 0 : i;
        int real = stepLengths[source];
        double[] u = hiddenRows(s * a);
        int q = i * a;
        for (int j = 0; j < real; j++) {
            int key = (source * s + j) * a;
            for (int k = 0; k < a; k++) {
                u[j * a + k] = queries[q + k] + stepKeys[key + k];
            }
        }
        VectorActivations.tanh(u, 0, u, 0, real * a);
        int w = i * s;
        for (int j = 0; j < real; j++) {
            weights[w + j] = RowProducts.dot(u, j * a, decoder.va, 0, a);
        }
        softmaxAndAverage(i, s, source, real);
    }

    /** Row i: e_j = k·m_j over its real positions (k = s_t or s_t·W, row i of {@code query}), then α and c_t. */
    private void attendLuong(int i, int s, double[] query) {
        int source = shared ? 0 : i;
        int real = stepLengths[source];
        int w = i * s;
        for (int j = 0; j < real; j++) {
            weights[w + j] = RowProducts.dot(query, i * h, stepMemory, (source * s + j) * h, h);
        }
        softmaxAndAverage(i, s, source, real);
    }

    /** α = softmax(e) over the first {@code real} positions (the rest 0), then c_t = Σ_j α_j m_j. */
    private void softmaxAndAverage(int i, int s, int source, int real) {
        int w = i * s;
        RowProducts.softmax(weights, w, real);
        int c = i * h;
        RowProducts.clear(contexts, c, h);
        for (int j = 0; j < real; j++) {
            RowProducts.axpy(weights[w + j], stepMemory, (source * s + j) * h, contexts, c, h);
        }
        RowProducts.clear(weights, w + real, s - real);
    }

    /** log p = z − log Σ exp z, in place over the V logits at {@code at}. */
    private void logSoftmax(int at) {
        double max = logits[at];
        for (int u = 1; u < v; u++) {
            max = Math.max(max, logits[at + u]);
        }
        double sum = 0;
        for (int u = 0; u < v; u++) {
            sum += Math.exp(logits[at + u] - max);
        }
        double logSum = Math.log(sum) + max;
        for (int u = 0; u < v; u++) {
            logits[at + u] -= logSum;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Buffers and parameters

    private double[] scratch = new double[0];

    /** @return a scratch row of at least {@code size} entries for the additive attention's u */
    private double[] hiddenRows(int size) {
        scratch = RowProducts.grow(scratch, size);
        return scratch;
    }

    /** Grows the per-step buffers to n rows over s source positions. */
    private void growRows(int n, int s) {
        hA = RowProducts.grow(hA, n * h);
        hB = RowProducts.grow(hB, n * h);
        cA = RowProducts.grow(cA, n * h);
        cB = RowProducts.grow(cB, n * h);
        gates = RowProducts.grow(gates, n * g);
        recurrent = RowProducts.grow(recurrent, n * g);
        queries = RowProducts.grow(queries, n * Math.max(a, h));
        contexts = RowProducts.grow(contexts, n * h);
        weights = RowProducts.grow(weights, n * s);
        logits = RowProducts.grow(logits, n * v);
        tokens = RowProducts.grow(tokens, n);
        hiddenRows(s * a);
    }

    /**
     * Reads every parameter (the decoder's through {@link FastEncoderDecoder}) and builds the input tables
     * X_src = E_src·Wx_enc + b_enc and X_tgt = E_tgt·Wx_dec[0:E] + b_dec.
     */
    private void build() {
        decoder.loadParameters();
        decoder.read(sourceEmbedding.parameters().get("E"), sourceValues);
        var parameters = encoderCell.parameters();
        decoder.read(parameters.get("Wx"), encoderWx);
        decoder.read(parameters.get("Wh"), encoderWh);
        if (lstm) {
            decoder.read(parameters.get("b"), encoderBx);
        } else {
            decoder.read(parameters.get("bx"), encoderBx);
            decoder.read(parameters.get("bh"), encoderBh);
        }
        int sourceE = sourceEmbedding.embeddingSize();
        RowProducts.fillRows(sourceTable, 0, sourceVocabulary, g, encoderBx, 0);
        RowProducts.multiplyAdd(sourceValues, 0, sourceE, sourceVocabulary, sourceE, encoderWx, 0, g, sourceTable, 0, g);
        RowProducts.fillRows(targetTable, 0, targetVocabulary, g, decoder.bx, 0);
        RowProducts.multiplyAdd(decoder.embedding, 0, e, targetVocabulary, e, decoder.wx, 0, g, targetTable, 0, g);
        builtAt = decoder.loads;
    }

    /**
     * @param encoderCell the encoder cell
     * @param decoder the decoder on plain memory, or null where the decoder cell has none
     * @return true if the encoder and decoder are cells this class computes (a GRU or an LSTM, both of one kind)
     */
    public static boolean supports(RecurrentCell<?> encoderCell, FastEncoderDecoder decoder) {
        return decoder != null && (encoderCell instanceof GruCell) == (decoder.cellKind == FastEncoderDecoder.Cell.GRU)
                && (encoderCell instanceof GruCell || encoderCell instanceof LstmCell);
    }

    @Override
    public String toString() {
        return "FastDecoding(" + decoder + ")";
    }
}

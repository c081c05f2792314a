package unrolled.transformer;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.attention.MultiHeadAttention;
import unrolled.fast.FastEncoderBlock;
import unrolled.layer.FeedForward;
import unrolled.layer.LayerGradients;
import unrolled.layer.LayerNorm;
import unrolled.layer.TimeDistributed;
import unrolled.param.Gradients;
import unrolled.param.Trainable;
import unrolled.param.Parameters;
import unrolled.data.SequenceMask;
import unrolled.tensor.Shapes;

/**
 * One block of a Transformer encoder (Vaswani et al., 2017, in its original post-norm order, without dropout):
 *
 * <pre>
 *   A = MultiHeadAttention(x, x, x)        self-attention: every position reads every allowed position   x (N, T, D)
 *   h = LayerNorm₁(x + A)                  Add &amp; Norm
 *   F = FeedForward(h_t) at every t        W1 (D, F), ReLU, W2 (F, D): position-wise, no mixing across t
 *   y = LayerNorm₂(h + F)                  Add &amp; Norm                                                     y (N, T, D)
 * </pre>
 *
 * Attention is the only place where positions exchange information, and it does so in one step whatever their
 * distance: the path between any two positions has length 1 (in an RNN, |i − j| steps), and all T positions are
 * computed at once (an RNN must wait for h_{t−1}). The price is T² attention weights per head and no built-in
 * notion of order — positions come from a {@link PositionalEncoding} added to the input once, before the first
 * block ({@link TransformerEncoder}). With {@code causal} set, position i attends only to j ≤ i: the block then
 * never sees the future, as a language model's decoder must not.
 *
 * <p>Backward, in reverse: Add &amp; Norm₂ hands the same gradient to h and to F; the feed-forward network's input
 * gradient is added onto h's; Add &amp; Norm₁ hands its gradient to x and to A; self-attention's three input
 * gradients (x served as queries, keys and values) are added onto x's.
 *
 * <p>Parameters: {@code attention.Wq}, {@code attention.bq}, … {@code attention.bo}; {@code norm1.gamma},
 * {@code norm1.beta}; {@code feedForward.W1}, {@code feedForward.b1}, {@code feedForward.W2}, {@code feedForward.b2};
 * {@code norm2.gamma}, {@code norm2.beta}.
 */
public final class TransformerEncoderBlock implements Trainable {

    /**
     * What the forward pass keeps for the backward pass: the readable sublayers' caches, or the fast path's tape
     * (then the four sublayer caches are null).
     *
     * @param attention the self-attention's cache, or null after the fast path
     * @param norm1 the first Add &amp; Norm's cache, or null after the fast path
     * @param feedForward the position-wise network's cache, or null after the fast path
     * @param norm2 the second Add &amp; Norm's cache, or null after the fast path
     * @param fast the fast path's tape, or null after the readable path
     */
    public record Cache(MultiHeadAttention.Cache attention, LayerNorm.Cache norm1,
            TimeDistributed.Cache<FeedForward.Cache> feedForward, LayerNorm.Cache norm2, FastEncoderBlock.Tape fast) {
    }

    /** The forward result: y, every head's attention weights and the cache for {@link #backward}. */
    public static final class Result {
        private final INDArray output;
        private final INDArray weights;
        private final Cache cache;

        /**
         * @param output y, (N, T, D)
         * @param weights every head's attention weights, (N, heads, T, T); null to read them from the fast path's tape
         * @param cache for {@link #backward}
         */
        public Result(INDArray output, INDArray weights, Cache cache) {
            this.output = output;
            this.weights = weights;
            this.cache = cache;
        }

        /** @return y, (N, T, D) */
        public INDArray output() {
            return output;
        }

        /**
         * @return every head's attention weights, (N, heads, T, T); after the fast path a copy of its work memory made
         *     at the first call, which must come before later passes reuse that memory (right after the forward pass)
         */
        public INDArray weights() {
            return weights != null ? weights : cache.fast().weights();
        }

        /** @return the cache for {@link #backward} */
        public Cache cache() {
            return cache;
        }
    }

    private final int modelSize;
    private final MultiHeadAttention attention;
    private final AddAndNorm norm1;
    private final FeedForward positionWise;
    private final TimeDistributed<FeedForward.Cache> feedForward;
    private final AddAndNorm norm2;
    private final Parameters parameters = new Parameters();
    private FastEncoderBlock fast;
    private boolean useFastPath = true;

    /**
     * @param modelSize D, positive and divisible by heads
     * @param heads h, positive
     * @param feedForwardSize F, the hidden width of the position-wise network (4·D in the original), positive
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of the weights (attention: seed … seed + 3; feed-forward: seed + 4, seed + 5)
     */
    public TransformerEncoderBlock(int modelSize, int heads, int feedForwardSize, DataType dataType, long seed) {
        this.modelSize = modelSize;
        this.attention = new MultiHeadAttention(modelSize, heads, dataType, seed);
        this.norm1 = new AddAndNorm(modelSize, dataType);
        this.positionWise = new FeedForward(modelSize, feedForwardSize, modelSize, dataType, seed + 4);
        this.feedForward = new TimeDistributed<>(positionWise);
        this.norm2 = new AddAndNorm(modelSize, dataType);
        parameters.addAll("attention", attention.parameters()).addAll("norm1", norm1.parameters())
                .addAll("feedForward", feedForward.parameters()).addAll("norm2", norm2.parameters());
    }

    /**
     * @param x the input, (N, T, D), of the block's data type (positions already added)
     * @param keyMask which positions are real, (N, T), or null if none is padded: no position attends to padding
     * @param causal true to let position i attend only to positions j ≤ i
     * @return y (N, T, D), the attention weights (N, h, T, T) and the cache for {@link #backward}
     */
    public Result forward(INDArray x, SequenceMask keyMask, boolean causal) {
        return forward(x, null, keyMask, causal);
    }

    /**
     * The block on x + P, for the encoder's first block: on the fast path the positions are added as the block reads
     * its input, without an array of their own; the reference adds them first.
     *
     * @param x the input, (N, T, D), of the block's data type, without positions
     * @param positions P, (T, D), or null for none
     * @param keyMask which positions are real, (N, T), or null if none is padded
     * @param causal true to let position i attend only to positions j ≤ i
     * @return y = Block(x + P) (N, T, D), the attention weights and the cache for {@link #backward}
     */
    Result forward(INDArray x, INDArray positions, SequenceMask keyMask, boolean causal) {
        Shapes.require("TransformerEncoderBlock.forward", "x", x, "(N, T, D)", Shapes.ANY, Shapes.ANY, modelSize);
        Shapes.requireType("TransformerEncoderBlock.forward", "x", x, dataType());
        if (keyMask != null) {
            keyMask.requireShape("TransformerEncoderBlock.forward", x.size(0), x.size(1));
        }
        if (useFastPath) {
            // the same computation in a few BLAS products and one loop per row (see FastEncoderBlock)
            FastEncoderBlock.Tape tape = fastPath().forward(x, positions, keyMask, causal);
            return new Result(tape.output(), null, new Cache(null, null, null, null, tape));
        }
        if (positions != null) {
            return forward(PositionalEncoding.addTable(x, positions), null, keyMask, causal);
        }

        // A = MultiHeadAttention(x, x, x)
        MultiHeadAttention.Result attended = attention.forward(x, x, x, keyMask, causal);
        // h = LayerNorm₁(x + A)
        LayerNorm.Result h = norm1.forward(x, attended.output());
        // F = FeedForward(h_t) at every position
        TimeDistributed.Result<FeedForward.Cache> f = feedForward.forward(h.output());
        // y = LayerNorm₂(h + F)
        LayerNorm.Result y = norm2.forward(h.output(), f.output());
        return new Result(y.output(), attended.weights(), new Cache(attended.cache(), h.cache(), f.cache(), y.cache(), null));
    }

    /**
     * @param dy ∂L/∂y, (N, T, D)
     * @param cache from {@link #forward}
     * @return ∂L/∂x (N, T, D) and every parameter's gradient under the names of {@link #parameters()}
     */
    public LayerGradients backward(INDArray dy, Cache cache) {
        Objects.requireNonNull(cache, "TransformerEncoderBlock.backward: cache must not be null");
        boolean fastCache = cache.fast() != null;
        long n = fastCache ? cache.fast().batchSize() : cache.attention().queries().size(0);
        long t = fastCache ? cache.fast().steps() : cache.attention().queries().size(1);
        Shapes.require("TransformerEncoderBlock.backward", "dy", dy, "(N, T, D)", n, t, modelSize);
        Shapes.requireType("TransformerEncoderBlock.backward", "dy", dy, dataType());
        if (fastCache) {
            return fastPath().backward(dy, cache.fast());
        }

        // y = LayerNorm₂(h + F): the same gradient reaches h (residual) and F
        LayerGradients second = norm2.backward(dy, cache.norm2());
        LayerGradients ffn = feedForward.backward(second.dx(), cache.feedForward());
        INDArray dh = second.dx().add(ffn.dx());
        // h = LayerNorm₁(x + A): the same gradient reaches x (residual) and A
        LayerGradients first = norm1.backward(dh, cache.norm1());
        MultiHeadAttention.Backward attended = attention.backward(first.dx(), cache.attention());
        // x was the queries, the keys and the values
        INDArray dx = first.dx().add(attended.dQueries()).addi(attended.dKeys()).addi(attended.dValues());

        Gradients grads = new Gradients().accumulateAll("attention", attended.parameters())
                .accumulateAll("norm1", first.parameters()).accumulateAll("feedForward", ffn.parameters())
                .accumulateAll("norm2", second.parameters());
        return new LayerGradients(dx, grads);
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    /**
     * Chooses how {@link #forward} computes: the fast path ({@link FastEncoderBlock}, the default) or the readable
     * sublayers one ND4J operation at a time, the reference the fast path is tested against. Both give the same
     * outputs, weights and gradients to round-off; a cache is backpropagated by the path that made it.
     *
     * @param use true for the fast path, false for the readable reference
     * @return this block
     */
    public TransformerEncoderBlock useFastPath(boolean use) {
        this.useFastPath = use;
        return this;
    }

    /** @return true if {@link #forward} takes the fast path */
    public boolean usesFastPath() {
        return useFastPath;
    }

    private FastEncoderBlock fastPath() {
        if (fast == null) {
            fast = new FastEncoderBlock(this);
        }
        return fast;
    }

    /** @return the self-attention sublayer */
    public MultiHeadAttention attention() {
        return attention;
    }

    /** @return D */
    public int modelSize() {
        return modelSize;
    }

    /** @return h */
    public int heads() {
        return attention.heads();
    }

    /** @return F, the hidden width of the position-wise network */
    public int feedForwardSize() {
        return positionWise.hiddenSize();
    }

    /** @return DOUBLE or FLOAT */
    public DataType dataType() {
        return attention.dataType();
    }

    @Override
    public String toString() {
        return "TransformerEncoderBlock(D=" + modelSize + ", h=" + heads() + ", F=" + feedForwardSize() + ", "
                + dataType() + ")";
    }
}

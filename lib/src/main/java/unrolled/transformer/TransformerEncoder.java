package unrolled.transformer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.layer.LayerGradients;
import unrolled.param.Gradients;
import unrolled.param.Trainable;
import unrolled.param.Parameters;
import unrolled.data.SequenceMask;
import unrolled.tensor.Shapes;

/**
 * A Transformer encoder: positions added once, then a stack of {@link TransformerEncoderBlock}s,
 *
 * <pre>
 *   z⁰ = x + P[0 … T−1]              x (N, T, D): already D wide (an embedding or a time-distributed projection)
 *   zˡ = Blockₗ(zˡ⁻¹)   l = 1 … L     y = zᴸ (N, T, D)
 * </pre>
 *
 * It is the sequence model that replaced recurrent layers in most of NLP: every block lets every position read every
 * other in one step, so depth, not time, is what the model iterates over. Parameters: the blocks' under
 * {@code block0.}, {@code block1.}, …, and {@code positions.P} for a {@link LearnedEncoding}.
 */
public final class TransformerEncoder implements Trainable {

    /**
     * What the forward pass keeps for the backward pass.
     *
     * @param blocks each block's cache, first to last
     */
    public record Cache(List<TransformerEncoderBlock.Cache> blocks) {
    }

    /** The forward result: y, each block's attention weights and the cache for {@link #backward}. */
    public static final class Result {
        private final INDArray output;
        private final List<TransformerEncoderBlock.Result> blocks;
        private final Cache cache;

        private Result(INDArray output, List<TransformerEncoderBlock.Result> blocks, Cache cache) {
            this.output = output;
            this.blocks = blocks;
            this.cache = cache;
        }

        /** @return y, (N, T, D) */
        public INDArray output() {
            return output;
        }

        /**
         * @return each block's attention weights, (N, h, T, T), first to last; after the fast path read them right after
         *     the forward pass (see {@link TransformerEncoderBlock.Result#weights()})
         */
        public List<INDArray> weights() {
            List<INDArray> weights = new ArrayList<>();
            for (TransformerEncoderBlock.Result block : blocks) {
                weights.add(block.weights());
            }
            return List.copyOf(weights);
        }

        /** @return the cache for {@link #backward} */
        public Cache cache() {
            return cache;
        }
    }

    private final PositionalEncoding positions;
    private final List<TransformerEncoderBlock> blocks;
    private final Parameters parameters = new Parameters();

    /**
     * @param positions the positional encoding added to the input, not null; its size is D
     * @param layers L, the number of blocks, positive
     * @param heads h, positive, dividing D
     * @param feedForwardSize F, positive
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of the weights (block l uses seed + 10·l)
     */
    public TransformerEncoder(PositionalEncoding positions, int layers, int heads, int feedForwardSize,
            DataType dataType, long seed) {
        this.positions = Objects.requireNonNull(positions, "TransformerEncoder: positions must not be null");
        Shapes.requirePositive("TransformerEncoder", "layers", layers);
        List<TransformerEncoderBlock> stack = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            TransformerEncoderBlock block = new TransformerEncoderBlock(positions.size(), heads, feedForwardSize, dataType,
                    seed + 10L * l);
            stack.add(block);
            parameters.addAll("block" + l, block.parameters());
        }
        this.blocks = List.copyOf(stack);
        if (positions instanceof Trainable trained) {
            parameters.addAll("positions", trained.parameters());
        }
    }

    /**
     * @param x the input, (N, T, D)
     * @param keyMask which positions are real, (N, T), or null if none is padded
     * @param causal true to let position i attend only to positions j ≤ i in every block
     * @return y (N, T, D), every block's attention weights and the cache for {@link #backward}
     */
    public Result forward(INDArray x, SequenceMask keyMask, boolean causal) {
        Shapes.require("TransformerEncoder.forward", "x", x, "(N, T, D)", Shapes.ANY, Shapes.ANY, modelSize());
        // z⁰ = x + P: the fixed table is added by the first block as it reads its input
        INDArray table = positions instanceof SinusoidalEncoding sinusoidal
                ? sinusoidal.keptTable(Math.toIntExact(x.size(1))) : null;
        INDArray z = table != null ? x : positions.forward(x);
        List<TransformerEncoderBlock.Cache> caches = new ArrayList<>();
        List<TransformerEncoderBlock.Result> results = new ArrayList<>();
        // zˡ = Blockₗ(zˡ⁻¹)
        for (TransformerEncoderBlock block : blocks) {
            TransformerEncoderBlock.Result result = block.forward(z, table, keyMask, causal);
            table = null;
            z = result.output();
            caches.add(result.cache());
            results.add(result);
        }
        return new Result(z, List.copyOf(results), new Cache(List.copyOf(caches)));
    }

    /**
     * @param dy ∂L/∂y, (N, T, D)
     * @param cache from {@link #forward}
     * @return ∂L/∂x (N, T, D) and every parameter's gradient under the names of {@link #parameters()}
     */
    public LayerGradients backward(INDArray dy, Cache cache) {
        Objects.requireNonNull(cache, "TransformerEncoder.backward: cache must not be null");
        Gradients grads = new Gradients();
        INDArray dz = dy;
        for (int l = blocks.size() - 1; l >= 0; l--) {
            LayerGradients block = blocks.get(l).backward(dz, cache.blocks().get(l));
            // the block's gradients are new arrays: gathered without copies
            grads.takeAll("block" + l, block.parameters());
            dz = block.dx();
        }
        // z⁰ = x + P: the gradient passes to x, and to P if it is trained; the fixed table has nothing to add, and dz,
        // new memory of the last block's backward pass, is handed on without a copy
        LayerGradients input = positions instanceof SinusoidalEncoding ? new LayerGradients(dz, new Gradients())
                : positions.backward(dz);
        grads.takeAll("positions", input.parameters());
        Gradients ordered = new Gradients();
        for (String name : parameters.names()) {
            ordered.take(name, grads.get(name));
        }
        return new LayerGradients(input.dx(), ordered);
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    /**
     * Chooses the fast path (the default) or the readable reference in every block
     * ({@link TransformerEncoderBlock#useFastPath}).
     *
     * @param use true for the fast path, false for the readable reference
     * @return this encoder
     */
    public TransformerEncoder useFastPath(boolean use) {
        for (TransformerEncoderBlock block : blocks) {
            block.useFastPath(use);
        }
        return this;
    }

    /** @return the blocks, first to last */
    public List<TransformerEncoderBlock> blocks() {
        return blocks;
    }

    /** @return the positional encoding */
    public PositionalEncoding positions() {
        return positions;
    }

    /** @return D */
    public int modelSize() {
        return positions.size();
    }

    @Override
    public String toString() {
        return "TransformerEncoder(" + blocks.size() + " × " + blocks.get(0) + ", " + positions + ")";
    }
}

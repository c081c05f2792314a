package unrolled.hierarchical;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.cell.RecurrentCell;
import unrolled.cell.State;
import unrolled.fast.FastRecurrentLayer;
import unrolled.param.Gradients;
import unrolled.param.Trainable;
import unrolled.param.Parameters;
import unrolled.recurrent.RecurrentLayer;
import unrolled.recurrent.SequenceGradients;
import unrolled.recurrent.SequenceLayer;
import unrolled.tensor.Shapes;

/**
 * A two-level recurrent encoder for long series: a lower RNN summarises each chunk of k steps, an upper RNN reads the
 * chunk summaries. The hierarchical RNN of documents (words, then sentences) applied to time: the lower level works at
 * the fast time scale, the upper level at a k times slower one.
 *
 * <pre>
 *   x (N, T, D), T = C·k        split into C chunks of k steps: (N·C, k, D)
 *   z_c = lower(chunk c)        the lower layer's final state on each chunk, (N·C, H₁) → (N, C, H₁)
 *   u = upper(z)                the upper layer over the C summaries, outputs (N, C, H₂) and final state (N, H₂)
 * </pre>
 *
 * A flat RNN over T steps needs T steps to carry something from the start to the end, and its gradient passes T
 * Jacobians. Here the longest path is k lower steps plus C upper steps (k + T/k, smallest at k = √T), and the C chunks
 * of the lower level are independent, so they run as one batch. The lower level restarts from its initial state (zero) at every chunk: it
 * can only describe what happens <em>inside</em> a chunk, and everything slower is the upper level's job.
 *
 * <p>Backward: the upper layer's BPTT gives ∂L/∂z for every chunk; each is the gradient of a lower final state, sent
 * back through the lower layer's BPTT over its k steps. Parameters: {@code lower.*}, {@code upper.*}.
 */
public final class ChunkedRecurrent implements Trainable {

    /**
     * What the forward pass keeps.
     *
     * @param lower the lower layer's cache over the N·C chunks
     * @param upper the upper layer's cache over the C summaries
     * @param batchSize N
     */
    public record Cache(RecurrentLayer.Cache<Object> lower, RecurrentLayer.Cache<Object> upper, long batchSize) {
    }

    /**
     * The forward result.
     *
     * @param summaries z, the lower level's summary of each chunk, (N, C, H₁)
     * @param outputs the upper layer's outputs, one per chunk, (N, C, H₂)
     * @param finalState the upper layer's final state, (N, H₂) (and c)
     * @param cache for {@link #backward}
     */
    public record Result(INDArray summaries, INDArray outputs, State finalState, Cache cache) {
    }

    /**
     * The backward result.
     *
     * @param dx ∂L/∂x, (N, T, D)
     * @param parameters ∂L/∂θ under {@code lower.*} and {@code upper.*}
     */
    public record Backward(INDArray dx, Gradients parameters) {
    }

    private final int chunkLength;
    private final SequenceLayer<Object> lower;
    private final SequenceLayer<Object> upper;
    private final Parameters parameters = new Parameters();

    /**
     * @param lower the cell of the fast level, input size D, hidden size H₁
     * @param upper the cell of the slow level, input size H₁, hidden size H₂, the same data type
     * @param chunkLength k, the steps per chunk, positive
     */
    @SuppressWarnings("unchecked")
    public ChunkedRecurrent(RecurrentCell<?> lower, RecurrentCell<?> upper, int chunkLength) {
        String method = "ChunkedRecurrent";
        Objects.requireNonNull(lower, method + ": lower must not be null");
        Objects.requireNonNull(upper, method + ": upper must not be null");
        Shapes.requirePositive(method, "chunkLength", chunkLength);
        if (upper.inputSize() != lower.hiddenSize()) {
            throw new IllegalArgumentException(method + ": the upper cell reads the lower cell's summaries, so its input size"
                    + " must be H₁ = " + lower.hiddenSize() + ", but is " + upper.inputSize() + ".");
        }
        if (upper.dataType() != lower.dataType()) {
            throw new IllegalArgumentException(method + ": both cells must have one data type, but lower is "
                    + lower.dataType() + " and upper is " + upper.dataType() + ".");
        }
        this.chunkLength = chunkLength;
        this.lower = layer((RecurrentCell<Object>) lower);
        this.upper = layer((RecurrentCell<Object>) upper);
        parameters.addAll("lower", this.lower.parameters());
        parameters.addAll("upper", this.upper.parameters());
    }

    private static SequenceLayer<Object> layer(RecurrentCell<Object> cell) {
        return FastRecurrentLayer.supports(cell) ? FastRecurrentLayer.of(cell) : new RecurrentLayer<>(cell);
    }

    /**
     * @param x the series, (N, T, D), T a multiple of the chunk length k
     * @return the chunk summaries, the upper layer's outputs and final state, and the cache
     */
    public Result forward(INDArray x) {
        String method = "ChunkedRecurrent.forward";
        Shapes.require(method, "x", x, "(N, T, D)", lower.dataType(), Shapes.ANY, Shapes.ANY, lower.inputSize());
        long n = x.size(0);
        long t = x.size(1);
        if (t % chunkLength != 0 || t == 0) {
            throw new IllegalArgumentException(method + ": T must be a positive multiple of the chunk length k = "
                    + chunkLength + ", but x has shape " + Shapes.of(x) + ".");
        }
        long chunks = t / chunkLength;
        // every chunk is one sequence of the lower level: (N, C·k, D) → (N·C, k, D)
        INDArray pieces = x.dup('c').reshape('c', n * chunks, chunkLength, x.size(2));
        RecurrentLayer.Result<Object> low = lower.forward(pieces, null);
        // z_c = the lower final state of chunk c: (N·C, H₁) → (N, C, H₁)
        INDArray z = low.finalState().h().reshape('c', n, chunks, lower.hiddenSize());
        RecurrentLayer.Result<Object> high = upper.forward(z, null);
        return new Result(z, high.outputs(), high.finalState(), new Cache(low.cache(), high.cache(), n));
    }

    /**
     * @param dOutputs ∂L/∂(upper outputs), (N, C, H₂), or null for none
     * @param dFinal ∂L/∂(upper final state), or null for none
     * @param cache from {@link #forward}
     * @return ∂L/∂x and the parameters' gradients
     */
    public Backward backward(INDArray dOutputs, State dFinal, Cache cache) {
        String method = "ChunkedRecurrent.backward";
        Objects.requireNonNull(cache, method + ": cache must not be null");
        long n = cache.batchSize();
        long chunks = cache.upper().length();
        INDArray dUpperOutputs = dOutputs != null ? dOutputs
                : Nd4j.zeros(upper.dataType(), n, chunks, upper.hiddenSize());
        SequenceGradients high = upper.backward(dUpperOutputs, dFinal, cache.upper());
        // ∂L/∂z_c is the gradient of chunk c's lower final state
        INDArray dz = high.dx().reshape('c', n * chunks, lower.hiddenSize());
        INDArray noOutputs = Nd4j.zeros(lower.dataType(), n * chunks, chunkLength,
                lower.hiddenSize());
        SequenceGradients low = lower.backward(noOutputs, new State(dz, null), cache.lower());
        INDArray dx = low.dx().reshape('c', n, chunks * chunkLength, lower.inputSize());
        return new Backward(dx, new Gradients().accumulateAll("lower", low.parameters())
                .accumulateAll("upper", high.parameters()));
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    /** @return k */
    public int chunkLength() {
        return chunkLength;
    }

    /** @return H₂, the size of the upper layer's state */
    public int hiddenSize() {
        return upper.hiddenSize();
    }

    /** @return DOUBLE or FLOAT */
    public DataType dataType() {
        return lower.dataType();
    }

    @Override
    public String toString() {
        return "ChunkedRecurrent(k=" + chunkLength + ", lower=" + lower.cell() + ", upper=" + upper.cell() + ")";
    }
}

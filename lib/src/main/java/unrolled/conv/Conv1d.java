package unrolled.conv;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.layer.LayerGradients;
import unrolled.param.Gradients;
import unrolled.param.Init;
import unrolled.param.Trainable;
import unrolled.param.Parameters;
import unrolled.tensor.Shapes;
import unrolled.tensor.SizedBlock;
import unrolled.tensor.Slices;

/**
 * A one-dimensional convolution over time: F filters, each K steps wide, slid along a sequence with stride 1.
 *
 * <pre>
 *   y_t = Σ_{k=0}^{K−1} x̃_{t + k·δ} · W_k + b        x (N, T, D), W (K, D, F), W_k = W[k] (D, F), b (1, F)
 *                                                   y (N, T', F); x̃ = x padded with zero steps
 * </pre>
 *
 * δ is the dilation: the kernel reads every δ-th step, so it spans r = δ·(K − 1) + 1 steps (the receptive field)
 * with only K·D·F weights. {@link Padding} decides T': VALID gives T − δ·(K − 1); SAME and CAUSAL pad with
 * δ·(K − 1) zero steps and give T, CAUSAL putting them all at the start so that y_t depends on x_0 … x_t only.
 *
 * <p><b>One matrix product (im2col).</b> Stack, for every output step, the K input vectors its window reads side by
 * side into one row of length K·D: the rows form X (N·T', K·D). Reshaping W to (K·D, F) in the same order turns the
 * whole convolution into Y = X·W + b, one product for all steps of all sequences — the reason a convolution
 * runs in parallel over time where a recurrent layer must wait for h_{t−1}. The backward pass is the affine
 * layer's on those rows, followed by the inverse rearrangement (col2im), which adds each window slot's gradient
 * back onto the step it read:
 *
 * <pre>
 *   ∂L/∂W = Xᵀ·dY      ∂L/∂b = Σ_{N,T'} dY      dX = dY·Wᵀ      ∂L/∂x̃_s = Σ_{(t, k) : t + k·δ = s} dX[t, k]
 * </pre>
 *
 * and ∂L/∂x is ∂L/∂x̃ with the padded steps dropped.
 *
 * <p>Initialisation: W Xavier-uniform with fan-in K·D and fan-out F, b zero. Parameter names: {@code W}, {@code b}.
 */
public final class Conv1d extends SizedBlock implements Trainable {

    /**
     * What the forward pass keeps for the backward pass.
     *
     * @param windows X, the input windows side by side, (N·T', K·D)
     * @param batchSize N
     * @param inputLength T, the length of x before padding
     */
    public record Cache(INDArray windows, long batchSize, long inputLength) {
    }

    /**
     * The forward result.
     *
     * @param output y, (N, T', F)
     * @param cache for {@link #backward}
     */
    public record Result(INDArray output, Cache cache) {
    }

    private final int inputSize;
    private final int filters;
    private final int kernelSize;
    private final int dilation;
    private final Padding padding;
    private final INDArray W;
    private final INDArray b;
    private final Parameters parameters = new Parameters();

    /**
     * A convolution without dilation (δ = 1).
     *
     * @param inputSize D, the features of each input step, positive
     * @param filters F, the features of each output step, positive
     * @param kernelSize K, the steps each filter reads, positive
     * @param padding VALID, SAME or CAUSAL
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of W
     */
    public Conv1d(int inputSize, int filters, int kernelSize, Padding padding, DataType dataType, long seed) {
        this(inputSize, filters, kernelSize, 1, padding, dataType, seed);
    }

    /**
     * @param inputSize D, the features of each input step, positive
     * @param filters F, the features of each output step, positive
     * @param kernelSize K, the steps each filter reads, positive
     * @param dilation δ, the distance between the steps a filter reads, positive (1: adjacent steps)
     * @param padding VALID, SAME or CAUSAL
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of W
     */
    public Conv1d(int inputSize, int filters, int kernelSize, int dilation, Padding padding, DataType dataType,
            long seed) {
        super("Conv1d", "D=" + inputSize + ", F=" + filters + ", K=" + kernelSize + ", δ=" + dilation + ", " + padding,
                dataType);
        Shapes.requireSizes("Conv1d", dataType, "inputSize, filters, kernelSize, dilation",
                inputSize, filters, kernelSize, dilation);
        this.inputSize = inputSize;
        this.filters = filters;
        this.kernelSize = kernelSize;
        this.dilation = dilation;
        this.padding = Objects.requireNonNull(padding, "Conv1d: padding must not be null");
        this.W = Init.xavierUniform((long) kernelSize * inputSize, filters, seed, dataType)
                .reshape('c', kernelSize, inputSize, filters);
        this.b = Nd4j.zeros(dataType, 1, filters);
        parameters.add("W", W).add("b", b);
    }

    /**
     * @param x the input, (N, T, D), of the layer's data type; for VALID padding T must be at least the receptive
     *     field
     * @return y (N, T', F) and the cache for {@link #backward}
     */
    public Result forward(INDArray x) {
        String method = "Conv1d.forward";
        Shapes.require(method, "x", x, "(N, T, D)", dataType, Shapes.ANY, Shapes.ANY, inputSize);
        long n = x.size(0);
        long steps = x.size(1);
        long outSteps = outputLength(steps);
        if (outSteps < 1) {
            throw new IllegalArgumentException(method + ": x has T = " + steps + " steps, but a VALID convolution with "
                    + "receptive field " + receptiveField() + " needs at least " + receptiveField() + ".");
        }
        int left = paddingBefore();
        int right = paddingAfter();

        // x̃ = x with `left` zero steps before it and `right` after it
        INDArray xPadded = Nd4j.zeros(dataType, n, steps + left + right, inputSize);
        Slices.steps(xPadded, left, left + steps).assign(x);
        // im2col: row (n, t) of X = [x̃_t, x̃_{t+δ}, …, x̃_{t+(K−1)δ}], shape (N·T', K·D)
        INDArray windows = Nd4j.create(dataType, n, outSteps, (long) kernelSize * inputSize);
        for (int k = 0; k < kernelSize; k++) {
            Slices.features(windows, k * inputSize, (k + 1) * inputSize)
                    .assign(Slices.steps(xPadded, (long) k * dilation, (long) k * dilation + outSteps));
        }
        INDArray X = windows.reshape('c', n * outSteps, (long) kernelSize * inputSize);
        // Y = X·W + b, with W viewed as (K·D, F): every y_t of every sequence in one product
        INDArray Y = X.mmul(weightMatrix()).addiRowVector(b);
        return new Result(Y.reshape('c', n, outSteps, filters), new Cache(X, n, steps));
    }

    /**
     * @param dy ∂L/∂y, (N, T', F)
     * @param cache from {@link #forward}
     * @return ∂L/∂x (N, T, D), and ∂L/∂W (K, D, F), ∂L/∂b (1, F) under the names {@code W}, {@code b}
     */
    public LayerGradients backward(INDArray dy, Cache cache) {
        String method = "Conv1d.backward";
        Objects.requireNonNull(cache, method + ": cache must not be null");
        long n = cache.batchSize();
        long steps = cache.inputLength();
        long outSteps = outputLength(steps);
        Shapes.require(method, "dy", dy, "(N, T', F)", dataType, n, outSteps, filters);
        int left = paddingBefore();
        int right = paddingAfter();
        INDArray dY = dy.reshape('c', n * outSteps, filters);

        // dW = Xᵀ·dY (back to (K, D, F)),  db = Σ_{N,T'} dY
        Gradients grads = new Gradients()
                .accumulate("W", cache.windows().transpose().mmul(dY).reshape('c', kernelSize, inputSize, filters))
                .accumulate("b", dY.sum(true, 0));
        // dX = dY·Wᵀ, (N, T', K·D)
        INDArray dWindows = dY.mmul(weightMatrix().transpose()).reshape('c', n, outSteps, (long) kernelSize * inputSize);
        // col2im: slot k of window t read x̃_{t+kδ}, so it adds its gradient there
        INDArray dxPadded = Nd4j.zeros(dataType, n, steps + left + right, inputSize);
        for (int k = 0; k < kernelSize; k++) {
            Slices.steps(dxPadded, (long) k * dilation, (long) k * dilation + outSteps)
                    .addi(Slices.features(dWindows, k * inputSize, (k + 1) * inputSize));
        }
        // ∂L/∂x: the padded steps dropped
        INDArray dx = Slices.steps(dxPadded, left, left + steps).dup();
        return new LayerGradients(dx, grads);
    }

    /** W as the (K·D, F) matrix of the im2col product: a view, so it shares W's values. */
    private INDArray weightMatrix() {
        return W.reshape('c', (long) kernelSize * inputSize, filters);
    }

    /** @return r = δ·(K − 1) + 1, the number of consecutive input steps one output step depends on */
    public int receptiveField() {
        return dilation * (kernelSize - 1) + 1;
    }

    /**
     * @param inputLength T, positive
     * @return T', the output length for an input of T steps: T − δ·(K − 1) for VALID (below 1 if T is too short), T
     *     otherwise
     */
    public long outputLength(long inputLength) {
        Shapes.requirePositive("Conv1d.outputLength", "inputLength", inputLength);
        return inputLength + paddingBefore() + paddingAfter() - (receptiveField() - 1);
    }

    /** @return the zero steps put before the sequence: δ·(K − 1) for CAUSAL, half of it for SAME, 0 for VALID */
    public int paddingBefore() {
        return switch (padding) {
            case VALID -> 0;
            case SAME -> (receptiveField() - 1) / 2;
            case CAUSAL -> receptiveField() - 1;
        };
    }

    /** @return the zero steps put after the sequence: the rest of δ·(K − 1) for SAME, 0 otherwise */
    public int paddingAfter() {
        return padding == Padding.SAME ? receptiveField() - 1 - paddingBefore() : 0;
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    /** @return D */
    public int inputSize() {
        return inputSize;
    }

    /** @return F, the number of filters: the size of each output step */
    public int filters() {
        return filters;
    }

    /** @return K */
    public int kernelSize() {
        return kernelSize;
    }

    /** @return δ */
    public int dilation() {
        return dilation;
    }

    /** @return VALID, SAME or CAUSAL */
    public Padding padding() {
        return padding;
    }
}

package unrolled.cell;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.param.Gradients;
import unrolled.tensor.ShapeException;
import unrolled.tensor.Shapes;

/**
 * What every cell's step shares, written once: the argument checks of the constructors and of {@code forward} and
 * {@code backward}, the derivatives of σ and tanh in terms of their outputs, and the end of every backward step —
 * the gradients through the two products a cell starts from, x_t·Wx and h_{t−1}·Wh.
 */
final class CellSteps {

    private CellSteps() {
    }

    /** A step's cache, as far as the checks need it: every cell keeps h_{t−1}, whose first axis is N. */
    interface Cached {
        /** @return h_{t−1}, (N, H) */
        INDArray hPrev();
    }

    /**
     * The gradients through a = x_t·Wx + h_{t−1}·Wh (plus biases, whose gradients the cell adds):
     * <pre>
     *   dWx = x_tᵀ·dAx    dWh = h_{t−1}ᵀ·dAh    dx_t = dAx·Wxᵀ    dh_{t−1} = dAh·Whᵀ
     * </pre>
     * An RNN or LSTM passes one da as both dAx and dAh; a GRU or a layer-normalised LSTM passes two.
     *
     * @param parameters ∂L/∂Wx and ∂L/∂Wh, under those names; the cell adds its biases' after them
     * @param dx ∂L/∂x_t, (N, D)
     * @param dhPrev ∂L/∂h_{t−1} through the products, (N, H)
     */
    record Products(Gradients parameters, INDArray dx, INDArray dhPrev) {

        /**
         * @param x x_t, (N, D)
         * @param Wx (D, G·H)
         * @param dAx ∂L/∂(x_t·Wx), (N, G·H)
         * @param hPrev h_{t−1}, (N, H)
         * @param Wh (H, G·H)
         * @param dAh ∂L/∂(h_{t−1}·Wh), (N, G·H)
         * @return the weight gradients, dx_t and dh_{t−1}
         */
        static Products backward(INDArray x, INDArray Wx, INDArray dAx, INDArray hPrev, INDArray Wh, INDArray dAh) {
            Gradients parameters = new Gradients()
                    .accumulate("Wx", x.transpose().mmul(dAx))
                    .accumulate("Wh", hPrev.transpose().mmul(dAh));
            return new Products(parameters, dAx.mmul(Wx.transpose()), dAh.mmul(Wh.transpose()));
        }
    }

    /** db = Σ_N da: a bias is added to every row, so its gradient is the column sum, (1, G·H). */
    static INDArray biasGradient(INDArray da) {
        return da.sum(true, 0);
    }

    /** σ'(a) written in terms of s = σ(a): s ⊙ (1 − s), as a new array. */
    static INDArray sigmoidDerivative(INDArray s) {
        return s.rsub(1.0).muli(s);
    }

    /** tanh'(a) written in terms of t = tanh(a): 1 − t², as a new array. */
    static INDArray tanhDerivative(INDArray t) {
        return t.mul(t).rsubi(1.0);
    }

    /**
     * Checks a cell constructor's sizes and data type.
     *
     * @param cell the cell's name, e.g. {@code LstmCell}
     * @param inputSize D, positive
     * @param hiddenSize H, positive
     * @param dataType DOUBLE or FLOAT
     */
    static void requireSizes(String cell, int inputSize, int hiddenSize, DataType dataType) {
        Shapes.requireSizes(cell, dataType, "inputSize, hiddenSize", inputSize, hiddenSize);
    }

    /**
     * Checks the arguments of one forward step of a cell whose state is h alone (RNN, GRU).
     *
     * @param method e.g. {@code GruCell.forward}
     * @param kind how the message names the cell, e.g. {@code A GRU}
     * @param x the input x_t, (N, D)
     * @param previous h_{t−1}, (N, H), without a cell state
     * @param inputSize D
     * @param hiddenSize H
     * @param dataType the cell's data type
     */
    static void requireStep(String method, String kind, INDArray x, State previous, int inputSize, int hiddenSize,
            DataType dataType) {
        requireInputAndH(method, x, previous, inputSize, hiddenSize, dataType);
        if (previous.hasCell()) {
            throw new ShapeException(method + ": previous must carry only h, but also carries a cell state c of shape "
                    + Shapes.of(previous.c()) + ". " + kind + " has no cell state (is this an LSTM's state?); pass "
                    + "State.of(h).");
        }
    }

    /**
     * Checks the arguments of one forward step of an LSTM-like cell, whose state carries h and c.
     *
     * @param method e.g. {@code LstmCell.forward}
     * @param x the input x_t, (N, D)
     * @param previous h_{t−1} and c_{t−1}, each (N, H)
     * @param inputSize D
     * @param hiddenSize H
     * @param dataType the cell's data type
     */
    static void requireStepWithCell(String method, INDArray x, State previous, int inputSize, int hiddenSize,
            DataType dataType) {
        long n = requireInputAndH(method, x, previous, inputSize, hiddenSize, dataType);
        if (!previous.hasCell()) {
            throw new ShapeException(method + ": previous must carry the cell state cPrev of shape (N, H) = "
                    + Shapes.format(n, hiddenSize) + ", but has none. An LSTM state is new State(h, c); "
                    + "start from zeroState(N).");
        }
        Shapes.require(method, "cPrev", previous.c(), "(N, H)", dataType, n, hiddenSize);
    }

    /**
     * Checks the gradient arriving at one backward step of a cell whose state is h alone, and its cache.
     *
     * @param method e.g. {@code GruCell.backward}
     * @param kind how the message names the cell, e.g. {@code A GRU}
     * @param dNext dh = ∂L/∂h_t, (N, H), without dc
     * @param cache the step's cache, not null; its h_{t−1} gives N
     * @param hiddenSize H
     * @param dataType the cell's data type
     */
    static void requireStepGradient(String method, String kind, State dNext, Cached cache, int hiddenSize, DataType dataType) {
        requireCacheAndDh(method, dNext, cache, hiddenSize, dataType);
        if (dNext.hasCell()) {
            throw new ShapeException(method + ": dNext must carry only dh, but also carries dc of shape "
                    + Shapes.of(dNext.c()) + ". " + kind + " has no cell state; pass State.of(dh).");
        }
    }

    /**
     * Checks the gradient arriving at one backward step of an LSTM-like cell, and its cache.
     *
     * @param method e.g. {@code LstmCell.backward}
     * @param dNext dh and dc, each (N, H)
     * @param cache the step's cache, not null; its h_{t−1} gives N
     * @param hiddenSize H
     * @param dataType the cell's data type
     */
    static void requireStepGradientWithCell(String method, State dNext, Cached cache, int hiddenSize, DataType dataType) {
        long n = requireCacheAndDh(method, dNext, cache, hiddenSize, dataType);
        if (!dNext.hasCell()) {
            throw new ShapeException(method + ": dNext must carry dc of shape (N, H) = " + Shapes.format(n, hiddenSize)
                    + ", but has none. Pass zeros when no loss reaches c_t directly: new State(dh, dc).");
        }
        Shapes.require(method, "dc", dNext.c(), "(N, H)", dataType, n, hiddenSize);
    }

    /** x (N, D) and h_{t−1} (N, H) of the cell's type; returns N. */
    private static long requireInputAndH(String method, INDArray x, State previous, int inputSize, int hiddenSize,
            DataType dataType) {
        long n = x == null ? Shapes.ANY : x.size(0);
        Shapes.require(method, "x", x, "(N, D)", dataType, n, inputSize);
        Objects.requireNonNull(previous, method + ": previous must not be null");
        Shapes.require(method, "hPrev", previous.h(), "(N, H)", dataType, n, hiddenSize);
        return n;
    }

    /** The cache, then dh (N, H) of the cell's type; returns N. */
    private static long requireCacheAndDh(String method, State dNext, Cached cache, int hiddenSize, DataType dataType) {
        Objects.requireNonNull(cache, method + ": cache must not be null");
        Objects.requireNonNull(dNext, method + ": dNext must not be null");
        long n = cache.hPrev().size(0);
        Shapes.require(method, "dh", dNext.h(), "(N, H)", dataType, n, hiddenSize);
        return n;
    }
}

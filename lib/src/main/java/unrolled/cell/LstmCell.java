package unrolled.cell;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import unrolled.param.Gradients;
import unrolled.param.Init;
import unrolled.param.Parameters;
import unrolled.tensor.ShapeException;
import unrolled.tensor.Slices;

/**
 * The long short-term memory (LSTM) cell, with its four blocks fused into one matrix product:
 *
 * <pre>
 *   a   = x_t·Wx + h_{t−1}·Wh + b                 x_t (N, D), Wx (D, 4H), h (N, H), Wh (H, 4H), b (1, 4H)
 *   split a into a_i, a_f, a_o, a_g               each (N, H), in the order of {@link LstmGate}
 *   i = σ(a_i)   f = σ(a_f)   o = σ(a_o)   g = tanh(a_g)
 *   c_t = f ⊙ c_{t−1} + i ⊙ g                      the cell state: a gated running sum
 *   h_t = o ⊙ tanh(c_t)                           the hidden state: what the cell shows
 * </pre>
 *
 * The cell state is updated additively, so ∂c_t/∂c_{t−1} = f: as long as the forget gate stays near 1 the
 * gradient reaches far back without being multiplied by Wh at every step, which is what makes the LSTM
 * learn longer dependencies than the vanilla {@link RnnCell}.
 *
 * <p>Backward, with dh = ∂L/∂h_t and dc = ∂L/∂c_t arriving from later steps and the loss:
 * <pre>
 *   dc_total = dc + dh ⊙ o ⊙ (1 − tanh²(c_t))      c_t reaches L directly and through h_t
 *   do = dh ⊙ tanh(c_t)    di = dc_total ⊙ g    dg = dc_total ⊙ i    df = dc_total ⊙ c_{t−1}
 *   da_i = di ⊙ i(1 − i)   da_f = df ⊙ f(1 − f)   da_o = do ⊙ o(1 − o)   da_g = dg ⊙ (1 − g²)
 *   dWx = x_tᵀ·da   dWh = h_{t−1}ᵀ·da   db = Σ_N da   dx_t = da·Wxᵀ   dh_{t−1} = da·Whᵀ   dc_{t−1} = dc_total ⊙ f
 * </pre>
 *
 * <p>Initialisation: {@code Wx} Xavier-uniform over the whole (D, 4H) matrix; {@code Wh} orthogonal block by
 * block, so each gate's (H, H) recurrent matrix is orthogonal on its own; {@code b} zero except the forget
 * block, which is set to {@code forgetBias} (see {@link #LstmCell(int, int, double, DataType, long)}).
 *
 * <p>States carry both h and c: start from {@link #zeroState}, or {@code new State(h, c)}.
 */
public final class LstmCell extends CellSizes implements RecurrentCell<LstmCell.Cache> {

    /** The forget-gate bias of {@link #LstmCell(int, int, DataType, long)}: σ(1) ≈ 0.73, a cell that starts remembering. */
    public static final double DEFAULT_FORGET_BIAS = 1.0;

    /**
     * What the forward step keeps for the backward step.
     *
     * @param x the input x_t, (N, D)
     * @param hPrev the previous hidden state h_{t−1}, (N, H)
     * @param cPrev the previous cell state c_{t−1}, (N, H)
     * @param i the input gate σ(a_i), (N, H)
     * @param f the forget gate σ(a_f), (N, H)
     * @param o the output gate σ(a_o), (N, H)
     * @param g the candidate tanh(a_g), (N, H)
     * @param c the new cell state c_t, (N, H)
     * @param tanhC tanh(c_t), (N, H)
     */
    public record Cache(INDArray x, INDArray hPrev, INDArray cPrev, INDArray i, INDArray f, INDArray o, INDArray g,
            INDArray c, INDArray tanhC) implements CellSteps.Cached {

        /**
         * The activations of one block, for gate heatmaps: {@code cache.gate(LstmGate.FORGET)} is f.
         * Read it, do not modify it: the backward step uses the same array.
         *
         * @param gate which block
         * @return its activation, (N, H)
         */
        public INDArray gate(LstmGate gate) {
            Objects.requireNonNull(gate, "LstmCell.Cache.gate: gate must not be null");
            return switch (gate) {
                case INPUT -> i;
                case FORGET -> f;
                case OUTPUT -> o;
                case CANDIDATE -> g;
            };
        }
    }

    private final double forgetBias;
    private final INDArray Wx;
    private final INDArray Wh;
    private final INDArray b;

    /**
     * An LSTM cell whose forget-gate bias starts at {@link #DEFAULT_FORGET_BIAS} = 1.
     *
     * @param inputSize D, positive
     * @param hiddenSize H, positive
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of the weights
     */
    public LstmCell(int inputSize, int hiddenSize, DataType dataType, long seed) {
        this(inputSize, hiddenSize, DEFAULT_FORGET_BIAS, dataType, seed);
    }

    /**
     * An LSTM cell with a chosen forget-gate bias.
     *
     * <p>Why the forget bias: with every bias at 0, f = σ(a_f) starts near σ(0) = 0.5, so the cell state halves
     * at every step and the gradient along c shrinks like 0.5^T — the cell starts out forgetting. A positive
     * forget bias (1 is the common choice, from Gers et al. 2000 and Jozefowicz et al. 2015) starts f near
     * σ(1) ≈ 0.73 or higher: the cell starts out remembering, and learns what to forget.
     *
     * @param inputSize D, positive
     * @param hiddenSize H, positive
     * @param forgetBias the initial value of every entry of the forget block b_f of b, finite; the other
     *     blocks start at 0
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of the weights
     */
    public LstmCell(int inputSize, int hiddenSize, double forgetBias, DataType dataType, long seed) {
        super("LstmCell", inputSize, hiddenSize, dataType);
        if (!Double.isFinite(forgetBias)) {
            throw new IllegalArgumentException("LstmCell: forgetBias must be finite, but is " + forgetBias + ".");
        }
        this.forgetBias = forgetBias;
        int fused = LstmGate.COUNT * hiddenSize;
        this.Wx = Init.xavierUniform(inputSize, fused, seed, dataType);
        this.Wh = Nd4j.zeros(dataType, hiddenSize, fused);
        for (LstmGate gate : LstmGate.values()) {
            gate.block(Wh, hiddenSize).assign(Init.orthogonal(hiddenSize, hiddenSize, 1.0, seed + 1 + gate.ordinal(), dataType));
        }
        this.b = Nd4j.zeros(dataType, 1, fused);
        LstmGate.FORGET.block(b, hiddenSize).assign(forgetBias);
        parameters.add("Wx", Wx).add("Wh", Wh).add("b", b);
    }

    /**
     * One forward step.
     *
     * <p>Wrong shapes are refused with a {@link ShapeException} such as
     * {@code LstmCell.forward: cPrev must have shape (N, H) = (3, 5), but has shape (3, 6).}; a state without a
     * cell state c is refused with a message that says so.
     *
     * @param x the input x_t, (N, D)
     * @param previous h_{t−1} and c_{t−1}, each (N, H)
     * @return the new state (h_t, c_t) and the cache for {@link #backward}
     */
    @Override
    public Step<Cache> forward(INDArray x, State previous) {
        CellSteps.requireStepWithCell("LstmCell.forward", x, previous, inputSize, hiddenSize, dataType);
        INDArray hPrev = previous.h();
        INDArray cPrev = previous.c();

        // a = x_t·Wx + h_{t−1}·Wh + b, then split into a_i, a_f, a_o, a_g
        INDArray a = x.mmul(Wx).addi(hPrev.mmul(Wh)).addiRowVector(b);
        // i = σ(a_i), f = σ(a_f), o = σ(a_o), g = tanh(a_g)
        INDArray i = Transforms.sigmoid(LstmGate.INPUT.block(a, hiddenSize), true);
        INDArray f = Transforms.sigmoid(LstmGate.FORGET.block(a, hiddenSize), true);
        INDArray o = Transforms.sigmoid(LstmGate.OUTPUT.block(a, hiddenSize), true);
        INDArray g = Transforms.tanh(LstmGate.CANDIDATE.block(a, hiddenSize), true);
        // c_t = f ⊙ c_{t−1} + i ⊙ g
        INDArray c = f.mul(cPrev).addi(i.mul(g));
        // h_t = o ⊙ tanh(c_t)
        INDArray tanhC = Transforms.tanh(c, true);
        INDArray h = o.mul(tanhC);
        return new Step<>(new State(h, c), new Cache(x, hPrev, cPrev, i, f, o, g, c, tanhC));
    }

    /**
     * One backward step.
     *
     * <p>Wrong shapes are refused with a {@link ShapeException} such as
     * {@code LstmCell.backward: dc must have shape (N, H) = (3, 5), but has shape (3, 6).}
     *
     * @param dNext dh = ∂L/∂h_t and dc = ∂L/∂c_t, each (N, H); dc is required, and is all zeros when no loss
     *     reaches c_t directly (at the last time step)
     * @param cache the cache {@link #forward} returned for this step
     * @return dx_t (N, D), the previous state's gradient (dh_{t−1}, dc_{t−1}), each (N, H), and the gradients
     *     of Wx, Wh and b
     */
    @Override
    public StepGradients backward(State dNext, Cache cache) {
        CellSteps.requireStepGradientWithCell("LstmCell.backward", dNext, cache, hiddenSize, dataType);
        INDArray dh = dNext.h();
        INDArray tanhC = cache.tanhC();

        // dc_total = dc + dh ⊙ o ⊙ (1 − tanh²(c_t)): c_t reaches the loss directly and through h_t
        INDArray dcTotal = CellSteps.tanhDerivative(tanhC).muli(cache.o()).muli(dh).addi(dNext.c());
        // dc_{t−1} = dc_total ⊙ f
        INDArray dcPrev = dcTotal.mul(cache.f());
        INDArray da = blockGradients(dh, dcTotal, tanhC, cache.cPrev(), cache.i(), cache.f(), cache.o(), cache.g());

        // dWx = x_tᵀ·da,  dWh = h_{t−1}ᵀ·da,  dx_t = da·Wxᵀ,  dh_{t−1} = da·Whᵀ,  db = Σ_N da
        CellSteps.Products products = CellSteps.Products.backward(cache.x(), Wx, da, cache.hPrev(), Wh, da);
        Gradients grads = products.parameters().accumulate("b", CellSteps.biasGradient(da));
        return new StepGradients(products.dx(), new State(products.dhPrev(), dcPrev), grads);
    }

    /**
     * The gradient of the fused pre-activation a (N, 4H) of an LSTM-like cell, from the gradients reaching its
     * output and cell state.
     *
     * @param dh ∂L/∂h_t, (N, H)
     * @param dcTotal ∂L/∂c_t through every path, (N, H)
     * @param tanhC the tanh the output gate scales, (N, H)
     * @param cPrev c_{t−1}, (N, H)
     * @param i the input gate, (N, H)
     * @param f the forget gate, (N, H)
     * @param o the output gate, (N, H)
     * @param g the candidate, (N, H)
     * @return da, (N, 4H), blocks in the order of {@link LstmGate}
     */
    static INDArray blockGradients(INDArray dh, INDArray dcTotal, INDArray tanhC, INDArray cPrev, INDArray i,
            INDArray f, INDArray o, INDArray g) {
        // from h_t = o ⊙ tanh(c_t):  do = dh ⊙ tanh(c_t)   (named dO: "do" is a Java keyword)
        INDArray dO = dh.mul(tanhC);
        // from c_t = f ⊙ c_{t−1} + i ⊙ g:  di = dc_total ⊙ g,  df = dc_total ⊙ c_{t−1},  dg = dc_total ⊙ i
        INDArray di = dcTotal.mul(g);
        INDArray df = dcTotal.mul(cPrev);
        INDArray dg = dcTotal.mul(i);
        // through the nonlinearities, into the fused da = [da_i, da_f, da_o, da_g] (N, 4H):  σ' = s(1 − s),  tanh' = 1 − g²
        return Slices.joinColumns(
                di.muli(CellSteps.sigmoidDerivative(i)),
                df.muli(CellSteps.sigmoidDerivative(f)),
                dO.muli(CellSteps.sigmoidDerivative(o)),
                dg.muli(CellSteps.tanhDerivative(g)));
    }

    /**
     * @param batchSize N, positive
     * @return h = 0 and c = 0, each (N, H)
     */
    @Override
    public State zeroState(long batchSize) {
        return zeros("LstmCell.zeroState", batchSize, true);
    }

    /** @return Wx (D, 4H), Wh (H, 4H), b (1, 4H): 4H(D + H + 1) numbers */
    @Override
    public Parameters parameters() {
        return parameters;
    }

    /** @return the value the forget block of b was initialised to */
    public double forgetBias() {
        return forgetBias;
    }

    @Override
    public String toString() {
        return describe("LstmCell", "forgetBias=" + forgetBias);
    }
}

package unrolled.cell;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import unrolled.layer.LayerGradients;
import unrolled.layer.LayerNorm;
import unrolled.param.Gradients;
import unrolled.param.Parameters;
import unrolled.tensor.ShapeException;

/**
 * The layer-normalised LSTM cell (Ba, Kiros &amp; Hinton, 2016): an {@link LstmCell} with layer normalisation
 * <em>inside</em> the recurrence, applied at every step to the input and recurrent pre-activations separately and
 * to the cell state before the output tanh:
 *
 * <pre>
 *   a   = LN_x(x_t·Wx) + LN_h(h_{t−1}·Wh) + b       x_t (N, D), Wx (D, 4H), h (N, H), Wh (H, 4H), b (1, 4H)
 *   i = σ(a_i)   f = σ(a_f)   o = σ(a_o)   g = tanh(a_g)      blocks in the order of {@link LstmGate}
 *   c_t = f ⊙ c_{t−1} + i ⊙ g
 *   h_t = o ⊙ tanh(LN_c(c_t))
 * </pre>
 *
 * Each LN standardises every row by its own mean and variance and applies its own gain γ and shift β
 * ({@link LayerNorm}), shared by all time steps. The pre-activations then keep the same scale whatever the scale
 * of the inputs or of the weights, so the gates do not saturate, and the statistics never mix examples, so the
 * cell computes the same in training and inference, for any batch size and length. The additive path of the
 * cell state is untouched: c_t is normalised only on its way to h_t.
 *
 * <p>Backward, with dh = ∂L/∂h_t and dc = ∂L/∂c_t arriving from later steps and the loss, and LN'ᵀ(·) the
 * backward of a {@link LayerNorm}:
 * <pre>
 *   dc_total = dc + LN_cᵀ(dh ⊙ o ⊙ (1 − tanh²(LN_c(c_t))))
 *   do, di, df, dg, dc_{t−1} and the fused da (N, 4H) as in {@link LstmCell}
 *   db = Σ_N da    dAx = LN_xᵀ(da)    dAh = LN_hᵀ(da)
 *   dWx = x_tᵀ·dAx   dWh = h_{t−1}ᵀ·dAh   dx_t = dAx·Wxᵀ   dh_{t−1} = dAh·Whᵀ
 * </pre>
 *
 * <p>Parameters: {@code Wx}, {@code Wh}, {@code b} initialised as in {@link LstmCell} (forget bias 1), and
 * {@code normX.gamma}, {@code normX.beta} (1, 4H), {@code normH.gamma}, {@code normH.beta} (1, 4H),
 * {@code normC.gamma}, {@code normC.beta} (1, H), starting at γ = 1, β = 0: 4H(D + H + 1) + 2·(8H + H) numbers.
 * Like the library's LSTM it keeps one bias vector b; the two LN shifts β of the input and recurrent terms
 * could be folded into it, and are kept so that each LN is the standard layer.
 */
public final class LayerNormLstmCell extends CellSizes implements RecurrentCell<LayerNormLstmCell.Cache> {

    /**
     * What the forward step keeps for the backward step.
     *
     * @param x the input x_t, (N, D)
     * @param hPrev the previous hidden state h_{t−1}, (N, H)
     * @param cPrev the previous cell state c_{t−1}, (N, H)
     * @param i the input gate, (N, H)
     * @param f the forget gate, (N, H)
     * @param o the output gate, (N, H)
     * @param g the candidate, (N, H)
     * @param c the new cell state c_t, (N, H)
     * @param tanhC tanh(LN_c(c_t)), (N, H)
     * @param normX the cache of LN_x, over (N, 4H)
     * @param normH the cache of LN_h, over (N, 4H)
     * @param normC the cache of LN_c, over (N, H)
     */
    public record Cache(INDArray x, INDArray hPrev, INDArray cPrev, INDArray i, INDArray f, INDArray o, INDArray g,
            INDArray c, INDArray tanhC, LayerNorm.Cache normX, LayerNorm.Cache normH, LayerNorm.Cache normC)
            implements CellSteps.Cached {

        /**
         * The activations of one block, for gate heatmaps. Read it, do not modify it.
         *
         * @param gate which block
         * @return its activation, (N, H)
         */
        public INDArray gate(LstmGate gate) {
            Objects.requireNonNull(gate, "LayerNormLstmCell.Cache.gate: gate must not be null");
            return switch (gate) {
                case INPUT -> i;
                case FORGET -> f;
                case OUTPUT -> o;
                case CANDIDATE -> g;
            };
        }
    }

    private final INDArray Wx;
    private final INDArray Wh;
    private final INDArray b;
    private final LayerNorm normX;
    private final LayerNorm normH;
    private final LayerNorm normC;

    /**
     * A layer-normalised LSTM cell whose Wx, Wh and b start exactly as those of
     * {@code new LstmCell(inputSize, hiddenSize, dataType, seed)}, so the two can be compared from the same weights.
     *
     * @param inputSize D, positive
     * @param hiddenSize H, positive
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of the weights
     */
    public LayerNormLstmCell(int inputSize, int hiddenSize, DataType dataType, long seed) {
        super("LayerNormLstmCell", inputSize, hiddenSize, dataType);
        LstmCell plain = new LstmCell(inputSize, hiddenSize, dataType, seed);
        this.Wx = plain.parameters().get("Wx");
        this.Wh = plain.parameters().get("Wh");
        this.b = plain.parameters().get("b");
        this.normX = new LayerNorm(LstmGate.COUNT * hiddenSize, dataType);
        this.normH = new LayerNorm(LstmGate.COUNT * hiddenSize, dataType);
        this.normC = new LayerNorm(hiddenSize, dataType);
        parameters.add("Wx", Wx).add("Wh", Wh).add("b", b)
                .addAll("normX", normX.parameters()).addAll("normH", normH.parameters())
                .addAll("normC", normC.parameters());
    }

    /**
     * One forward step.
     *
     * <p>Wrong shapes are refused with a {@link ShapeException} such as
     * {@code LayerNormLstmCell.forward: cPrev must have shape (N, H) = (3, 5), but has shape (3, 6).}
     *
     * @param x the input x_t, (N, D)
     * @param previous h_{t−1} and c_{t−1}, each (N, H)
     * @return the new state (h_t, c_t) and the cache for {@link #backward}
     */
    @Override
    public Step<Cache> forward(INDArray x, State previous) {
        CellSteps.requireStepWithCell("LayerNormLstmCell.forward", x, previous, inputSize, hiddenSize, dataType);
        INDArray hPrev = previous.h();
        INDArray cPrev = previous.c();

        // a = LN_x(x_t·Wx) + LN_h(h_{t−1}·Wh) + b
        LayerNorm.Result lnX = normX.forward(x.mmul(Wx));
        LayerNorm.Result lnH = normH.forward(hPrev.mmul(Wh));
        INDArray a = lnX.output().add(lnH.output()).addiRowVector(b);
        // i = σ(a_i), f = σ(a_f), o = σ(a_o), g = tanh(a_g)
        INDArray i = Transforms.sigmoid(LstmGate.INPUT.block(a, hiddenSize), true);
        INDArray f = Transforms.sigmoid(LstmGate.FORGET.block(a, hiddenSize), true);
        INDArray o = Transforms.sigmoid(LstmGate.OUTPUT.block(a, hiddenSize), true);
        INDArray g = Transforms.tanh(LstmGate.CANDIDATE.block(a, hiddenSize), true);
        // c_t = f ⊙ c_{t−1} + i ⊙ g
        INDArray c = f.mul(cPrev).addi(i.mul(g));
        // h_t = o ⊙ tanh(LN_c(c_t))
        LayerNorm.Result lnC = normC.forward(c);
        INDArray tanhC = Transforms.tanh(lnC.output(), true);
        INDArray h = o.mul(tanhC);
        return new Step<>(new State(h, c),
                new Cache(x, hPrev, cPrev, i, f, o, g, c, tanhC, lnX.cache(), lnH.cache(), lnC.cache()));
    }

    /**
     * One backward step.
     *
     * <p>Wrong shapes are refused with a {@link ShapeException} such as
     * {@code LayerNormLstmCell.backward: dc must have shape (N, H) = (3, 5), but has shape (3, 6).}
     *
     * @param dNext dh = ∂L/∂h_t and dc = ∂L/∂c_t, each (N, H); dc is required (zeros when no loss reaches c_t
     *     directly)
     * @param cache the cache {@link #forward} returned for this step
     * @return dx_t (N, D), the previous state's gradient (dh_{t−1}, dc_{t−1}), each (N, H), and the gradients of
     *     every parameter, under the names of {@link #parameters()}
     */
    @Override
    public StepGradients backward(State dNext, Cache cache) {
        CellSteps.requireStepGradientWithCell("LayerNormLstmCell.backward", dNext, cache, hiddenSize, dataType);
        INDArray dh = dNext.h();
        INDArray tanhC = cache.tanhC();

        // dc_total = dc + LN_cᵀ(dh ⊙ o ⊙ (1 − tanh²(LN_c(c_t))))
        LayerGradients throughNormC = normC.backward(CellSteps.tanhDerivative(tanhC).muli(cache.o()).muli(dh), cache.normC());
        INDArray dcTotal = throughNormC.dx().addi(dNext.c());
        // dc_{t−1} = dc_total ⊙ f
        INDArray dcPrev = dcTotal.mul(cache.f());
        // do, di, df, dg through the gates' nonlinearities, into the fused da (N, 4H), exactly as in LstmCell
        INDArray da = LstmCell.blockGradients(dh, dcTotal, tanhC, cache.cPrev(), cache.i(), cache.f(), cache.o(), cache.g());

        // dAx = LN_xᵀ(da),  dAh = LN_hᵀ(da)
        LayerGradients throughNormX = normX.backward(da, cache.normX());
        LayerGradients throughNormH = normH.backward(da, cache.normH());
        // dWx = x_tᵀ·dAx,  dWh = h_{t−1}ᵀ·dAh,  dx_t = dAx·Wxᵀ,  dh_{t−1} = dAh·Whᵀ,  db = Σ_N da
        CellSteps.Products products = CellSteps.Products.backward(cache.x(), Wx, throughNormX.dx(), cache.hPrev(), Wh,
                throughNormH.dx());
        Gradients grads = products.parameters()
                .accumulate("b", CellSteps.biasGradient(da))
                .accumulateAll("normX", throughNormX.parameters())
                .accumulateAll("normH", throughNormH.parameters())
                .accumulateAll("normC", throughNormC.parameters());
        return new StepGradients(products.dx(), new State(products.dhPrev(), dcPrev), grads);
    }

    /**
     * @param batchSize N, positive
     * @return h = 0 and c = 0, each (N, H)
     */
    @Override
    public State zeroState(long batchSize) {
        return zeros("LayerNormLstmCell.zeroState", batchSize, true);
    }

    /**
     * @return Wx (D, 4H), Wh (H, 4H), b (1, 4H), normX.gamma, normX.beta, normH.gamma, normH.beta (each (1, 4H)),
     *     normC.gamma, normC.beta (each (1, H))
     */
    @Override
    public Parameters parameters() {
        return parameters;
    }

    @Override
    public String toString() {
        return describe("LayerNormLstmCell", "");
    }
}

package unrolled.family;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import unrolled.cell.CellSizes;
import unrolled.cell.State;
import unrolled.cell.StepGradients;
import unrolled.param.Gradients;
import unrolled.param.Init;
import unrolled.tensor.Shapes;
import unrolled.tensor.Slices;

/**
 * One step of a variational recurrent network (after Chung et al., 2015, "A Recurrent Latent Variable Model for
 * Sequential Data", with a tanh RNN as the recurrence and linear maps in place of their small networks): a random
 * latent vector z_t at every step, so that the model can represent many plausible continuations instead of
 * averaging them.
 *
 * <pre>
 *   prior      p(z_t | h_{t−1}):      [μp | log σp²] = h_{t−1}·Wp + bp                       Wp (H, 2Z)
 *   posterior  q(z_t | x_t, h_{t−1}): [μq | log σq²] = x_t·Wqx + h_{t−1}·Wqh + bq            Wqx (D, 2Z), Wqh (H, 2Z)
 *   sample     z_t = μq + σq ⊙ ε_t,   ε_t ~ N(0, I),  σq = exp(½·log σq²)                     z, ε (N, Z)
 *   decoder    x̂_t = z_t·Wdz + h_{t−1}·Wdh + bd                                                Wdz (Z, D), Wdh (H, D)
 *   recurrence h_t = tanh(x_t·Wx + z_t·Wz + h_{t−1}·Wh + b)                                     Wx (D, H), Wz (Z, H), Wh (H, H)
 *   KL_t = ½ Σ_z [ log σp² − log σq² + (σq² + (μq − μp)²) / σp² − 1 ]                          KL (N, 1)
 * </pre>
 *
 * Training maximises the evidence lower bound, that is minimises Σ_t [ reconstruction loss(x̂_t, x_t) + KL_t ]:
 * reconstruct each step from a code that, by the KL term, stays close to what the prior predicted before seeing
 * x_t. <b>Reparameterisation</b> is what makes the sample differentiable: z is not drawn from N(μq, σq²) directly
 * but built as μq + σq ⊙ ε from a noise ε that does not depend on the parameters, so ∂z/∂μq = 1 and
 * ∂z/∂log σq² = ½·σq ⊙ ε, and ordinary backpropagation reaches the encoder. The noise is an argument, so a
 * forward pass is a deterministic function of it: fix ε and the gradients can be checked by finite differences.
 *
 * <p>The backward pass, with k = ∂L/∂KL broadcast over Z (derivatives of KL_t by its four inputs):
 *
 * <pre>
 *   ∂KL/∂μq = (μq − μp)/σp²        ∂KL/∂log σq² = ½ (σq²/σp² − 1)
 *   ∂KL/∂μp = −(μq − μp)/σp²       ∂KL/∂log σp² = ½ (1 − (σq² + (μq − μp)²)/σp²)
 * </pre>
 *
 * and the affine layers' rules for the rest; h_{t−1} feeds four maps and receives the sum of their gradients.
 * Generation ({@link #generate}) has no x_t: it samples z_t from the prior and feeds the decoded x̂_t back in.
 *
 * <p>Initialisation: every W Xavier-uniform from the seed (Wh orthogonal), biases zero. Parameter names:
 * {@code Wp}, {@code bp}, {@code Wqx}, {@code Wqh}, {@code bq}, {@code Wdz}, {@code Wdh}, {@code bd}, {@code Wx},
 * {@code Wz}, {@code Wh}, {@code b}.
 */
public final class VariationalRnnCell extends CellSizes {

    /**
     * What the forward step keeps for the backward step.
     *
     * @param x x_t, (N, D)
     * @param hPrev h_{t−1}, (N, H)
     * @param noise ε_t, (N, Z)
     * @param z z_t, (N, Z)
     * @param h h_t, (N, H)
     * @param muQ μq, (N, Z)
     * @param sigmaQ σq, (N, Z)
     * @param muP μp, (N, Z)
     * @param logVarP log σp², (N, Z)
     */
    public record Cache(INDArray x, INDArray hPrev, INDArray noise, INDArray z, INDArray h, INDArray muQ,
            INDArray sigmaQ, INDArray muP, INDArray logVarP) {
    }

    /**
     * One forward step.
     *
     * @param h h_t, (N, H)
     * @param reconstruction x̂_t, the decoder's prediction of x_t, (N, D)
     * @param kl KL_t = KL(q(z_t | x_t, h_{t−1}) ‖ p(z_t | h_{t−1})) for each sequence, (N, 1)
     * @param z the sample z_t, (N, Z)
     * @param cache for {@link #backward}
     */
    public record Result(INDArray h, INDArray reconstruction, INDArray kl, INDArray z, Cache cache) {
    }

    /**
     * One generated step.
     *
     * @param h h_t, (N, H)
     * @param x the generated x_t = x̂_t, (N, D)
     * @param z z_t, sampled from the prior, (N, Z)
     */
    public record Generated(INDArray h, INDArray x, INDArray z) {
    }

    private final int latentSize;
    private final INDArray Wp;
    private final INDArray bp;
    private final INDArray Wqx;
    private final INDArray Wqh;
    private final INDArray bq;
    private final INDArray Wdz;
    private final INDArray Wdh;
    private final INDArray bd;
    private final INDArray Wx;
    private final INDArray Wz;
    private final INDArray Wh;
    private final INDArray b;

    /**
     * @param inputSize D, positive
     * @param hiddenSize H, positive
     * @param latentSize Z, positive
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of the weights
     */
    public VariationalRnnCell(int inputSize, int hiddenSize, int latentSize, DataType dataType, long seed) {
        super("VariationalRnnCell", inputSize, hiddenSize, dataType);
        Shapes.requirePositive("VariationalRnnCell", "latentSize", latentSize);
        this.latentSize = latentSize;
        this.Wp = Init.xavierUniform(hiddenSize, 2L * latentSize, seed, dataType);
        this.bp = Nd4j.zeros(dataType, 1, 2L * latentSize);
        this.Wqx = Init.xavierUniform(inputSize, 2L * latentSize, seed + 1, dataType);
        this.Wqh = Init.xavierUniform(hiddenSize, 2L * latentSize, seed + 2, dataType);
        this.bq = Nd4j.zeros(dataType, 1, 2L * latentSize);
        this.Wdz = Init.xavierUniform(latentSize, inputSize, seed + 3, dataType);
        this.Wdh = Init.xavierUniform(hiddenSize, inputSize, seed + 4, dataType);
        this.bd = Nd4j.zeros(dataType, 1, inputSize);
        this.Wx = Init.xavierUniform(inputSize, hiddenSize, seed + 5, dataType);
        this.Wz = Init.xavierUniform(latentSize, hiddenSize, seed + 6, dataType);
        this.Wh = Init.orthogonal(hiddenSize, hiddenSize, 1.0, seed + 7, dataType);
        this.b = Nd4j.zeros(dataType, 1, hiddenSize);
        parameters.add("Wp", Wp).add("bp", bp).add("Wqx", Wqx).add("Wqh", Wqh).add("bq", bq)
                .add("Wdz", Wdz).add("Wdh", Wdh).add("bd", bd).add("Wx", Wx).add("Wz", Wz).add("Wh", Wh).add("b", b);
    }

    /**
     * One training step: encode x_t, sample z_t by reparameterisation, decode, update the state.
     *
     * @param x x_t, (N, D), of the cell's data type
     * @param hPrev h_{t−1}, (N, H)
     * @param noise ε_t ~ N(0, I), (N, Z): drawn by the caller, so a step is a deterministic function of it
     * @return h_t, x̂_t, KL_t, z_t and the cache for {@link #backward}
     */
    public Result forward(INDArray x, INDArray hPrev, INDArray noise) {
        String method = "VariationalRnnCell.forward";
        long n = x == null ? Shapes.ANY : x.size(0);
        Shapes.require(method, "x", x, "(N, D)", dataType, n, inputSize);
        Shapes.require(method, "hPrev", hPrev, "(N, H)", dataType, n, hiddenSize);
        Shapes.require(method, "noise", noise, "(N, Z)", dataType, n, latentSize);

        // prior: [μp | log σp²] = h_{t−1}·Wp + bp
        INDArray prior = hPrev.mmul(Wp).addiRowVector(bp);
        INDArray muP = firstHalf(prior);
        INDArray logVarP = secondHalf(prior);
        // posterior: [μq | log σq²] = x_t·Wqx + h_{t−1}·Wqh + bq
        INDArray posterior = x.mmul(Wqx).addi(hPrev.mmul(Wqh)).addiRowVector(bq);
        INDArray muQ = firstHalf(posterior);
        INDArray logVarQ = secondHalf(posterior);
        // reparameterisation: z_t = μq + σq ⊙ ε,  σq = exp(½·log σq²)
        INDArray sigmaQ = Transforms.exp(logVarQ.mul(0.5), false);
        INDArray z = muQ.add(sigmaQ.mul(noise));
        // decoder: x̂_t = z_t·Wdz + h_{t−1}·Wdh + bd
        INDArray reconstruction = z.mmul(Wdz).addi(hPrev.mmul(Wdh)).addiRowVector(bd);
        // recurrence: h_t = tanh(x_t·Wx + z_t·Wz + h_{t−1}·Wh + b)
        INDArray h = Transforms.tanh(x.mmul(Wx).addi(z.mmul(Wz)).addi(hPrev.mmul(Wh)).addiRowVector(b), false);
        // KL_t = ½ Σ_z [log σp² − log σq² + (σq² + (μq − μp)²)/σp² − 1]
        INDArray varQ = sigmaQ.mul(sigmaQ);
        INDArray varP = Transforms.exp(logVarP, true);
        INDArray diff = muQ.sub(muP);
        INDArray kl = logVarP.sub(logVarQ).addi(varQ.add(diff.mul(diff)).divi(varP)).subi(1.0).muli(0.5).sum(true, 1);
        return new Result(h, reconstruction, kl, z, new Cache(x, hPrev, noise, z, h, muQ, sigmaQ, muP, logVarP));
    }

    /**
     * One backward step.
     *
     * @param dh ∂L/∂h_t, (N, H): what flows back from later steps and from anything reading h_t
     * @param dReconstruction ∂L/∂x̂_t, (N, D): from the reconstruction loss
     * @param dKl ∂L/∂KL_t, (N, 1): the weight of each sequence's KL term in the loss (β, or β/N for a mean)
     * @param cache from {@link #forward}
     * @return ∂L/∂x_t (N, D), ∂L/∂h_{t−1} (N, H) as the previous state's gradient, and every parameter's gradient
     *     under its name (the noise gets none: it is not a function of anything)
     */
    public StepGradients backward(INDArray dh, INDArray dReconstruction, INDArray dKl, Cache cache) {
        String method = "VariationalRnnCell.backward";
        Objects.requireNonNull(cache, method + ": cache must not be null");
        long n = cache.x().size(0);
        Shapes.require(method, "dh", dh, "(N, H)", dataType, n, hiddenSize);
        Shapes.require(method, "dReconstruction", dReconstruction, "(N, D)", dataType, n, inputSize);
        Shapes.require(method, "dKl", dKl, "(N, 1)", dataType, n, 1);
        INDArray x = cache.x();
        INDArray hPrev = cache.hPrev();
        INDArray z = cache.z();
        Gradients grads = new Gradients();

        // recurrence: da = dh ⊙ (1 − h_t²)
        INDArray da = dh.mul(cache.h().mul(cache.h()).rsubi(1.0));
        grads.accumulate("Wx", x.transpose().mmul(da)).accumulate("Wz", z.transpose().mmul(da))
                .accumulate("Wh", hPrev.transpose().mmul(da)).accumulate("b", da.sum(true, 0));
        INDArray dx = da.mmul(Wx.transpose());
        INDArray dz = da.mmul(Wz.transpose());
        INDArray dhPrev = da.mmul(Wh.transpose());
        // decoder: dWdz = zᵀ·dx̂,  dWdh = h_{t−1}ᵀ·dx̂,  dbd = Σ dx̂
        grads.accumulate("Wdz", z.transpose().mmul(dReconstruction))
                .accumulate("Wdh", hPrev.transpose().mmul(dReconstruction))
                .accumulate("bd", dReconstruction.sum(true, 0));
        dz.addi(dReconstruction.mmul(Wdz.transpose()));
        dhPrev.addi(dReconstruction.mmul(Wdh.transpose()));
        // reparameterisation: ∂z/∂μq = 1,  ∂z/∂log σq² = ½·σq ⊙ ε
        INDArray dMuQ = dz.dup();
        INDArray dLogVarQ = dz.mul(cache.sigmaQ()).muli(cache.noise()).muli(0.5);
        // KL, with k = ∂L/∂KL broadcast over Z
        INDArray varQ = cache.sigmaQ().mul(cache.sigmaQ());
        INDArray varP = Transforms.exp(cache.logVarP(), true);
        INDArray diffOverVarP = cache.muQ().sub(cache.muP()).divi(varP);
        dMuQ.addi(diffOverVarP.mulColumnVector(dKl));
        INDArray dMuP = diffOverVarP.neg().muliColumnVector(dKl);
        dLogVarQ.addi(varQ.div(varP).subi(1.0).muli(0.5).muliColumnVector(dKl));
        INDArray diff = cache.muQ().sub(cache.muP());
        INDArray dLogVarP = varQ.add(diff.mul(diff)).divi(varP).rsubi(1.0).muli(0.5).muliColumnVector(dKl);
        // posterior: dq = [dμq | d log σq²];  dWqx = xᵀ·dq,  dWqh = h_{t−1}ᵀ·dq,  dbq = Σ dq
        INDArray dq = Nd4j.hstack(dMuQ, dLogVarQ);
        grads.accumulate("Wqx", x.transpose().mmul(dq)).accumulate("Wqh", hPrev.transpose().mmul(dq))
                .accumulate("bq", dq.sum(true, 0));
        dx.addi(dq.mmul(Wqx.transpose()));
        dhPrev.addi(dq.mmul(Wqh.transpose()));
        // prior: dp = [dμp | d log σp²];  dWp = h_{t−1}ᵀ·dp,  dbp = Σ dp
        INDArray dp = Nd4j.hstack(dMuP, dLogVarP);
        grads.accumulate("Wp", hPrev.transpose().mmul(dp)).accumulate("bp", dp.sum(true, 0));
        dhPrev.addi(dp.mmul(Wp.transpose()));
        return new StepGradients(dx, State.of(dhPrev), grads);
    }

    /**
     * One generation step: z_t from the prior, x_t = x̂_t decoded from it, and the state updated with both.
     *
     * @param hPrev h_{t−1}, (N, H), of the cell's data type
     * @param noise ε_t ~ N(0, I), (N, Z)
     * @return h_t, the generated x_t and z_t = μp + σp ⊙ ε
     */
    public Generated generate(INDArray hPrev, INDArray noise) {
        String method = "VariationalRnnCell.generate";
        long n = hPrev == null ? Shapes.ANY : hPrev.size(0);
        Shapes.require(method, "hPrev", hPrev, "(N, H)", dataType, n, hiddenSize);
        Shapes.require(method, "noise", noise, "(N, Z)", dataType, n, latentSize);

        // z_t = μp + σp ⊙ ε from the prior [μp | log σp²] = h_{t−1}·Wp + bp
        INDArray prior = hPrev.mmul(Wp).addiRowVector(bp);
        INDArray z = firstHalf(prior).addi(Transforms.exp(secondHalf(prior).muli(0.5), false).muli(noise));
        // x_t = x̂_t = z_t·Wdz + h_{t−1}·Wdh + bd
        INDArray x = z.mmul(Wdz).addi(hPrev.mmul(Wdh)).addiRowVector(bd);
        // h_t = tanh(x_t·Wx + z_t·Wz + h_{t−1}·Wh + b)
        INDArray h = Transforms.tanh(x.mmul(Wx).addi(z.mmul(Wz)).addi(hPrev.mmul(Wh)).addiRowVector(b), false);
        return new Generated(h, x, z);
    }

    /**
     * @param batchSize N, positive
     * @return h_{−1} = 0, (N, H)
     */
    public INDArray zeroState(long batchSize) {
        Shapes.requirePositive("VariationalRnnCell.zeroState", "batchSize", batchSize);
        return Nd4j.zeros(dataType, batchSize, hiddenSize);
    }

    private INDArray firstHalf(INDArray both) {
        return Slices.columns(both, 0, latentSize).dup();
    }

    private INDArray secondHalf(INDArray both) {
        return Slices.columns(both, latentSize, 2L * latentSize).dup();
    }

    /** @return Z, the size of the latent z_t */
    public int latentSize() {
        return latentSize;
    }

    @Override
    public String toString() {
        return describe("VariationalRnnCell", "Z=" + latentSize);
    }
}

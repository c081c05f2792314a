package unrolled.family;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.cell.State;
import unrolled.cell.StepGradients;
import unrolled.param.Gradients;
import unrolled.param.Trainable;
import unrolled.param.Parameters;
import unrolled.recurrent.SequenceGradients;
import unrolled.tensor.Shapes;
import unrolled.tensor.Slices;

/**
 * A {@link VariationalRnnCell} unrolled over whole sequences, from h_{−1} = 0, with backpropagation through time:
 *
 * <pre>
 *   for t = 0 … T−1:  (h_t, x̂_t, KL_t) = cell(x_t, h_{t−1}, ε_t)        x, x̂ (N, T, D), ε (N, T, Z), KL (N, T)
 *   loss, for example:  Σ_t ‖x̂_t − x_t‖² / 2 + β·Σ_t KL_t              (the negative evidence lower bound for β = 1)
 * </pre>
 *
 * The backward pass walks t = T−1 … 0 carrying ∂L/∂h_t, exactly as for any recurrent layer, and sums the shared
 * weights' gradients over the steps. The noise ε is an argument ({@link #noise} draws it from a seed), so a training
 * step is reproducible and the gradients can be checked with the noise held fixed. {@link #generate} runs the cell
 * with no input at all, sampling each z_t from the learned prior and feeding the decoded x̂_t back in.
 *
 * <p>Parameters: the cell's, under the same names.
 */
public final class VariationalRnn implements Trainable {

    /**
     * What the forward pass keeps for the backward pass.
     *
     * @param steps the cell's cache for t = 0 … T−1
     */
    public record Cache(List<VariationalRnnCell.Cache> steps) {
    }

    /**
     * The forward result.
     *
     * @param hidden h_0 … h_{T−1}, (N, T, H)
     * @param reconstructions x̂_0 … x̂_{T−1}, (N, T, D)
     * @param kl KL_t for every sequence and step, (N, T)
     * @param cache for {@link #backward}
     */
    public record Result(INDArray hidden, INDArray reconstructions, INDArray kl, Cache cache) {
    }

    private final VariationalRnnCell cell;

    /**
     * @param cell the step to unroll, not null; its parameters are the layer's
     */
    public VariationalRnn(VariationalRnnCell cell) {
        this.cell = Objects.requireNonNull(cell, "VariationalRnn: cell must not be null");
    }

    /**
     * Standard normal noise for a forward or generation pass, from a seed.
     *
     * @param batchSize N, positive
     * @param steps T, positive
     * @param random the generator, not null (seeded by the caller)
     * @return ε, (N, T, Z), of the cell's data type
     */
    public INDArray noise(long batchSize, long steps, Random random) {
        Shapes.requirePositive("VariationalRnn.noise", "batchSize", batchSize);
        Shapes.requirePositive("VariationalRnn.noise", "steps", steps);
        Objects.requireNonNull(random, "VariationalRnn.noise: random must not be null");
        double[] values = new double[Math.toIntExact(batchSize * steps * cell.latentSize())];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
        }
        return Nd4j.createFromArray(values).reshape('c', batchSize, steps, cell.latentSize()).castTo(cell.dataType());
    }

    /**
     * @param x the sequences, (N, T, D), of the cell's data type
     * @param noise ε, (N, T, Z)
     * @return the hidden states, the reconstructions, the KL terms and the cache for {@link #backward}
     */
    public Result forward(INDArray x, INDArray noise) {
        String method = "VariationalRnn.forward";
        Shapes.require(method, "x", x, "(N, T, D)", cell.dataType(), Shapes.ANY, Shapes.ANY, cell.inputSize());
        long n = x.size(0);
        long steps = x.size(1);
        Shapes.require(method, "noise", noise, "(N, T, Z)", cell.dataType(), n, steps, cell.latentSize());

        INDArray hidden = Nd4j.zeros(cell.dataType(), n, steps, cell.hiddenSize());
        INDArray reconstructions = Nd4j.zeros(cell.dataType(), n, steps, cell.inputSize());
        INDArray kl = Nd4j.zeros(cell.dataType(), n, steps);
        List<VariationalRnnCell.Cache> caches = new ArrayList<>();
        INDArray h = cell.zeroState(n);
        for (long t = 0; t < steps; t++) {
            // (h_t, x̂_t, KL_t) = cell(x_t, h_{t−1}, ε_t)
            VariationalRnnCell.Result step = cell.forward(at(x, t), h, at(noise, t));
            h = step.h();
            Slices.step(hidden, t).assign(h);
            Slices.step(reconstructions, t).assign(step.reconstruction());
            kl.get(NDArrayIndex.all(), NDArrayIndex.point(t)).assign(step.kl().reshape(n));
            caches.add(step.cache());
        }
        return new Result(hidden, reconstructions, kl, new Cache(List.copyOf(caches)));
    }

    /**
     * Backpropagation through time.
     *
     * @param dHidden ∂L/∂h_t from anything reading the hidden states, (N, T, H); null if nothing does
     * @param dReconstructions ∂L/∂x̂, (N, T, D)
     * @param dKl ∂L/∂KL, (N, T): the weight of each KL term in the loss
     * @param cache from {@link #forward}
     * @return dx (N, T, D), ∂L/∂h_{−1} (N, H), every parameter's gradient summed over the steps, and ∂L/∂h_t for
     *     every t
     */
    public SequenceGradients backward(INDArray dHidden, INDArray dReconstructions, INDArray dKl, Cache cache) {
        String method = "VariationalRnn.backward";
        Objects.requireNonNull(cache, method + ": cache must not be null");
        int steps = cache.steps().size();
        long n = cache.steps().get(0).x().size(0);
        DataType type = cell.dataType();
        if (dHidden != null) {
            Shapes.require(method, "dHidden", dHidden, "(N, T, H)", type, n, steps, cell.hiddenSize());
        }
        Shapes.require(method, "dReconstructions", dReconstructions, "(N, T, D)", type, n, steps, cell.inputSize());
        Shapes.require(method, "dKl", dKl, "(N, T)", type, n, steps);

        INDArray dx = Nd4j.zeros(type, n, steps, cell.inputSize());
        Gradients gradients = new Gradients();
        State[] dStates = new State[steps];
        // g = ∂L/∂h_t arriving from step t + 1; zero after the last step
        INDArray g = Nd4j.zeros(type, n, cell.hiddenSize());
        for (int t = steps - 1; t >= 0; t--) {
            INDArray dh = dHidden == null ? g : g.add(at(dHidden, t));
            dStates[t] = State.of(dh);
            StepGradients step = cell.backward(dh, at(dReconstructions, t),
                    dKl.get(NDArrayIndex.all(), NDArrayIndex.point(t)).dup().reshape(n, 1), cache.steps().get(t));
            // ∂L/∂θ = Σ_t ∂θ_t
            for (Map.Entry<String, INDArray> entry : step.parameters()) {
                gradients.accumulate(entry.getKey(), entry.getValue());
            }
            Slices.step(dx, t).assign(step.dx());
            g = step.dPrevious().h();
        }
        return new SequenceGradients(dx, State.of(g), gradients, List.of(dStates));
    }

    /**
     * Generates sequences with no input: z_t from the prior, x_t = x̂_t fed back in.
     *
     * @param noise ε, (N, T, Z), of the cell's data type
     * @return the generated x, (N, T, D)
     */
    public INDArray generate(INDArray noise) {
        Shapes.require("VariationalRnn.generate", "noise", noise, "(N, T, Z)", cell.dataType(),
                Shapes.ANY, Shapes.ANY, cell.latentSize());
        long n = noise.size(0);
        long steps = noise.size(1);
        INDArray generated = Nd4j.zeros(cell.dataType(), n, steps, cell.inputSize());
        INDArray h = cell.zeroState(n);
        for (long t = 0; t < steps; t++) {
            VariationalRnnCell.Generated step = cell.generate(h, at(noise, t));
            h = step.h();
            Slices.step(generated, t).assign(step.x());
        }
        return generated;
    }

    private static INDArray at(INDArray sequence, long t) {
        return Slices.step(sequence, t).dup();
    }

    @Override
    public Parameters parameters() {
        return cell.parameters();
    }

    /** @return the unrolled step */
    public VariationalRnnCell cell() {
        return cell;
    }

    @Override
    public String toString() {
        return "VariationalRnn(" + cell + ")";
    }
}

package unrolled.layer;

import java.util.Objects;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.tensor.ShapeException;
import unrolled.tensor.Shapes;

/**
 * Inverted dropout: during training each unit is kept with probability 1 − p and scaled by 1/(1 − p), so the
 * expected activation is unchanged and nothing needs rescaling at evaluation time.
 *
 * <pre>
 *   y = x ⊙ m / (1 − p),   m ~ Bernoulli(1 − p)      ∂L/∂x = ∂L/∂y ⊙ m / (1 − p)
 * </pre>
 *
 * <p>{@link Mode#STANDARD} draws a new mask for every entry. {@link Mode#VARIATIONAL} (Gal &amp; Ghahramani) draws
 * one mask per sequence and feature and reuses it at every time step of an (N, T, D) input: the same units are
 * dropped throughout a sequence, which regularises recurrent networks without destroying their memory.
 * The masks come from a seeded generator, so a run is reproducible.
 */
public final class Dropout {

    /** How the mask varies over time. */
    public enum Mode {
        /** A fresh mask for every entry. */
        STANDARD,
        /** One mask per (sequence, feature), shared by all time steps of an (N, T, D) input. */
        VARIATIONAL
    }

    /**
     * What the forward pass keeps for the backward pass.
     *
     * @param scaledMask m / (1 − p), same shape as the input; null when nothing was dropped (evaluation, p = 0)
     */
    public record Cache(INDArray scaledMask) {
    }

    /**
     * The forward result.
     *
     * @param output y, same shape as the input
     * @param cache for {@link #backward}
     */
    public record Result(INDArray output, Cache cache) {
    }

    private final double rate;
    private final Mode mode;
    private final Random random;

    /**
     * @param rate p, the probability of dropping a unit, in [0, 1)
     * @param mode STANDARD or VARIATIONAL
     * @param seed the seed of the masks
     */
    public Dropout(double rate, Mode mode, long seed) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("Dropout: rate must be in [0, 1), but is " + rate + ".");
        }
        this.rate = rate;
        this.mode = Objects.requireNonNull(mode, "Dropout: mode must not be null");
        this.random = new Random(seed);
    }

    /**
     * @param x the input: any shape for STANDARD, (N, T, D) for VARIATIONAL
     * @param training true to drop units; false (evaluation) returns x unchanged
     * @return the output and the cache for {@link #backward}
     */
    public Result forward(INDArray x, boolean training) {
        Objects.requireNonNull(x, "Dropout.forward: x must not be null");
        if (mode == Mode.VARIATIONAL && x.rank() != 3) {
            throw new ShapeException("Dropout.forward: x must have shape (N, T, D) for variational dropout, "
                    + "but has shape " + Shapes.of(x) + ".");
        }
        if (!training || rate == 0) {
            return new Result(x, new Cache(null));
        }
        INDArray mask;
        if (mode == Mode.STANDARD) {
            mask = draw(x.shape(), x);
        } else {
            long n = x.size(0);
            long t = x.size(1);
            long d = x.size(2);
            INDArray perSequence = draw(new long[] {n, 1, d}, x);
            mask = Nd4j.createUninitialized(x.dataType(), n, t, d);
            for (long step = 0; step < t; step++) {
                mask.get(NDArrayIndex.all(), NDArrayIndex.interval(step, step + 1),
                        NDArrayIndex.all()).assign(perSequence);
            }
        }
        // y = x ⊙ m / (1 − p)
        return new Result(x.mul(mask), new Cache(mask));
    }

    /**
     * @param dy ∂L/∂y, same shape as the forward input
     * @param cache from {@link #forward}
     * @return ∂L/∂x = ∂L/∂y ⊙ m / (1 − p)
     */
    public INDArray backward(INDArray dy, Cache cache) {
        Objects.requireNonNull(dy, "Dropout.backward: dy must not be null");
        Objects.requireNonNull(cache, "Dropout.backward: cache must not be null");
        if (cache.scaledMask() == null) {
            return dy;
        }
        Shapes.require("Dropout.backward", "dy", dy, "(same as x)", cache.scaledMask().shape());
        return dy.mul(cache.scaledMask());
    }

    /** @return p, the drop probability */
    public double rate() {
        return rate;
    }

    /** @return STANDARD or VARIATIONAL */
    public Mode mode() {
        return mode;
    }

    private INDArray draw(long[] shape, INDArray like) {
        long length = 1;
        for (long s : shape) {
            length *= s;
        }
        double keep = 1 - rate;
        double[] values = new double[Math.toIntExact(length)];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextDouble() < keep ? 1 / keep : 0;
        }
        return Nd4j.createFromArray(values).reshape('c', shape).castTo(like.dataType());
    }
}

package unrolled.fast;

import static unrolled.fast.VectorMath.LANES;
import static unrolled.fast.VectorMath.SPECIES;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The attention softmax of {@link FastEncoderBlock} and its gradient, and the softmax cross-entropy of
 * {@link ReadoutLoss}, one row at a time, on the vector units (FLOAT only). Each row is copied into a padded array, computed a whole vector at a time (e^x by
 * {@link VectorActivations}, sums added in lane order, so every run gives the same bits) and copied back. Loaded only
 * when {@link Simd} has found the {@code jdk.incubator.vector} module; one instance per block, as its rows are the
 * block's scratch (and one per lane of a readout).
 */
final class VectorSoftmaxRows {
    private float[] scores = new float[0];
    private float[] gradient = new float[0];
    /** The lanes of a vector of partial sums, added up in order by {@link VectorMath#sum}. */
    private final float[] lanes = new float[LANES];

    /** Makes the row arrays hold at least width values, padded to whole vectors. */
    private void fit(int width) {
        if (scores.length < width) {
            scores = VectorMath.row(width);
            gradient = VectorMath.row(width);
        }
    }

    /** @return allowed rounded up to a whole number of vectors */
    private static int padded(int allowed) {
        return (allowed + LANES - 1) / LANES * LANES;
    }

    /**
     * α_j = exp(S_j − max S) / Σ_k exp(S_k − max S) over the first {@code allowed} scores of a row of {@code width},
     * written over them; α_j = 0 for the rest (all zero when nothing is allowed).
     */
    void forward(Slab.Floats row, int at, int width, int allowed) {
        if (allowed > 0) {
            fit(width);
            float[] s = scores;
            int end = padded(allowed);
            row.read(at, s, allowed);
            // the padding takes part as −∞: it does not change the maximum, and its e^(−∞ − max) is 0
            Arrays.fill(s, allowed, end, Float.NEGATIVE_INFINITY);
            shiftedExp(s, end);
            float inverseSum = 1f / sum(s, end);
            for (int j = 0; j < end; j += LANES) {
                FloatVector.fromArray(SPECIES, s, j).mul(inverseSum).intoArray(s, j);
            }
            row.write(at, s, allowed);
        }
        row.fill(at + allowed, width - allowed, 0.0);
    }

    /** dS_j = α_j (dα_j − Σ_k α_k dα_k), written over dα's row; zero where α is. */
    void backward(Slab.Floats alpha, int at, Slab.Floats dScores, int dAt, int width, int allowed) {
        if (allowed > 0) {
            fit(width);
            float[] a = scores;
            float[] g = gradient;
            int end = padded(allowed);
            alpha.read(at, a, allowed);
            dScores.read(dAt, g, allowed);
            // zero padding adds nothing to the inner product
            Arrays.fill(a, allowed, end, 0f);
            Arrays.fill(g, allowed, end, 0f);
            FloatVector products = FloatVector.zero(SPECIES);
            for (int j = 0; j < end; j += LANES) {
                products = FloatVector.fromArray(SPECIES, a, j).fma(FloatVector.fromArray(SPECIES, g, j), products);
            }
            products.intoArray(lanes, 0);
            float inner = VectorMath.sum(lanes);
            for (int j = 0; j < end; j += LANES) {
                FloatVector.fromArray(SPECIES, a, j).mul(FloatVector.fromArray(SPECIES, g, j).sub(inner)).intoArray(g, j);
            }
            dScores.write(dAt, g, allowed);
        }
        dScores.fill(dAt + allowed, width - allowed, 0.0);
    }

    /**
     * The softmax cross-entropy of one row of logits z with target y, for {@link ReadoutLoss}: returns
     * ℓ = log Σ exp(z − max z) − (z_y − max z), writes dz = share · (p − onehot(y)) over the row and adds dz to
     * {@code columnSums} (padded to whole vectors).
     *
     * <pre>
     *   p = softmax(z) = exp(z − max z) / Σ exp(z − max z)
     * </pre>
     */
    double crossEntropy(Slab.Floats row, int at, int width, int target, double share, float[] columnSums) {
        fit(width);
        float[] s = scores;
        int end = padded(width);
        row.read(at, s, width);
        Arrays.fill(s, width, end, Float.NEGATIVE_INFINITY);
        float targetLogit = s[target];
        float shiftedTarget = targetLogit - shiftedExp(s, end);
        float sumExp = sum(s, end);
        // dz = share · exp(z − max z) / Σ exp(z − max z), then − share at the target; the padding's e^−∞ is 0
        float scale = (float) (share / sumExp);
        for (int j = 0; j < end; j += LANES) {
            FloatVector dz = FloatVector.fromArray(SPECIES, s, j).mul(scale);
            dz.intoArray(s, j);
        }
        s[target] -= (float) share;
        for (int j = 0; j < end; j += LANES) {
            FloatVector.fromArray(SPECIES, columnSums, j).add(FloatVector.fromArray(SPECIES, s, j)).intoArray(columnSums, j);
        }
        row.write(at, s, width);
        return Math.log(sumExp) - shiftedTarget;
    }

    /**
     * s_j = exp(s_j − max s) over [0, end), in place; padding of −∞ becomes 0.
     *
     * @return max s
     */
    private static float shiftedExp(float[] s, int end) {
        FloatVector highest = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < end; j += LANES) {
            highest = highest.max(FloatVector.fromArray(SPECIES, s, j));
        }
        float max = highest.reduceLanes(VectorOperators.MAX);
        for (int j = 0; j < end; j += LANES) {
            FloatVector.fromArray(SPECIES, s, j).sub(max).intoArray(s, j);
        }
        VectorActivations.exp(s, 0, s, 0, end);
        return max;
    }

    /** @return Σ s_j over [0, end), whole vectors added, then their lanes in order (the same bits every run) */
    private float sum(float[] s, int end) {
        FloatVector total = FloatVector.zero(SPECIES);
        for (int j = 0; j < end; j += LANES) {
            total = total.add(FloatVector.fromArray(SPECIES, s, j));
        }
        total.intoArray(lanes, 0);
        return VectorMath.sum(lanes);
    }
}

package unrolled.fast;

import static unrolled.fast.VectorMath.LANES;
import static unrolled.fast.VectorMath.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The residual sum and layer norm of {@link FastEncoderBlock}'s forward pass, one row of D at a time, on the vector
 * units (FLOAT only): each row is copied into padded arrays, normalised a whole vector at a time and copied back.
 * Loaded only when {@link Simd} has found the {@code jdk.incubator.vector} module; one instance per block, as its rows
 * are the block's scratch.
 */
final class VectorLayerNormRows {
    private final int width;
    private final float[] a;
    private final float[] b;
    private final float[] gamma;
    private final float[] beta;
    private final float[] hat;
    /** The lanes of a vector of partial sums, added up in order by {@link VectorMath#sum}. */
    private final float[] lanes = new float[LANES];

    /** @param width D, the values a row holds */
    VectorLayerNormRows(int width) {
        this.width = width;
        this.a = VectorMath.row(width);
        this.b = VectorMath.row(width);
        this.gamma = VectorMath.row(width);
        this.beta = VectorMath.row(width);
        this.hat = VectorMath.row(width);
    }

    /**
     * Per row r of R: z = a_r + b_r, μ = mean z, σ² = mean (z − μ)², s = 1/√(σ² + ε), x̂ = (z − μ)·s,
     * out = γ ⊙ x̂ + β; x̂ and s are kept for the backward pass.
     */
    void forward(Slab.Floats aRows, Slab.Floats bRows, int rows, Slab.Floats gammaRow, Slab.Floats betaRow,
            double epsilon, Slab.Floats xHat, Slab.Floats inverseStd, Slab.Floats out) {
        int D = width;
        gammaRow.read(0, gamma, D);
        betaRow.read(0, beta, D);
        for (int r = 0; r < rows; r++) {
            int at = r * D;
            aRows.read(at, a, D);
            bRows.read(at, b, D);
            // the padding of a and b holds whatever the last row left there: the masks keep it out of μ and σ²
            FloatVector sums = FloatVector.zero(SPECIES);
            for (int j = 0; j < D; j += LANES) {
                VectorMask<Float> real = SPECIES.indexInRange(j, D);
                FloatVector z = FloatVector.fromArray(SPECIES, a, j).add(FloatVector.fromArray(SPECIES, b, j));
                z.intoArray(a, j);
                sums = sums.add(z, real);
            }
            sums.intoArray(lanes, 0);
            float mu = VectorMath.sum(lanes) / D;
            FloatVector squares = FloatVector.zero(SPECIES);
            for (int j = 0; j < D; j += LANES) {
                VectorMask<Float> real = SPECIES.indexInRange(j, D);
                FloatVector centred = FloatVector.fromArray(SPECIES, a, j).sub(mu);
                centred.intoArray(a, j);
                squares = squares.add(centred.mul(centred), real);
            }
            squares.intoArray(lanes, 0);
            float s = (float) (1.0 / Math.sqrt(VectorMath.sum(lanes) / D + epsilon));
            inverseStd.set(r, s);
            for (int j = 0; j < D; j += LANES) {
                FloatVector xh = FloatVector.fromArray(SPECIES, a, j).mul(s);
                xh.intoArray(hat, j);
                FloatVector.fromArray(SPECIES, gamma, j).fma(xh, FloatVector.fromArray(SPECIES, beta, j)).intoArray(b, j);
            }
            xHat.write(at, hat, D);
            out.write(at, b, D);
        }
    }
}

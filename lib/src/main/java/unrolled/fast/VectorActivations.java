package unrolled.fast;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * e^x, σ(x) and tanh(x) over arrays, a whole vector at a time, from additions, multiplications, one division and bit
 * moves only, so that they give the same bits on every run.
 *
 * <p>Why not the Vector API's own {@code lanewise(EXP)} and {@code lanewise(TANH)}: once the JIT compiles a loop they
 * run Intel's short-vector maths library, before that a Java loop over {@code Math.exp}; the two differ in the last
 * bit. A training run starts before the compiler has caught up, so the same seed gave different weights from one
 * JVM to the next, and a plateau that one run escaped another did not. Addition, multiplication, fused
 * multiply-add, division and integer shifts are exactly rounded by IEEE 754 in both modes, so these functions are
 * bit-for-bit reproducible, and agree with {@link Math#exp} and {@link Math#tanh} to a few units in the last place
 * (measured by the tests).
 *
 * <p>The method, for both widths:
 * <pre>
 *   e^x = 2^k · e^r,   k = round(x / ln 2),   r = x − k · ln 2 ∈ [−ln 2 / 2, ln 2 / 2]
 * </pre>
 * with e^r from its Taylor series (degree 7 for float, 13 for double: the first term left out is below the format's
 * rounding), 2^k written straight into the exponent bits, and ln 2 in two parts so that r keeps full precision. Then
 * σ(x) = 1 / (1 + e^{−x}), and tanh |x| = (1 − e) / (1 + e) with e = e^{−2|x|}, except near 0 where that difference
 * cancels and the odd series x − x³/3 + 2x⁵/15 − … is used.
 *
 * <p>Why array passes, and only e^x written out: a kernel's loop body holding several activations on vectors is more
 * than JDK 17's compiler inlines, and a vector handed to a call that is not inlined becomes a heap object (the
 * allocation tests measured 1–2 kB per row). No method here takes or returns a vector, so however the compiler
 * inlines them nothing is boxed; σ and tanh are passes around the one e^x pass.
 */
final class VectorActivations {

    // --- float ------------------------------------------------------------------------------------------------------
    private static final float LOG2E_F = 1.44269504088896341f;
    /** 1.5 · 2^23: adding it rounds a float of magnitude below 2^22 to an integer, left in the low mantissa bits. */
    private static final float ROUND_F = 12582912f;
    private static final float LN2_HIGH_F = 0.693359375f;
    private static final float LN2_LOW_F = -2.12194440e-4f;
    /** Below this e^x is under the smallest normal float: the result is 0. Above the upper bound it is ∞. */
    private static final float LOWEST_F = -87f;
    private static final float HIGHEST_F = 88f;
    /** Below this |x| tanh takes its series (the next term is 10⁻⁸ of x there). */
    private static final float TANH_SERIES_BELOW_F = 0.25f;

    // --- double -----------------------------------------------------------------------------------------------------
    /** The double vector the encoder–decoder's passes use: the CPU's widest. */
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final double LOG2E = 1.4426950408889634;
    /** 1.5 · 2^52, as {@link #ROUND_F} for doubles. */
    private static final double ROUND = 6755399441055744.0;
    private static final double LN2_HIGH = 6.93147180369123816490e-01;
    private static final double LN2_LOW = 1.90821492927058770002e-10;
    private static final double LOWEST = -708;
    private static final double HIGHEST = 709;
    private static final double TANH_SERIES_BELOW = 0.125;

    /** tanh's scratch for e^{−2|x|}, one per thread (the kernels' lanes run on several), grown as needed. */
    private static final ThreadLocal<float[]> FLOAT_SCRATCH = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<double[]> DOUBLE_SCRATCH = ThreadLocal.withInitial(() -> new double[0]);

    private VectorActivations() {
    }

    /**
     * to[t + j] = e^{from[f + j]} for j in [0, count): 0 below −87, ∞ above 88, NaN for NaN. In place when from is to
     * and f = t.
     *
     * @param count a multiple of {@link VectorMath#LANES}, or the arrays padded to one
     */
    static void exp(float[] from, int f, float[] to, int t, int count) {
        for (int j = 0; j < count; j += VectorMath.LANES) {
            FloatVector x = FloatVector.fromArray(VectorMath.SPECIES, from, f + j);
            FloatVector clamped = x.lanewise(VectorOperators.MAX, LOWEST_F).lanewise(VectorOperators.MIN, HIGHEST_F);
            // k = round(x / ln 2), held as ROUND + k
            FloatVector shifted = clamped.mul(LOG2E_F).add(ROUND_F);
            FloatVector k = shifted.sub(ROUND_F);
            // r = x − k · ln 2
            FloatVector r = k.fma(k.broadcast(-LN2_HIGH_F), clamped);
            r = k.fma(k.broadcast(-LN2_LOW_F), r);
            // e^r = 1 + r + r²/2! + … + r⁷/7!, by Horner's rule
            FloatVector p = r.broadcast(1f / 5040).fma(r, r.broadcast(1f / 720)).fma(r, r.broadcast(1f / 120))
                    .fma(r, r.broadcast(1f / 24)).fma(r, r.broadcast(1f / 6)).fma(r, r.broadcast(1f / 2))
                    .fma(r, r.broadcast(1f)).fma(r, r.broadcast(1f));
            // 2^k: k + 127 in the exponent field
            FloatVector twoToK = shifted.reinterpretAsInts().add(127).lanewise(VectorOperators.LSHL, 23)
                    .reinterpretAsFloats();
            p.mul(twoToK).blend(0f, x.compare(VectorOperators.LT, LOWEST_F))
                    .blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, HIGHEST_F)).intoArray(to, t + j);
        }
    }

    /** to[t + j] = σ(from[f + j]) = 1 / (1 + e^{−from[f + j]}): as {@link #exp(float[], int, float[], int, int)}. */
    static void sigmoid(float[] from, int f, float[] to, int t, int count) {
        int lanes = VectorMath.LANES;
        for (int j = 0; j < count; j += lanes) {
            FloatVector.fromArray(VectorMath.SPECIES, from, f + j).neg().intoArray(to, t + j);
        }
        exp(to, t, to, t, count);
        for (int j = 0; j < count; j += lanes) {
            FloatVector e = FloatVector.fromArray(VectorMath.SPECIES, to, t + j);
            e.broadcast(1f).div(e.add(1f)).intoArray(to, t + j);
        }
    }

    /** to[t + j] = tanh(from[f + j]): as {@link #exp(float[], int, float[], int, int)}. */
    static void tanh(float[] from, int f, float[] to, int t, int count) {
        int lanes = VectorMath.LANES;
        float[] e = FLOAT_SCRATCH.get();
        if (e.length < count) {
            e = VectorMath.row(count);
            FLOAT_SCRATCH.set(e);
        }
        // e = e^{−2|x|}
        for (int j = 0; j < count; j += lanes) {
            FloatVector.fromArray(VectorMath.SPECIES, from, f + j).abs().mul(-2f).intoArray(e, j);
        }
        exp(e, 0, e, 0, count);
        for (int j = 0; j < count; j += lanes) {
            FloatVector x = FloatVector.fromArray(VectorMath.SPECIES, from, f + j);
            FloatVector size = x.abs();
            FloatVector ej = FloatVector.fromArray(VectorMath.SPECIES, e, j);
            // tanh |x| = (1 − e) / (1 + e), or near 0 |x| · (1 − x²/3 + 2x⁴/15 − 17x⁶/315 + 62x⁸/2835)
            FloatVector far = ej.neg().add(1f).div(ej.add(1f));
            FloatVector square = size.mul(size);
            FloatVector near = x.broadcast(62f / 2835).fma(square, x.broadcast(-17f / 315))
                    .fma(square, x.broadcast(2f / 15)).fma(square, x.broadcast(-1f / 3)).fma(square, x.broadcast(1f))
                    .mul(size);
            FloatVector magnitude = far.blend(near, size.compare(VectorOperators.LT, TANH_SERIES_BELOW_F));
            magnitude.blend(magnitude.neg(), x.compare(VectorOperators.LT, 0f)).intoArray(to, t + j);
        }
    }

    /**
     * to[t + j] = e^{from[f + j]} for j in [0, count): whole vectors of doubles, then the last count mod their length
     * with {@link Math#exp}; 0 below −708, ∞ above 709, NaN for NaN. In place when from is to and f = t.
     */
    static void exp(double[] from, int f, double[] to, int t, int count) {
        int j = 0;
        for (int bound = DOUBLES.loopBound(count); j < bound; j += DOUBLES.length()) {
            DoubleVector x = DoubleVector.fromArray(DOUBLES, from, f + j);
            DoubleVector clamped = x.lanewise(VectorOperators.MAX, LOWEST).lanewise(VectorOperators.MIN, HIGHEST);
            // k = round(x / ln 2), held as ROUND + k
            DoubleVector shifted = clamped.mul(LOG2E).add(ROUND);
            DoubleVector k = shifted.sub(ROUND);
            // r = x − k · ln 2 (ln 2 = LN2_HIGH + LN2_LOW)
            DoubleVector r = k.fma(k.broadcast(-LN2_HIGH), clamped);
            r = k.fma(k.broadcast(-LN2_LOW), r);
            // e^r = 1 + r + r²/2! + … + r¹³/13!, by Horner's rule
            DoubleVector p = r.broadcast(1 / 6227020800.0).fma(r, r.broadcast(1 / 479001600.0))
                    .fma(r, r.broadcast(1 / 39916800.0)).fma(r, r.broadcast(1 / 3628800.0))
                    .fma(r, r.broadcast(1 / 362880.0)).fma(r, r.broadcast(1 / 40320.0)).fma(r, r.broadcast(1 / 5040.0))
                    .fma(r, r.broadcast(1 / 720.0)).fma(r, r.broadcast(1 / 120.0)).fma(r, r.broadcast(1 / 24.0))
                    .fma(r, r.broadcast(1 / 6.0)).fma(r, r.broadcast(1 / 2.0)).fma(r, r.broadcast(1.0))
                    .fma(r, r.broadcast(1.0));
            // 2^k: k + 1023 in the exponent field
            DoubleVector twoToK = shifted.reinterpretAsLongs().add(1023).lanewise(VectorOperators.LSHL, 52)
                    .reinterpretAsDoubles();
            p.mul(twoToK).blend(0, x.compare(VectorOperators.LT, LOWEST))
                    .blend(Double.POSITIVE_INFINITY, x.compare(VectorOperators.GT, HIGHEST)).intoArray(to, t + j);
        }
        for (; j < count; j++) {
            to[t + j] = Math.exp(from[f + j]);
        }
    }

    /** to[t + j] = σ(from[f + j]): as {@link #exp(double[], int, double[], int, int)}. */
    static void sigmoid(double[] from, int f, double[] to, int t, int count) {
        for (int j = 0; j < count; j++) {
            to[t + j] = -from[f + j];
        }
        exp(to, t, to, t, count);
        for (int j = 0; j < count; j++) {
            to[t + j] = 1 / (1 + to[t + j]);
        }
    }

    /** to[t + j] = tanh(from[f + j]): as {@link #exp(double[], int, double[], int, int)}, the rest with {@link Math#tanh}. */
    static void tanh(double[] from, int f, double[] to, int t, int count) {
        double[] e = DOUBLE_SCRATCH.get();
        if (e.length < count) {
            e = new double[count];
            DOUBLE_SCRATCH.set(e);
        }
        // e = e^{−2|x|}
        for (int j = 0; j < count; j++) {
            e[j] = -2 * Math.abs(from[f + j]);
        }
        exp(e, 0, e, 0, count);
        int j = 0;
        for (int bound = DOUBLES.loopBound(count); j < bound; j += DOUBLES.length()) {
            DoubleVector x = DoubleVector.fromArray(DOUBLES, from, f + j);
            DoubleVector size = x.abs();
            DoubleVector ej = DoubleVector.fromArray(DOUBLES, e, j);
            // tanh |x| = (1 − e) / (1 + e), or near 0 |x| · (1 − x²/3 + 2x⁴/15 − … + 6404582x¹⁶/10854718875)
            DoubleVector far = ej.neg().add(1).div(ej.add(1));
            DoubleVector square = size.mul(size);
            DoubleVector near = x.broadcast(6404582.0 / 10854718875.0).fma(square, x.broadcast(-929569.0 / 638512875.0))
                    .fma(square, x.broadcast(21844.0 / 6081075.0)).fma(square, x.broadcast(-1382.0 / 155925.0))
                    .fma(square, x.broadcast(62.0 / 2835.0)).fma(square, x.broadcast(-17.0 / 315.0))
                    .fma(square, x.broadcast(2.0 / 15.0)).fma(square, x.broadcast(-1.0 / 3.0)).fma(square, x.broadcast(1.0))
                    .mul(size);
            DoubleVector magnitude = far.blend(near, size.compare(VectorOperators.LT, TANH_SERIES_BELOW));
            magnitude.blend(magnitude.neg(), x.compare(VectorOperators.LT, 0)).intoArray(to, t + j);
        }
        for (; j < count; j++) {
            to[t + j] = Math.tanh(from[f + j]);
        }
    }
}

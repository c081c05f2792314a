package unrolled.fast;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * e^x, σ(x) and tanh(x) on whole vectors, from additions, multiplications, one division and bit moves only, so that
 * they give the same bits on every run.
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
    /** 1/7!, 1/6!, …, 1/1!, 1/0!: e^r's series from its highest term, for Horner's rule. */
    private static final float[] EXP_SERIES_F = {1f / 5040, 1f / 720, 1f / 120, 1f / 24, 1f / 6, 1f / 2, 1f, 1f};
    /** tanh's series x · (1 + c₁x² + c₂x⁴ + …), the c from the highest: 62/2835, −17/315, 2/15, −1/3, 1. */
    private static final float[] TANH_SERIES_F = {62f / 2835, -17f / 315, 2f / 15, -1f / 3, 1f};
    /** Below this |x| tanh takes its series (the next term is 10⁻⁸ of x there). */
    private static final float TANH_SERIES_BELOW_F = 0.25f;

    // --- double -----------------------------------------------------------------------------------------------------
    private static final double LOG2E = 1.4426950408889634;
    /** 1.5 · 2^52, as {@link #ROUND_F} for doubles. */
    private static final double ROUND = 6755399441055744.0;
    private static final double LN2_HIGH = 6.93147180369123816490e-01;
    private static final double LN2_LOW = 1.90821492927058770002e-10;
    private static final double LOWEST = -708;
    private static final double HIGHEST = 709;
    private static final double[] EXP_SERIES = series(13);
    /** tanh's series to x¹⁷: 1, −1/3, 2/15, −17/315, 62/2835, −1382/155925, 21844/6081075, −929569/638512875,
     *  6404582/10854718875, from the highest. */
    private static final double[] TANH_SERIES = {6404582.0 / 10854718875.0, -929569.0 / 638512875.0,
        21844.0 / 6081075.0, -1382.0 / 155925.0, 62.0 / 2835.0, -17.0 / 315.0, 2.0 / 15.0, -1.0 / 3.0, 1.0};
    private static final double TANH_SERIES_BELOW = 0.125;

    private VectorActivations() {
    }

    /** @return 1/n!, 1/(n−1)!, …, 1/0! */
    private static double[] series(int n) {
        double[] c = new double[n + 1];
        double factorial = 1;
        for (int m = 1; m <= n; m++) {
            factorial *= m;
            c[n - m] = 1 / factorial;
        }
        c[n] = 1;
        return c;
    }

    /** e^x lane by lane: 0 below −87, ∞ above 88 (so σ and tanh reach their limits), NaN for NaN. */
    static FloatVector exp(FloatVector x) {
        FloatVector clamped = x.lanewise(VectorOperators.MAX, LOWEST_F).lanewise(VectorOperators.MIN, HIGHEST_F);
        // k = round(x / ln 2), held as ROUND + k
        FloatVector shifted = clamped.mul(LOG2E_F).add(ROUND_F);
        FloatVector k = shifted.sub(ROUND_F);
        // r = x − k · ln 2
        FloatVector r = k.fma(k.broadcast(-LN2_HIGH_F), clamped);
        r = k.fma(k.broadcast(-LN2_LOW_F), r);
        // e^r = 1 + r + r²/2! + … + r⁷/7!
        FloatVector p = r.broadcast(EXP_SERIES_F[0]);
        for (int m = 1; m < EXP_SERIES_F.length; m++) {
            p = p.fma(r, r.broadcast(EXP_SERIES_F[m]));
        }
        // 2^k: k + 127 in the exponent field
        FloatVector twoToK = shifted.reinterpretAsInts().add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(twoToK).blend(0f, x.compare(VectorOperators.LT, LOWEST_F))
                .blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, HIGHEST_F));
    }

    /** σ(x) = 1 / (1 + e^{−x}), lane by lane. */
    static FloatVector sigmoid(FloatVector x) {
        FloatVector one = x.broadcast(1f);
        return one.div(exp(x.neg()).add(one));
    }

    /** tanh(x) lane by lane. */
    static FloatVector tanh(FloatVector x) {
        FloatVector size = x.abs();
        // tanh |x| = (1 − e) / (1 + e),  e = e^{−2|x|}
        FloatVector e = exp(size.mul(-2f));
        FloatVector one = x.broadcast(1f);
        FloatVector far = one.sub(e).div(one.add(e));
        // near 0: |x| · (1 − x²/3 + 2x⁴/15 − …)
        FloatVector square = size.mul(size);
        FloatVector p = x.broadcast(TANH_SERIES_F[0]);
        for (int m = 1; m < TANH_SERIES_F.length; m++) {
            p = p.fma(square, x.broadcast(TANH_SERIES_F[m]));
        }
        FloatVector magnitude = far.blend(p.mul(size), size.compare(VectorOperators.LT, TANH_SERIES_BELOW_F));
        VectorMask<Float> negative = x.compare(VectorOperators.LT, 0f);
        return magnitude.blend(magnitude.neg(), negative);
    }

    /** e^x lane by lane: 0 below −708, ∞ above 709, NaN for NaN. */
    static DoubleVector exp(DoubleVector x) {
        DoubleVector clamped = x.lanewise(VectorOperators.MAX, LOWEST).lanewise(VectorOperators.MIN, HIGHEST);
        // k = round(x / ln 2), held as ROUND + k
        DoubleVector shifted = clamped.mul(LOG2E).add(ROUND);
        DoubleVector k = shifted.sub(ROUND);
        // r = x − k · ln 2 (ln 2 = LN2_HIGH + LN2_LOW)
        DoubleVector r = k.fma(k.broadcast(-LN2_HIGH), clamped);
        r = k.fma(k.broadcast(-LN2_LOW), r);
        // e^r = 1 + r + r²/2! + … + r¹³/13!
        DoubleVector p = r.broadcast(EXP_SERIES[0]);
        for (int m = 1; m < EXP_SERIES.length; m++) {
            p = p.fma(r, r.broadcast(EXP_SERIES[m]));
        }
        // 2^k: k + 1023 in the exponent field
        DoubleVector twoToK = shifted.reinterpretAsLongs().add(1023).lanewise(VectorOperators.LSHL, 52)
                .reinterpretAsDoubles();
        return p.mul(twoToK).blend(0, x.compare(VectorOperators.LT, LOWEST))
                .blend(Double.POSITIVE_INFINITY, x.compare(VectorOperators.GT, HIGHEST));
    }

    /** σ(x) = 1 / (1 + e^{−x}), lane by lane. */
    static DoubleVector sigmoid(DoubleVector x) {
        DoubleVector one = x.broadcast(1);
        return one.div(exp(x.neg()).add(one));
    }

    /** tanh(x) lane by lane. */
    static DoubleVector tanh(DoubleVector x) {
        DoubleVector size = x.abs();
        // tanh |x| = (1 − e) / (1 + e),  e = e^{−2|x|}
        DoubleVector e = exp(size.mul(-2));
        DoubleVector one = x.broadcast(1);
        DoubleVector far = one.sub(e).div(one.add(e));
        // near 0: |x| · (1 − x²/3 + 2x⁴/15 − …)
        DoubleVector square = size.mul(size);
        DoubleVector p = x.broadcast(TANH_SERIES[0]);
        for (int m = 1; m < TANH_SERIES.length; m++) {
            p = p.fma(square, x.broadcast(TANH_SERIES[m]));
        }
        DoubleVector magnitude = far.blend(p.mul(size), size.compare(VectorOperators.LT, TANH_SERIES_BELOW));
        return magnitude.blend(magnitude.neg(), x.compare(VectorOperators.LT, 0));
    }

    // --- whole rows ---------------------------------------------------------------------------------------------------
    // A method that calls several of the vector functions above directly can outgrow the optimising compiler's node
    // budget for inlining (C2's NodeCountInliningCutoff): the calls past it stay calls, and every vector that crosses
    // one is boxed on the heap. These take arrays instead, one function per method, so that a caller's compiled code
    // holds a plain call and no vector crosses it.

    /** The JVM's widest vector of doubles, for the row functions. */
    private static final jdk.incubator.vector.VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;

    /**
     * σ in place over values[from, from + count): whole vectors, then the last few entries one by one as
     * 1 / (1 + e^{−x}) through {@link Math#exp}.
     */
    static void sigmoid(double[] values, int from, int count) {
        int q = 0;
        for (; q + DOUBLES.length() <= count; q += DOUBLES.length()) {
            sigmoid(DoubleVector.fromArray(DOUBLES, values, from + q)).intoArray(values, from + q);
        }
        for (; q < count; q++) {
            values[from + q] = 1 / (1 + Math.exp(-values[from + q]));
        }
    }

    /**
     * tanh in place over values[from, from + count): whole vectors, then the last few entries one by one through
     * {@link Math#tanh}.
     */
    static void tanh(double[] values, int from, int count) {
        int q = 0;
        for (; q + DOUBLES.length() <= count; q += DOUBLES.length()) {
            tanh(DoubleVector.fromArray(DOUBLES, values, from + q)).intoArray(values, from + q);
        }
        for (; q < count; q++) {
            values[from + q] = Math.tanh(values[from + q]);
        }
    }
}

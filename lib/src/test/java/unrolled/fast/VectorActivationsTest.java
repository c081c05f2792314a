package unrolled.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * The vector activations agree with {@link Math} to a few units in the last place over their whole range, handle the
 * values at the edges (±∞, NaN, under- and overflow), and — their reason to exist — give the same bits whether the JVM
 * interprets them or runs them compiled.
 */
class VectorActivationsTest {

    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;

    /** Evenly spaced points of [from, to], count of them, as floats. */
    private static float[] floats(double from, double to, int count) {
        float[] x = new float[count];
        for (int k = 0; k < count; k++) {
            x[k] = (float) (from + (to - from) * k / (count - 1));
        }
        return x;
    }

    private static double[] doubles(double from, double to, int count) {
        double[] x = new double[count];
        for (int k = 0; k < count; k++) {
            x[k] = from + (to - from) * k / (count - 1);
        }
        return x;
    }

    /** @return f applied to x a whole vector at a time (x's length a multiple of the vector's) */
    private static float[] applyFloat(UnaryOperator<FloatVector> f, float[] x) {
        float[] y = new float[x.length];
        for (int k = 0; k < x.length; k += FLOATS.length()) {
            f.apply(FloatVector.fromArray(FLOATS, x, k)).intoArray(y, k);
        }
        return y;
    }

    private static double[] applyDouble(UnaryOperator<DoubleVector> f, double[] x) {
        double[] y = new double[x.length];
        for (int k = 0; k < x.length; k += DOUBLES.length()) {
            f.apply(DoubleVector.fromArray(DOUBLES, x, k)).intoArray(y, k);
        }
        return y;
    }

    /**
     * Asserts |y − exact(x)| ≤ ulps · ulp(exact(x)) + floor for every point, with exact computed in double (float
     * case) or taken from Math (double case).
     */
    private static void assertClose(String name, float[] x, float[] y, DoubleUnaryOperator exact, double ulps, double floor) {
        for (int k = 0; k < x.length; k++) {
            double want = exact.applyAsDouble(x[k]);
            double allowed = ulps * Math.ulp((float) want) + floor;
            assertTrue(Math.abs(y[k] - want) <= allowed,
                    name + "(" + x[k] + ") = " + y[k] + ", but the exact value is " + want + " (allowed error " + allowed + ")");
        }
    }

    private static void assertClose(String name, double[] x, double[] y, DoubleUnaryOperator exact, double ulps, double floor) {
        for (int k = 0; k < x.length; k++) {
            double want = exact.applyAsDouble(x[k]);
            double allowed = ulps * Math.ulp(want) + floor;
            assertTrue(Math.abs(y[k] - want) <= allowed,
                    name + "(" + x[k] + ") = " + y[k] + ", but Math gives " + want + " (allowed error " + allowed + ")");
        }
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Test
    void floatExpSigmoidAndTanhAreWithinAFewUlpsOfTheExactValues() {
        float[] wide = floats(-87, 88, 16 * 4096);
        assertClose("exp", wide, applyFloat(VectorActivations::exp, wide), Math::exp, 2, 0);
        float[] moderate = floats(-20, 20, 16 * 4096);
        assertClose("sigmoid", moderate, applyFloat(VectorActivations::sigmoid, moderate), VectorActivationsTest::sigmoid, 3, 0);
        assertClose("tanh", moderate, applyFloat(VectorActivations::tanh, moderate), Math::tanh, 3, 0);
        // near 0, where (1 − e) / (1 + e) would cancel: relative accuracy must hold for tiny inputs too
        float[] small = floats(-0.5, 0.5, 16 * 4096);
        assertClose("tanh", small, applyFloat(VectorActivations::tanh, small), Math::tanh, 3, 0);
        float[] tiny = floats(-1e-6, 1e-6, 16 * 64);
        assertClose("tanh", tiny, applyFloat(VectorActivations::tanh, tiny), Math::tanh, 1, 0);
    }

    @Test
    void doubleExpSigmoidAndTanhAreWithinAFewUlpsOfMath() {
        double[] wide = doubles(-708, 709, 8 * 4096);
        assertClose("exp", wide, applyDouble(VectorActivations::exp, wide), Math::exp, 4, 0);
        double[] moderate = doubles(-30, 30, 8 * 4096);
        assertClose("sigmoid", moderate, applyDouble(VectorActivations::sigmoid, moderate), VectorActivationsTest::sigmoid,
                4, 0);
        assertClose("tanh", moderate, applyDouble(VectorActivations::tanh, moderate), Math::tanh, 4, 0);
        double[] small = doubles(-0.5, 0.5, 8 * 4096);
        assertClose("tanh", small, applyDouble(VectorActivations::tanh, small), Math::tanh, 4, 0);
        double[] tiny = doubles(-1e-9, 1e-9, 8 * 64);
        assertClose("tanh", tiny, applyDouble(VectorActivations::tanh, tiny), Math::tanh, 2, 0);
    }

    /** @return the row function applied in place to x[from, from + count) of a copy of x */
    private static double[] applyRow(Consumer<double[]> row, double[] x) {
        double[] y = x.clone();
        row.accept(y);
        return y;
    }

    @Test
    void theRowFunctionsGiveTheVectorFunctionsBitsAndMathsValuesInTheirTail() {
        // a row that starts off a vector boundary and ends with a part of a vector, inside a longer array
        int from = 3;
        int count = 5 * DOUBLES.length() + DOUBLES.length() / 2 + 1;
        double[] x = doubles(-12, 12, from + count + 4);
        double[] sigmoid = applyRow(y -> VectorActivations.sigmoid(y, from, count), x);
        double[] tanh = applyRow(y -> VectorActivations.tanh(y, from, count), x);
        int whole = count / DOUBLES.length() * DOUBLES.length();
        for (int k = 0; k < x.length; k++) {
            if (k < from || k >= from + count) {
                assertEquals(x[k], sigmoid[k], "sigmoid wrote outside its row at " + k);
                assertEquals(x[k], tanh[k], "tanh wrote outside its row at " + k);
            } else if (k < from + whole) {
                double[] lane = Arrays.copyOfRange(x, k, k + DOUBLES.length());
                assertEquals(applyDouble(VectorActivations::sigmoid, lane)[0], sigmoid[k], "sigmoid at " + k);
                assertEquals(applyDouble(VectorActivations::tanh, lane)[0], tanh[k], "tanh at " + k);
            } else {
                assertEquals(sigmoid(x[k]), sigmoid[k], 2 * Math.ulp(sigmoid(x[k])), "sigmoid's tail at " + k);
                assertEquals(Math.tanh(x[k]), tanh[k], 0, "tanh's tail at " + k);
            }
        }
    }

    @Test
    void edgeValuesGiveTheLimitsAndNanStaysNan() {
        float inf = Float.POSITIVE_INFINITY;
        float[] x = new float[FLOATS.length()];
        float[] edges = {-inf, -1000, -88, 0, -0f, 1000, inf, Float.NaN};
        System.arraycopy(edges, 0, x, 0, Math.min(edges.length, x.length));
        float[] exp = applyFloat(VectorActivations::exp, x);
        float[] sigmoid = applyFloat(VectorActivations::sigmoid, x);
        float[] tanh = applyFloat(VectorActivations::tanh, x);
        assertEquals(0f, exp[0]);
        assertEquals(0f, exp[1]);
        assertEquals(0f, exp[2]);
        assertEquals(1f, exp[3]);
        assertEquals(0f, sigmoid[0]);
        assertEquals(0.5f, sigmoid[3]);
        assertEquals(1f, sigmoid[6]);
        assertEquals(-1f, tanh[0]);
        assertEquals(0f, tanh[3]);
        assertEquals(1f, tanh[5]);
        assertEquals(1f, tanh[6]);
        if (x.length >= edges.length) {
            assertTrue(Float.isNaN(exp[7]) && Float.isNaN(sigmoid[7]) && Float.isNaN(tanh[7]), "NaN in, NaN out");
        }
        double[] y = new double[DOUBLES.length()];
        y[0] = Double.NEGATIVE_INFINITY;
        y[1] = Double.POSITIVE_INFINITY;
        double[] dexp = applyDouble(VectorActivations::exp, y);
        double[] dtanh = applyDouble(VectorActivations::tanh, y);
        double[] dsigmoid = applyDouble(VectorActivations::sigmoid, y);
        assertEquals(0.0, dexp[0]);
        assertEquals(-1.0, dtanh[0]);
        assertEquals(1.0, dtanh[1]);
        assertEquals(0.0, dsigmoid[0]);
        assertEquals(1.0, dsigmoid[1]);
    }

    /** The sweep the determinism test computes in two JVMs: a fingerprint of every output bit. */
    static long fingerprint() {
        float[] x = floats(-30, 30, 16 * 1024);
        double[] y = doubles(-30, 30, 8 * 1024);
        long hash = 17;
        for (float[] out : List.of(applyFloat(VectorActivations::exp, x), applyFloat(VectorActivations::sigmoid, x),
                applyFloat(VectorActivations::tanh, x))) {
            for (float v : out) {
                hash = 31 * hash + Float.floatToRawIntBits(v);
            }
        }
        int tail = DOUBLES.length() / 2 + 1;
        for (double[] out : List.of(applyDouble(VectorActivations::exp, y), applyDouble(VectorActivations::sigmoid, y),
                applyDouble(VectorActivations::tanh, y), applyRow(z -> VectorActivations.sigmoid(z, 1, z.length - tail), y),
                applyRow(z -> VectorActivations.tanh(z, 1, z.length - tail), y))) {
            for (double v : out) {
                hash = 31 * hash + Double.doubleToRawLongBits(v);
            }
        }
        return hash;
    }

    /** Prints {@link #fingerprint()}: run by the determinism test in an interpreting JVM. */
    public static void main(String[] args) {
        System.out.println(fingerprint());
    }

    @Test
    void interpretedAndCompiledRunsGiveTheSameBits() throws IOException, InterruptedException {
        // compiled: enough calls here for the JIT to compile the vector code with its intrinsics
        long compiled = 0;
        for (int round = 0; round < 60; round++) {
            compiled = fingerprint();
        }
        // interpreted: a JVM with no compiler at all (-Xint), where the Vector API runs its Java fallbacks lane by lane
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xint", "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                VectorActivationsTest.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(300, TimeUnit.SECONDS), "the interpreting JVM did not finish");
        assertEquals(0, process.exitValue(), "the interpreting JVM failed: " + err);
        assertEquals(Long.toString(compiled), out, "interpreted and compiled vector activations differ in some bit");
    }
}

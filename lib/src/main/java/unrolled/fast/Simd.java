package unrolled.fast;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Whether the FLOAT kernels do their element-wise step maths on the CPU's vector units (SIMD), and the per-lane
 * objects that do it.
 *
 * <p>The gate maths of a step (σ and tanh of every gate, the cell update, and their derivatives in the backward pass)
 * is as much work as the step's matrix product once the product runs in BLAS; a plain Java loop does it one value at
 * a time, and its e^a costs a few nanoseconds. JDK 17's Vector API ({@code jdk.incubator.vector}) computes 8 (AVX2)
 * or 16 (AVX-512) floats per instruction, e^a and tanh included (Intel's short-vector maths library, built into the
 * JVM). The module is still incubating in JDK 17, so it is there only when the JVM starts with
 * {@code --add-modules jdk.incubator.vector} — as Unrolled's kernel, Maven build and benchmarks do — and the JVM then
 * prints one line, {@code WARNING: Using incubator modules: jdk.incubator.vector}, to its own error stream (the
 * Jupyter server's log, not the notebook). Without the module the kernels use their portable loops, which compute the
 * same numbers one value at a time. DOUBLE always uses the portable loops: they compute e^a and tanh with
 * {@code Math.exp} and {@code Math.tanh}, so that DOUBLE results agree with the reference cells to round-off.
 *
 * <p>The vector classes ({@code VectorLstmRows}, {@code VectorGruRows}, {@code VectorRnnRows}) are loaded only after
 * the module has been found, so a JVM without it never links them.
 */
final class Simd {

    /** The incubating module of JDK 17 that holds the Vector API. */
    static final String MODULE = "jdk.incubator.vector";

    private static final boolean PRESENT = ModuleLayer.boot().findModule(MODULE).isPresent();

    /** When true, the FLOAT kernels use the portable loops even with the module: for tests comparing the two. */
    static volatile boolean off;

    private Simd() {
    }

    /** @return true if a FLOAT pass started now does its element-wise maths on the vector units */
    static boolean active() {
        return PRESENT && !off;
    }

    /** @return what {@link FastRecurrentLayer#elementwiseUnits()} reports */
    static String describe() {
        if (!PRESENT) {
            return "portable Java loops (start the JVM with --add-modules " + MODULE + " for SIMD)";
        }
        return VectorMath.describe() + (off ? " (switched off)" : "");
    }

    /**
     * @param type the kernel's data type
     * @param hiddenSize H
     * @return a new LSTM row calculator for one lane, or null when the portable loop is to be used
     */
    static VectorLstmRows lstm(DataType type, int hiddenSize) {
        return type == DataType.FLOAT && active() ? new VectorLstmRows(hiddenSize) : null;
    }

    /**
     * @param type the kernel's data type
     * @param hiddenSize H
     * @return a new GRU row calculator for one lane, or null when the portable loop is to be used
     */
    static VectorGruRows gru(DataType type, int hiddenSize) {
        return type == DataType.FLOAT && active() ? new VectorGruRows(hiddenSize) : null;
    }

    /**
     * @param type the kernel's data type
     * @param hiddenSize H
     * @param relu true for ReLU, false for tanh
     * @return a new vanilla-RNN row calculator for one lane, or null when the portable loop is to be used
     */
    static VectorRnnRows rnn(DataType type, int hiddenSize, boolean relu) {
        return type == DataType.FLOAT && active() ? new VectorRnnRows(hiddenSize, relu) : null;
    }
}

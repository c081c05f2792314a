package unrolled.tensor;

import java.util.Map;
import java.util.Properties;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The library's thread settings for ND4J, applied once per JVM when the library is first used.
 *
 * <p><b>Where they are applied.</b> Exactly three places call {@link #apply()}, each from its class's static
 * initialiser, so the settings are in force before that class computes anything, whichever of them loads first:
 * <ol>
 *   <li>{@link Shapes}: every public entry point of the library checks its arguments there first;</li>
 *   <li>{@code unrolled.notebook.Notebook}: every notebook shows its question cards through it before its first
 *       computation;</li>
 *   <li>{@code unrolled.fast.FastRecurrentLayer}: the fast path, whose lanes size themselves by
 *       {@link Settings#blasThreads()}.</li>
 * </ol>
 * Code that uses ND4J before any of these (a benchmark, another library) can call {@link #apply()} itself first;
 * {@link #applied()} tells whether the settings are in force yet, without applying them.
 *
 * <p>Two pools compete for the cores in an ND4J program: libnd4j's own thread pool, which runs element-wise ops and
 * reductions, and OpenBLAS's, which runs matrix products. The library's work is either many tiny ND4J ops (the
 * readable reference cells, where waking pool workers costs more than the op) or a few large matrix products plus
 * Java loops on the calling thread (the fast path), so by default it gives
 * <ul>
 *   <li><b>libnd4j: 1 thread per op</b> ({@code Nd4j.getEnvironment().setMaxMasterThreads(1)}, and
 *       {@code setMaxThreads(1)}, which this ND4J version ignores): waking pool workers for the remaining small ops
 *       only steals cycles from BLAS. The pool's size itself is fixed when ND4J loads; to shrink it too, start the JVM
 *       with {@code OMP_NUM_THREADS=1};</li>
 *   <li><b>OpenBLAS: every available core</b> ({@code blas_set_num_threads(availableProcessors)}): the products are
 *       where the flops are.</li>
 * </ul>
 * This is the combination measured best on an idle 2-vCPU machine of the kind the project runs on; the
 * {@code ThreadsBenchmark} of {@code lib/bench} re-measures it. The settings also matter for DL4J: with libnd4j and
 * OpenBLAS both on every core of a loaded machine its LSTM ran 15–70× slower than its single-threaded CPU time. They
 * are process-wide: they apply to every ND4J computation in the JVM, the library's or not.
 *
 * <p>Override with a system property or an environment variable (the property wins), each a positive integer:
 * <pre>
 *   -Dunrolled.nd4jThreads=2      or   UNROLLED_ND4J_THREADS=2
 *   -Dunrolled.blasThreads=1      or   UNROLLED_BLAS_THREADS=1
 * </pre>
 * and the value {@code keep} leaves that pool as ND4J configured it. To change the settings later in a running JVM,
 * call ND4J and OpenBLAS directly; {@link #apply()} does not re-read them.
 */
public final class Threads {

    /** System property for the number of threads a libnd4j op may use. */
    public static final String ND4J_THREADS_PROPERTY = "unrolled.nd4jThreads";
    /** Environment variable for the number of threads a libnd4j op may use. */
    public static final String ND4J_THREADS_VARIABLE = "UNROLLED_ND4J_THREADS";
    /** System property for OpenBLAS's thread count. */
    public static final String BLAS_THREADS_PROPERTY = "unrolled.blasThreads";
    /** Environment variable for OpenBLAS's thread count. */
    public static final String BLAS_THREADS_VARIABLE = "UNROLLED_BLAS_THREADS";

    /**
     * The thread counts in force after {@link #apply()}.
     *
     * @param nd4jThreads the number of threads a libnd4j op may use (its "master threads")
     * @param blasThreads OpenBLAS's number of threads
     */
    public record Settings(int nd4jThreads, int blasThreads) {
    }

    private static Settings applied;

    private Threads() {
    }

    /**
     * Applies the settings once per JVM (the library's classes call this when they load); later calls return what was
     * applied.
     *
     * @return the thread counts in force
     * @throws IllegalArgumentException if a property or variable is neither a positive integer nor {@code keep}
     */
    public static synchronized Settings apply() {
        if (applied == null) {
            applied = apply(System.getProperties(), System.getenv());
        }
        return applied;
    }

    /** @return the thread counts applied so far, or null if nothing has applied them yet in this JVM */
    public static synchronized Settings applied() {
        return applied;
    }

    /**
     * Applies settings read from the given sources, every time it is called (for benchmarks that compare thread
     * counts in one JVM); {@link #apply()} then returns these.
     *
     * @param properties system properties, read first
     * @param environment environment variables, read when the property is absent
     * @return the thread counts in force
     * @throws IllegalArgumentException if a value is neither a positive integer nor {@code keep}
     */
    public static synchronized Settings apply(Properties properties, Map<String, String> environment) {
        Integer nd4j = read(properties, environment, ND4J_THREADS_PROPERTY, ND4J_THREADS_VARIABLE, 1);
        Integer blas = read(properties, environment, BLAS_THREADS_PROPERTY, BLAS_THREADS_VARIABLE,
                Runtime.getRuntime().availableProcessors());
        if (nd4j != null) {
            Nd4j.getEnvironment().setMaxThreads(nd4j);
            Nd4j.getEnvironment().setMaxMasterThreads(nd4j);
        }
        if (blas != null) {
            openblas_nolapack.blas_set_num_threads(blas);
        }
        applied = new Settings(Nd4j.getEnvironment().maxMasterThreads(), openblas_nolapack.blas_get_num_threads());
        return applied;
    }

    /** @return the value to set, or null for {@code keep} */
    static Integer read(Properties properties, Map<String, String> environment, String property, String variable,
            int fallback) {
        String text = properties.getProperty(property);
        String source = property;
        if (text == null) {
            text = environment.get(variable);
            source = variable;
        }
        if (text == null || text.isBlank()) {
            return fallback;
        }
        text = text.trim();
        if (text.equalsIgnoreCase("keep")) {
            return null;
        }
        try {
            int value = Integer.parseInt(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("Threads: " + source + " must be a positive integer or keep, but is \""
                + text + "\".");
    }
}

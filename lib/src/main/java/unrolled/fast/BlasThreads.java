package unrolled.fast;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * Switches OpenBLAS's thread count around a pass whose products are too small to share: a product of 1024×16 by
 * 16×16 takes a few microseconds, less than waking a second BLAS thread and meeting it again, and a pass on its own
 * lanes already keeps every core busy.
 *
 * <p>The count is set through a function pointer found once. JavaCPP's {@code openblas_nolapack.blas_set_num_threads}
 * looks the function up again at every call, which allocates about 80 kB on the Java heap; twice per pass that is more
 * garbage than the pass itself makes.
 */
final class BlasThreads {
    private static final SetNumThreads SET = find();

    private BlasThreads() {
    }

    private static SetNumThreads find() {
        Loader.load(openblas_nolapack.class);
        Pointer address = Loader.addressof("openblas_set_num_threads");
        return address == null ? null : new SetNumThreads(address);
    }

    /**
     * Sets OpenBLAS to one thread.
     *
     * @return the thread count before, for {@link #restore}
     */
    static int single() {
        int before = openblas_nolapack.blas_get_num_threads();
        if (before != 1) {
            set(1);
        }
        return before;
    }

    /**
     * Sets OpenBLAS back to the count {@link #single} returned.
     *
     * @param threads the thread count before
     */
    static void restore(int threads) {
        if (threads != 1) {
            set(threads);
        }
    }

    /** @param threads OpenBLAS's new thread count */
    static void set(int threads) {
        if (SET != null) {
            SET.call(threads);
        } else {
            openblas_nolapack.blas_set_num_threads(threads);
        }
    }

    /** JavaCPP's function pointer type for {@code void f(int)}; its constructor that allocates is protected. */
    private static final class SetNumThreads extends org.bytedeco.openblas.presets.openblas_nolapack.SetNumThreads {
        SetNumThreads(Pointer function) {
            super();
            put(function);
        }
    }
}

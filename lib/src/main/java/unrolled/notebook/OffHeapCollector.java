package unrolled.notebook;

import org.bytedeco.javacpp.Pointer;

/**
 * Gives a training loop's dead arrays their memory back within a second. ND4J keeps an array's numbers outside the
 * Java heap (JavaCPP counts them in {@link Pointer#totalBytes()}) and frees them only after the garbage collector has
 * found the array unreachable; a loop leaves thousands of small dead arrays behind while the heap itself barely grows,
 * so no collection comes, and JavaCPP collects only when the count reaches its limit ({@code
 * org.bytedeco.javacpp.maxbytes}), gigabytes later. (ND4J's own periodic collection is switched off on the CPU
 * backend: its {@code isPeriodicGcActive()} always answers false.) A daemon thread looks at the count twice a second
 * and asks for a collection once it has grown by {@link #GROWTH_BYTES} since the last one.
 */
final class OffHeapCollector {

    /** Growth of the off-heap count, in bytes, after which a collection is due. */
    static final long GROWTH_BYTES = 256L << 20;

    /** How often the count is read, in milliseconds. */
    static final long PERIOD_MS = 500;

    /** The watching thread's name. */
    static final String THREAD_NAME = "unrolled-off-heap-collector";

    private static Thread thread;

    private OffHeapCollector() {
    }

    /** Starts the watching thread, once per JVM. */
    static synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = new Thread(OffHeapCollector::watch, THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
    }

    /** @return true once the watching thread runs */
    static synchronized boolean running() {
        return thread != null && thread.isAlive();
    }

    /**
     * @param bytes the off-heap count now
     * @param baseline the lowest count since the last collection
     * @return true if the count has grown by more than {@link #GROWTH_BYTES} over the baseline
     */
    static boolean due(long bytes, long baseline) {
        return bytes - baseline > GROWTH_BYTES;
    }

    private static void watch() {
        long baseline = Pointer.totalBytes();
        while (true) {
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
            long bytes = Pointer.totalBytes();
            if (due(bytes, baseline)) {
                System.gc();
                // ND4J frees the collected arrays on its own thread, soon after: the count falls to the new baseline
                baseline = Pointer.totalBytes();
            } else {
                baseline = Math.min(baseline, bytes);
            }
        }
    }
}

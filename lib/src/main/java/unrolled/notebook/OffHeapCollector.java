package unrolled.notebook;

import org.bytedeco.javacpp.Pointer;

/**
 * Lets a training loop reuse the memory of its dead arrays instead of asking the system for more. ND4J keeps an
 * array's numbers outside the Java heap and frees them only after the garbage collector has found the array
 * unreachable; a loop leaves thousands of small dead arrays behind while the heap itself barely grows, so no
 * collection comes and the process keeps growing. ND4J's own periodic collection is switched off on the CPU backend
 * (its {@code isPeriodicGcActive()} always answers false), and JavaCPP's byte count ({@link Pointer#totalBytes()})
 * does not include ND4J's buffers, so neither notices. A daemon thread reads the process's resident memory
 * ({@link Pointer#physicalBytes()}) twice a second and asks for a collection once it has grown by
 * {@link #GROWTH_BYTES} since the last one: the freed buffers are then reused, and the process stops growing.
 */
final class OffHeapCollector {

    /** Growth of the resident memory, in bytes, after which a collection is due. */
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
     * @param bytes the resident memory now
     * @param baseline the lowest resident memory since the last collection
     * @return true if it has grown by more than {@link #GROWTH_BYTES} over the baseline
     */
    static boolean due(long bytes, long baseline) {
        return bytes - baseline > GROWTH_BYTES;
    }

    private static void watch() {
        long baseline = Pointer.physicalBytes();
        while (true) {
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
            long bytes = Pointer.physicalBytes();
            if (due(bytes, baseline)) {
                System.gc();
                // ND4J frees the collected arrays on its own thread, soon after; the allocator keeps their pages for reuse
                baseline = Pointer.physicalBytes();
            } else {
                baseline = Math.min(baseline, bytes);
            }
        }
    }
}

package unrolled.fast;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import unrolled.tensor.Threads;

/**
 * Runs a batch's pass as a few independent lanes, one per core: the sequences of a batch do not interact (row n of
 * every step depends only on row n of the step before), so sequences [0, N/2) and [N/2, N) can go through the whole
 * pass on two cores at once, each lane doing its own rows of every product (the input projection, the per-step
 * products, dx) and its own part of each weight gradient, with no synchronisation until the end, where the parts of
 * the weight gradients are added up.
 *
 * <p>Why not leave the cores to BLAS? Per step a recurrent layer does one small product and then the gate maths on the
 * calling thread; OpenBLAS can spread the product over both cores, but the gate maths, as much time again, stays on
 * one, and the two cores meet at every step. Lanes put all of it on all cores. While lanes run, OpenBLAS is set to one
 * thread (each lane's products are its own) and then set back.
 *
 * <p>The number of lanes is OpenBLAS's thread count as set by {@link Threads} (so {@code UNROLLED_BLAS_THREADS=1}
 * gives one lane), at most N, and 1 when a pass is too small for the hand-over (tens of microseconds) to pay off; one
 * lane is the plain pass on the calling thread, with BLAS as configured. Lane 0 runs on the calling thread, the others
 * on daemon threads kept for the life of the JVM.
 */
final class Lanes {

    /** The body of a time loop over sequences [from, to) of the batch, run as lane {@code lane}. */
    @FunctionalInterface
    interface Body {
        void run(int lane, int from, int to);
    }

    /**
     * Below this many multiply-adds per pass (N·T·H·G), one lane: the hand-over would cost more than it saves. Measured
     * against 2¹⁶ (which puts notebook 10's char-LM, N·T·H·G = 786,432, and name classifier, 131,072, on two lanes):
     * whole training steps equal or slower with two lanes (char-LM 14.1 against 12.9 ms, classifier inference 1.12
     * against 0.86 ms, interleaved on a quiet 2-core machine), as half a batch makes each lane's products small.
     */
    static final long MINIMUM_WORK = 1L << 21;

    /** When positive, the number of lanes every call uses regardless of size and cores: for tests only. */
    static volatile int forced;

    private static ExecutorService helpers;
    private static int helperCount;

    private Lanes() {
    }

    /**
     * @param batchSize N
     * @param work the multiply-adds of the per-step products of one pass, N·T·H·G
     * @return how many lanes to use
     */
    static int count(int batchSize, long work) {
        if (forced > 0) {
            return Math.min(forced, batchSize);
        }
        if (work < MINIMUM_WORK) {
            return 1;
        }
        int cores = Math.min(Threads.apply().blasThreads(), Runtime.getRuntime().availableProcessors());
        return Math.max(1, Math.min(cores, batchSize));
    }

    /**
     * Runs the body on {@code lanes} contiguous ranges of [0, batchSize), lane 0 on this thread, and returns when all
     * are done; an exception in any lane is rethrown here.
     *
     * @param lanes the number of lanes, at least 1
     * @param batchSize N
     * @param body the loop over a range of sequences
     */
    static void run(int lanes, int batchSize, Body body) {
        if (lanes <= 1) {
            body.run(0, 0, batchSize);
            return;
        }
        ExecutorService pool = helpers(lanes - 1);
        int blasThreads = BlasThreads.single();
        try {
            Future<?>[] others = new Future<?>[lanes - 1];
            for (int lane = 1; lane < lanes; lane++) {
                int from = start(lane, lanes, batchSize);
                int to = start(lane + 1, lanes, batchSize);
                int which = lane;
                others[lane - 1] = pool.submit(() -> body.run(which, from, to));
            }
            RuntimeException failure = null;
            try {
                body.run(0, 0, start(1, lanes, batchSize));
            } catch (RuntimeException e) {
                failure = e;
            }
            for (Future<?> other : others) {
                try {
                    other.get();
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    if (failure == null) {
                        failure = new IllegalStateException("Lanes.run: interrupted while waiting for a lane", e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            BlasThreads.restore(blasThreads);
        }
    }

    /** The first sequence of a lane: the batch split as evenly as possible. */
    static int start(int lane, int lanes, int batchSize) {
        return (int) ((long) lane * batchSize / lanes);
    }

    private static synchronized ExecutorService helpers(int count) {
        if (helpers == null || helperCount < count) {
            if (helpers != null) {
                helpers.shutdown();
            }
            helpers = Executors.newFixedThreadPool(count, task -> {
                Thread thread = new Thread(task, "unrolled-fast-lane");
                thread.setDaemon(true);
                return thread;
            });
            helperCount = count;
        }
        return helpers;
    }
}

package unrolled.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import unrolled.fast.FastRecurrentLayer;
import unrolled.recurrent.RecurrentLayer;
import unrolled.tensor.Threads;

/**
 * One Java implementation in a JVM of its own, for {@link Pairs}: the fast path ({@code fast}), the fast path whose
 * caller keeps its results until the garbage collector frees them ({@code fast-kept}), or DL4J's layer ({@code dl4j}).
 * The fast path and DL4J give each call's results back before the next call, as a training loop does once it has used
 * them and as PyTorch does when their last reference goes (see {@link FastRecurrentLayer#release(RecurrentLayer.Result)}).
 * Like {@code pytorch_rnn.py --serve}, it prints "ready ...", then answers each request line
 * "CELL NxTxDxH MODE SECONDS" with "WALL_MS CPU_MS": the mean wall time and process CPU time per call of calls run for
 * at least that many seconds. Its own process keeps the other implementation's garbage and collections out of its
 * slices, as PyTorch's process always did.
 */
public final class Worker {

    private static final com.sun.management.OperatingSystemMXBean SYSTEM =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private Worker() {
    }

    /** @param args "fast", "fast-kept" or "dl4j" */
    public static void main(String[] args) throws IOException {
        String implementation = args[0];
        Threads.apply();
        System.out.println("ready " + implementation + ", element-wise gate maths: " + FastRecurrentLayer.elementwiseUnits());
        BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String key = null;
        Runnable call = null;
        for (String line = requests.readLine(); line != null; line = requests.readLine()) {
            String[] parts = line.trim().split(" ");
            String wanted = parts[0] + " " + parts[1] + " " + parts[2];
            if (!wanted.equals(key)) {
                // the previous size's layer and arrays become garbage before the new ones are made
                call = null;
                call = call(implementation, Cell.valueOf(parts[0]), parts[1], parts[2]);
                key = wanted;
            }
            double[] slice = timed(call, Double.parseDouble(parts[3]), 1);
            System.out.println(String.format(Locale.ROOT, "%.6f %.6f", slice[0], slice[1]));
        }
    }

    private static Runnable call(String implementation, Cell cell, String config, String mode) {
        boolean train = mode.equals("train");
        if (implementation.equals("dl4j")) {
            Dl4jBenchmark benchmark = new Dl4jBenchmark();
            benchmark.cell = cell.name();
            benchmark.config = config;
            benchmark.threads = "fast";
            benchmark.setUp();
            return train ? benchmark::dl4jForwardBackwardReleased : benchmark::dl4jInferenceReleased;
        }
        FastBenchmark benchmark = new FastBenchmark();
        benchmark.cell = cell.name();
        benchmark.config = config;
        benchmark.setUp();
        if (implementation.equals("fast-kept")) {
            return train ? benchmark::fastForwardBackward : benchmark::fastInference;
        }
        return train ? benchmark::fastForwardBackwardReleased : benchmark::fastInferenceReleased;
    }

    /**
     * @param call the call
     * @param seconds the least time to run it for
     * @param multiple the count of calls is a multiple of this (for calls that do a share of a larger unit of work)
     * @return the mean wall time and process CPU time per call, in ms, of calls run for at least the given seconds
     */
    static double[] timed(Runnable call, double seconds, int multiple) {
        long cpu = SYSTEM.getProcessCpuTime();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        int count = 0;
        long now;
        do {
            call.run();
            count++;
            now = System.nanoTime();
        } while (now < end || count % multiple != 0);
        return new double[] {(now - start) / 1e6 / count, (SYSTEM.getProcessCpuTime() - cpu) / 1e6 / count};
    }
}

package unrolled.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import unrolled.cell.LstmCell;
import unrolled.fast.FastRecurrentLayer;
import unrolled.tensor.Threads;
import unrolled.recurrent.RecurrentLayer;

/**
 * Runs the benchmarks and prints one Markdown table, with the load average before and after (the machine is shared, so
 * a figure means little without it).
 *
 * <pre>
 *   java -cp lib/bench/target/benchmarks.jar unrolled.bench.Table            all JMH benchmarks, then the CPU table
 *   java -cp lib/bench/target/benchmarks.jar unrolled.bench.Table --quick    fewer, shorter iterations
 *   java -cp lib/bench/target/benchmarks.jar unrolled.bench.Table --cpu      only the CPU-time table (about a minute)
 * </pre>
 *
 * <p>The JMH part measures wall-clock time per call (average over the measurement iterations), each benchmark in its
 * own JVM. The CPU part runs in this JVM with one OpenBLAS thread and one libnd4j thread, so that all the work happens
 * on the calling thread, and reports that thread's CPU time per call (the minimum of several calls): a figure that
 * other users' load inflates much less than wall time, for comparing the implementations' work.
 */
public final class Table {

    private static final String[] CONFIGS = {Config.SMALL, Config.LARGE, Config.LONG};

    private Table() {
    }

    /** @param args {@code --quick}, {@code --cpu} */
    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        boolean cpuOnly = List.of(args).contains("--cpu");
        System.out.println("load average before: " + loadAverage() + "  (" + Runtime.getRuntime().availableProcessors()
                + " CPUs)");
        if (!cpuOnly) {
            jmh(quick);
            System.out.println();
            System.out.println("load average after JMH: " + loadAverage());
        }
        cpu(quick);
        System.out.println("load average after: " + loadAverage());
    }

    // ---- JMH: wall time ----

    private static void jmh(boolean quick) throws Exception {
        Map<String, Double> ms = new HashMap<>();
        Map<String, Double> error = new HashMap<>();
        List<RunResult> results = new ArrayList<>();
        results.addAll(run(quick, new OptionsBuilder()
                .include(LstmBenchmark.class.getSimpleName())
                .include(ReferenceBenchmark.class.getSimpleName())
                .include(GemmBenchmark.class.getSimpleName() + ".gateGemms")));
        // DL4J with the same thread settings as the fast path: with its defaults (libnd4j and OpenBLAS both on every
        // core) it took 14 to 60 s per call at 64x100x128x256 on the loaded machine, against under 1 s of CPU time
        results.addAll(run(quick, new OptionsBuilder().include(Dl4jBenchmark.class.getSimpleName()).param("threads", "fast")));
        // the peak product once, for one configuration
        results.addAll(run(quick, new OptionsBuilder().include(GemmBenchmark.class.getSimpleName() + ".peakSgemm")
                .param("config", Config.SMALL)));
        ChainedOptionsBuilder threadOptions = new OptionsBuilder().include(ThreadsBenchmark.class.getSimpleName());
        if (quick) {
            threadOptions.param("config", Config.SMALL);
        }
        results.addAll(run(quick, threadOptions));
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            String key = name + "@" + result.getParams().getParam("config");
            String threads = result.getParams().getParam("threads");
            if (threads != null && !name.startsWith("dl4j")) {
                key += "@" + threads;
            }
            ms.put(key, result.getPrimaryResult().getScore());
            error.put(key, result.getPrimaryResult().getScoreError());
        }

        System.out.println();
        System.out.println("### Forward + backward, FLOAT LSTM, wall time per call (JMH average ± 99.9% error)");
        System.out.println();
        System.out.println("| N×T×D×H | fast ms | fast tokens/s | fast GFLOP/s | reference ms | reference / fast | DL4J ms | DL4J / fast"
                + " | gate GEMMs alone ms | GEMM GFLOP/s | fast / GEMMs |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (String text : CONFIGS) {
            Config c = Config.parse(text);
            Double fast = ms.get("fastForwardBackward@" + text);
            Double reference = ms.get("referenceForwardBackward@" + text);
            Double dl4j = ms.get("dl4jForwardBackward@" + text);
            Double gemm = ms.get("gateGemmsForwardBackward@" + text);
            System.out.printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", text,
                    timed(fast, error.get("fastForwardBackward@" + text)), tokens(c, fast), gflops(c.trainingFlops(), fast),
                    timed(reference, error.get("referenceForwardBackward@" + text)), ratio(reference, fast),
                    timed(dl4j, error.get("dl4jForwardBackward@" + text)), ratio(dl4j, fast),
                    timed(gemm, error.get("gateGemmsForwardBackward@" + text)), gflops(c.trainingFlops(), gemm), ratio(fast, gemm));
        }
        System.out.println();
        System.out.println("### Inference (forward only), wall time per call");
        System.out.println();
        System.out.println("| N×T×D×H | fast ms | fast tokens/s | fast GFLOP/s | DL4J ms | DL4J / fast | gate GEMMs alone ms | fast / GEMMs |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (String text : CONFIGS) {
            Config c = Config.parse(text);
            Double fast = ms.get("fastInference@" + text);
            Double dl4j = ms.get("dl4jInference@" + text);
            Double gemm = ms.get("gateGemmsForward@" + text);
            System.out.printf("| %s | %s | %s | %s | %s | %s | %s | %s |%n", text, timed(fast, error.get("fastInference@" + text)),
                    tokens(c, fast), gflops(c.forwardFlops(), fast), timed(dl4j, error.get("dl4jInference@" + text)),
                    ratio(dl4j, fast), timed(gemm, error.get("gateGemmsForward@" + text)), ratio(fast, gemm));
        }
        Double peak = ms.get("peakSgemm@" + Config.SMALL);
        double peakFlops = 2.0 * GemmBenchmark.PEAK_SIZE * GemmBenchmark.PEAK_SIZE * GemmBenchmark.PEAK_SIZE;
        System.out.println();
        System.out.printf("Peak: one %d³ sgemm takes %s ms = %s GFLOP/s.%n", GemmBenchmark.PEAK_SIZE, format(peak),
                gflops(peakFlops, peak));
        System.out.println();
        System.out.println("### Thread settings (libnd4j / OpenBLAS threads), fast forward + backward, ms");
        System.out.println();
        System.out.println("| N×T×D×H | 1/2 | 2/2 | 1/1 | 2/1 |");
        System.out.println("|---|---|---|---|---|");
        for (String text : new String[] {Config.SMALL, Config.LARGE}) {
            StringBuilder row = new StringBuilder("| " + text + " |");
            for (String threads : new String[] {"1/2", "2/2", "1/1", "2/1"}) {
                String key = "fastForwardBackward@" + text + "@" + threads;
                row.append(' ').append(timed(ms.get(key), error.get(key))).append(" |");
            }
            System.out.println(row);
        }
    }

    private static Collection<RunResult> run(boolean quick, ChainedOptionsBuilder options) throws Exception {
        options.shouldFailOnError(true);
        if (quick) {
            options.warmupIterations(2).warmupTime(TimeValue.seconds(1)).measurementIterations(3)
                    .measurementTime(TimeValue.seconds(1));
        }
        return new Runner(options.build()).run();
    }

    // ---- in-process: CPU time of the calling thread ----

    private static void cpu(boolean quick) {
        System.setProperty(Threads.ND4J_THREADS_PROPERTY, "1");
        System.setProperty(Threads.BLAS_THREADS_PROPERTY, "1");
        System.out.println();
        System.out.println("### Forward + backward, CPU time of the calling thread per call, single-threaded ("
                + Threads.apply(System.getProperties(), System.getenv()) + ")");
        System.out.println();
        System.out.println("| N×T×D×H | fast CPU ms | fast GFLOP/s per core | reference CPU ms | reference / fast | DL4J CPU ms"
                + " | DL4J / fast | gate GEMMs alone CPU ms | fast / GEMMs |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        int reps = quick ? 5 : 10;
        for (String text : CONFIGS) {
            Config c = Config.parse(text);
            INDArray x = Inputs.gaussian(2, 1.0, c.batch(), c.steps(), c.input());
            INDArray dy = Inputs.gaussian(3, 0.1, c.batch(), c.steps(), c.hidden());
            RecurrentLayer<LstmCell.Cache> layer = new RecurrentLayer<>(new LstmCell(c.input(), c.hidden(), DataType.FLOAT, 1));
            FastRecurrentLayer<LstmCell.Cache> fast = new FastRecurrentLayer<>(layer);
            Dl4jBenchmark dl4j = new Dl4jBenchmark();
            dl4j.config = text;
            dl4j.threads = "fast";
            dl4j.setUp();
            GateGemms gemms = new GateGemms(c);
            double fastMs = cpuMs(reps, () -> fast.backward(dy, null, fast.forward(x).cache()));
            Double referenceMs = text.equals(Config.LARGE) ? null
                    : cpuMs(Math.max(2, reps / 3), () -> layer.backward(dy, null, layer.forward(x).cache()));
            double dl4jMs = cpuMs(reps, dl4j::dl4jForwardBackward);
            double gemmMs = cpuMs(reps, () -> {
                gemms.forward();
                gemms.backward();
                return null;
            });
            System.out.printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", text, format(fastMs),
                    gflops(c.trainingFlops(), fastMs), referenceMs == null ? "not run" : format(referenceMs),
                    ratio(referenceMs, fastMs), format(dl4jMs), ratio(dl4jMs, fastMs), format(gemmMs), ratio(fastMs, gemmMs));
        }
    }

    /** @return the smallest CPU time of one call over the repetitions, after as many warm-up calls, in ms */
    private static double cpuMs(int reps, Supplier<?> call) {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < reps; i++) {
            call.get();
        }
        double best = Double.MAX_VALUE;
        for (int i = 0; i < reps; i++) {
            long start = bean.getCurrentThreadCpuTime();
            call.get();
            best = Math.min(best, (bean.getCurrentThreadCpuTime() - start) / 1e6);
        }
        return best;
    }

    private static String timed(Double ms, Double error) {
        if (ms == null) {
            return "not run";
        }
        return error == null || error.isNaN() ? format(ms) : format(ms) + " ± " + format(error);
    }

    private static String format(Double ms) {
        if (ms == null) {
            return "not run";
        }
        return ms >= 100 ? String.format("%.0f", ms) : ms >= 10 ? String.format("%.1f", ms) : String.format("%.2f", ms);
    }

    private static String tokens(Config c, Double ms) {
        return ms == null ? "" : String.format("%,.0f", c.tokens() / (ms / 1000.0));
    }

    private static String gflops(double flops, Double ms) {
        return ms == null ? "" : String.format("%.1f", flops / (ms / 1000.0) / 1e9);
    }

    private static String ratio(Double numerator, Double denominator) {
        return numerator == null || denominator == null ? "" : String.format("%.1f×", numerator / denominator);
    }

    /** @return the 1-, 5- and 15-minute load averages, from /proc/loadavg */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

}

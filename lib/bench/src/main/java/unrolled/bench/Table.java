package unrolled.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
 * Runs the benchmarks and prints one Markdown table per mode: configuration × implementation (this library's fast path,
 * its reference path, DL4J, PyTorch), with time per call and per step, tokens/s, GFLOP/s and the ratios, plus OpenBLAS's
 * peak sgemm rate and the load average (the machine may be shared, so a figure means little without it).
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp lib/bench/target/benchmarks.jar unrolled.bench.Table [options]
 *     --quick          JMH 2 warm-up + 3 measured iterations of 1 s (default 4 + 5), PyTorch 3 rounds (default 5)
 *     --rounds K       run everything K times and report mean ± standard deviation over the rounds (default 1:
 *                      mean ± JMH's 99.9% error)
 *     --python PATH    the Python with torch for pytorch_rnn.py (default: the first of python3, /usr/bin/python3
 *                      that can import torch; PyTorch is left out if none can)
 *     --no-pytorch     leave PyTorch out
 *     --no-reference   leave the (slow) reference path out
 *     --pairs-only     only the interleaved ratio table (see {@link Pairs}); --no-pairs leaves it out
 *     --pair-rounds R  rounds of the interleaved measurement (default 5, 3 with --quick)
 *     --slice S        seconds per slice of the interleaved measurement (default 1, 0.5 with --quick)
 *     --baseline OLD.jar  also the fast path of an older build of the library, interleaved the same way, and a
 *                      table of both (the "before" and "after" of a change)
 *     --fast-only      in the interleaved part, leave out the fast path with its results kept and DL4J
 *     --cpu            only the single-thread CPU-time table of the LSTM (about a minute)
 * </pre>
 *
 * <p>The JMH part measures wall-clock time per call (average over the measurement iterations), each benchmark in its
 * own JVM, one after the other; PyTorch runs after JMH in each round, so that the ratios of a round compare
 * measurements taken minutes apart under similar load. The CPU part runs in this JVM with one OpenBLAS thread and one
 * libnd4j thread, and reports the calling thread's CPU time per call (the minimum of several calls): a figure that
 * other users' load inflates much less than wall time, for comparing the implementations' work.
 */
public final class Table {

    private static final String[] CONFIGS = {Config.SMALL, Config.LARGE, Config.LONG};
    private static final String[] IMPLEMENTATIONS = {"fast", "reference", "dl4j", "pytorch"};

    private Table() {
    }

    /** @param args see the class comment */
    public static void main(String[] args) throws Exception {
        List<String> options = List.of(args);
        boolean quick = options.contains("--quick");
        System.out.println("load average before: " + loadAverage() + "  (" + Runtime.getRuntime().availableProcessors()
                + " CPUs)");
        // the JMH forks add the Vector API's module themselves; the interleaved part runs in this JVM
        System.out.println("element-wise gate maths in this JVM: " + FastRecurrentLayer.elementwiseUnits());
        if (options.contains("--cpu")) {
            cpu(quick);
            System.out.println("load average after: " + loadAverage());
            return;
        }
        int rounds = options.contains("--rounds") ? Integer.parseInt(options.get(options.indexOf("--rounds") + 1)) : 1;
        String python = options.contains("--no-pytorch") ? null
                : options.contains("--python") ? options.get(options.indexOf("--python") + 1) : findPython();
        boolean reference = !options.contains("--no-reference");
        if (!options.contains("--pairs-only")) {
            wallTimes(quick, rounds, python, reference);
        }
        if (!options.contains("--no-pairs")) {
            int pairRounds = options.contains("--pair-rounds")
                    ? Integer.parseInt(options.get(options.indexOf("--pair-rounds") + 1)) : quick ? 3 : 5;
            double slice = options.contains("--slice")
                    ? Double.parseDouble(options.get(options.indexOf("--slice") + 1)) : quick ? 0.5 : 1.0;
            System.out.println();
            System.out.println("interleaved measurement: " + pairRounds + " rounds of " + slice + " s slices, load average "
                    + loadAverage());
            double peakBefore = peakGflops();
            String baselineJar = options.contains("--baseline") ? options.get(options.indexOf("--baseline") + 1) : null;
            List<Pairs.Measurement> pairs = new Pairs(pairRounds, slice, python, baselineJar, options.contains("--fast-only"))
                    .run(CONFIGS);
            double peakAfter = peakGflops();
            printPairs(pairs, pairRounds, slice, peakBefore, peakAfter);
            if (baselineJar != null) {
                printBaseline(pairs, baselineJar);
            }
        }
        System.out.println();
        System.out.println("load average after: " + loadAverage());
    }

    private static void wallTimes(boolean quick, int rounds, String python, boolean reference) throws Exception {
        Results results = new Results();
        for (int round = 0; round < rounds; round++) {
            System.out.println("round " + (round + 1) + " of " + rounds + ", load average " + loadAverage());
            jmh(quick, reference, results, round);
            if (python != null) {
                pytorch(python, quick, results, round);
            }
            System.out.println("round " + (round + 1) + " done, load average " + loadAverage());
        }
        print(results, rounds, python != null);
    }

    // ---- interleaved ratios ----

    /** @return the best GFLOP/s of a few 1024³ sgemm calls in this JVM, with every BLAS thread */
    static double peakGflops() {
        GemmBenchmark gemm = new GemmBenchmark();
        gemm.config = Config.SMALL;
        gemm.setUp();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 8; i++) {
            long start = System.nanoTime();
            gemm.peakSgemm();
            best = Math.min(best, (System.nanoTime() - start) / 1e6);
        }
        return 2.0 * GemmBenchmark.PEAK_SIZE * GemmBenchmark.PEAK_SIZE * GemmBenchmark.PEAK_SIZE / (best / 1000.0) / 1e9;
    }

    private static void printPairs(List<Pairs.Measurement> pairs, int rounds, double slice, double peakBefore, double peakAfter) {
        double peak = Math.max(peakBefore, peakAfter);
        System.out.println();
        System.out.printf("### Interleaved: %d rounds of %.1f s per implementation; times are medians over the rounds, ratios"
                + " the mean ± standard deviation of the per-round ratios%n", rounds, slice);
        System.out.println();
        System.out.printf("Peak sgemm in this JVM (best of 8 calls of 1024³): %.1f GFLOP/s before, %.1f after.%n", peakBefore,
                peakAfter);
        for (String mode : new String[] {"train", "infer"}) {
            System.out.println();
            System.out.println(mode.equals("train") ? "#### Training step: forward + backward, FLOAT" : "#### Inference: forward only, FLOAT");
            System.out.println();
            System.out.println("| cell | N×T×D×H | fast ms | fast ms/step | fast tokens/s | fast GFLOP/s (% of peak) | DL4J ms"
                    + " | PyTorch ms | DL4J / fast | PyTorch / fast | fast ms, results kept | PyTorch / fast, results kept"
                    + " | fast CPU ms | DL4J CPU ms | PyTorch CPU ms (1 thread) | DL4J / fast CPU | PyTorch / fast CPU |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            for (Pairs.Measurement m : pairs) {
                if (!m.mode().equals(mode)) {
                    continue;
                }
                Config c = Config.parse(m.config());
                double[] fast = m.times().get("fast");
                double fastMs = median(fast);
                double flops = mode.equals("train") ? c.trainingFlops(m.cell()) : c.forwardFlops(m.cell());
                double rate = flops / (fastMs / 1000.0) / 1e9;
                System.out.printf("| %s | %s | %s | %s | %,.0f | %.1f (%.0f%%) | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                        m.cell(), m.config(), format(fastMs), format(fastMs / c.steps()), c.tokens() / (fastMs / 1000.0),
                        rate, 100 * rate / peak, medianOf(m.times(), "dl4j"), medianOf(m.times(), "pytorch"),
                        roundRatio(m.times().get("dl4j"), fast), roundRatio(m.times().get("pytorch"), fast),
                        medianOf(m.times(), "fast-kept"), roundRatio(m.times().get("pytorch"), m.times().get("fast-kept")),
                        medianOf(m.cpu(), "fast"), medianOf(m.cpu(), "dl4j"), medianOf(m.cpu(), "pytorch"),
                        roundRatio(m.cpu().get("dl4j"), m.cpu().get("fast")),
                        roundRatio(m.cpu().get("pytorch"), m.cpu().get("fast")));
            }
        }
    }

    /** The fast path before (the baseline jar) and now, side by side. */
    private static void printBaseline(List<Pairs.Measurement> pairs, String baselineJar) {
        System.out.println();
        System.out.println("#### The fast path before (" + baselineJar + ") and now, interleaved");
        System.out.println();
        System.out.println("| mode | cell | N×T×D×H | now ms | before ms | before / now | now CPU ms | before CPU ms"
                + " | before / now CPU |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Pairs.Measurement m : pairs) {
            System.out.printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", m.mode(), m.cell(), m.config(),
                    medianOf(m.times(), "fast"), medianOf(m.times(), "baseline"),
                    roundRatio(m.times().get("baseline"), m.times().get("fast")), medianOf(m.cpu(), "fast"),
                    medianOf(m.cpu(), "baseline"), roundRatio(m.cpu().get("baseline"), m.cpu().get("fast")));
        }
    }

    private static String medianOf(Map<String, double[]> times, String name) {
        return times.containsKey(name) ? format(median(times.get(name))) : "";
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The per-round ratios other/fast: mean ± standard deviation. */
    private static String roundRatio(double[] other, double[] fast) {
        if (other == null) {
            return "";
        }
        double[] ratios = new double[fast.length];
        for (int r = 0; r < fast.length; r++) {
            ratios[r] = other[r] / fast[r];
        }
        double mean = java.util.Arrays.stream(ratios).average().orElseThrow();
        return ratios.length == 1 ? String.format("%.2f×", mean) : String.format("%.2f× ± %.2f", mean, deviation(ratios));
    }

    // ---- measuring ----

    /** Every measurement: key "implementation|cell|config|mode" → per round {ms, error}. */
    private static final class Results {
        final Map<String, Map<Integer, double[]>> byKey = new HashMap<>();
        String torch = "";

        void put(String key, int round, double ms, double error) {
            byKey.computeIfAbsent(key, k -> new HashMap<>()).put(round, new double[] {ms, error});
        }

        Map<Integer, double[]> get(String implementation, String cell, String config, String mode) {
            return byKey.getOrDefault(implementation + "|" + cell + "|" + config + "|" + mode, Map.of());
        }
    }

    private static void jmh(boolean quick, boolean reference, Results results, int round) throws Exception {
        // the training-loop variants, which give each call's results back (Pairs measures the fast path both ways)
        List<RunResult> runs = new ArrayList<>(run(quick, new OptionsBuilder()
                .include(FastBenchmark.class.getSimpleName() + "\\..*Released$")));
        if (reference) {
            runs.addAll(run(quick, new OptionsBuilder().include(ReferenceBenchmark.class.getSimpleName())));
        }
        // DL4J with the library's thread settings: with its defaults (libnd4j and OpenBLAS both on every core) its LSTM
        // took 14 to 60 s per call at 64x100x128x256 on the loaded machine, against under 1 s of CPU time
        runs.addAll(run(quick, new OptionsBuilder().include(Dl4jBenchmark.class.getSimpleName() + "\\..*Released$")
                .param("threads", "fast")));
        runs.addAll(run(quick, new OptionsBuilder().include(GemmBenchmark.class.getSimpleName() + ".peakSgemm")
                .param("config", Config.SMALL)));
        for (RunResult result : runs) {
            String name = result.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1).replace("Released", "");
            String cell = result.getParams().getParam("cell");
            String config = result.getParams().getParam("config");
            String implementation = name.startsWith("fast") ? "fast" : name.startsWith("reference") ? "reference"
                    : name.startsWith("dl4j") ? "dl4j" : "sgemm";
            String mode = name.endsWith("Inference") ? "infer" : "train";
            results.put(implementation + "|" + (cell == null ? "-" : cell) + "|" + config + "|" + mode, round,
                    result.getPrimaryResult().getScore(), result.getPrimaryResult().getScoreError());
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

    /** Runs pytorch_rnn.py (next to this build's pom.xml) and reads its tab-separated lines. */
    private static void pytorch(String python, boolean quick, Results results, int round) throws Exception {
        Path script = Path.of("lib", "bench", "pytorch_rnn.py");
        if (!Files.exists(script)) {
            script = Path.of("pytorch_rnn.py");
        }
        List<String> command = new ArrayList<>(List.of(python, script.toString()));
        if (quick) {
            command.add("--quick");
        }
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                System.out.println(line);
                if (line.startsWith("#")) {
                    results.torch = line.substring(1).trim();
                    continue;
                }
                String[] f = line.split("\t");
                if (f.length >= 6 && f[0].equals("pytorch")) {
                    results.put("pytorch|" + f[1] + "|" + f[2] + "|" + f[3], round, Double.parseDouble(f[4]),
                            Double.parseDouble(f[5]));
                }
            }
        }
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + process.exitValue());
        }
    }

    /** @return the first Python on the list that can import torch, or null */
    private static String findPython() {
        for (String python : new String[] {"python3", "/usr/bin/python3"}) {
            try {
                Process process = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (process.waitFor() == 0) {
                    return python;
                }
            } catch (Exception e) {
                // not there: try the next
            }
        }
        System.out.println("no Python with torch found: PyTorch is left out (see lib/bench/README.md)");
        return null;
    }

    // ---- the tables ----

    private static void print(Results results, int rounds, boolean withTorch) {
        Map<Integer, double[]> peak = results.get("sgemm", "-", Config.SMALL, "train");
        double peakFlops = 2.0 * GemmBenchmark.PEAK_SIZE * GemmBenchmark.PEAK_SIZE * GemmBenchmark.PEAK_SIZE;
        Double peakMs = mean(peak);
        Double peakGflops = peakMs == null ? null : peakFlops / (peakMs / 1000.0) / 1e9;
        System.out.println();
        System.out.println(rounds == 1 ? "Times: mean ± JMH's 99.9% error (PyTorch: the same over its rounds)."
                : "Times and ratios: mean ± standard deviation over " + rounds + " rounds.");
        if (withTorch) {
            System.out.println("PyTorch: " + results.torch + ".");
        }
        System.out.printf("Peak: one %d³ sgemm in %s ms = %s GFLOP/s (OpenBLAS, every core).%n", GemmBenchmark.PEAK_SIZE,
                timed(peak, rounds), peakGflops == null ? "?" : String.format("%.1f", peakGflops));
        for (String mode : new String[] {"train", "infer"}) {
            System.out.println();
            System.out.println(mode.equals("train") ? "### Training step: forward + backward (dx and every weight's gradient), FLOAT"
                    : "### Inference: forward only, FLOAT");
            System.out.println();
            System.out.println("| cell | N×T×D×H | fast ms | fast ms/step | fast tokens/s | fast GFLOP/s (% of peak) | reference ms"
                    + " | DL4J ms | PyTorch ms | reference / fast | DL4J / fast | PyTorch / fast |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
            for (Cell cell : Cell.values()) {
                for (String text : CONFIGS) {
                    Config c = Config.parse(text);
                    Map<Integer, double[]> fast = results.get("fast", cell.name(), text, mode);
                    Double fastMs = mean(fast);
                    double flops = mode.equals("train") ? c.trainingFlops(cell) : c.forwardFlops(cell);
                    String gflops = "";
                    if (fastMs != null) {
                        double rate = flops / (fastMs / 1000.0) / 1e9;
                        gflops = String.format("%.1f", rate) + (peakGflops == null ? "" : String.format(" (%.0f%%)", 100 * rate / peakGflops));
                    }
                    StringBuilder row = new StringBuilder("| " + cell + " | " + text + " | " + timed(fast, rounds) + " | "
                            + (fastMs == null ? "" : format(fastMs / c.steps())) + " | "
                            + (fastMs == null ? "" : String.format("%,.0f", c.tokens() / (fastMs / 1000.0))) + " | " + gflops + " |");
                    for (String other : new String[] {"reference", "dl4j", "pytorch"}) {
                        row.append(' ').append(timed(results.get(other, cell.name(), text, mode), rounds)).append(" |");
                    }
                    for (String other : new String[] {"reference", "dl4j", "pytorch"}) {
                        row.append(' ').append(ratio(results.get(other, cell.name(), text, mode), fast)).append(" |");
                    }
                    System.out.println(row);
                }
            }
        }
        System.out.println();
        System.out.println("(" + String.join(", ", IMPLEMENTATIONS) + ": blank where not run: the reference path only at the"
                + " small sizes, DL4J has no GRU layer.)");
    }

    private static Double mean(Map<Integer, double[]> byRound) {
        if (byRound.isEmpty()) {
            return null;
        }
        return byRound.values().stream().mapToDouble(v -> v[0]).average().orElseThrow();
    }

    /** mean ± error: JMH's error for one round, the standard deviation over the rounds for several. */
    private static String timed(Map<Integer, double[]> byRound, int rounds) {
        if (byRound.isEmpty()) {
            return "";
        }
        double mean = mean(byRound);
        double error = byRound.size() == 1 ? byRound.values().iterator().next()[1]
                : deviation(byRound.values().stream().mapToDouble(v -> v[0]).toArray());
        return Double.isNaN(error) ? format(mean) : format(mean) + " ± " + format(error);
    }

    /** The ratio of the other's time to the fast path's, round by round; mean ± standard deviation over rounds. */
    private static String ratio(Map<Integer, double[]> other, Map<Integer, double[]> fast) {
        List<Double> ratios = new ArrayList<>();
        for (Map.Entry<Integer, double[]> entry : other.entrySet()) {
            double[] f = fast.get(entry.getKey());
            if (f != null) {
                ratios.add(entry.getValue()[0] / f[0]);
            }
        }
        if (ratios.isEmpty()) {
            return "";
        }
        double mean = ratios.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        String text = String.format("%.2f×", mean);
        return ratios.size() == 1 ? text : text + String.format(" ± %.2f", deviation(ratios.stream().mapToDouble(Double::doubleValue).toArray()));
    }

    private static double deviation(double[] values) {
        double mean = java.util.Arrays.stream(values).average().orElse(Double.NaN);
        double sum = 0;
        for (double v : values) {
            sum += (v - mean) * (v - mean);
        }
        return Math.sqrt(sum / (values.length - 1));
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

    private static String format(Double ms) {
        if (ms == null) {
            return "not run";
        }
        return ms >= 100 ? String.format("%.0f", ms) : ms >= 10 ? String.format("%.1f", ms) : String.format("%.2f", ms);
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

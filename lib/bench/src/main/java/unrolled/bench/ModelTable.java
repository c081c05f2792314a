package unrolled.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * End-to-end: whole models' training steps, Unrolled against the same model in PyTorch, interleaved as {@link Pairs}
 * interleaves the layers (a slice of about a second each, the order rotating every round, each implementation in a
 * process of its own: {@link ModelWorker} and {@code pytorch_models.py --serve} on 1 thread and on every core).
 * First it prints the machine's limits: the CPU's vector extensions, the Vector API's preferred vector width in this
 * JVM and the peak sgemm rate; each model's row gives its rate in that peak's terms.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp lib/bench/target/benchmarks.jar unrolled.bench.ModelTable \
 *       [--rounds R] [--slice S] [--warm-up W] [--python PATH] [--models charlm-train,classifier-train,...]
 *       [--baseline OLD.jar]                   also an older build of the library, interleaved the same way (the
 *                                              "before" of a change: its ModelWorker has OLD.jar first on its class path)
 *   ... unrolled.bench.ModelTable --check       the Java models' parameter counts (pytorch_models.py --check prints
 *                                              PyTorch's)
 * </pre>
 */
public final class ModelTable {

    private ModelTable() {
    }

    /** @param args the options above */
    public static void main(String[] args) {
        List<String> options = Arrays.asList(args);
        int rounds = option(options, "--rounds", 5);
        double slice = option(options, "--slice", 1.0);
        // each subject runs this long on a model before its rounds: the JIT's optimising compiler needs seconds to
        // compile a step's vector loops (interpreted, a Vector API loop is a hundred times slower), and a 1 s warm-up
        // left part of the first rounds to the compiler
        double warmUp = option(options, "--warm-up", 10.0);
        String python = options.contains("--python") ? options.get(options.indexOf("--python") + 1) : "/usr/bin/python3";
        List<String> models = options.contains("--models")
                ? Arrays.asList(options.get(options.indexOf("--models") + 1).split(",")) : Models.NAMES;
        if (options.contains("--check")) {
            // the parameter counts, to compare with pytorch_models.py --check
            Models.NAMES.forEach(name -> System.out.println(name + "\tparameters " + Models.parameterCount(name)));
            return;
        }
        System.out.println("CPU vector extensions: " + vectorExtensions());
        System.out.println("JVM preferred vector: " + preferredVector());
        double peakBefore = Table.peakGflops();
        System.out.println(String.format(Locale.ROOT, "peak sgemm (1024³, every core): %.1f GFLOP/s; load %s", peakBefore,
                Table.loadAverage()));
        Map<String, Map<String, double[][]>> all = new LinkedHashMap<>();
        String startLoad = Table.loadAverage();
        Path script = Files.exists(Path.of("lib", "bench", "pytorch_models.py")) ? Path.of("lib", "bench", "pytorch_models.py")
                : Path.of("pytorch_models.py");
        int cores = Runtime.getRuntime().availableProcessors();
        String baselineJar = options.contains("--baseline") ? options.get(options.indexOf("--baseline") + 1) : null;
        try (Server java = new Server("ModelWorker", worker(null));
                Server baseline = baselineJar == null ? null : new Server("baseline ModelWorker", worker(baselineJar));
                Server torch = new Server(script + " --serve", List.of(python, script.toString(), "--serve"))) {
            System.out.println("Unrolled: " + java.description + "; PyTorch: " + torch.description
                    + (baseline == null ? "" : "; baseline: " + baselineJar));
            for (String model : models) {
                Map<String, Pairs.Subject> subjects = new LinkedHashMap<>();
                subjects.put("unrolled", s -> java.slice(model + " " + s));
                if (baseline != null) {
                    subjects.put("baseline", s -> baseline.slice(model + " " + s));
                }
                subjects.put("pytorch1", s -> torch.slice(model + " 1 " + s));
                subjects.put("pytorch" + cores, s -> torch.slice(model + " " + cores + " " + s));
                subjects.values().forEach(subject -> subject.slice(warmUp));
                Map<String, double[][]> times = new LinkedHashMap<>();
                subjects.keySet().forEach(name -> times.put(name, new double[rounds][]));
                List<String> order = new ArrayList<>(subjects.keySet());
                for (int round = 0; round < rounds; round++) {
                    for (int k = 0; k < order.size(); k++) {
                        String name = order.get((k + round) % order.size());
                        times.get(name)[round] = subjects.get(name).slice(slice);
                    }
                }
                all.put(model, times);
                System.out.println("measured " + model + ", load " + Table.loadAverage() + ":");
                // each row as soon as it is measured: a long run on a busy machine keeps what it has
                printRow(model, times, rounds, peakBefore);
            }
        }
        double peakAfter = Table.peakGflops();
        print(all, rounds, slice, Math.max(peakBefore, peakAfter), startLoad);
    }

    private static void print(Map<String, Map<String, double[][]>> all, int rounds, double slice, double peak, String startLoad) {
        System.out.println();
        System.out.println(String.format(Locale.ROOT, "### Whole training steps, FLOAT (%d interleaved rounds of %.1f s slices; "
                + "load %s at the start, %s at the end; peak sgemm %.1f GFLOP/s)", rounds, slice, startLoad,
                Table.loadAverage(), peak));
        System.out.println();
        System.out.println("| model | Unrolled ms (median, lowest–highest) | PyTorch ms (median of the faster of 1 and every "
                + "thread) | PyTorch / Unrolled (median, lowest–highest) | Unrolled GFLOP/s (% of peak) | Unrolled CPU ms | "
                + "PyTorch CPU ms (1 thread) | baseline ms | baseline CPU ms | baseline / Unrolled (median, lowest–highest) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        all.forEach((model, times) -> printRow(model, times, rounds, peak));
    }

    private static void printRow(String model, Map<String, double[][]> times, int rounds, double peak) {
        {
            double[] ours = column(times.get("unrolled"), 0);
            double[] theirs = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                theirs[r] = Double.MAX_VALUE;
                for (Map.Entry<String, double[][]> entry : times.entrySet()) {
                    if (entry.getKey().startsWith("pytorch")) {
                        theirs[r] = Math.min(theirs[r], entry.getValue()[r][0]);
                    }
                }
            }
            double[] ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratios[r] = theirs[r] / ours[r];
            }
            double rate = Models.flops(model) / (median(ours) / 1000) / 1e9;
            String baseline = " | | |";
            if (times.containsKey("baseline")) {
                double[] before = column(times.get("baseline"), 0);
                double[] speedUps = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    speedUps[r] = before[r] / ours[r];
                }
                baseline = String.format(Locale.ROOT, " | %.2f | %.2f | %.2f× (%.2f–%.2f) |", median(before),
                        median(column(times.get("baseline"), 1)), median(speedUps), min(speedUps), max(speedUps));
            }
            System.out.println(String.format(Locale.ROOT, "| %s | %.2f (%.2f–%.2f) | %.2f | %.2f× (%.2f–%.2f) | %.2f (%.1f%%) | %.2f "
                    + "| %.2f", model, median(ours), min(ours), max(ours), median(theirs), median(ratios), min(ratios),
                    max(ratios), rate, 100 * rate / peak, median(column(times.get("unrolled"), 1)),
                    median(column(times.get("pytorch1"), 1))) + baseline);
        }
    }

    private static double[] column(double[][] rows, int k) {
        return Arrays.stream(rows).mapToDouble(row -> row[k]).toArray();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    /** @return the SSE/AVX family flags of /proc/cpuinfo (Linux), or why not */
    static String vectorExtensions() {
        try {
            TreeSet<String> flags = new TreeSet<>();
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    for (String flag : line.substring(line.indexOf(':') + 1).trim().split(" ")) {
                        if (flag.startsWith("avx") || flag.startsWith("sse") || flag.equals("fma") || flag.startsWith("amx")) {
                            flags.add(flag);
                        }
                    }
                }
            }
            return String.join(" ", flags);
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** @return FloatVector.SPECIES_PREFERRED in this JVM, or that the Vector API's module is not there */
    static String preferredVector() {
        try {
            Object species = Class.forName("jdk.incubator.vector.FloatVector").getField("SPECIES_PREFERRED").get(null);
            int bits = (int) Class.forName("jdk.incubator.vector.VectorSpecies").getMethod("vectorBitSize").invoke(species);
            return species + " (" + bits + " bits)";
        } catch (ReflectiveOperationException | LinkageError e) {
            return "none: the JVM runs without --add-modules jdk.incubator.vector";
        }
    }

    private static <T extends Number> T option(List<String> options, String name, T fallback) {
        if (!options.contains(name)) {
            return fallback;
        }
        String value = options.get(options.indexOf(name) + 1);
        @SuppressWarnings("unchecked")
        T parsed = (T) (fallback instanceof Integer ? Integer.valueOf(value) : (Number) Double.valueOf(value));
        return parsed;
    }

    /** @param firstJar a library jar to put before the class path (an older build, the baseline), or null */
    private static List<String> worker(String firstJar) {
        return Pairs.jvm(ModelWorker.class, firstJar);
    }
}

package unrolled.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ratios on a shared machine: the implementations take turns, a timed slice of about a second each, round after round
 * (fast path, the fast path with its results kept, DL4J, PyTorch on 1 thread, PyTorch on every core; the order rotates
 * every round), so that each round's ratios compare measurements taken seconds apart under nearly the same load. The
 * load changes over minutes; a benchmark run that measures one implementation after another for minutes each compares
 * different machines.
 *
 * <p>Each implementation runs in a process of its own that answers one slice per request: the fast path and DL4J each
 * in a {@link Worker} JVM (with the library's thread settings and the Vector API's module), PyTorch in a
 * {@code pytorch_rnn.py --serve} process. (Until the fast path and DL4J had processes of their own, they shared this
 * JVM, and each one's garbage and collections fell into the other's slices.) Each implementation first gets one
 * untimed slice (JIT, allocations). A slice runs the call until at least the slice time has passed and reports the mean time per call.
 * PyTorch's figure in a round is the faster of its two thread settings.
 *
 * <p>Every implementation lets go of a call's results before the next call: PyTorch by dropping its references
 * (its caching allocator then hands the same memory to the next call), the fast path and DL4J by closing them, as a
 * Java training loop does once it has used them. "fast-kept" is the fast path whose caller never closes anything, so
 * that ND4J frees the memory only when the garbage collector runs and most calls write to fresh memory: what the
 * difference costs, on this machine.
 */
final class Pairs {

    /**
     * One implementation at one size and mode: runs calls for a while and returns the mean wall time and the mean CPU
     * time of the whole process (every thread) per call, in ms.
     */
    @FunctionalInterface
    interface Subject {
        double[] slice(double seconds);
    }

    /**
     * The measured times of one cell × size × mode, per implementation, one entry per round: wall times, and CPU
     * times of the process (the work done, which other users' load inflates far less).
     */
    record Measurement(Cell cell, String config, String mode, Map<String, double[]> times, Map<String, double[]> cpu) {
    }

    private final int rounds;
    private final double seconds;
    private final String python;
    private final String baselineJar;
    private final boolean fastOnly;
    private Server fast;
    private Server baseline;
    private Server fastKept;
    private Server dl4j;
    private Server torch;

    /**
     * @param rounds R, the number of rounds
     * @param seconds the length of a slice
     * @param python the Python with torch, or null to leave PyTorch out
     * @param baselineJar an older build of the library whose fast path is measured too ("baseline": its worker has the
     *     jar first on its class path), or null
     * @param fastOnly true to leave out the fast path with its results kept and DL4J
     */
    Pairs(int rounds, double seconds, String python, String baselineJar, boolean fastOnly) {
        this.rounds = rounds;
        this.seconds = seconds;
        this.python = python;
        this.baselineJar = baselineJar;
        this.fastOnly = fastOnly;
    }

    /** @return the measurements of every cell at every size in both modes */
    List<Measurement> run(String[] configs) {
        List<Measurement> all = new ArrayList<>();
        try {
            fast = new Server("the fast path's worker JVM", worker("fast"));
            if (!fastOnly) {
                fastKept = new Server("the worker JVM of the fast path with its results kept", worker("fast-kept"));
                dl4j = new Server("DL4J's worker JVM", worker("dl4j"));
                System.out.println("workers: " + fast.description + "; " + fastKept.description + "; " + dl4j.description);
            }
            if (baselineJar != null) {
                baseline = new Server("the baseline's worker JVM", jvm(Worker.class, baselineJar, "fast"));
                System.out.println("baseline: " + baselineJar + "; " + baseline.description);
            }
            if (python != null) {
                Path script = Files.exists(Path.of("lib", "bench", "pytorch_rnn.py")) ? Path.of("lib", "bench", "pytorch_rnn.py")
                        : Path.of("pytorch_rnn.py");
                torch = new Server(script + " --serve", List.of(python, script.toString(), "--serve"));
                System.out.println("PyTorch: " + torch.description);
            }
            for (Cell cell : Cell.values()) {
                for (String config : configs) {
                    for (String mode : new String[] {"train", "infer"}) {
                        all.add(measure(cell, config, mode));
                    }
                }
            }
        } finally {
            for (Server server : new Server[] {fast, fastKept, dl4j, torch, baseline}) {
                if (server != null) {
                    server.close();
                }
            }
        }
        return all;
    }

    /** @return the command of a {@link Worker} JVM: this JVM's java and class path, the Vector API, our properties */
    private static List<String> worker(String implementation) {
        return jvm(Worker.class, null, implementation);
    }

    /**
     * @param main the main class
     * @param firstJar a jar to put before this JVM's class path, or null
     * @param args its arguments
     * @return the command of a JVM like this one (its java and class path, the Vector API's module, our properties)
     */
    static List<String> jvm(Class<?> main, String firstJar, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("unrolled.")).sorted()
                .forEach(name -> command.add("-D" + name + "=" + System.getProperty(name)));
        command.add("-cp");
        command.add((firstJar == null ? "" : firstJar + java.io.File.pathSeparator) + System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(Arrays.asList(args));
        return command;
    }

    private Measurement measure(Cell cell, String config, String mode) {
        Map<String, Subject> subjects = new LinkedHashMap<>();
        String request = cell + " " + config + " " + mode;
        subjects.put("fast", s -> fast.slice(request + " " + s));
        if (baseline != null) {
            subjects.put("baseline", s -> baseline.slice(request + " " + s));
        }
        if (fastKept != null) {
            subjects.put("fast-kept", s -> fastKept.slice(request + " " + s));
        }
        if (dl4j != null && cell != Cell.GRU) {
            subjects.put("dl4j", s -> dl4j.slice(request + " " + s));
        }
        if (torch != null) {
            subjects.put("pytorch1", s -> torch.slice(request + " 1 " + s));
            int cores = Runtime.getRuntime().availableProcessors();
            subjects.put("pytorch" + cores, s -> torch.slice(request + " " + cores + " " + s));
        }
        for (Subject subject : subjects.values()) {
            subject.slice(seconds);
        }
        Map<String, double[]> times = new LinkedHashMap<>();
        Map<String, double[]> cpu = new LinkedHashMap<>();
        subjects.keySet().forEach(name -> times.put(name, new double[rounds]));
        subjects.keySet().forEach(name -> cpu.put(name, new double[rounds]));
        List<String> order = new ArrayList<>(subjects.keySet());
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < order.size(); k++) {
                String name = order.get((k + round) % order.size());
                double[] slice = subjects.get(name).slice(seconds);
                times.get(name)[round] = slice[0];
                cpu.get(name)[round] = slice[1];
            }
        }
        if (torch != null) {
            // PyTorch's figure per round: the faster of its thread settings
            double[] best = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                best[round] = Double.MAX_VALUE;
                for (String name : order) {
                    if (name.startsWith("pytorch")) {
                        best[round] = Math.min(best[round], times.get(name)[round]);
                    }
                }
            }
            times.put("pytorch", best);
            // its work: on one thread (more threads only add waiting)
            cpu.put("pytorch", cpu.get("pytorch1"));
        }
        Measurement measurement = new Measurement(cell, config, mode, times, cpu);
        System.out.println(String.format(Locale.ROOT, "pairs %s %s %s: wall ", cell, config, mode) + summary(times)
                + "  cpu " + summary(cpu) + "  load " + Table.loadAverage());
        return measurement;
    }

    private static String summary(Map<String, double[]> times) {
        StringBuilder out = new StringBuilder();
        times.forEach((name, values) -> out.append(name).append(' ').append(Arrays.toString(
                Arrays.stream(values).map(v -> Math.round(v * 100) / 100.0).toArray())).append("  "));
        return out.toString().trim();
    }
}

package unrolled.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.fast.FastRecurrentLayer;
import unrolled.recurrent.RecurrentLayer;
import unrolled.tensor.Threads;

/**
 * Ratios on a shared machine: the implementations take turns, a timed slice of about a second each, round after round
 * (fast path, DL4J, PyTorch on 1 thread, PyTorch on every core; the order rotates every round), so that each round's
 * ratios compare measurements taken seconds apart under nearly the same load. The load changes over minutes; a
 * benchmark run that measures one implementation after another for minutes each compares different machines.
 *
 * <p>Java implementations run in this JVM (with the library's thread settings); PyTorch in a {@code pytorch_rnn.py
 * --serve} process that answers one slice per request. Each implementation first gets one untimed slice (JIT,
 * allocations). A slice runs the call until at least the slice time has passed and reports the mean time per call.
 * PyTorch's figure in a round is the faster of its two thread settings.
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
    private final Torch torch;

    /**
     * @param rounds R, the number of rounds
     * @param seconds the length of a slice
     * @param python the Python with torch, or null to leave PyTorch out
     */
    Pairs(int rounds, double seconds, String python) {
        this.rounds = rounds;
        this.seconds = seconds;
        this.torch = python == null ? null : new Torch(python);
        if (torch != null) {
            System.out.println("PyTorch: " + torch.description);
        }
    }

    /** @return the measurements of every cell at every size in both modes */
    List<Measurement> run(String[] configs) {
        Threads.apply();
        List<Measurement> all = new ArrayList<>();
        try {
            for (Cell cell : Cell.values()) {
                for (String config : configs) {
                    for (String mode : new String[] {"train", "infer"}) {
                        all.add(measure(cell, config, mode));
                    }
                }
            }
        } finally {
            if (torch != null) {
                torch.close();
            }
        }
        return all;
    }

    private Measurement measure(Cell cell, String config, String mode) {
        Map<String, Subject> subjects = new LinkedHashMap<>();
        subjects.put("fast", fast(cell, config, mode));
        if (cell != Cell.GRU) {
            subjects.put("dl4j", dl4j(cell, config, mode));
        }
        if (torch != null) {
            subjects.put("pytorch1", s -> torch.slice(cell, config, mode, 1, s));
            int cores = Runtime.getRuntime().availableProcessors();
            subjects.put("pytorch" + cores, s -> torch.slice(cell, config, mode, cores, s));
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

    private static Subject fast(Cell cell, String config, String mode) {
        Config c = Config.parse(config);
        FastRecurrentLayer<Object> fast = new FastRecurrentLayer<>(new RecurrentLayer<>(cell.create(c.input(), c.hidden(), 1)));
        INDArray x = Inputs.gaussian(2, 1.0, c.batch(), c.steps(), c.input());
        INDArray dy = Inputs.gaussian(3, 0.1, c.batch(), c.steps(), c.hidden());
        Runnable call = mode.equals("train") ? () -> fast.backward(dy, null, fast.forward(x).cache()) : () -> fast.infer(x, null);
        return s -> timed(call, s);
    }

    private static Subject dl4j(Cell cell, String config, String mode) {
        Dl4jBenchmark benchmark = new Dl4jBenchmark();
        benchmark.cell = cell.name();
        benchmark.config = config;
        benchmark.threads = "fast";
        benchmark.setUp();
        Runnable call = mode.equals("train") ? benchmark::dl4jForwardBackward : benchmark::dl4jInference;
        return s -> timed(call, s);
    }

    private static final com.sun.management.OperatingSystemMXBean SYSTEM =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /** @return the mean wall time and process CPU time per call, in ms, of calls run for at least the given seconds */
    private static double[] timed(Runnable call, double seconds) {
        long cpu = SYSTEM.getProcessCpuTime();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        int count = 0;
        long now;
        do {
            call.run();
            count++;
            now = System.nanoTime();
        } while (now < end);
        return new double[] {(now - start) / 1e6 / count, (SYSTEM.getProcessCpuTime() - cpu) / 1e6 / count};
    }

    /** The {@code pytorch_rnn.py --serve} process. */
    private static final class Torch implements AutoCloseable {
        private final Process process;
        private final BufferedReader answers;
        private final Writer requests;
        final String description;

        Torch(String python) {
            Path script = Files.exists(Path.of("lib", "bench", "pytorch_rnn.py")) ? Path.of("lib", "bench", "pytorch_rnn.py")
                    : Path.of("pytorch_rnn.py");
            try {
                process = new ProcessBuilder(python, script.toString(), "--serve")
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
                String ready = answers.readLine();
                if (ready == null || !ready.startsWith("ready")) {
                    throw new IllegalStateException(script + " --serve did not start: " + ready);
                }
                description = ready.substring("ready ".length());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        double[] slice(Cell cell, String config, String mode, int threads, double seconds) {
            try {
                requests.write(cell + " " + config + " " + mode + " " + threads + " " + seconds + "\n");
                requests.flush();
                String answer = answers.readLine();
                if (answer == null) {
                    throw new IllegalStateException("pytorch_rnn.py --serve stopped");
                }
                String[] parts = answer.split(" ");
                return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])};
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                requests.close();
                process.waitFor();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

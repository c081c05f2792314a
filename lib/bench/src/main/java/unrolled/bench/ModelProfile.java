package unrolled.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import unrolled.tensor.Threads;

/**
 * The character language model's training step (notebook 10's size: V = 85, embedding 16, one LSTM layer of 128,
 * N = 32, T = 48, FLOAT), or with {@code classifier} the name classifier's (V = 57, embedding 16, LSTM 32, 2 classes,
 * N = 128, T = 8), taken apart: each operation of the step timed on its own, on the same pieces the model is made
 * of, then the whole step as the model and the trainer run it. Prints the median and the spread (lowest–highest) of
 * the per-call wall time over rounds, the median process CPU time per call, and the load average. With an older build
 * of the library first on the class path it profiles the step as that version ran it (parts it lacks are left out).
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp lib/bench/target/benchmarks.jar unrolled.bench.ModelProfile [ROUNDS] [classifier]
 * </pre>
 */
public final class ModelProfile {

    private ModelProfile() {
    }

    /** @param args optional: the number of rounds (default 7), then {@code classifier} for the name classifier's step */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        boolean classifier = args.length > 1 && args[1].equals("classifier");
        Threads.apply();
        Map<String, Runnable> parts = classifier ? new Models.Classifier().parts() : new Models.CharLm().parts();
        Map<String, double[]> times = new LinkedHashMap<>();
        Map<String, double[]> cpu = new LinkedHashMap<>();
        parts.keySet().forEach(name -> times.put(name, new double[rounds]));
        parts.keySet().forEach(name -> cpu.put(name, new double[rounds]));
        for (Runnable part : parts.values()) {
            Worker.timed(part, 1.0, 1);
        }
        String startLoad = Table.loadAverage();
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, Runnable> part : parts.entrySet()) {
                double[] slice = Worker.timed(part.getValue(), 0.5, 1);
                times.get(part.getKey())[round] = slice[0];
                cpu.get(part.getKey())[round] = slice[1];
            }
        }
        System.out.println((classifier ? "# name classifier's step broken down, N×T = 128×8, V = 57, E = 16, LSTM H = 32, 2 classes"
                : "# char-LM step broken down, N×T = 32×48, V = 85, E = 16, LSTM H = 128") + ", FLOAT; " + rounds
                + " rounds; load " + startLoad + " at the start, " + Table.loadAverage() + " at the end");
        System.out.println("| operation | wall ms, median (lowest–highest) | process CPU ms, median |");
        System.out.println("|---|---|---|");
        times.forEach((name, values) -> {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            double[] work = cpu.get(name).clone();
            Arrays.sort(work);
            System.out.println(String.format(Locale.ROOT, "| %s | %.3f (%.3f–%.3f) | %.3f |", name, sorted[sorted.length / 2],
                    sorted[0], sorted[sorted.length - 1], work[work.length / 2]));
        });
    }
}

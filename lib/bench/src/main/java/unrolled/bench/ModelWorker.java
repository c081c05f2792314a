package unrolled.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import unrolled.fast.FastRecurrentLayer;
import unrolled.tensor.Threads;

/**
 * The Java models of {@link ModelTable} in a JVM of their own, as {@link Worker} is for the layers: prints "ready ...",
 * then answers each request line "MODEL SECONDS" with "WALL_MS CPU_MS", the mean wall time and process CPU time per
 * call of calls run for at least that many seconds ({@link Models#call} names the models).
 */
public final class ModelWorker {

    private ModelWorker() {
    }

    /** @param args none */
    public static void main(String[] args) throws IOException {
        Threads.apply();
        System.out.println("ready Unrolled, element-wise maths: " + FastRecurrentLayer.elementwiseUnits());
        BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Map<String, Runnable> calls = new HashMap<>();
        for (String line = requests.readLine(); line != null; line = requests.readLine()) {
            String[] parts = line.trim().split(" ");
            Runnable call = calls.computeIfAbsent(parts[0], Models::call);
            double[] slice = Worker.timed(call, Double.parseDouble(parts[1]), Models.STEPS_PER_FIT);
            System.out.println(String.format(Locale.ROOT, "%.6f %.6f", slice[0], slice[1]));
        }
    }
}

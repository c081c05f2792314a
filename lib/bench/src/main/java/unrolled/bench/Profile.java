package unrolled.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.fast.FastRecurrentLayer;
import unrolled.recurrent.RecurrentLayer;
import unrolled.recurrent.SequenceGradients;
import unrolled.tensor.Threads;

/**
 * Quick in-process timing of the fast path alone, one configuration after another (not a JMH benchmark, and nothing
 * else runs between the calls): inference and the training step, each as is and with the caller giving back what it
 * got ({@link FastRecurrentLayer#release}), and, for the LSTM, the gate products alone. Each figure is the best and
 * the mean wall time of 20 calls after 10 warm-up calls, with this thread's CPU time of the best call.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp lib/bench/target/benchmarks.jar unrolled.bench.Profile \
 *       LSTM:64x100x128x256 GRU:64x100x128x256 RNN:32x50x64x128
 * </pre>
 * Started without {@code --add-modules jdk.incubator.vector}, the FLOAT passes use their portable loops: the two runs
 * compare the vector units with the portable loops.
 *
 * <p>"Released" gives back the outputs, final state, dx and the gradients at the end of each call, as a training loop
 * can once it has used them: their off-heap memory is then free for the next call at once, instead of when the
 * garbage collector next runs, and the next call's arrays need no fresh pages from the operating system.
 */
public final class Profile {

    private static final int WARM_UP = 10;
    private static final int CALLS = 20;

    private Profile() {
    }

    /** @param args configurations, each CELL:NxTxDxH or NxTxDxH (an LSTM), e.g. GRU:32x50x64x128 */
    public static void main(String[] args) {
        System.out.println("threads " + Threads.apply() + ", load " + Table.loadAverage());
        System.out.println("element-wise gate maths: " + FastRecurrentLayer.elementwiseUnits());
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        for (String text : args) {
            int colon = text.indexOf(':');
            Cell cell = colon < 0 ? Cell.LSTM : Cell.valueOf(text.substring(0, colon));
            String size = text.substring(colon + 1);
            Config c = Config.parse(size);
            FastRecurrentLayer<Object> fast =
                    new FastRecurrentLayer<>(new RecurrentLayer<>(cell.create(c.input(), c.hidden(), 1)));
            INDArray x = Inputs.gaussian(2, 1.0, c.batch(), c.steps(), c.input());
            INDArray dy = Inputs.gaussian(3, 0.1, c.batch(), c.steps(), c.hidden());
            String infer = time(bean, () -> fast.infer(x, null));
            String train = time(bean, () -> fast.backward(dy, null, fast.forward(x).cache()));
            String inferReleased = time(bean, () -> fast.release(fast.infer(x, null)));
            String released = time(bean, () -> {
                RecurrentLayer.Result<Object> result = fast.forward(x);
                SequenceGradients gradients = fast.backward(dy, null, result.cache());
                fast.release(result);
                fast.release(gradients);
            });
            System.out.printf("%s %s  infer %s | infer, released %s | train %s | train, released %s%n", cell, size, infer,
                    inferReleased, train, released);
            if (cell == Cell.LSTM) {
                GateGemms gemms = new GateGemms(c);
                System.out.printf("%s %s  gate products alone: forward %s | forward + backward %s%n", cell, size,
                        time(bean, gemms::forward), time(bean, () -> {
                            gemms.forward();
                            gemms.backward();
                        }));
            }
        }
    }

    /** @return "best / mean ms (cpu ms)": the best and mean wall time of the calls, and the best call's CPU time */
    static String time(ThreadMXBean bean, Runnable body) {
        for (int i = 0; i < WARM_UP; i++) {
            body.run();
        }
        double best = Double.MAX_VALUE;
        double bestCpu = 0;
        double total = 0;
        for (int i = 0; i < CALLS; i++) {
            long w0 = System.nanoTime();
            long c0 = bean.getCurrentThreadCpuTime();
            body.run();
            double cpu = (bean.getCurrentThreadCpuTime() - c0) / 1e6;
            double wall = (System.nanoTime() - w0) / 1e6;
            total += wall;
            if (wall < best) {
                best = wall;
                bestCpu = cpu;
            }
        }
        return String.format("%.1f / %.1f ms (cpu %.1f)", best, total / CALLS, bestCpu);
    }
}

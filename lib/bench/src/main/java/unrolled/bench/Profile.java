package unrolled.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.cell.LstmCell;
import unrolled.fast.FastRecurrentLayer;
import unrolled.tensor.Threads;
import unrolled.recurrent.RecurrentLayer;

/** Quick in-process timing (wall and this thread's CPU time) of the fast path's parts. Not a JMH benchmark. */
public final class Profile {

    private Profile() {
    }

    /** @param args configurations, e.g. 32x50x64x128 */
    public static void main(String[] args) {
        System.out.println("threads " + Threads.apply() + ", load " + Table.loadAverage());
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        for (String text : args) {
            Config c = Config.parse(text);
            FastRecurrentLayer<LstmCell.Cache> fast = new FastRecurrentLayer<>(new RecurrentLayer<>(new LstmCell(c.input(), c.hidden(), DataType.FLOAT, 1)));
            INDArray x = Inputs.gaussian(2, 1.0, c.batch(), c.steps(), c.input());
            INDArray dy = Inputs.gaussian(3, 0.1, c.batch(), c.steps(), c.hidden());
            GateGemms gemms = new GateGemms(c);
            for (int phase = 0; phase < 2; phase++) {
                int reps = phase == 0 ? 10 : 20;
                double[] fw = time(bean, reps, () -> fast.forward(x));
                double[] fb = time(bean, reps, () -> fast.backward(dy, null, fast.forward(x).cache()));
                double[] gf = time(bean, reps, gemms::forward);
                double[] gb = time(bean, reps, () -> { gemms.forward(); gemms.backward(); });
                if (phase == 1) {
                    System.out.printf("%s  fast fwd %.2f ms (cpu %.2f)  fwd+bwd %.2f ms (cpu %.2f)  | gemms fwd %.2f (cpu %.2f)  fwd+bwd %.2f (cpu %.2f)%n",
                            text, fw[0], fw[1], fb[0], fb[1], gf[0], gf[1], gb[0], gb[1]);
                }
            }
        }
    }

    /** @return {min wall ms, min cpu ms} over the repetitions */
    static double[] time(ThreadMXBean bean, int reps, Runnable body) {
        double wall = Double.MAX_VALUE;
        double cpu = Double.MAX_VALUE;
        for (int i = 0; i < reps; i++) {
            long w0 = System.nanoTime();
            long c0 = bean.getCurrentThreadCpuTime();
            body.run();
            cpu = Math.min(cpu, (bean.getCurrentThreadCpuTime() - c0) / 1e6);
            wall = Math.min(wall, (System.nanoTime() - w0) / 1e6);
        }
        return new double[] {wall, cpu};
    }
}

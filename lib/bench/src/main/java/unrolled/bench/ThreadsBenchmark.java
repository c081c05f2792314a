package unrolled.bench;

import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import unrolled.cell.LstmCell;
import unrolled.fast.FastRecurrentLayer;
import unrolled.tensor.Threads;
import unrolled.recurrent.RecurrentLayer;
import unrolled.recurrent.SequenceGradients;

/**
 * The fast path's forward + backward under different thread settings, "libnd4j threads / OpenBLAS threads". Each
 * setting runs in its own JVM (JMH forks per parameter), where it is set through the system properties of
 * {@link Threads} before the fast path loads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ThreadsBenchmark {

    /** N×T×D×H. */
    @Param({Config.SMALL, Config.LARGE})
    public String config;

    /** libnd4j threads / OpenBLAS threads. */
    @Param({"1/2", "2/2", "1/1", "2/1"})
    public String threads;

    private FastRecurrentLayer<LstmCell.Cache> fast;
    private INDArray x;
    private INDArray dy;

    /** Applies the setting, then builds the layer. */
    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = threads.split("/");
        System.setProperty(Threads.ND4J_THREADS_PROPERTY, parts[0]);
        System.setProperty(Threads.BLAS_THREADS_PROPERTY, parts[1]);
        Threads.Settings applied = Threads.apply();
        if (applied.nd4jThreads() != Integer.parseInt(parts[0]) || applied.blasThreads() != Integer.parseInt(parts[1])) {
            throw new IllegalStateException("asked for " + threads + ", got " + applied);
        }
        Config c = Config.parse(config);
        fast = new FastRecurrentLayer<>(new RecurrentLayer<>(new LstmCell(c.input(), c.hidden(), DataType.FLOAT, 1)));
        x = Inputs.gaussian(2, 1.0, c.batch(), c.steps(), c.input());
        dy = Inputs.gaussian(3, 0.1, c.batch(), c.steps(), c.hidden());
    }

    /** @return the gradients of one forward + backward pass */
    @Benchmark
    public SequenceGradients fastForwardBackward() {
        return fast.backward(dy, null, fast.forward(x).cache());
    }
}

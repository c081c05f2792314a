package unrolled.bench;

import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
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
import unrolled.tensor.Threads;

/**
 * The machine's limit: {@link #gateGemmsForwardBackward} runs only the matrix products of an LSTM forward + backward
 * pass ({@link GateGemms}), the floor under any implementation that calls BLAS step by step; {@link #peakSgemm} is one
 * large square product, about the best GFLOP/s OpenBLAS reaches here. Both with the fast path's thread settings.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {

    /** The size of {@link #peakSgemm}'s square matrices. */
    static final int PEAK_SIZE = 1024;

    /** N×T×D×H. */
    @Param({Config.SMALL, Config.LARGE, Config.LONG})
    public String config;

    private GateGemms gemms;
    private INDArray[] square;
    private FloatPointer a;
    private FloatPointer b;
    private FloatPointer c;

    /** Allocates the operands. */
    @Setup(Level.Trial)
    public void setUp() {
        Threads.apply();
        gemms = new GateGemms(Config.parse(config));
        square = new INDArray[] {Inputs.gaussian(1, 1, PEAK_SIZE, PEAK_SIZE), Inputs.gaussian(2, 1, PEAK_SIZE, PEAK_SIZE),
                Inputs.gaussian(3, 1, PEAK_SIZE, PEAK_SIZE)};
        a = new FloatPointer(square[0].data().addressPointer());
        b = new FloatPointer(square[1].data().addressPointer());
        c = new FloatPointer(square[2].data().addressPointer());
    }

    /** The gate products of one forward + backward pass. */
    @Benchmark
    public void gateGemmsForwardBackward() {
        gemms.forward();
        gemms.backward();
    }

    /** The gate products of one forward pass. */
    @Benchmark
    public void gateGemmsForward() {
        gemms.forward();
    }

    /** One 1024×1024×1024 product: 2.15 GFLOP. (Independent of the configuration; run it for one.) */
    @Benchmark
    public void peakSgemm() {
        openblas_nolapack.cblas_sgemm(101, 111, 111, PEAK_SIZE, PEAK_SIZE, PEAK_SIZE, 1f, a, PEAK_SIZE, b, PEAK_SIZE, 0f,
                c, PEAK_SIZE);
    }
}

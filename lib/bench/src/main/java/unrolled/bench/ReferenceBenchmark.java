package unrolled.bench;

import java.util.concurrent.TimeUnit;
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
import unrolled.recurrent.RecurrentLayer;
import unrolled.recurrent.SequenceGradients;

/**
 * The reference path: {@link RecurrentLayer} over an LSTM, GRU or RNN cell, one ND4J call per operation, FLOAT, forward
 * + backward. Run with the fast path's thread settings applied, as it would be in a program that uses both.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ReferenceBenchmark {

    /** LSTM, GRU or RNN. */
    @Param({"LSTM", "GRU", "RNN"})
    public String cell;

    /** N×T×D×H. */
    @Param({Config.SMALL, Config.LONG})
    public String config;

    private RecurrentLayer<Object> layer;
    private INDArray x;
    private INDArray dy;

    /** Builds the layer and its inputs. */
    @Setup(Level.Trial)
    public void setUp() {
        Threads.apply();
        Config c = Config.parse(config);
        layer = new RecurrentLayer<>(Cell.valueOf(cell).create(c.input(), c.hidden(), 1));
        x = Inputs.gaussian(2, 1.0, c.batch(), c.steps(), c.input());
        dy = Inputs.gaussian(3, 0.1, c.batch(), c.steps(), c.hidden());
    }

    /** @return the gradients of one forward + backward pass */
    @Benchmark
    public SequenceGradients referenceForwardBackward() {
        RecurrentLayer.Result<Object> result = layer.forward(x);
        return layer.backward(dy, null, result.cache());
    }
}

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
import unrolled.fast.FastRecurrentLayer;
import unrolled.recurrent.RecurrentLayer;
import unrolled.recurrent.SequenceGradients;

/**
 * This library's fast path, FLOAT, for an LSTM, a GRU and a tanh RNN: forward + backward over the whole batch
 * ({@link #fastForwardBackward}), and the forward alone with no cache kept ({@link #fastInference}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class FastBenchmark {

    /** LSTM, GRU or RNN. */
    @Param({"LSTM", "GRU", "RNN"})
    public String cell;

    /** N×T×D×H. */
    @Param({Config.SMALL, Config.LARGE, Config.LONG})
    public String config;

    private FastRecurrentLayer<Object> fast;
    private INDArray x;
    private INDArray dy;

    /** Builds the layer and its inputs. */
    @Setup(Level.Trial)
    public void setUp() {
        Config c = Config.parse(config);
        fast = new FastRecurrentLayer<>(new RecurrentLayer<>(Cell.valueOf(cell).create(c.input(), c.hidden(), 1)));
        x = Inputs.gaussian(2, 1.0, c.batch(), c.steps(), c.input());
        dy = Inputs.gaussian(3, 0.1, c.batch(), c.steps(), c.hidden());
    }

    /** @return the gradients of one forward + backward pass */
    @Benchmark
    public SequenceGradients fastForwardBackward() {
        RecurrentLayer.Result<Object> result = fast.forward(x);
        return fast.backward(dy, null, result.cache());
    }

    /** @return the outputs of one forward pass without a cache */
    @Benchmark
    public FastRecurrentLayer.Inference fastInference() {
        return fast.infer(x, null);
    }

    /**
     * One forward + backward pass whose results are given back once used, as a training loop does after its optimiser
     * step (and PyTorch when the step's tensors go out of scope).
     *
     * @return dx's first value, read before the release
     */
    @Benchmark
    public double fastForwardBackwardReleased() {
        RecurrentLayer.Result<Object> result = fast.forward(x);
        SequenceGradients gradients = fast.backward(dy, null, result.cache());
        double first = gradients.dx().getDouble(0);
        fast.release(result);
        fast.release(gradients);
        return first;
    }

    /** @return the first output of one forward pass without a cache, read before the outputs are given back */
    @Benchmark
    public double fastInferenceReleased() {
        FastRecurrentLayer.Inference inference = fast.infer(x, null);
        double first = inference.outputs().getDouble(0);
        fast.release(inference);
        return first;
    }
}

package unrolled.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;
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
 * DL4J's LSTM ({@code org.deeplearning4j.nn.layers.recurrent.LSTM}) or vanilla tanh RNN ({@code SimpleRnn}; DL4J has no
 * GRU layer of its own) in a {@link MultiLayerNetwork} of that one layer, FLOAT, batch-first (NWC, the same (N, T, D)
 * layout): forward in training mode, then backpropagation of an external
 * error ∂L/∂y through the network, no updater step. Two variants: DL4J's own thread defaults, and the fast path's
 * settings applied first.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class Dl4jBenchmark {

    /** LSTM or RNN. */
    @Param({"LSTM", "RNN"})
    public String cell;

    /** N×T×D×H. */
    @Param({Config.SMALL, Config.LARGE, Config.LONG})
    public String config;

    /** "default": DL4J's own thread settings; "fast": the fast path's {@link Threads} settings. */
    @Param({"fast", "default"})
    public String threads;

    private MultiLayerNetwork network;
    private INDArray x;
    private INDArray dy;

    /** Builds the network and its inputs. */
    @Setup(Level.Trial)
    public void setUp() {
        if (threads.equals("fast")) {
            Threads.apply();
        }
        Config c = Config.parse(config);
        MultiLayerConfiguration configuration = new NeuralNetConfiguration.Builder()
                .seed(1)
                .dataType(DataType.FLOAT)
                .updater(new NoOp())
                .list()
                .layer(layer(c))
                .build();
        network = new MultiLayerNetwork(configuration);
        network.init();
        x = Inputs.gaussian(2, 1.0, c.batch(), c.steps(), c.input());
        dy = Inputs.gaussian(3, 0.1, c.batch(), c.steps(), c.hidden());
    }

    private Layer layer(Config c) {
        if (cell.equals("RNN")) {
            return new SimpleRnn.Builder().nIn(c.input()).nOut(c.hidden()).activation(Activation.TANH)
                    .dataFormat(RNNFormat.NWC).build();
        }
        return new LSTM.Builder().nIn(c.input()).nOut(c.hidden())
                .activation(Activation.TANH).gateActivationFunction(Activation.SIGMOID)
                .dataFormat(RNNFormat.NWC).build();
    }

    /** @return the parameter gradients and ∂L/∂x of one forward + backward pass */
    @Benchmark
    public Pair<Gradient, INDArray> dl4jForwardBackward() {
        network.setInput(x);
        List<INDArray> activations = network.feedForward(true, false);
        if (activations.get(activations.size() - 1).size(2) != dy.size(2)) {
            throw new IllegalStateException("unexpected output shape " + activations.get(activations.size() - 1).shapeInfoToString());
        }
        return network.backpropGradient(dy, LayerWorkspaceMgr.noWorkspaces());
    }

    /** @return the outputs of one forward pass in inference mode */
    @Benchmark
    public INDArray dl4jInference() {
        return network.output(x, false);
    }

    /**
     * One forward + backward pass whose arrays are given back once used ({@code close()}: the activations after the
     * input, and ∂L/∂x; the parameter gradients are views of the network's own gradient buffer), as the fast path's
     * {@link FastBenchmark#fastForwardBackwardReleased} does.
     *
     * @return ∂L/∂x's first value, read before the release
     */
    @Benchmark
    public double dl4jForwardBackwardReleased() {
        network.setInput(x);
        List<INDArray> activations = network.feedForward(true, false);
        Pair<Gradient, INDArray> gradients = network.backpropGradient(dy, LayerWorkspaceMgr.noWorkspaces());
        double first = gradients.getSecond().getDouble(0);
        for (INDArray activation : activations.subList(1, activations.size())) {
            release(activation);
        }
        release(gradients.getSecond());
        return first;
    }

    /** @return the first output of one forward pass in inference mode, read before the outputs are given back */
    @Benchmark
    public double dl4jInferenceReleased() {
        INDArray y = network.output(x, false);
        double first = y.getDouble(0);
        release(y);
        return first;
    }

    private void release(INDArray array) {
        if (array != x && array != dy && array.closeable()) {
            array.close();
        }
    }
}

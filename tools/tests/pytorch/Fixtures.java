import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.attention.ScaledDotProductAttention;
import unrolled.cell.GruCell;
import unrolled.cell.LstmCell;
import unrolled.cell.RecurrentCell;
import unrolled.cell.RnnCell;
import unrolled.cell.State;
import unrolled.conv.Conv1d;
import unrolled.conv.Padding;
import unrolled.fast.FastRecurrentLayer;
import unrolled.layer.Dropout;
import unrolled.loss.SoftmaxCrossEntropy;
import unrolled.optim.Clipping;
import unrolled.param.Gradients;
import unrolled.param.NpzFile;
import unrolled.param.Parameters;
import unrolled.recurrent.Bidirectional;
import unrolled.recurrent.RecurrentLayer;
import unrolled.recurrent.SequenceGradients;
import unrolled.recurrent.SequenceLayer;
import unrolled.data.SequenceMask;
import unrolled.recurrent.StackedRecurrent;
import unrolled.recurrent.TorchWeights;

/**
 * The Java side of tools/tests/test_pytorch.py, run with the built library on the class path:
 *
 *   java -cp lib/target/unrolled.jar tools/tests/pytorch/Fixtures.java DIR
 *
 * 1. Every DIR/from_torch/NAME.npz (a PyTorch state dict, an input x (N, T, D) and lengths (N,), written by the test
 *    with PyTorch) is loaded into a library layer with TorchWeights.load and run; the outputs go to
 *    DIR/java_outputs/NAME.npz. NAME names the kind of cell (rnn, lstm, gru); "bi" before it means bidirectional,
 *    "stack" after it two stacked layers, "fast" before it the fast path (FastRecurrentLayer).
 * 2. Library layers with their own seeded weights are exported with TorchWeights.export and written, with their input
 *    and the library's results, to DIR/from_java/NAME.npz; so are the results of the loss, clipping, attention and
 *    convolution the notebooks map to PyTorch.
 * Shapes are batch-first as everywhere in the library; the test transposes where PyTorch is time-first.
 */
public class Fixtures {

    static final int N = 3, T = 6, D = 4, H = 5;
    static final int[] LENGTHS = {6, 4, 2};

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir.resolve("java_outputs"));
        Files.createDirectories(dir.resolve("from_java"));
        try (Stream<Path> files = Files.list(dir.resolve("from_torch"))) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString().replace(".npz", "");
                NpzFile.write(dir.resolve("java_outputs").resolve(name + ".npz"), runTorchWeights(name, NpzFile.read(file)));
            }
        }
        Nd4j.getRandom().setSeed(25);
        for (String kind : List.of("rnn", "lstm", "gru")) {
            write(dir, kind, exportLayer(new RecurrentLayer<>(cell(kind, D, H, 11))));
            write(dir, "bi" + kind, exportBidirectional(kind));
            write(dir, kind + "stack", exportStack(kind));
            write(dir, "fast" + kind, exportLayer(FastRecurrentLayer.of(cell(kind, D, H, 18))));
        }
        write(dir, "rnn_gradients", rnnGradients());
        write(dir, "clipping", clipping());
        write(dir, "cross_entropy", crossEntropy());
        write(dir, "attention", attention());
        write(dir, "causal_conv", causalConv());
    }

    static void write(Path dir, String name, Parameters arrays) {
        NpzFile.write(dir.resolve("from_java").resolve(name + ".npz"), arrays);
    }

    static RecurrentCell<?> cell(String kind, int inputSize, int hiddenSize, long seed) {
        return switch (kind) {
            case "rnn" -> new RnnCell(inputSize, hiddenSize, RnnCell.Activation.TANH, DataType.DOUBLE, seed);
            case "lstm" -> new LstmCell(inputSize, hiddenSize, DataType.DOUBLE, seed);
            case "gru" -> new GruCell(inputSize, hiddenSize, DataType.DOUBLE, seed);
            default -> throw new IllegalArgumentException("no cell kind " + kind);
        };
    }

    static String kindOf(String name) {
        return Stream.of("rnn", "lstm", "gru").filter(name::contains).findFirst().orElseThrow();
    }

    static SequenceMask mask() {
        return SequenceMask.ofLengths(LENGTHS, T);
    }

    /** Final states as PyTorch's h_n / c_n: (layers · directions, N, H). */
    static void putStates(Parameters out, List<State> states) {
        out.add("h_n", Nd4j.stack(0, states.stream().map(State::h).toArray(INDArray[]::new)));
        if (states.get(0).hasCell()) {
            out.add("c_n", Nd4j.stack(0, states.stream().map(State::c).toArray(INDArray[]::new)));
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Parameters runTorchWeights(String name, Parameters file) {
        String kind = kindOf(name);
        INDArray x = file.get("x");
        int[] lengths = file.get("lengths").toIntVector();
        SequenceMask mask = SequenceMask.ofLengths(lengths, x.size(1));
        int inputSize = (int) x.size(2);
        int hiddenSize = (int) file.get("weight_hh_l0").size(1);
        Parameters stateDict = new Parameters();
        for (Map.Entry<String, INDArray> entry : file) {
            if (entry.getKey().startsWith("weight_") || entry.getKey().startsWith("bias_")) {
                stateDict.add(entry.getKey(), entry.getValue());
            }
        }
        Parameters out = new Parameters();
        if (name.startsWith("bi")) {
            Bidirectional layer = new Bidirectional(new RecurrentLayer(cell(kind, inputSize, hiddenSize, 1)),
                    new RecurrentLayer(cell(kind, inputSize, hiddenSize, 2)), Bidirectional.Merge.CONCAT);
            TorchWeights.load(layer, stateDict);
            Bidirectional.Result result = layer.forward(x, mask);
            out.add("outputs", result.outputs());
            putStates(out, List.of(result.forwardFinal(), result.backwardFinal()));
            out.addAll("reexported", TorchWeights.export(layer));
        } else if (name.endsWith("stack")) {
            StackedRecurrent stack = new StackedRecurrent(List.of(new RecurrentLayer(cell(kind, inputSize, hiddenSize, 1)),
                    new RecurrentLayer(cell(kind, hiddenSize, hiddenSize, 2))), new Dropout(0.0, Dropout.Mode.STANDARD, 1));
            TorchWeights.load(stack, stateDict);
            StackedRecurrent.Result result = stack.forward(x, mask, false);
            out.add("outputs", result.outputs());
            putStates(out, result.finalStates());
            out.addAll("reexported", TorchWeights.export(stack));
        } else if (name.startsWith("fast")) {
            FastRecurrentLayer layer = FastRecurrentLayer.of(cell(kind, inputSize, hiddenSize, 1));
            TorchWeights.load(layer, stateDict);
            RecurrentLayer.Result result = layer.forward(x, mask);
            out.add("outputs", result.outputs());
            putStates(out, List.of(result.finalState()));
            out.addAll("reexported", TorchWeights.export(layer));
        } else {
            RecurrentLayer layer = new RecurrentLayer(cell(kind, inputSize, hiddenSize, 1));
            TorchWeights.load(layer, stateDict);
            RecurrentLayer.Result result = layer.forward(x, mask);
            out.add("outputs", result.outputs());
            putStates(out, List.of(result.finalState()));
            out.addAll("reexported", TorchWeights.export(layer));
        }
        return out;
    }

    static Parameters withInput(Parameters stateDict, INDArray x) {
        return stateDict.add("x", x).add("lengths", Nd4j.createFromArray(LENGTHS).castTo(DataType.LONG));
    }

    /** A one-way layer, the reference or the fast one, run on a padded batch and exported. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Parameters exportLayer(SequenceLayer layer) {
        INDArray x = Nd4j.randn(DataType.DOUBLE, N, T, D);
        RecurrentLayer.Result result = layer.forward(x, mask());
        Parameters out = withInput(TorchWeights.export(layer), x).add("outputs", result.outputs());
        putStates(out, List.of(result.finalState()));
        return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Parameters exportBidirectional(String kind) {
        Bidirectional layer = new Bidirectional(new RecurrentLayer(cell(kind, D, H, 12)), new RecurrentLayer(cell(kind, D, H, 13)),
                Bidirectional.Merge.CONCAT);
        INDArray x = Nd4j.randn(DataType.DOUBLE, N, T, D);
        Bidirectional.Result result = layer.forward(x, mask());
        Parameters out = withInput(TorchWeights.export(layer), x).add("outputs", result.outputs());
        putStates(out, List.of(result.forwardFinal(), result.backwardFinal()));
        return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Parameters exportStack(String kind) {
        StackedRecurrent stack = new StackedRecurrent(List.of(new RecurrentLayer(cell(kind, D, H, 14)),
                new RecurrentLayer(cell(kind, H, H, 15))), new Dropout(0.0, Dropout.Mode.STANDARD, 1));
        INDArray x = Nd4j.randn(DataType.DOUBLE, N, T, D);
        StackedRecurrent.Result result = stack.forward(x, mask(), false);
        Parameters out = withInput(TorchWeights.export(stack), x).add("outputs", result.outputs());
        putStates(out, result.finalStates());
        return out;
    }

    /** BPTT through a full-length RNN layer for L = Σ G ⊙ outputs: the gradients autograd must reproduce. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Parameters rnnGradients() {
        RecurrentLayer layer = new RecurrentLayer(cell("rnn", D, H, 16));
        INDArray x = Nd4j.randn(DataType.DOUBLE, N, T, D);
        INDArray G = Nd4j.randn(DataType.DOUBLE, N, T, H);
        RecurrentLayer.Result result = layer.forward(x);
        SequenceGradients grads = layer.backward(G, null, result.cache());
        return TorchWeights.export(layer).add("x", x).add("G", G).add("outputs", result.outputs())
                .add("dx", grads.dx()).add("dWx", grads.parameters().get("Wx")).add("dWh", grads.parameters().get("Wh"))
                .add("db", grads.parameters().get("b"));
    }

    /** Clipping by global norm at c = 1 of gradients whose norm is well above 1. */
    static Parameters clipping() {
        Gradients gradients = new Gradients().accumulate("a", Nd4j.randn(DataType.DOUBLE, 4, 3).muli(3))
                .accumulate("b", Nd4j.randn(DataType.DOUBLE, 5).muli(3));
        Parameters out = new Parameters().add("a", gradients.get("a").dup()).add("b", gradients.get("b").dup());
        double norm = Clipping.byGlobalNorm(gradients, 1.0);
        return out.add("norm", Nd4j.createFromArray(norm)).add("clipped_a", gradients.get("a")).add("clipped_b", gradients.get("b"));
    }

    /** Per-step cross-entropy of a padded batch: logits (N, T, V), targets (N, T), padding masked out. */
    static Parameters crossEntropy() {
        int V = 7;
        INDArray logits = Nd4j.randn(DataType.DOUBLE, N, T, V);
        INDArray targets = Nd4j.rand(DataType.DOUBLE, N, T).muli(V).castTo(DataType.LONG);
        INDArray mask = mask().toArray(DataType.DOUBLE);
        SoftmaxCrossEntropy.Result result = new SoftmaxCrossEntropy().compute(logits, targets, mask);
        return new Parameters().add("logits", logits).add("targets", targets).add("mask", mask)
                .add("loss", Nd4j.createFromArray(result.loss())).add("dLogits", result.dLogits());
    }

    /** Scaled dot-product attention with padded keys: Q (N, Tq, d), K and V (N, T, d), key lengths. */
    static Parameters attention() {
        INDArray q = Nd4j.randn(DataType.DOUBLE, N, 2, 8);
        INDArray k = Nd4j.randn(DataType.DOUBLE, N, T, 8);
        INDArray v = Nd4j.randn(DataType.DOUBLE, N, T, 8);
        ScaledDotProductAttention.Result result = new ScaledDotProductAttention().forward(q, k, v, mask(), false);
        return new Parameters().add("q", q).add("k", k).add("v", v)
                .add("lengths", Nd4j.createFromArray(LENGTHS).castTo(DataType.LONG))
                .add("output", result.output()).add("weights", result.weights());
    }

    /** A causal dilated convolution: x (N, T, D), W (K, D, F), dilation 2. */
    static Parameters causalConv() {
        Conv1d conv = new Conv1d(D, 8, 3, 2, Padding.CAUSAL, DataType.DOUBLE, 17);
        conv.parameters().get("b").assign(Nd4j.randn(DataType.DOUBLE, 1, 8));
        INDArray x = Nd4j.randn(DataType.DOUBLE, N, T, D);
        return new Parameters().add("W", conv.parameters().get("W")).add("b", conv.parameters().get("b"))
                .add("x", x).add("y", conv.forward(x).output());
    }
}

package unrolled.recurrent;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.cell.GruCell;
import unrolled.cell.GruGate;
import unrolled.cell.LstmCell;
import unrolled.cell.LstmGate;
import unrolled.cell.RecurrentCell;
import unrolled.cell.RnnCell;
import unrolled.param.NamedArrays;
import unrolled.param.Parameters;
import unrolled.tensor.Shapes;
import unrolled.tensor.Slices;

/**
 * The weight bridge to PyTorch: a trained cell, layer, bidirectional layer or stack exported as the {@code state_dict}
 * of the matching {@code nn.RNN}, {@code nn.LSTM} or {@code nn.GRU}, and such a state dict loaded back. With the same
 * weights both compute the same numbers (to round-off), so a model can move between the two.
 *
 * <p>What the mapping has to undo, per layer l (and per direction, {@code _reverse} for the right-to-left one):
 * <pre>
 *   this library (row vectors, a = x·Wx + h·Wh + b)       PyTorch (column vectors, a = W_ih·x + b_ih + W_hh·h + b_hh)
 *   Wx (D, G·H)                                           weight_ih_l{l} (G·H, D)  = Wxᵀ, blocks reordered
 *   Wh (H, G·H)                                           weight_hh_l{l} (G·H, H)  = Whᵀ, blocks reordered
 *   LSTM, RNN: one bias b (1, G·H)                        bias_ih_l{l} (G·H) = b,  bias_hh_l{l} (G·H) = 0
 *   GRU: bx (1, 3H), bh (1, 3H)                           bias_ih_l{l} = bx,       bias_hh_l{l} = bh
 *
 *   block order   LSTM: i, f, o, g  →  i, f, g, o         GRU: r, z, n (the same)     RNN: one block, G = 1
 * </pre>
 *
 * <p>The two biases: PyTorch (following cuDNN) gives every layer b_ih and b_hh, so its parameter count is
 * G·H(D + H + 2), against G·H(D + H + 1) for Keras and for this library's LSTM and RNN. For the LSTM and the RNN
 * only the sum b_ih + b_hh enters the computation, so exporting puts b into b_ih and zeros into b_hh, and loading
 * adds them: a round trip from this library is exact, one from PyTorch keeps every output but not the split. The
 * GRU's candidate needs both (b_hn sits inside r ⊙ (h·W_hn + b_hn)), which is why {@link GruCell} has two biases
 * and they map one to one.
 *
 * <p>Not carried by a state dict: an RNN's nonlinearity (build {@code nn.RNN(nonlinearity='relu')} for a ReLU
 * {@link RnnCell}), and a LEARNED initial state, which has no PyTorch counterpart and is refused (pass h0 to the
 * module yourself). PyTorch concatenates a bidirectional layer's two directions, as {@link Bidirectional.Merge#CONCAT}
 * does. The arrays keep the cell's data type: a DOUBLE layer gives float64 arrays, for a module in {@code .double()}.
 */
public final class TorchWeights {

    /**
     * The order of an LSTM's four blocks in PyTorch's fused {@code weight_ih} and {@code weight_hh}: i, f, g, o, where
     * this library's {@link LstmGate} order is i, f, o, g. Confusing the two swaps the output gate and the candidate.
     */
    public static final List<LstmGate> LSTM_GATE_ORDER =
            List.of(LstmGate.INPUT, LstmGate.FORGET, LstmGate.CANDIDATE, LstmGate.OUTPUT);

    /** The order of a GRU's three blocks in PyTorch's fused weights: r, z, n, the same as {@link GruGate}'s. */
    public static final List<GruGate> GRU_GATE_ORDER = List.of(GruGate.RESET, GruGate.UPDATE, GruGate.CANDIDATE);

    private TorchWeights() {
    }

    /**
     * A cell's weights as the state dict of a one-layer PyTorch module.
     *
     * @param cell an {@link RnnCell}, {@link LstmCell} or {@link GruCell} with input size D and hidden size H
     * @return copies named {@code weight_ih_l0} (G·H, D), {@code weight_hh_l0} (G·H, H), {@code bias_ih_l0} (G·H) and
     *     {@code bias_hh_l0} (G·H), with G = 1, 4 or 3
     */
    public static Parameters export(RecurrentCell<?> cell) {
        Parameters stateDict = new Parameters();
        exportInto(stateDict, "TorchWeights.export", cell, "_l0");
        return stateDict;
    }

    /**
     * A sequence layer's weights as the state dict of a one-layer {@code nn.RNN}, {@code nn.LSTM} or {@code nn.GRU}.
     *
     * @param layer a {@link RecurrentLayer} or fast layer whose initial state is ZEROS or CARRIED (not LEARNED)
     * @return the state dict of {@link #export(RecurrentCell)}
     */
    public static Parameters export(SequenceLayer<?> layer) {
        Parameters stateDict = new Parameters();
        exportInto(stateDict, "TorchWeights.export", requireExportable("TorchWeights.export", "layer", layer), "_l0");
        return stateDict;
    }

    /**
     * A bidirectional layer's weights as the state dict of a one-layer module built with {@code bidirectional=True}.
     *
     * @param layer its two directions, whose cells are of the same kind and size
     * @return {@code *_l0} for the left-to-right direction and {@code *_l0_reverse} for the right-to-left one
     */
    public static Parameters export(Bidirectional<?> layer) {
        Objects.requireNonNull(layer, "TorchWeights.export: layer must not be null");
        Parameters stateDict = new Parameters();
        exportInto(stateDict, "TorchWeights.export", requireExportable("TorchWeights.export", "the forward direction",
                layer.forwardLayer()), "_l0");
        exportInto(stateDict, "TorchWeights.export", requireExportable("TorchWeights.export", "the backward direction",
                layer.backwardLayer()), "_l0_reverse");
        return stateDict;
    }

    /**
     * A stack's weights as the state dict of a module built with {@code num_layers} = the stack's depth. Dropout between
     * layers is PyTorch's {@code dropout} argument; it has no weights.
     *
     * @param stack its layers, bottom first
     * @return {@code *_l0} for the bottom layer, {@code *_l1} for the next, and so on
     */
    public static Parameters export(StackedRecurrent<?> stack) {
        Objects.requireNonNull(stack, "TorchWeights.export: stack must not be null");
        Parameters stateDict = new Parameters();
        for (int l = 0; l < stack.layers().size(); l++) {
            exportInto(stateDict, "TorchWeights.export",
                    requireExportable("TorchWeights.export", "layer " + l, stack.layers().get(l)), "_l" + l);
        }
        return stateDict;
    }

    /**
     * Loads a one-layer PyTorch state dict into a cell, in place. Every entry is checked before any weight changes.
     *
     * @param cell an {@link RnnCell}, {@link LstmCell} or {@link GruCell}
     * @param stateDict exactly {@code weight_ih_l0} (G·H, D), {@code weight_hh_l0} (G·H, H), {@code bias_ih_l0} and
     *     {@code bias_hh_l0} (G·H), any floating type (converted to the cell's)
     */
    public static void load(RecurrentCell<?> cell, NamedArrays stateDict) {
        loadAll("TorchWeights.load", stateDict, List.of(cell), List.of("_l0"));
    }

    /**
     * Loads a one-layer PyTorch state dict into a sequence layer's cell, in place.
     *
     * @param layer the layer
     * @param stateDict as for {@link #load(RecurrentCell, NamedArrays)}
     */
    public static void load(SequenceLayer<?> layer, NamedArrays stateDict) {
        Objects.requireNonNull(layer, "TorchWeights.load: layer must not be null");
        loadAll("TorchWeights.load", stateDict, List.of(layer.cell()), List.of("_l0"));
    }

    /**
     * Loads the state dict of a one-layer bidirectional PyTorch module, in place.
     *
     * @param layer the bidirectional layer
     * @param stateDict the eight entries {@code *_l0} and {@code *_l0_reverse}
     */
    public static void load(Bidirectional<?> layer, NamedArrays stateDict) {
        Objects.requireNonNull(layer, "TorchWeights.load: layer must not be null");
        loadAll("TorchWeights.load", stateDict, List.of(layer.forwardLayer().cell(), layer.backwardLayer().cell()),
                List.of("_l0", "_l0_reverse"));
    }

    /**
     * Loads the state dict of a PyTorch module with {@code num_layers} = the stack's depth, in place.
     *
     * @param stack the stack
     * @param stateDict four entries per layer, {@code *_l0} to {@code *_l{depth − 1}}
     */
    public static void load(StackedRecurrent<?> stack, NamedArrays stateDict) {
        Objects.requireNonNull(stack, "TorchWeights.load: stack must not be null");
        List<RecurrentCell<?>> cells = new ArrayList<>();
        List<String> suffixes = new ArrayList<>();
        for (int l = 0; l < stack.layers().size(); l++) {
            cells.add(stack.layers().get(l).cell());
            suffixes.add("_l" + l);
        }
        loadAll("TorchWeights.load", stateDict, cells, suffixes);
    }

    private static RecurrentCell<?> requireExportable(String method, String what, SequenceLayer<?> layer) {
        Objects.requireNonNull(layer, method + ": " + what + " must not be null");
        if (layer.initialStatePolicy() == InitialState.LEARNED) {
            throw new IllegalArgumentException(method + ": " + what + " learns its initial state, which PyTorch's "
                    + "recurrent modules do not have; export a layer with a ZEROS or CARRIED initial state and pass h0 "
                    + "to the module yourself.");
        }
        return layer.cell();
    }

    /** G, the number of blocks in the fused weights. */
    private static int blocks(String method, RecurrentCell<?> cell) {
        Objects.requireNonNull(cell, method + ": cell must not be null");
        if (cell instanceof LstmCell) {
            return LstmGate.COUNT;
        } else if (cell instanceof GruCell) {
            return GruGate.COUNT;
        } else if (cell instanceof RnnCell) {
            return 1;
        }
        throw new IllegalArgumentException(method + ": only RnnCell, LstmCell and GruCell have a PyTorch counterpart "
                + "(nn.RNN, nn.LSTM, nn.GRU), but the cell is a " + cell.getClass().getSimpleName() + ".");
    }

    /** @return the library's index of block k of PyTorch's order */
    private static int libraryBlock(RecurrentCell<?> cell, int k) {
        return cell instanceof LstmCell ? LSTM_GATE_ORDER.get(k).ordinal() : k;
    }

    private static void exportInto(Parameters stateDict, String method, RecurrentCell<?> cell, String suffix) {
        int G = blocks(method, cell);
        long H = cell.hiddenSize();
        Parameters p = cell.parameters();
        boolean twoBiases = cell instanceof GruCell;
        INDArray b = twoBiases ? p.get("bx") : p.get("b");
        // weight_ih = Wxᵀ and weight_hh = Whᵀ, with the blocks in PyTorch's order
        stateDict.add("weight_ih" + suffix, toTorchRows(cell, p.get("Wx"), G, H));
        stateDict.add("weight_hh" + suffix, toTorchRows(cell, p.get("Wh"), G, H));
        stateDict.add("bias_ih" + suffix, toTorchRows(cell, b, G, H).reshape(G * H));
        stateDict.add("bias_hh" + suffix, twoBiases ? toTorchRows(cell, p.get("bh"), G, H).reshape(G * H)
                : Nd4j.zeros(cell.dataType(), G * H));
    }

    /** (rows, G·H) in the library's block order → (G·H, rows) in PyTorch's. */
    private static INDArray toTorchRows(RecurrentCell<?> cell, INDArray fused, int G, long H) {
        INDArray[] transposed = new INDArray[G];
        for (int k = 0; k < G; k++) {
            long from = libraryBlock(cell, k) * H;
            transposed[k] = Slices.columns(fused, from, from + H).transpose();
        }
        return Nd4j.concat(0, transposed).dup('c');
    }

    private static void loadAll(String method, NamedArrays stateDict, List<RecurrentCell<?>> cells, List<String> suffixes) {
        Objects.requireNonNull(stateDict, method + ": stateDict must not be null");
        // (live array, new value) pairs, applied only once every entry has been checked
        List<INDArray[]> assignments = new ArrayList<>();
        TreeSet<String> expected = new TreeSet<>();
        for (int c = 0; c < cells.size(); c++) {
            RecurrentCell<?> cell = cells.get(c);
            String s = suffixes.get(c);
            int G = blocks(method, cell);
            long H = cell.hiddenSize();
            long D = cell.inputSize();
            String rows = G == 1 ? "H" : G + "H";
            INDArray weightIh = entry(method, stateDict, "weight_ih" + s, rows + ", D", G * H, D);
            INDArray weightHh = entry(method, stateDict, "weight_hh" + s, rows + ", H", G * H, H);
            INDArray biasIh = entry(method, stateDict, "bias_ih" + s, rows, G * H);
            INDArray biasHh = entry(method, stateDict, "bias_hh" + s, rows, G * H);
            expected.addAll(List.of("weight_ih" + s, "weight_hh" + s, "bias_ih" + s, "bias_hh" + s));
            Parameters p = cell.parameters();
            assignments.add(new INDArray[] {p.get("Wx"), fromTorchRows(cell, weightIh, G, H)});
            assignments.add(new INDArray[] {p.get("Wh"), fromTorchRows(cell, weightHh, G, H)});
            if (cell instanceof GruCell) {
                assignments.add(new INDArray[] {p.get("bx"), fromTorchRows(cell, biasIh.reshape(G * H, 1), G, H)});
                assignments.add(new INDArray[] {p.get("bh"), fromTorchRows(cell, biasHh.reshape(G * H, 1), G, H)});
            } else {
                // only b_ih + b_hh enters an LSTM's or an RNN's pre-activation
                assignments.add(new INDArray[] {p.get("b"), fromTorchRows(cell, biasIh.add(biasHh).reshape(G * H, 1), G, H)});
            }
        }
        TreeSet<String> unexpected = new TreeSet<>(stateDict.names());
        unexpected.removeAll(expected);
        if (!unexpected.isEmpty()) {
            throw new IllegalArgumentException(method + ": the state dict holds " + unexpected + ", which this "
                    + (cells.size() == 1 ? "cell" : "model") + " does not have; it expects exactly " + expected + ".");
        }
        for (INDArray[] assignment : assignments) {
            assignment[0].assign(assignment[1].castTo(assignment[0].dataType()));
        }
    }

    private static INDArray entry(String method, NamedArrays stateDict, String name, String symbols, long... shape) {
        if (!stateDict.contains(name)) {
            throw new IllegalArgumentException(method + ": the state dict has no " + name + " (a module built with "
                    + "bias=False has no biases); it holds " + new TreeSet<>(stateDict.names()) + ".");
        }
        INDArray value = stateDict.get(name);
        Shapes.require(method, name, value, "(" + symbols + ")", shape);
        if (!value.dataType().isFPType()) {
            throw new IllegalArgumentException(method + ": " + name + " must hold floating-point numbers, but is "
                    + value.dataType() + ".");
        }
        return value;
    }

    /** (G·H, cols) in PyTorch's block order → (cols, G·H) in the library's. */
    private static INDArray fromTorchRows(RecurrentCell<?> cell, INDArray torchRows, int G, long H) {
        INDArray fused = Nd4j.create(torchRows.dataType(), torchRows.size(1), G * H);
        for (int k = 0; k < G; k++) {
            long from = libraryBlock(cell, k) * H;
            Slices.columns(fused, from, from + H)
                    .assign(torchRows.get(NDArrayIndex.interval(k * H, (k + 1) * H), NDArrayIndex.all()).transpose());
        }
        return fused;
    }
}

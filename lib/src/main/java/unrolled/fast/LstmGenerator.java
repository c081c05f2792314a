package unrolled.fast;

import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.cell.LstmGate;

/**
 * Generation one token at a time through an embedding, a stack of unidirectional LSTM layers and a linear readout, in
 * plain Java loops over copies of the weights: what a language model's sampling loop computes per token, without an
 * ND4J operation (and its allocations) per token. At batch 1 every ND4J call costs far more than its arithmetic: the
 * step below is a few tens of thousands of multiply-adds.
 *
 * <pre>
 *   x = E[id]                                                       the token's embedding row
 *   per layer l (x⁽⁰⁾ = x, x⁽ˡ⁾ = h⁽ˡ⁻¹⁾):
 *     a = x⁽ˡ⁾·Wx + h⁽ˡ⁾·Wh + b                                     (4H,), blocks in {@link LstmGate} order
 *     i, f, o = σ(a_i, a_f, a_o),  g = tanh(a_g)
 *     c⁽ˡ⁾ ← f ⊙ c⁽ˡ⁾ + i ⊙ g,  h⁽ˡ⁾ ← o ⊙ tanh(c⁽ˡ⁾)
 *   z = h⁽ᴸ⁻¹⁾·W + b                                                 the logits, (V,)
 * </pre>
 *
 * A DOUBLE model's step is computed in double with {@code Math.exp} and {@code Math.tanh}, agreeing with the readable
 * model to round-off. A FLOAT model's step runs on float arrays ({@code FloatLstmSteps}): the weights packed once, when
 * the generator is made, so that x·Wx + h·Wh + b is one product read in memory order, and the vector units doing the
 * products and the gate maths where the {@code jdk.incubator.vector} module is present. No step allocates. The state
 * starts at zero. The tests hold both to the model's readable forward pass.
 */
public final class LstmGenerator {

    /** The FLOAT model's step, or null for a DOUBLE model. */
    private final FloatLstmSteps floats;
    private final int vocabularySize;
    private final int inputSize;
    private final int hiddenSize;
    private final double[] table;
    private final double[][] wx;
    private final double[][] wh;
    private final double[][] bias;
    private final double[] readoutW;
    private final double[] readoutB;
    private final double[][] h;
    private final double[][] c;
    private final double[] a;
    private final double[] logits;

    /**
     * @param embedding E, (V, D), FLOAT or DOUBLE
     * @param layers per layer, bottom first: {Wx (D or H, 4H), Wh (H, 4H), b (1, 4H)}, E's data type
     * @param readoutWeights W, (H, V)
     * @param readoutBias b, (1, V)
     */
    public LstmGenerator(INDArray embedding, List<INDArray[]> layers, INDArray readoutWeights, INDArray readoutBias) {
        String method = "LstmGenerator";
        Objects.requireNonNull(embedding, method + ": embedding must not be null");
        Objects.requireNonNull(layers, method + ": layers must not be null");
        if (layers.isEmpty()) {
            throw new IllegalArgumentException(method + ": layers must hold at least one layer.");
        }
        Objects.requireNonNull(layers.get(0), method + ": layer 0 must not be null");
        boolean single = embedding.dataType() == DataType.FLOAT;
        this.vocabularySize = Math.toIntExact(embedding.size(0));
        this.inputSize = Math.toIntExact(embedding.size(1));
        this.hiddenSize = Math.toIntExact(layers.get(0)[1].size(0));
        int depth = layers.size();
        for (int l = 0; l < depth; l++) {
            INDArray[] layer = Objects.requireNonNull(layers.get(l), method + ": layer " + l + " must not be null");
            long below = l == 0 ? inputSize : hiddenSize;
            requireShape(method, "Wx of layer " + l, layer[0], below, 4L * hiddenSize);
            requireShape(method, "Wh of layer " + l, layer[1], hiddenSize, 4L * hiddenSize);
            requireShape(method, "b of layer " + l, layer[2], 1, 4L * hiddenSize);
        }
        requireShape(method, "readout W", readoutWeights, hiddenSize, vocabularySize);
        requireShape(method, "readout b", readoutBias, 1, vocabularySize);
        this.logits = new double[vocabularySize];
        if (single) {
            float[][][] weights = new float[depth][][];
            for (int l = 0; l < depth; l++) {
                INDArray[] layer = layers.get(l);
                weights[l] = new float[][] {floats(layer[0]), floats(layer[1]), floats(layer[2])};
            }
            this.floats = new FloatLstmSteps(floats(embedding), weights, floats(readoutWeights), floats(readoutBias), inputSize,
                    hiddenSize);
            this.table = null;
            this.wx = null;
            this.wh = null;
            this.bias = null;
            this.readoutW = null;
            this.readoutB = null;
            this.h = null;
            this.c = null;
            this.a = null;
            return;
        }
        this.floats = null;
        this.table = values(embedding);
        this.wx = new double[depth][];
        this.wh = new double[depth][];
        this.bias = new double[depth][];
        for (int l = 0; l < depth; l++) {
            INDArray[] layer = layers.get(l);
            wx[l] = values(layer[0]);
            wh[l] = values(layer[1]);
            bias[l] = values(layer[2]);
        }
        this.readoutW = values(readoutWeights);
        this.readoutB = values(readoutBias);
        this.h = new double[depth][hiddenSize];
        this.c = new double[depth][hiddenSize];
        this.a = new double[4 * hiddenSize];
    }

    /**
     * Reads a prompt from the zero state.
     *
     * @param ids the prompt's ids, at least one, each in [0, V)
     * @return z after its last token, (V,): overwritten by the next call
     */
    public double[] read(int[] ids) {
        Objects.requireNonNull(ids, "LstmGenerator.read: ids must not be null");
        if (ids.length == 0) {
            throw new IllegalArgumentException("LstmGenerator.read: ids must hold at least one id, but is empty.");
        }
        for (int id : ids) {
            requireId(id);
        }
        if (floats != null) {
            floats.reset();
        } else {
            for (double[] state : h) {
                java.util.Arrays.fill(state, 0);
            }
            for (double[] state : c) {
                java.util.Arrays.fill(state, 0);
            }
        }
        for (int id : ids) {
            advance(id);
        }
        return readout();
    }

    /**
     * Feeds one more token.
     *
     * @param id the token, in [0, V)
     * @return z after it, (V,): overwritten by the next call
     */
    public double[] next(int id) {
        requireId(id);
        advance(id);
        return readout();
    }

    private void requireId(int id) {
        if (id < 0 || id >= vocabularySize) {
            throw new IllegalArgumentException("LstmGenerator: every id must be in [0, V) = [0, " + vocabularySize + "), but is "
                    + id + ".");
        }
    }

    /** One step of every layer on the token's embedding (an id in [0, V)). */
    private void advance(int id) {
        if (floats != null) {
            floats.advance(id);
            return;
        }
        int H = hiddenSize;
        int G = 4 * H;
        int io = (int) LstmGate.INPUT.offset(H);
        int fo = (int) LstmGate.FORGET.offset(H);
        int oo = (int) LstmGate.OUTPUT.offset(H);
        int go = (int) LstmGate.CANDIDATE.offset(H);
        for (int l = 0; l < h.length; l++) {
            double[] x = l == 0 ? table : h[l - 1];
            int xFrom = l == 0 ? id * inputSize : 0;
            int D = l == 0 ? inputSize : H;
            // a = x·Wx + h·Wh + b, row by row of the weights (a loop the JIT runs on the vector units)
            System.arraycopy(bias[l], 0, a, 0, G);
            accumulate(x, xFrom, D, wx[l], G, a);
            accumulate(h[l], 0, H, wh[l], G, a);
            double[] hl = h[l];
            double[] cl = c[l];
            for (int j = 0; j < H; j++) {
                // i, f, o = σ(a_i, a_f, a_o),  g = tanh(a_g)
                double i = 1 / (1 + Math.exp(-a[io + j]));
                double f = 1 / (1 + Math.exp(-a[fo + j]));
                double o = 1 / (1 + Math.exp(-a[oo + j]));
                double g = Math.tanh(a[go + j]);
                // c ← f ⊙ c + i ⊙ g,  h ← o ⊙ tanh(c)
                double cell = f * cl[j] + i * g;
                cl[j] = cell;
                hl[j] = o * Math.tanh(cell);
            }
        }
    }

    /** z = h·W + b with the top layer's h. */
    private double[] readout() {
        if (floats != null) {
            floats.readout(logits);
            return logits;
        }
        System.arraycopy(readoutB, 0, logits, 0, vocabularySize);
        accumulate(h[h.length - 1], 0, hiddenSize, readoutW, vocabularySize, logits);
        return logits;
    }

    /** out[0 .. width) += Σ_k x[from + k]·W[k, :] for k in [0, rows): W row-major, width columns. */
    private static void accumulate(double[] x, int from, int rows, double[] w, int width, double[] out) {
        for (int k = 0; k < rows; k++) {
            double xk = x[from + k];
            int row = k * width;
            for (int j = 0; j < width; j++) {
                out[j] += xk * w[row + j];
            }
        }
    }

    /** @return a copy of the values in row-major order, as float */
    private static float[] floats(INDArray array) {
        INDArray whole = whole(array, DataType.FLOAT);
        float[] values = new float[Math.toIntExact(whole.length())];
        // one bulk copy out of the buffer (a generator is made per sampling call: an element-wise copy would show)
        whole.data().asNioFloat().get(values);
        return values;
    }

    /** @return a copy of the values in row-major order, as double */
    private static double[] values(INDArray array) {
        INDArray whole = whole(array, DataType.DOUBLE);
        double[] values = new double[Math.toIntExact(whole.length())];
        whole.data().asNioDouble().get(values);
        return values;
    }

    /** @return array itself if it is the whole of a row-major buffer of the type, else such a copy of it */
    private static INDArray whole(INDArray array, DataType type) {
        INDArray typed = array.dataType() == type ? array : array.castTo(type);
        boolean whole = !typed.isView() && typed.ordering() == 'c' && typed.offset() == 0 && typed.data().length() == typed.length();
        return whole ? typed : typed.dup('c');
    }

    private static void requireShape(String method, String name, INDArray array, long rows, long columns) {
        Objects.requireNonNull(array, method + ": " + name + " must not be null");
        if (array.rank() != 2 || array.size(0) != rows || array.size(1) != columns) {
            throw new IllegalArgumentException(method + ": " + name + " must have shape (" + rows + ", " + columns
                    + "), but has shape " + java.util.Arrays.toString(array.shape()) + ".");
        }
    }
}

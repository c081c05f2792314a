package unrolled.fast;

import unrolled.cell.LstmGate;

/**
 * {@link LstmGenerator}'s step for a FLOAT model, on float arrays: the LSTM layers' x·Wx + h·Wh + b as one product of
 * the row [x, h] with the stacked weights [Wx; Wh], the gate maths in one pass, and the readout h·W + b. The weights are
 * packed once, when the generator is made, in blocks of columns so that every product reads them in memory order; the
 * vector units do the work where the {@code jdk.incubator.vector} module is present ({@link VectorGeneratorMath}),
 * portable loops otherwise. Nothing is allocated per token.
 */
final class FloatLstmSteps {

    /** Columns per packed block for the portable loops: a length the JIT's own vector loops cover without a tail. */
    private static final int PORTABLE_BLOCK = 64;

    private final boolean vector;
    private final int block;
    private final int inputSize;
    private final int hiddenSize;
    private final int vocabularySize;
    private final float[] table;
    /** Per layer, [Wx; Wh] ((D or H) + H, 4H) packed. */
    private final float[][] weights;
    /** Per layer, b padded to the packed width. */
    private final float[][] bias;
    private final float[] readoutW;
    private final float[] readoutB;
    /** Per layer, the product's input row [x, h]. */
    private final float[][] xh;
    private final float[][] h;
    private final float[][] c;
    private final float[] a;
    private final float[] z;
    private final int[] offsets;

    /**
     * @param table E, (V, D) row-major
     * @param layers per layer, bottom first: {Wx (D or H, 4H), Wh (H, 4H), b (4H,)}, row-major
     * @param readoutW W, (H, V) row-major
     * @param readoutB b, (V,)
     * @param inputSize D
     * @param hiddenSize H
     */
    FloatLstmSteps(float[] table, float[][][] layers, float[] readoutW, float[] readoutB, int inputSize, int hiddenSize) {
        this.vector = Simd.active();
        this.block = vector ? VectorGeneratorMath.BLOCK : PORTABLE_BLOCK;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.vocabularySize = readoutB.length;
        this.table = table;
        int depth = layers.length;
        int G = 4 * hiddenSize;
        this.weights = new float[depth][];
        this.bias = new float[depth][];
        this.xh = new float[depth][];
        for (int l = 0; l < depth; l++) {
            int D = l == 0 ? inputSize : hiddenSize;
            // [Wx; Wh]: the rows of Wx, then those of Wh
            float[] stacked = new float[(D + hiddenSize) * G];
            System.arraycopy(layers[l][0], 0, stacked, 0, D * G);
            System.arraycopy(layers[l][1], 0, stacked, D * G, hiddenSize * G);
            weights[l] = pack(stacked, D + hiddenSize, G, block);
            bias[l] = pack(layers[l][2], 1, G, block);
            xh[l] = new float[D + hiddenSize];
        }
        this.readoutW = pack(readoutW, hiddenSize, vocabularySize, block);
        this.readoutB = pack(readoutB, 1, vocabularySize, block);
        this.h = new float[depth][hiddenSize];
        this.c = new float[depth][hiddenSize];
        this.a = new float[padded(G, block)];
        this.z = new float[padded(vocabularySize, block)];
        this.offsets = new int[] {(int) LstmGate.INPUT.offset(hiddenSize), (int) LstmGate.FORGET.offset(hiddenSize),
            (int) LstmGate.OUTPUT.offset(hiddenSize), (int) LstmGate.CANDIDATE.offset(hiddenSize)};
    }

    /** Sets every layer's h and c to zero. */
    void reset() {
        for (int l = 0; l < h.length; l++) {
            java.util.Arrays.fill(h[l], 0);
            java.util.Arrays.fill(c[l], 0);
        }
    }

    /** One step of every layer on the embedding row of id (in [0, V), checked by the caller). */
    void advance(int id) {
        int H = hiddenSize;
        for (int l = 0; l < h.length; l++) {
            float[] row = xh[l];
            int D = row.length - H;
            // [x, h]: x = E[id] below the first layer, the layer below's new h above it
            if (l == 0) {
                System.arraycopy(table, id * inputSize, row, 0, D);
            } else {
                System.arraycopy(h[l - 1], 0, row, 0, D);
            }
            System.arraycopy(h[l], 0, row, D, H);
            // a = [x, h]·[Wx; Wh] + b = x·Wx + h·Wh + b
            product(row, weights[l], bias[l], a);
            // i, f, o = σ(a_i, a_f, a_o), g = tanh(a_g); c ← f ⊙ c + i ⊙ g, h ← o ⊙ tanh(c)
            if (vector) {
                VectorGeneratorMath.gates(a, offsets, c[l], h[l]);
            } else {
                gates(a, offsets, c[l], h[l], 0);
            }
        }
    }

    /**
     * z = h·W + b with the top layer's h.
     *
     * @param logits receives z, (V,)
     */
    void readout(double[] logits) {
        product(h[h.length - 1], readoutW, readoutB, z);
        for (int v = 0; v < vocabularySize; v++) {
            logits[v] = z[v];
        }
    }

    /** out = x·W + b over packed weights of x.length rows. */
    private void product(float[] x, float[] packed, float[] b, float[] out) {
        if (vector) {
            VectorGeneratorMath.product(x, packed, x.length, b, out);
            return;
        }
        int rows = x.length;
        for (int column = 0; column < out.length; column += block) {
            System.arraycopy(b, column, out, column, block);
            int at = column * rows;
            for (int k = 0; k < rows; k++, at += block) {
                float xk = x[k];
                for (int j = 0; j < block; j++) {
                    out[column + j] += xk * packed[at + j];
                }
            }
        }
    }

    /**
     * The LSTM's element-wise step for units [from, H), one at a time (σ and tanh in double, rounded to float).
     *
     * @param a the gate pre-activations, blocks at the offsets
     * @param offsets the offsets of i, f, o and g in a
     * @param c the cell state, (H,), updated
     * @param h the hidden state, (H,), overwritten
     * @param from the first unit to compute
     */
    static void gates(float[] a, int[] offsets, float[] c, float[] h, int from) {
        for (int j = from; j < h.length; j++) {
            // i, f, o = σ(a_i, a_f, a_o),  g = tanh(a_g)
            double i = 1 / (1 + Math.exp(-a[offsets[0] + j]));
            double f = 1 / (1 + Math.exp(-a[offsets[1] + j]));
            double o = 1 / (1 + Math.exp(-a[offsets[2] + j]));
            double g = Math.tanh(a[offsets[3] + j]);
            // c ← f ⊙ c + i ⊙ g,  h ← o ⊙ tanh(c)
            float cell = (float) (f * c[j] + i * g);
            c[j] = cell;
            h[j] = (float) (o * Math.tanh(cell));
        }
    }

    /**
     * Packs a row-major matrix in blocks of columns: block b holds columns [b·block, (b + 1)·block) of every row, row
     * after row, zeros past the last column. A product then reads each block's rows in memory order.
     *
     * @param w the matrix, (rows, width) row-major
     * @param rows its rows
     * @param width its columns
     * @param block the columns per block
     * @return the packed matrix, (⌈width / block⌉ · rows · block,)
     */
    static float[] pack(float[] w, int rows, int width, int block) {
        int blocks = padded(width, block) / block;
        float[] packed = new float[blocks * rows * block];
        for (int b = 0; b < blocks; b++) {
            int columns = Math.min(block, width - b * block);
            for (int k = 0; k < rows; k++) {
                System.arraycopy(w, k * width + b * block, packed, (b * rows + k) * block, columns);
            }
        }
        return packed;
    }

    private static int padded(int width, int block) {
        return (width + block - 1) / block * block;
    }
}

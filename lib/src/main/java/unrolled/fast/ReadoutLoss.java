package unrolled.fast;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.tensor.Shapes;

/**
 * A linear readout and the masked mean softmax cross-entropy after it, forward and backward in one call: what
 * {@link unrolled.layer.TimeDistributedAffine}, {@link unrolled.loss.SoftmaxCrossEntropy} and the readout's backward
 * pass compute one after the other, in three matrix products called straight into BLAS and one pass over the logits:
 *
 * <pre>
 *   Z = X·W + b                                  X (R, H) rows, W (H, V), b (1, V), Z (R, V)      one sgemm/dgemm
 *   per row r, with c_r = m_r the row's weight:                                                   one pass per row:
 *     p = softmax(z_r) = exp(z_r − max z_r) / Σ exp(z_r − max z_r)
 *     ℓ_r = log Σ exp(z_r − max z_r) − (z_r,y − max z_r)
 *     dz_r = c_r / Σc · (p − onehot(y_r))                                     written over z_r
 *   loss = Σ c_r·ℓ_r / Σ c
 *   dW = Xᵀ·dZ,  db = Σ_r dz_r,  dX = dZ·Wᵀ                                                         two products
 * </pre>
 *
 * No ND4J operation is dispatched; the logits never exist as a separate array from their gradient. The tests hold it
 * to the readable layers (same loss and gradients to round-off) and check its gradients by finite differences.
 */
public final class ReadoutLoss {

    /**
     * The loss and the gradients.
     *
     * @param loss the masked mean cross-entropy, in nats per counted row
     * @param totalWeight Σ c, the number of counted rows
     * @param dX ∂loss/∂X, (R, H)
     * @param dW ∂loss/∂W, (H, V)
     * @param db ∂loss/∂b, (1, V)
     */
    public record Result(double loss, double totalWeight, INDArray dX, INDArray dW, INDArray db) {
    }

    private ReadoutLoss() {
    }

    /**
     * @param x X, (R, H), FLOAT or DOUBLE (any layout; copied once if not plain memory)
     * @param w W, (H, V), X's data type
     * @param b b, (1, V), X's data type
     * @param targets y, R class ids, each in [0, V)
     * @param mask m, R weights in {0, 1} (1: the row counts); null for all 1
     * @return the loss and ∂loss/∂X, ∂loss/∂W, ∂loss/∂b
     */
    public static Result compute(INDArray x, INDArray w, INDArray b, int[] targets, double[] mask) {
        String method = "ReadoutLoss.compute";
        Objects.requireNonNull(targets, method + ": targets must not be null");
        Shapes.require(method, "x", x, "(R, H)", Shapes.ANY, Shapes.ANY);
        int rows = Math.toIntExact(x.size(0));
        int h = Math.toIntExact(x.size(1));
        Shapes.require(method, "w", w, "(H, V)", h, Shapes.ANY);
        int v = Math.toIntExact(w.size(1));
        Shapes.require(method, "b", b, "(1, V)", 1, v);
        DataType type = x.dataType();
        Shapes.requireType(method, "w", w, type);
        Shapes.requireType(method, "b", b, type);
        if (targets.length != rows || mask != null && mask.length != rows) {
            throw new IllegalArgumentException(method + ": targets and mask must have R = " + rows + " entries, but have "
                    + targets.length + " and " + (mask == null ? "none" : mask.length) + ".");
        }
        for (int r = 0; r < rows; r++) {
            if (targets[r] < 0 || targets[r] >= v) {
                throw new IllegalArgumentException(method + ": every target must be in [0, V) = [0, " + v + "), but target "
                        + r + " is " + targets[r] + ".");
            }
        }
        double totalWeight = 0;
        for (int r = 0; r < rows; r++) {
            totalWeight += mask == null ? 1 : mask[r];
        }
        Slab dW = Slab.zeros(type, h, v);
        Slab db = Slab.zeros(type, 1, v);
        Slab dX = Slab.zeros(type, rows, h);
        if (totalWeight == 0) {
            return new Result(0, 0, dX.array, dW.array, db.array);
        }
        Slab xs = Slab.of(x);
        Slab ws = Slab.of(w);
        Slab bs = Slab.of(b);
        Slab z = logits(type, rows, v);
        // the rows split into lanes, one per core, when the products are large enough (each lane its rows of Z and dX,
        // its part of dW and db, added up in lane order at the end)
        int lanes = Lanes.count(rows, (long) rows * h * v);
        Part[] parts = new Part[lanes];
        for (int lane = 0; lane < lanes; lane++) {
            parts[lane] = lane == 0 ? new Part(xs, ws, bs, z, dX, dW, type, v)
                    : new Part(xs.twin(), ws.twin(), bs.twin(), z.twin(), dX.twin(), Slab.zeros(type, h, v), type, v);
        }
        double share = 1 / totalWeight;
        Lanes.run(lanes, rows, (lane, from, to) -> parts[lane].run(from, to, h, v, targets, mask, share));
        double weightedSum = 0;
        double[] columnSums = new double[v];
        for (Part part : parts) {
            weightedSum += part.weightedSum;
            for (int k = 0; k < v; k++) {
                columnSums[k] += part.columnSum(k);
            }
        }
        for (int lane = 1; lane < lanes; lane++) {
            Slab partial = parts[lane].dW;
            for (int k = 0; k < h * v; k++) {
                dW.set(k, dW.get(k) + partial.get(k));
            }
        }
        // db = Σ_r dz_r
        for (int k = 0; k < v; k++) {
            db.set(k, columnSums[k]);
        }
        return new Result(weightedSum / totalWeight, totalWeight, dX.array, dW.array, db.array);
    }

    /**
     * The logits' buffer of this thread, (R, V), reused from call to call: Z never leaves the call (dZ is written over
     * it), and fresh off-heap memory costs a page fault per 4 kB on first touch (half a megabyte per char-LM step).
     */
    private static Slab logits(DataType type, int rows, int v) {
        Slab[] kept = LOGITS.get();
        int which = type == DataType.FLOAT ? 0 : 1;
        if (kept[which] == null || kept[which].length < rows * v) {
            kept[which] = Slab.zeros(type, (long) rows * v);
        }
        return kept[which];
    }

    private static final ThreadLocal<Slab[]> LOGITS = ThreadLocal.withInitial(() -> new Slab[2]);

    /** One lane's rows [from, to): their logits, loss and gradients, with its own gemm pointers. */
    private static final class Part {
        final Slab x;
        final Slab w;
        final Slab b;
        final Slab z;
        final Slab dX;
        /** dW itself for lane 0; for the others their part of it, added up at the end. */
        final Slab dW;
        /** Σ_r dz_r over the lane's rows: FLOAT sums on the vector units, else double sums. */
        final float[] floatSums;
        final double[] doubleSums;
        final VectorSoftmaxRows vector;
        double weightedSum;

        Part(Slab x, Slab w, Slab b, Slab z, Slab dX, Slab dW, DataType type, int v) {
            this.x = x;
            this.w = w;
            this.b = b;
            this.z = z;
            this.dX = dX;
            this.dW = dW;
            boolean onVectors = type == DataType.FLOAT && Simd.active();
            this.vector = onVectors ? new VectorSoftmaxRows() : null;
            this.floatSums = onVectors ? VectorMath.row(v) : null;
            this.doubleSums = onVectors ? null : new double[v];
        }

        double columnSum(int k) {
            return floatSums != null ? floatSums[k] : doubleSums[k];
        }

        void run(int from, int to, int h, int v, int[] targets, double[] mask, double inverseTotal) {
            int count = to - from;
            // Z = X·W + b: every row starts as b, then the product is added (β = 1)
            for (int r = from; r < to; r++) {
                b.copyTo(0, z, r * v, v);
            }
            Slab.gemm(false, false, count, v, h, 1, x, from * h, h, w, 0, v, 1, z, from * v, v);
            for (int r = from; r < to; r++) {
                double c = mask == null ? 1 : mask[r];
                if (c == 0) {
                    // a masked row gets exactly zero gradient
                    z.fill(r * v, v, 0.0);
                } else if (vector != null) {
                    weightedSum += c * vector.crossEntropy((Slab.Floats) z, r * v, v, targets[r], c * inverseTotal,
                            floatSums);
                } else {
                    weightedSum += c * portableRow(r * v, v, targets[r], c * inverseTotal);
                }
            }
            // dW = Xᵀ·dZ,  dX = dZ·Wᵀ  (over the lane's rows)
            Slab.gemm(true, false, h, v, count, 1, x, from * h, h, z, from * v, v, 0, dW, 0, v);
            Slab.gemm(false, true, count, h, v, 1, z, from * v, v, w, 0, v, 0, dX, from * h, h);
        }

        /**
         * One row as scalar double arithmetic: returns ℓ and writes dz over z, adding it to the column sums.
         *
         * <pre>
         *   p = softmax(z) = exp(z − max z) / Σ exp(z − max z)
         *   ℓ = log Σ exp(z − max z) − (z_y − max z)
         *   dz = share · (p − onehot(y)),  share = c / Σc
         * </pre>
         */
        private double portableRow(int at, int v, int target, double share) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < v; k++) {
                max = Math.max(max, z.get(at + k));
            }
            double shiftedTarget = z.get(at + target) - max;
            double sumExp = 0;
            for (int k = 0; k < v; k++) {
                double e = Math.exp(z.get(at + k) - max);
                z.set(at + k, e);
                sumExp += e;
            }
            for (int k = 0; k < v; k++) {
                z.set(at + k, share * z.get(at + k) / sumExp);
            }
            z.set(at + target, z.get(at + target) - share);
            for (int k = 0; k < v; k++) {
                doubleSums[k] += z.get(at + k);
            }
            return Math.log(sumExp) - shiftedTarget;
        }
    }
}

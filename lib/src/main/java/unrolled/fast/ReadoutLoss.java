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
        Slab xs = Slab.of(x);
        Slab ws = Slab.of(w);
        Slab bs = Slab.of(b);
        Slab z = Slab.zeros(type, rows, v);
        Slab dW = Slab.zeros(type, h, v);
        Slab db = Slab.zeros(type, 1, v);
        Slab dX = Slab.zeros(type, rows, h);
        double totalWeight = 0;
        for (int r = 0; r < rows; r++) {
            totalWeight += mask == null ? 1 : mask[r];
        }
        if (totalWeight == 0) {
            return new Result(0, 0, dX.array, dW.array, db.array);
        }
        // Z = X·W + b: every row starts as b, then the product is added (β = 1)
        for (int r = 0; r < rows; r++) {
            bs.copyTo(0, z, r * v, v);
        }
        Slab.gemm(false, false, rows, v, h, 1, xs, 0, h, ws, 0, v, 1, z, 0, v);
        double weightedSum = 0;
        for (int r = 0; r < rows; r++) {
            int at = r * v;
            double c = mask == null ? 1 : mask[r];
            if (c == 0) {
                // a masked row gets exactly zero gradient
                for (int k = 0; k < v; k++) {
                    z.set(at + k, 0);
                }
                continue;
            }
            // max z, then Σ exp(z − max z)
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < v; k++) {
                max = Math.max(max, z.get(at + k));
            }
            double shiftedTarget = z.get(at + targets[r]) - max;
            double sumExp = 0;
            for (int k = 0; k < v; k++) {
                double e = Math.exp(z.get(at + k) - max);
                z.set(at + k, e);
                sumExp += e;
            }
            // ℓ = log Σ exp(z − max z) − (z_y − max z)
            weightedSum += c * (Math.log(sumExp) - shiftedTarget);
            // dz = c/Σc · (p − onehot(y)),  p = exp(z − max z) / Σ exp(z − max z)
            double share = c / totalWeight;
            for (int k = 0; k < v; k++) {
                z.set(at + k, share * z.get(at + k) / sumExp);
            }
            z.set(at + targets[r], z.get(at + targets[r]) - share);
        }
        // dW = Xᵀ·dZ,  dX = dZ·Wᵀ
        Slab.gemm(true, false, h, v, rows, 1, xs, 0, h, z, 0, v, 0, dW, 0, v);
        Slab.gemm(false, true, rows, h, v, 1, z, 0, v, ws, 0, v, 0, dX, 0, h);
        // db = Σ_r dz_r
        double[] columnSums = new double[v];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < v; k++) {
                columnSums[k] += z.get(r * v + k);
            }
        }
        for (int k = 0; k < v; k++) {
            db.set(k, columnSums[k]);
        }
        return new Result(weightedSum / totalWeight, totalWeight, dX.array, dW.array, db.array);
    }
}

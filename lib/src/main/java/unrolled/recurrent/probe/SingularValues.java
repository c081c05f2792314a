package unrolled.recurrent.probe;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.tensor.Shapes;

/**
 * The singular values σ_1 ≥ σ_2 ≥ … ≥ 0 of a matrix A (m, n): the square roots of the eigenvalues of AᵀA, and the
 * factors by which A stretches its principal directions (A = U·diag(σ)·Vᵀ). The largest, σ_1 = ‖A‖₂, the spectral
 * norm, is the most any vector can grow: ‖v·A‖ ≤ σ_1‖v‖.
 *
 * <p>Computed by LAPACK's {@code gesvd} (through ND4J) on a DOUBLE copy, never from the eigenvalues of AᵀA: squaring
 * would lose every σ below about 1e-8·σ_1 to round-off, and those tiny values are exactly what a vanishing-gradient
 * plot is about.
 */
public final class SingularValues {

    private SingularValues() {
    }

    /**
     * @param matrix A, (m, n), finite entries, any floating type; not modified
     * @return its min(m, n) singular values, largest first
     * @throws IllegalArgumentException if A is not a matrix or has a NaN or infinite entry
     */
    public static double[] of(INDArray matrix) {
        Shapes.require("SingularValues.of", "matrix", matrix, "(m, n)", Shapes.ANY, Shapes.ANY);
        INDArray a = matrix.castTo(DataType.DOUBLE).dup('f');
        double[] entries = a.data().asDouble();
        for (double entry : entries) {
            if (!Double.isFinite(entry)) {
                throw new IllegalArgumentException("SingularValues.of: matrix must have finite entries, but has " + entry
                        + " (an exploded product? use DOUBLE or fewer steps).");
            }
        }
        INDArray s = Nd4j.create(DataType.DOUBLE, Math.min(a.rows(), a.columns()));
        // LAPACK overwrites its input: a is our private copy. No U, no Vᵀ: values only.
        Nd4j.getBlasWrapper().lapack().gesvd(a, s, null, null);
        double[] values = s.toDoubleVector();
        // gesvd returns them in decreasing order; make sure of it, and clear the sign of round-off zeros
        Arrays.sort(values);
        double[] descending = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            descending[i] = Math.abs(values[values.length - 1 - i]);
        }
        return descending;
    }

    /**
     * @param matrix A, (m, n), finite entries; not modified
     * @return ‖A‖₂ = σ_1, the largest singular value
     */
    public static double spectralNorm(INDArray matrix) {
        return of(matrix)[0];
    }
}

package unrolled.recurrent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static unrolled.recurrent.Close.assertClose;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.TestData;
import unrolled.param.Init;
import unrolled.tensor.ShapeException;

class SingularValuesTest {

    @Test
    void aTwoByTwoMatrixComputedByHand() {
        // A = [[3, 0], [4, 5]]:  AᵀA = [[25, 20], [20, 25]], eigenvalues 45 and 5, so σ = 3√5 and √5
        INDArray A = Nd4j.createFromArray(new double[][] {{3, 0}, {4, 5}});
        double[] sigma = SingularValues.of(A);
        assertEquals(2, sigma.length);
        assertEquals(3 * Math.sqrt(5), sigma[0], 1e-12);
        assertEquals(Math.sqrt(5), sigma[1], 1e-12);
        assertEquals(3 * Math.sqrt(5), SingularValues.spectralNorm(A), 1e-12);
        assertClose(Nd4j.createFromArray(new double[][] {{3, 0}, {4, 5}}), A, 0, "A unchanged");
    }

    @Test
    void theyAreTheSquareRootsOfTheEigenvaluesOfJTransposeJ() {
        long[][] shapes = {{5, 5}, {6, 3}, {3, 6}};
        for (long[] shape : shapes) {
            INDArray J = TestData.gaussian(shape[0] * 10 + shape[1], shape[0], shape[1]);
            // the smaller Gram matrix has the min(m, n) non-zero eigenvalues σ²
            INDArray gram = shape[0] >= shape[1] ? J.transpose().mmul(J) : J.mmul(J.transpose());
            double[] eigenvalues = Eigen.symmetricGeneralizedEigenvalues(gram.dup(), false).toDoubleVector();
            Arrays.sort(eigenvalues);
            double[] sigma = SingularValues.of(J);
            assertEquals(eigenvalues.length, sigma.length);
            for (int i = 0; i < sigma.length; i++) {
                double expected = Math.sqrt(eigenvalues[eigenvalues.length - 1 - i]);
                assertEquals(expected, sigma[i], 1e-10 * Math.max(1, expected), Arrays.toString(shape) + " σ_" + i);
            }
        }
    }

    @Test
    void anOrthogonalMatrixHasEverySingularValueOneAndFloatIsAccepted() {
        double[] sigma = SingularValues.of(Init.orthogonal(6, 6, 1.0, 3, DataType.FLOAT));
        for (double s : sigma) {
            assertEquals(1.0, s, 1e-6);
        }
    }

    @Test
    void nonFiniteEntriesAndNonMatricesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SingularValues.of(Nd4j.createFromArray(new double[][] {{1, Double.NaN}})));
        assertEquals("SingularValues.of: matrix must have finite entries, but has NaN (an exploded product? use DOUBLE or "
                + "fewer steps).", e.getMessage());
        ShapeException vector = assertThrows(ShapeException.class, () -> SingularValues.of(Nd4j.ones(DataType.DOUBLE, 3)));
        assertEquals("SingularValues.of: matrix must have shape (m, n) = (?, ?), but has shape (3,).", vector.getMessage());
    }
}

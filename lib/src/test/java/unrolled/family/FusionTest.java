package unrolled.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.tensor.ShapeException;

class FusionTest {

    private static final int N = 3;
    private static final int A = 4;
    private static final int B = 2;
    private static final int H = 3;

    @Test
    void concatenationPutsTheCodesSideBySideAndSplitsTheGradient() {
        Fusion fusion = Fusion.concatenation(A, B, DataType.DOUBLE);
        INDArray u = TestData.gaussian(1, N, A);
        INDArray v = TestData.gaussian(2, N, B);
        INDArray y = fusion.forward(u, v).output();
        assertEquals(A + B, y.size(1));
        for (int n = 0; n < N; n++) {
            for (int j = 0; j < A; j++) {
                assertEquals(u.getDouble(n, j), y.getDouble(n, j), 0.0);
            }
            for (int j = 0; j < B; j++) {
                assertEquals(v.getDouble(n, j), y.getDouble(n, A + j), 0.0);
            }
        }
        INDArray R = TestData.gaussian(3, N, A + B);
        Fusion.Backward g = fusion.backward(R, fusion.forward(u, v).cache());
        assertEquals(0, fusion.parameters().size());
        GradientCheck.create().wrt("first", u, g.dFirst()).wrt("second", v, g.dSecond())
                .run(() -> TestData.dot(fusion.forward(u, v).output(), R)).requirePassed();
    }

    @Test
    void gatedFusionMatchesFiniteDifferencesForBothInputsAndEveryParameter() {
        Fusion fusion = Fusion.gated(A, B, H, DataType.DOUBLE, 3);
        fusion.parameters().get("bg").assign(TestData.gaussian(9, 1, H));
        fusion.parameters().get("b1").assign(TestData.gaussian(10, 1, H).muli(0.3));
        INDArray u = TestData.gaussian(1, N, A);
        INDArray v = TestData.gaussian(2, N, B);
        INDArray R = TestData.gaussian(3, N, H);
        Fusion.Backward g = fusion.backward(R, fusion.forward(u, v).cache());
        GradientCheck check = GradientCheck.create().wrt("first", u, g.dFirst()).wrt("second", v, g.dSecond());
        for (String name : fusion.parameters().names()) {
            check.wrt(name, fusion.parameters().get(name), g.parameters().get(name));
        }
        check.run(() -> TestData.dot(fusion.forward(u, v).output(), R)).requirePassed();
    }

    @Test
    void aGateSaturatedOpenPassesTheFirstCodeAndClosedTheSecond() {
        Fusion fusion = Fusion.gated(A, B, H, DataType.DOUBLE, 3);
        INDArray u = TestData.gaussian(1, N, A);
        INDArray v = TestData.gaussian(2, N, B);
        fusion.parameters().get("bg").assign(50);
        Fusion.Result open = fusion.forward(u, v);
        fusion.parameters().get("bg").assign(-50);
        Fusion.Result closed = fusion.forward(u, v);
        assertTrue(open.output().equalsWithEps(open.cache().hu(), 1e-12));
        assertTrue(closed.output().equalsWithEps(closed.cache().hv(), 1e-12));
    }

    @Test
    void codesFromDifferentBatchSizesAreRefused() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> Fusion.gated(A, B, H, DataType.DOUBLE, 1).forward(TestData.gaussian(1, N, A), TestData.gaussian(2, N + 1, B)));
        assertEquals("Fusion.forward: second must have shape (N, B) = (3, 2), but has shape (4, 2).", e.getMessage());
    }
}

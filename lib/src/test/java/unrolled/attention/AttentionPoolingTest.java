package unrolled.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.data.SequenceMask;
import unrolled.tensor.ShapeException;

/** Attention pooling with a learned query, against finite differences and its defining equations. */
class AttentionPoolingTest {

    private static final int N = 3;
    private static final int T = 5;
    private static final int H = 4;

    private static AttentionPooling pooling() {
        AttentionPooling pooling = new AttentionPooling(H, 3, DataType.DOUBLE, 7);
        pooling.parameters().get("b").assign(TestData.gaussian(8, 1, 3).muli(0.3));
        return pooling;
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        check(null);
        // the last sequence has no real step: zero weights, zero vector, no gradient
        check(SequenceMask.ofLengths(new int[] {5, 2, 0}, T));
    }

    private static void check(SequenceMask mask) {
        AttentionPooling pooling = pooling();
        INDArray m = TestData.gaussian(2, N, T, H);
        INDArray R = TestData.gaussian(3, N, H);
        AttentionPooling.Result result = pooling.forward(m, mask);
        AttentionPooling.Backward g = pooling.backward(R, result.cache());
        g.parameters().requireMatches("test", pooling.parameters());
        GradientCheck check = GradientCheck.create().wrt("memory", m, g.dMemory());
        for (Map.Entry<String, INDArray> p : pooling.parameters()) {
            check.wrt(p.getKey(), p.getValue(), g.parameters().get(p.getKey()));
        }
        check.run(() -> TestData.dot(pooling.forward(m, mask).pooled(), R)).requirePassed();
    }

    @Test
    void weightsAreTheSoftmaxOfTheScoresAndThePooledVectorTheirAverage() {
        AttentionPooling pooling = pooling();
        INDArray m = TestData.gaussian(4, N, T, H);
        SequenceMask mask = SequenceMask.ofLengths(new int[] {5, 2, 4}, T);
        AttentionPooling.Result result = pooling.forward(m, mask);
        INDArray W = pooling.parameters().get("W");
        INDArray b = pooling.parameters().get("b");
        INDArray v = pooling.parameters().get("v");
        for (int n = 0; n < N; n++) {
            int length = mask.length(n);
            double[] e = new double[length];
            double total = 0;
            for (int j = 0; j < length; j++) {
                INDArray mj = m.get(NDArrayIndex.point(n), NDArrayIndex.point(j), NDArrayIndex.all()).reshape(1, H);
                // e_j = tanh(m_j·W + b)·v
                e[j] = Math.exp(org.nd4j.linalg.ops.transforms.Transforms.tanh(mj.mmul(W).add(b)).mmul(v).getDouble(0));
                total += e[j];
            }
            INDArray expected = Nd4j.zeros(DataType.DOUBLE, H);
            for (int j = 0; j < T; j++) {
                double alpha = j < length ? e[j] / total : 0.0;
                assertEquals(alpha, result.weights().getDouble(n, j), 1e-12, "α[" + n + ", " + j + "]");
                if (j < length) {
                    expected.addi(m.get(NDArrayIndex.point(n), NDArrayIndex.point(j), NDArrayIndex.all()).mul(alpha));
                }
            }
            assertTrue(expected.equalsWithEps(result.pooled().getRow(n), 1e-12), "pooled row " + n);
        }
    }

    @Test
    void aSequenceWithoutRealStepsPoolsToZero() {
        AttentionPooling pooling = pooling();
        INDArray m = TestData.gaussian(5, N, T, H);
        AttentionPooling.Result result = pooling.forward(m, SequenceMask.ofLengths(new int[] {0, 1, 5}, T));
        assertEquals(0.0, result.pooled().getRow(0).amaxNumber().doubleValue());
        assertEquals(0.0, result.weights().getRow(0).amaxNumber().doubleValue());
        assertEquals(1.0, result.weights().getDouble(1, 0), 1e-12);
    }

    @Test
    void wrongShapesAreRefusedWithTheExpectedShape() {
        AttentionPooling pooling = pooling();
        ShapeException e = assertThrows(ShapeException.class,
                () -> pooling.forward(TestData.gaussian(1, N, T, H + 1), null));
        assertTrue(e.getMessage().startsWith("AttentionPooling.forward: memory must have shape (N, T, H)"), e.getMessage());
        AttentionPooling.Result result = pooling.forward(TestData.gaussian(1, N, T, H), null);
        assertThrows(ShapeException.class, () -> pooling.backward(TestData.gaussian(1, N, H + 1), result.cache()));
        assertThrows(IllegalArgumentException.class, () -> new AttentionPooling(0, 3, DataType.DOUBLE, 1));
    }
}

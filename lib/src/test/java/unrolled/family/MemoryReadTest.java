package unrolled.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.data.SequenceMask;
import unrolled.tensor.ShapeException;

class MemoryReadTest {

    private static final int N = 2;
    private static final int M = 5;
    private static final int D = 3;
    private static final int DQ = 4;
    private static final int E = 3;

    private static void check(SequenceMask mask) {
        MemoryRead read = new MemoryRead(D, DQ, E, DataType.DOUBLE, 5);
        INDArray q = TestData.gaussian(1, N, DQ);
        INDArray m = TestData.gaussian(2, N, M, D);
        INDArray R = TestData.gaussian(3, N, E);
        MemoryRead.Backward g = read.backward(R, read.forward(q, m, mask).cache());
        GradientCheck check = GradientCheck.create().wrt("query", q, g.dQuery()).wrt("memory", m, g.dMemory());
        for (String name : read.parameters().names()) {
            check.wrt(name, read.parameters().get(name), g.parameters().get(name));
        }
        check.run(() -> TestData.dot(read.forward(q, m, mask).read(), R)).requirePassed();
    }

    @Test
    void backwardMatchesFiniteDifferencesForQueryMemoryAndEveryParameter() {
        check(null);
    }

    @Test
    void backwardWithPaddedMemoryMatchesFiniteDifferences() {
        check(SequenceMask.ofLengths(new int[] {M, 2}, M));
    }

    @Test
    void theReadIsTheQueryPlusTheWeightedSumOfTheValues() {
        MemoryRead read = new MemoryRead(D, DQ, E, DataType.DOUBLE, 5);
        INDArray q = TestData.gaussian(1, N, DQ);
        INDArray m = TestData.gaussian(2, N, M, D);
        MemoryRead.Result result = read.forward(q, m, null);
        INDArray u = q.mmul(read.parameters().get("B"));
        for (int n = 0; n < N; n++) {
            INDArray items = m.get(NDArrayIndex.point(n), NDArrayIndex.all(), NDArrayIndex.all());
            INDArray keys = items.mmul(read.parameters().get("A"));
            INDArray values = items.mmul(read.parameters().get("C"));
            double[] scores = new double[M];
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < M; i++) {
                scores[i] = u.getRow(n).mul(keys.getRow(i)).sumNumber().doubleValue() / Math.sqrt(E);
                max = Math.max(max, scores[i]);
            }
            double total = 0;
            for (int i = 0; i < M; i++) {
                scores[i] = Math.exp(scores[i] - max);
                total += scores[i];
            }
            INDArray expected = u.getRow(n).dup();
            for (int i = 0; i < M; i++) {
                assertEquals(scores[i] / total, result.weights().getDouble(n, i), 1e-12);
                expected.addi(values.getRow(i).mul(scores[i] / total));
            }
            assertTrue(expected.equalsWithEps(result.read().getRow(n), 1e-12));
        }
    }

    @Test
    void paddedItemsGetNoWeightAndChangeNothing() {
        MemoryRead read = new MemoryRead(D, DQ, E, DataType.DOUBLE, 5);
        SequenceMask mask = SequenceMask.ofLengths(new int[] {3, 3}, M);
        INDArray q = TestData.gaussian(1, N, DQ);
        INDArray m = TestData.gaussian(2, N, M, D);
        INDArray changed = m.dup();
        changed.get(NDArrayIndex.all(), NDArrayIndex.interval(3, M), NDArrayIndex.all()).assign(100.0);
        MemoryRead.Result result = read.forward(q, m, mask);
        assertEquals(0.0, result.weights().get(NDArrayIndex.all(), NDArrayIndex.interval(3, M)).amaxNumber().doubleValue(), 0.0);
        assertTrue(result.read().equalsWithEps(read.forward(q, changed, mask).read(), 1e-12));
        assertTrue(Nd4j.ones(DataType.DOUBLE, N).equalsWithEps(result.weights().sum(1), 1e-12), "weights sum to 1");
    }

    @Test
    void aMemoryFromAnotherBatchIsRefusedWithBothShapes() {
        MemoryRead read = new MemoryRead(D, DQ, E, DataType.DOUBLE, 5);
        ShapeException e = assertThrows(ShapeException.class,
                () -> read.forward(TestData.gaussian(1, N, DQ), TestData.gaussian(2, N + 1, M, D), null));
        assertEquals("MemoryRead.forward: memory must have shape (N, M, D) = (2, ?, 3), but has shape (3, 5, 3).", e.getMessage());
    }
}

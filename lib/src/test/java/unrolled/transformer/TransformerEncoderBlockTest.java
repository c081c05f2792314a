package unrolled.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.layer.LayerGradients;
import unrolled.param.Parameters;
import unrolled.data.SequenceMask;
import unrolled.tensor.ShapeException;

class TransformerEncoderBlockTest {

    private static final int N = 2;
    private static final int T = 4;
    private static final int D = 4;
    private static final int HEADS = 2;
    private static final int F = 6;

    /** Random biases and gains, so that no gradient is checked only at a convenient zero. */
    static void randomise(Parameters parameters, long seed) {
        for (String name : parameters.names()) {
            String last = name.substring(name.lastIndexOf('.') + 1);
            if (last.startsWith("b") || last.equals("gamma")) {
                INDArray p = parameters.get(name);
                p.addi(TestData.gaussian(seed++, p.shape()).muli(0.2));
            }
        }
    }

    private static TransformerEncoderBlock block() {
        TransformerEncoderBlock block = new TransformerEncoderBlock(D, HEADS, F, DataType.DOUBLE, 7);
        randomise(block.parameters(), 100);
        return block;
    }

    private static void check(TransformerEncoderBlock block, SequenceMask mask, boolean causal) {
        INDArray x = TestData.gaussian(1, N, T, D);
        INDArray R = TestData.gaussian(2, N, T, D);
        LayerGradients g = block.backward(R, block.forward(x, mask, causal).cache());
        GradientCheck check = GradientCheck.create().wrt("x", x, g.dx());
        for (String name : block.parameters().names()) {
            check.wrt(name, block.parameters().get(name), g.parameters().get(name));
        }
        check.run(() -> TestData.dot(block.forward(x, mask, causal).output(), R)).requirePassed();
    }

    @Test
    void backwardMatchesFiniteDifferencesForTheInputAndEveryParameter() {
        check(block(), null, false);
    }

    @Test
    void backwardWithACausalMaskMatchesFiniteDifferences() {
        check(block(), null, true);
    }

    @Test
    void backwardWithPaddedKeysMatchesFiniteDifferences() {
        check(block(), SequenceMask.ofLengths(new int[] {T, 2}, T), false);
    }

    @Test
    void theParametersAreTheFourSublayersUnderTheirNames() {
        TransformerEncoderBlock block = block();
        assertTrue(block.parameters().contains("attention.Wq"));
        assertTrue(block.parameters().contains("norm1.gamma"));
        assertTrue(block.parameters().contains("feedForward.W1"));
        assertTrue(block.parameters().contains("norm2.beta"));
        // attention 4·(D² + D), two norms 2·2D, feed-forward D·F + F + F·D + D
        assertEquals(4L * (D * D + D) + 4L * D + (2L * D * F + F + D), block.parameters().count());
    }

    @Test
    void withACausalMaskNoOutputDependsOnLaterInputs() {
        TransformerEncoderBlock block = block();
        INDArray x = TestData.gaussian(1, N, T, D);
        INDArray changed = x.dup();
        changed.get(NDArrayIndex.all(), NDArrayIndex.interval(2, T), NDArrayIndex.all()).assign(TestData.gaussian(9, N, T - 2, D).muli(5));
        INDArray before = block.forward(x, null, true).output();
        INDArray after = block.forward(changed, null, true).output();
        INDArray past = firstSteps(before, 2);
        assertEquals(past, firstSteps(after, 2));
        assertFalse(before.equalsWithEps(after, 1e-6), "the later outputs do change");
    }

    @Test
    void paddedPositionsDoNotChangeTheRealOnes() {
        TransformerEncoderBlock block = block();
        SequenceMask mask = SequenceMask.ofLengths(new int[] {2, 2}, T);
        INDArray x = TestData.gaussian(1, N, T, D);
        INDArray changed = x.dup();
        changed.get(NDArrayIndex.all(), NDArrayIndex.interval(2, T), NDArrayIndex.all()).assign(7.0);
        INDArray before = firstSteps(block.forward(x, mask, false).output(), 2);
        INDArray after = firstSteps(block.forward(changed, mask, false).output(), 2);
        assertTrue(before.equalsWithEps(after, 1e-12));
    }

    @Test
    void withoutPositionsTheBlockCannotTellOrder() {
        // self-attention and the position-wise network treat the positions as a set: permuting the inputs
        // permutes the outputs the same way
        TransformerEncoderBlock block = block();
        INDArray x = TestData.gaussian(1, 1, T, D);
        int[] order = {2, 0, 3, 1};
        INDArray permuted = x.dup();
        for (int t = 0; t < T; t++) {
            permuted.get(NDArrayIndex.point(0), NDArrayIndex.point(t), NDArrayIndex.all())
                    .assign(x.get(NDArrayIndex.point(0), NDArrayIndex.point(order[t]), NDArrayIndex.all()));
        }
        INDArray y = block.forward(x, null, false).output();
        INDArray yPermuted = block.forward(permuted, null, false).output();
        for (int t = 0; t < T; t++) {
            INDArray expected = y.get(NDArrayIndex.point(0), NDArrayIndex.point(order[t]), NDArrayIndex.all());
            INDArray actual = yPermuted.get(NDArrayIndex.point(0), NDArrayIndex.point(t), NDArrayIndex.all());
            assertTrue(expected.equalsWithEps(actual, 1e-12), "position " + t);
        }
    }

    @Test
    void aWrongModelSizeIsRefusedWithBothShapes() {
        ShapeException e = assertThrows(ShapeException.class, () -> block().forward(TestData.gaussian(1, N, T, D + 2), null, false));
        assertEquals("TransformerEncoderBlock.forward: x must have shape (N, T, D) = (?, ?, 4), but has shape (2, 4, 6).",
                e.getMessage());
    }

    /** The outputs of the first steps, (N, steps, D). */
    private static INDArray firstSteps(INDArray y, int steps) {
        return y.get(NDArrayIndex.all(), NDArrayIndex.interval(0, steps), NDArrayIndex.all()).dup();
    }
}

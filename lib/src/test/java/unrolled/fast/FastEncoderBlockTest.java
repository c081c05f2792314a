package unrolled.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.layer.LayerGradients;
import unrolled.param.Parameters;
import unrolled.data.SequenceMask;
import unrolled.tensor.ShapeException;
import unrolled.transformer.PositionalEncoding;
import unrolled.transformer.TransformerEncoder;
import unrolled.transformer.TransformerEncoderBlock;

/**
 * The fast encoder block against the readable one: the same outputs, attention weights, input gradient and parameter
 * gradients to round-off, with and without the causal mask, with padded keys, for one and two heads and at the N = 1
 * and T = 1 edges; and its own gradients against finite differences.
 */
class FastEncoderBlockTest {

    private static final int D = 4;
    private static final int F = 6;

    /** Random biases and gains, so that no gradient is compared only at a convenient zero. */
    private static void randomise(Parameters parameters, long seed) {
        for (String name : parameters.names()) {
            String last = name.substring(name.lastIndexOf('.') + 1);
            if (last.startsWith("b") || last.equals("gamma")) {
                INDArray p = parameters.get(name);
                p.addi(TestData.gaussian(seed++, p.shape()).muli(0.2).castTo(p.dataType()));
            }
        }
    }

    private static TransformerEncoderBlock block(int heads, DataType type) {
        return block(D, heads, type);
    }

    private static TransformerEncoderBlock block(int modelSize, int heads, DataType type) {
        TransformerEncoderBlock block = new TransformerEncoderBlock(modelSize, heads, F, type, 7);
        randomise(block.parameters(), 100);
        return block;
    }

    /**
     * @return N, T, heads, the key lengths (null: no padding) and causal
     */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(2, 5, 1, null, false),
                Arguments.of(2, 5, 2, null, false),
                Arguments.of(2, 5, 1, null, true),
                Arguments.of(2, 5, 2, null, true),
                Arguments.of(3, 5, 2, new int[] {5, 2, 0}, false),
                Arguments.of(3, 5, 2, new int[] {3, 5, 1}, true),
                Arguments.of(1, 5, 2, null, true),
                Arguments.of(1, 5, 1, new int[] {3}, false),
                Arguments.of(3, 1, 2, null, true),
                Arguments.of(2, 1, 1, new int[] {1, 0}, false),
                Arguments.of(1, 1, 2, null, false));
    }

    @ParameterizedTest(name = "N={0} T={1} heads={2} lengths={3} causal={4}")
    @MethodSource("cases")
    void agreesWithTheReadableBlockInDouble(int n, int t, int heads, int[] lengths, boolean causal) {
        agree(n, t, heads, lengths, causal, DataType.DOUBLE);
    }

    @ParameterizedTest(name = "N={0} T={1} heads={2} lengths={3} causal={4}")
    @MethodSource("cases")
    void agreesWithTheReadableBlockInFloat(int n, int t, int heads, int[] lengths, boolean causal) {
        agree(n, t, heads, lengths, causal, DataType.FLOAT);
    }

    /**
     * In FLOAT the softmax rows run on the vector units: rows of T = 37 scores span several vectors and a part of one
     * (16 floats with AVX-512, 8 with AVX2), and the key lengths cut them at other places, down to none.
     */
    @ParameterizedTest(name = "lengths={0} causal={1}")
    @MethodSource("longRows")
    void agreesWithTheReadableBlockInFloatOnTheVectorUnitsOverRowsOfSeveralVectors(int[] lengths, boolean causal) {
        assertTrue(Simd.active(), "the tests run with the Vector API module, so the vector softmax is the one checked");
        agree(3, 37, 2, lengths, causal, DataType.FLOAT);
    }

    static Stream<Arguments> types() {
        return Stream.of(Arguments.of(DataType.DOUBLE), Arguments.of(DataType.FLOAT));
    }

    static Stream<Arguments> longRows() {
        return Stream.of(
                Arguments.of(null, false),
                Arguments.of(null, true),
                Arguments.of(new int[] {37, 17, 0}, false),
                Arguments.of(new int[] {33, 8, 1}, true));
    }

    /**
     * In FLOAT the layer norms' rows run on the vector units: D = 20 is more than one vector (16 floats with AVX-512,
     * 8 with AVX2) and a part of another.
     */
    @Test
    void agreesWithTheReadableBlockInFloatOnTheVectorUnitsWithRowsOfSeveralVectors() {
        assertTrue(Simd.active(), "the tests run with the Vector API module, so the vector layer norm is the one checked");
        agree(block(20, 2, DataType.FLOAT), 3, 7, new int[] {7, 4, 0}, true, DataType.FLOAT, 20);
    }

    private static void agree(int n, int t, int heads, int[] lengths, boolean causal, DataType type) {
        agree(block(heads, type), n, t, lengths, causal, type, D);
    }

    private static void agree(TransformerEncoderBlock block, int n, int t, int[] lengths, boolean causal, DataType type,
            int modelSize) {
        agree(block, n, t, lengths, causal, type, modelSize, TestData.gaussian(2, n, t, modelSize).castTo(type));
    }

    /**
     * Which steps of ∂L/∂y carry gradient, as a string of N·T characters: '1' a random row, '0' a row of zeros. The
     * fast backward pass works on each sequence's span of rows that are not zero, so these are spans of every kind.
     */
    static Stream<Arguments> gradientRows() {
        return Stream.of(
                // only the last step of each sequence: what a classifier reading y_{T−1} sends back
                Arguments.of("00001" + "00001" + "00001", null, true),
                Arguments.of("00001" + "00001" + "00001", new int[] {5, 2, 0}, false),
                // a span with a zero row inside it, a sequence without gradient, a span at the start
                Arguments.of("01011" + "00000" + "11000", new int[] {3, 5, 1}, true),
                Arguments.of("01011" + "00000" + "11000", null, false),
                // no gradient at all
                Arguments.of("00000" + "00000" + "00000", null, true));
    }

    @ParameterizedTest(name = "rows={0} lengths={1} causal={2}")
    @MethodSource("gradientRows")
    void agreesWithTheReadableBlockInDoubleWhenOnlySomeStepsCarryGradient(String rows, int[] lengths, boolean causal) {
        agree(block(2, DataType.DOUBLE), 3, 5, lengths, causal, DataType.DOUBLE, D, someRows(rows, 3, 5, DataType.DOUBLE));
    }

    @ParameterizedTest(name = "rows={0} lengths={1} causal={2}")
    @MethodSource("gradientRows")
    void agreesWithTheReadableBlockInFloatWhenOnlySomeStepsCarryGradient(String rows, int[] lengths, boolean causal) {
        agree(block(2, DataType.FLOAT), 3, 5, lengths, causal, DataType.FLOAT, D, someRows(rows, 3, 5, DataType.FLOAT));
    }

    /** @return a random ∂L/∂y (N, T, D) whose step t of sequence n is zero where rows has '0' at n·T + t */
    private static INDArray someRows(String rows, int n, int t, DataType type) {
        INDArray dy = TestData.gaussian(2, n, t, D).castTo(type);
        for (int s = 0; s < n; s++) {
            for (int step = 0; step < t; step++) {
                if (rows.charAt(s * t + step) == '0') {
                    dy.get(NDArrayIndex.point(s), NDArrayIndex.point(step), NDArrayIndex.all()).assign(0);
                }
            }
        }
        return dy;
    }

    private static void agree(TransformerEncoderBlock block, int n, int t, int[] lengths, boolean causal, DataType type,
            int modelSize, INDArray dy) {
        SequenceMask mask = lengths == null ? null : SequenceMask.ofLengths(lengths, t);
        INDArray x = TestData.gaussian(1, n, t, modelSize).castTo(type);
        // a backward pass with gradient in every row first, so that the buffers the next one reuses hold old values
        block.useFastPath(true);
        block.backward(TestData.gaussian(3, n, t, modelSize).castTo(type), block.forward(x, mask, causal).cache());

        block.useFastPath(false);
        TransformerEncoderBlock.Result reference = block.forward(x, mask, causal);
        LayerGradients referenceGradients = block.backward(dy, reference.cache());
        block.useFastPath(true);
        TransformerEncoderBlock.Result fast = block.forward(x, mask, causal);
        assertTrue(fast.cache().fast() != null, "the fast path ran");
        INDArray fastWeights = fast.weights();
        LayerGradients fastGradients = block.backward(dy, fast.cache());

        Agree.agree(reference.output(), fast.output(), "y");
        Agree.agree(reference.weights(), fastWeights, "attention weights");
        Agree.agree(referenceGradients.dx(), fastGradients.dx(), "dx");
        assertEquals(block.parameters().names(), fastGradients.parameters().names(), "gradient names, in order");
        for (String name : block.parameters().names()) {
            INDArray expected = referenceGradients.parameters().get(name);
            INDArray actual = fastGradients.parameters().get(name);
            if (name.equals("attention.bk") && type == DataType.FLOAT) {
                // exactly zero in exact arithmetic (q·bk is the same for every key, and the softmax ignores a shift),
                // so both sides are round-off: in FLOAT, of the order of 1e-7, which Agree's floor does not cover
                assertTrue(expected.amaxNumber().doubleValue() < 1e-5 && actual.amaxNumber().doubleValue() < 1e-5,
                        "dattention.bk is round-off of zero: " + expected + " and " + actual);
            } else {
                Agree.agree(expected, actual, "d" + name);
            }
        }
    }

    private static void finiteDifferences(TransformerEncoderBlock block, int n, int t, SequenceMask mask, boolean causal) {
        finiteDifferences(block, n, t, mask, causal, TestData.gaussian(2, n, t, D));
    }

    /** Checks the gradients of L = Σ y ⊙ R, whose ∂L/∂y is R. */
    private static void finiteDifferences(TransformerEncoderBlock block, int n, int t, SequenceMask mask, boolean causal,
            INDArray R) {
        INDArray x = TestData.gaussian(1, n, t, D);
        TransformerEncoderBlock.Result result = block.forward(x, mask, causal);
        assertTrue(result.cache().fast() != null, "the fast path ran");
        LayerGradients g = block.backward(R, result.cache());
        GradientCheck check = GradientCheck.create().wrt("x", x, g.dx());
        for (String name : block.parameters().names()) {
            check.wrt(name, block.parameters().get(name), g.parameters().get(name));
        }
        check.run(() -> TestData.dot(block.forward(x, mask, causal).output(), R)).requirePassed();
    }

    @Test
    void itsGradientsMatchFiniteDifferencesForTheInputAndEveryParameter() {
        finiteDifferences(block(2, DataType.DOUBLE), 2, 4, null, false);
    }

    @Test
    void itsGradientsWithACausalMaskAndPaddedKeysMatchFiniteDifferences() {
        finiteDifferences(block(2, DataType.DOUBLE), 3, 4, SequenceMask.ofLengths(new int[] {4, 2, 1}, 4), true);
    }

    @Test
    void itsGradientsFromTheLastStepAloneMatchFiniteDifferences() {
        finiteDifferences(block(2, DataType.DOUBLE), 3, 5, SequenceMask.ofLengths(new int[] {5, 3, 1}, 5), true,
                someRows("00001" + "00001" + "00001", 3, 5, DataType.DOUBLE));
    }

    @Test
    void itsGradientsFromASpanOfStepsMatchFiniteDifferences() {
        finiteDifferences(block(2, DataType.DOUBLE), 3, 5, null, false,
                someRows("01010" + "00000" + "11000", 3, 5, DataType.DOUBLE));
    }

    @Test
    void itsGradientsWithOneHeadMatchFiniteDifferences() {
        finiteDifferences(block(1, DataType.DOUBLE), 1, 3, SequenceMask.ofLengths(new int[] {2}, 3), false);
    }

    @Test
    void aCacheWhoseMemoryWasReusedIsRecomputedFromItsInput() {
        TransformerEncoderBlock block = block(2, DataType.DOUBLE);
        INDArray x = TestData.gaussian(1, 2, 3, D);
        INDArray dy = TestData.gaussian(2, 2, 3, D);
        TransformerEncoderBlock.Result first = block.forward(x, null, true);
        LayerGradients expected = block.backward(dy, first.cache());
        // more forward passes without a backward pass than there are buffer sets: the first tape's set is reused
        for (int k = 0; k <= FastEncoderBlock.SETS; k++) {
            block.forward(TestData.gaussian(10 + k, 2, 3, D), null, true);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, first::weights);
        assertTrue(e.getMessage().contains("useFastPath(false)"), e.getMessage());
        LayerGradients again = block.backward(dy, first.cache());
        Agree.agree(expected.dx(), again.dx(), "dx");
        for (String name : block.parameters().names()) {
            Agree.agree(expected.parameters().get(name), again.parameters().get(name), "d" + name);
        }
    }

    @Test
    void weightsReadRightAfterTheForwardPassStayTheCallersArray() {
        TransformerEncoderBlock block = block(2, DataType.DOUBLE);
        TransformerEncoderBlock.Result result = block.forward(TestData.gaussian(1, 2, 3, D), null, false);
        INDArray weights = result.weights();
        INDArray copy = weights.dup();
        block.backward(TestData.gaussian(2, 2, 3, D), result.cache());
        block.forward(TestData.gaussian(3, 2, 3, D), null, false);
        assertSame(weights, result.weights());
        assertEquals(copy, weights, "a later pass does not change weights already read");
    }

    /**
     * The block on x + P with P added as it reads its input (the encoder's first block): the same as the block on an
     * x + P made beforehand, forward and backward, also when a later pass has reused the tape's memory and the backward
     * pass recomputes the forward one.
     */
    @Test
    void positionsAddedAsTheBlockReadsItsInputGiveTheBlockOfXPlusP() {
        TransformerEncoderBlock reference = block(2, DataType.DOUBLE);
        FastEncoderBlock fast = new FastEncoderBlock(reference);
        INDArray x = TestData.gaussian(1, 3, 5, D);
        INDArray P = TestData.gaussian(4, 5, D);
        INDArray xPlusP = x.dup();
        for (int n = 0; n < 3; n++) {
            xPlusP.get(NDArrayIndex.point(n), NDArrayIndex.all(), NDArrayIndex.all()).addi(P);
        }
        INDArray dy = TestData.gaussian(2, 3, 5, D);
        FastEncoderBlock.Tape expected = fast.forward(xPlusP, null, true);
        INDArray expectedY = expected.output();
        LayerGradients expectedGradients = fast.backward(dy, expected);
        FastEncoderBlock.Tape withPositions = fast.forward(x, P, null, true);
        Agree.agree(expectedY, withPositions.output(), "y");
        for (int k = 0; k <= FastEncoderBlock.SETS; k++) {
            fast.forward(TestData.gaussian(10 + k, 3, 5, D), null, true);
        }
        LayerGradients g = fast.backward(dy, withPositions);
        Agree.agree(expectedGradients.dx(), g.dx(), "dx");
        for (String name : reference.parameters().names()) {
            Agree.agree(expectedGradients.parameters().get(name), g.parameters().get(name), "d" + name);
        }
        assertThrows(ShapeException.class, () -> fast.forward(x, TestData.gaussian(4, 4, D), null, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void theEncoderTakesTheFastPathUnlessAskedForTheReference(DataType type) {
        TransformerEncoder encoder = new TransformerEncoder(PositionalEncoding.sinusoidal(D, type), 2, 2, F, type, 3);
        INDArray x = TestData.gaussian(1, 2, 5, D).castTo(type);
        INDArray dy = TestData.gaussian(2, 2, 5, D).castTo(type);
        TransformerEncoder.Result fast = encoder.forward(x, null, true);
        assertTrue(fast.cache().blocks().stream().allMatch(c -> c.fast() != null), "every block took the fast path");
        LayerGradients fastGradients = encoder.backward(dy, fast.cache());
        encoder.useFastPath(false);
        TransformerEncoder.Result reference = encoder.forward(x, null, true);
        assertTrue(reference.cache().blocks().stream().allMatch(c -> c.fast() == null), "every block took the reference");
        LayerGradients referenceGradients = encoder.backward(dy, reference.cache());
        Agree.agree(reference.output(), fast.output(), "y");
        Agree.agree(referenceGradients.dx(), fastGradients.dx(), "dx");
        for (String name : encoder.parameters().names()) {
            INDArray expected = referenceGradients.parameters().get(name);
            INDArray actual = fastGradients.parameters().get(name);
            if (name.endsWith("attention.bk") && type == DataType.FLOAT) {
                // round-off of an exact zero on both sides (see agree)
                assertTrue(expected.amaxNumber().doubleValue() < 1e-5 && actual.amaxNumber().doubleValue() < 1e-5,
                        "d" + name + " is round-off of zero: " + expected + " and " + actual);
            } else {
                Agree.agree(expected, actual, "d" + name);
            }
        }
    }

    @Test
    void aWrongGradientShapeIsRefusedWithBothShapes() {
        TransformerEncoderBlock block = block(2, DataType.DOUBLE);
        TransformerEncoderBlock.Result result = block.forward(TestData.gaussian(1, 2, 3, D), null, false);
        ShapeException e = assertThrows(ShapeException.class,
                () -> block.backward(TestData.gaussian(2, 2, 4, D), result.cache()));
        assertEquals("TransformerEncoderBlock.backward: dy must have shape (N, T, D) = (2, 3, 4), but has shape (2, 4, 4).",
                e.getMessage());
    }
}

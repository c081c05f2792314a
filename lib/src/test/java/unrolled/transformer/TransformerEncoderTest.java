package unrolled.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.layer.LayerGradients;

class TransformerEncoderTest {

    private static final int N = 2;
    private static final int T = 3;
    private static final int D = 4;

    @Test
    void twoBlocksWithLearnedPositionsMatchFiniteDifferencesForEveryParameter() {
        TransformerEncoder encoder = new TransformerEncoder(PositionalEncoding.learned(5, D, DataType.DOUBLE, 3), 2, 2, 5,
                DataType.DOUBLE, 11);
        TransformerEncoderBlockTest.randomise(encoder.parameters(), 200);
        assertTrue(encoder.parameters().contains("positions.P"));
        assertTrue(encoder.parameters().contains("block1.feedForward.W2"));
        INDArray x = TestData.gaussian(1, N, T, D);
        INDArray R = TestData.gaussian(2, N, T, D);
        LayerGradients g = encoder.backward(R, encoder.forward(x, null, true).cache());
        assertEquals(encoder.parameters().names(), g.parameters().names());
        GradientCheck check = GradientCheck.create().wrt("x", x, g.dx());
        for (String name : encoder.parameters().names()) {
            check.wrt(name, encoder.parameters().get(name), g.parameters().get(name));
        }
        check.run(() -> TestData.dot(encoder.forward(x, null, true).output(), R)).requirePassed();
    }

    @Test
    void withSinusoidalPositionsItsInputGradientMatchesFiniteDifferencesAndIsNotAnotherResultsArray() {
        TransformerEncoder encoder = new TransformerEncoder(PositionalEncoding.sinusoidal(D, DataType.DOUBLE), 1, 2, 5,
                DataType.DOUBLE, 13);
        TransformerEncoderBlockTest.randomise(encoder.parameters(), 300);
        INDArray x = TestData.gaussian(1, N, T, D);
        INDArray R = TestData.gaussian(2, N, T, D);
        TransformerEncoder.Result result = encoder.forward(x, null, true);
        LayerGradients g = encoder.backward(R, result.cache());
        assertTrue(g.dx() != R && g.dx() != x && g.dx() != result.output(), "dx is an array of its own");
        GradientCheck check = GradientCheck.create().wrt("x", x, g.dx());
        for (String name : encoder.parameters().names()) {
            check.wrt(name, encoder.parameters().get(name), g.parameters().get(name));
        }
        check.run(() -> TestData.dot(encoder.forward(x, null, true).output(), R)).requirePassed();
    }

    @Test
    void positionsLetTheEncoderTellOrder() {
        TransformerEncoder encoder = new TransformerEncoder(PositionalEncoding.sinusoidal(D, DataType.DOUBLE), 1, 2, 5,
                DataType.DOUBLE, 11);
        INDArray x = TestData.gaussian(1, 1, T, D);
        INDArray swapped = x.dup();
        swapped.get(NDArrayIndex.point(0), NDArrayIndex.point(0), NDArrayIndex.all())
                .assign(x.get(NDArrayIndex.point(0), NDArrayIndex.point(2), NDArrayIndex.all()));
        swapped.get(NDArrayIndex.point(0), NDArrayIndex.point(2), NDArrayIndex.all())
                .assign(x.get(NDArrayIndex.point(0), NDArrayIndex.point(0), NDArrayIndex.all()));
        INDArray y = encoder.forward(x, null, false).output();
        INDArray ySwapped = encoder.forward(swapped, null, false).output();
        // the middle position sees the same set of vectors, but at other positions: its output changes
        INDArray middle = y.get(NDArrayIndex.point(0), NDArrayIndex.point(1), NDArrayIndex.all());
        INDArray middleSwapped = ySwapped.get(NDArrayIndex.point(0), NDArrayIndex.point(1), NDArrayIndex.all());
        assertFalse(middle.equalsWithEps(middleSwapped, 1e-6));
        assertEquals(1, encoder.forward(x, null, false).weights().size());
    }
}

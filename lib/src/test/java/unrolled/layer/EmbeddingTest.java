package unrolled.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.param.Gradients;
import unrolled.tensor.ShapeException;

class EmbeddingTest {

    private static final int V = 6;
    private static final int E = 3;
    /** (N, T) = (2, 4), with id 2 three times and id 5 twice; ids 1 and 3 never occur. */
    private static final int[][] IDS = {{2, 0, 5, 2}, {4, 2, 5, 0}};

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"INT", "LONG"})
    void forwardCopiesTheRowOfEachIdElementByElement(DataType idType) {
        Embedding layer = new Embedding(V, E, DataType.DOUBLE, 7);
        INDArray ids = Nd4j.createFromArray(IDS).castTo(idType);
        INDArray y = layer.forward(ids).output();
        INDArray table = layer.parameters().get("E");
        assertEquals(3, y.rank());
        assertEquals(2, y.size(0));
        assertEquals(4, y.size(1));
        assertEquals(E, y.size(2));
        for (int n = 0; n < 2; n++) {
            for (int t = 0; t < 4; t++) {
                for (int e = 0; e < E; e++) {
                    assertEquals(table.getDouble(IDS[n][t], e), y.getDouble(n, t, e), 0.0);
                }
            }
        }
    }

    @Test
    void backwardSumsTheGradientsOfRepeatedIdsIntoTheirRow() {
        Embedding layer = new Embedding(V, E, DataType.DOUBLE, 7);
        INDArray ids = Nd4j.createFromArray(IDS);
        INDArray dy = TestData.gaussian(3, 2, 4, E);
        INDArray dE = layer.backward(dy, layer.forward(ids).cache()).get("E");
        // Row 2 by hand: positions (0, 0), (0, 3) and (1, 1).
        for (int e = 0; e < E; e++) {
            assertEquals(dy.getDouble(0, 0, e) + dy.getDouble(0, 3, e) + dy.getDouble(1, 1, e), dE.getDouble(2, e), 1e-15);
            assertEquals(dy.getDouble(0, 2, e) + dy.getDouble(1, 2, e), dE.getDouble(5, e), 1e-15);
            assertEquals(dy.getDouble(1, 0, e), dE.getDouble(4, e), 0.0);
            assertEquals(0.0, dE.getDouble(1, e), 0.0, "id 1 does not occur");
            assertEquals(0.0, dE.getDouble(3, e), 0.0, "id 3 does not occur");
        }
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        Embedding layer = new Embedding(V, E, DataType.DOUBLE, 11);
        INDArray ids = Nd4j.createFromArray(IDS);
        INDArray R = TestData.gaussian(6, 2, 4, E);
        Gradients g = layer.backward(R, layer.forward(ids).cache());
        GradientCheck.create()
                .wrt("E", layer.parameters().get("E"), g.get("E"))
                .run(() -> TestData.dot(layer.forward(ids).output(), R))
                .requirePassed();
    }

    @Test
    void thePaddingRowStartsAtZeroAndReceivesNoGradient() {
        int padding = 0;
        Embedding layer = new Embedding(V, E, padding, DataType.DOUBLE, 7);
        INDArray table = layer.parameters().get("E");
        assertEquals(0.0, table.getRow(padding).amaxNumber().doubleValue(), 0.0);
        assertNotEquals(0.0, table.getRow(1).amaxNumber().doubleValue());
        INDArray ids = Nd4j.createFromArray(IDS);
        Embedding.Result result = layer.forward(ids);
        assertEquals(0.0, result.output().getDouble(0, 1, 0), 0.0, "a padding position reads the zero row");
        INDArray dy = TestData.gaussian(3, 2, 4, E);
        INDArray dE = layer.backward(dy, result.cache()).get("E");
        for (int e = 0; e < E; e++) {
            assertEquals(0.0, dE.getDouble(padding, e), 0.0, "ids 0 at (0, 1) and (1, 3) are padding");
            assertEquals(dy.getDouble(1, 0, e), dE.getDouble(4, e), 0.0, "other rows still learn");
        }
    }

    @Test
    void theSameSeedGivesTheSameTable() {
        assertEquals(new Embedding(V, E, DataType.FLOAT, 42).parameters().get("E"),
                new Embedding(V, E, DataType.FLOAT, 42).parameters().get("E"));
        assertNotEquals(new Embedding(V, E, DataType.FLOAT, 42).parameters().get("E"),
                new Embedding(V, E, DataType.FLOAT, 43).parameters().get("E"));
    }

    @Test
    void forwardAndBackwardLeaveTheirInputsUnchanged() {
        Embedding layer = new Embedding(V, E, DataType.DOUBLE, 1);
        INDArray ids = Nd4j.createFromArray(IDS);
        INDArray dy = TestData.gaussian(2, 2, 4, E);
        INDArray ids0 = ids.dup();
        INDArray dy0 = dy.dup();
        INDArray table0 = layer.parameters().get("E").dup();
        Embedding.Result result = layer.forward(ids);
        INDArray y0 = result.output().dup();
        layer.backward(dy, result.cache());
        assertEquals(ids0, ids);
        assertEquals(dy0, dy);
        assertEquals(table0, layer.parameters().get("E"));
        assertEquals(y0, result.output());
    }

    @Test
    void floatLayerComputesInFloat() {
        Embedding layer = new Embedding(V, E, DataType.FLOAT, 42);
        Embedding.Result result = layer.forward(Nd4j.createFromArray(IDS));
        assertEquals(DataType.FLOAT, result.output().dataType());
        assertEquals(DataType.FLOAT,
                layer.backward(TestData.gaussian(2, 2, 4, E).castTo(DataType.FLOAT), result.cache()).get("E").dataType());
    }

    @Test
    void anIdOutOfRangeIsRefusedNamingTheIdAndV() {
        Embedding layer = new Embedding(V, E, DataType.DOUBLE, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(Nd4j.createFromArray(new int[][] {{1, 2, 3}, {4, 5, 6}})));
        assertEquals("Embedding.forward: every id must be in [0, V) = [0, 6), but ids(1, 2) = 6.", e.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(Nd4j.createFromArray(new long[][] {{-1}})));
        assertEquals("Embedding.forward: every id must be in [0, V) = [0, 6), but ids(0, 0) = -1.", negative.getMessage());
    }

    @Test
    void floatingPointIdsAreRefused() {
        Embedding layer = new Embedding(V, E, DataType.DOUBLE, 1);
        ShapeException e = assertThrows(ShapeException.class,
                () -> layer.forward(Nd4j.createFromArray(IDS).castTo(DataType.DOUBLE)));
        assertEquals("Embedding.forward: ids must have an integer data type such as INT or LONG, but has DOUBLE."
                + " Convert it with castTo(DataType.INT32).", e.getMessage());
    }

    @Test
    void idsOfAnotherRankAreRefused() {
        Embedding layer = new Embedding(V, E, DataType.DOUBLE, 1);
        ShapeException e = assertThrows(ShapeException.class,
                () -> layer.forward(Nd4j.createFromArray(new int[] {1, 2, 3})));
        assertEquals("Embedding.forward: ids must have shape (N, T) = (?, ?), but has shape (3,).", e.getMessage());
    }

    @Test
    void aWrongGradientShapeIsRefusedWithBothShapes() {
        Embedding layer = new Embedding(V, E, DataType.DOUBLE, 1);
        Embedding.Result result = layer.forward(Nd4j.createFromArray(IDS));
        ShapeException e = assertThrows(ShapeException.class,
                () -> layer.backward(TestData.gaussian(2, 2, 4, E + 1), result.cache()));
        assertEquals("Embedding.backward: dy must have shape (N, T, E) = (2, 4, 3), but has shape (2, 4, 4).", e.getMessage());
    }

    @Test
    void aPaddingIdOutsideTheVocabularyIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Embedding(V, E, V, DataType.DOUBLE, 1));
        assertEquals("Embedding: paddingId must be in [0, V) = [0, 6) or NO_PADDING (-1), but is 6.", e.getMessage());
    }
}

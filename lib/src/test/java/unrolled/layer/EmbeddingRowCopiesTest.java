package unrolled.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.TestData;

/** The embedding's row copies ({@link unrolled.fast.EmbeddingRows}) against its loops as written. */
class EmbeddingRowCopiesTest {

    private static final int[][] IDS = {{1, 4, 0, 4}, {2, 2, 0, 3}};

    @Test
    void theRowCopiesGiveTheSameVectorsAndGradientsAsTheLoops() {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            Embedding fast = new Embedding(5, 3, 0, type, 9);
            Embedding readable = new Embedding(5, 3, 0, type, 9);
            readable.fused = false;
            INDArray ids = Nd4j.createFromArray(IDS);
            Embedding.Result y = fast.forward(ids);
            assertEquals(readable.forward(ids).output(), y.output(), type.toString());
            // dy as a permuted view, (N, T, E) read from a (T, N, E) array: not plain memory
            INDArray dy = TestData.gaussian(4, 4, 2, 3).castTo(type).permute(1, 0, 2);
            INDArray expected = readable.backward(dy, y.cache()).get("E");
            INDArray actual = fast.backward(dy, y.cache()).get("E");
            assertEquals(type, actual.dataType());
            double[] e = expected.dup().data().asDouble();
            double[] a = actual.dup().data().asDouble();
            for (int k = 0; k < e.length; k++) {
                assertEquals(e[k], a[k], type == DataType.DOUBLE ? 1e-15 : 1e-6, "dE entry " + k);
            }
            // the padding row (id 0) receives nothing though id 0 occurs
            for (int k = 0; k < 3; k++) {
                assertEquals(0.0, actual.getDouble(0, k));
            }
        }
    }
}

package unrolled.param;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.Table;

class ParametersTest {

    @Test
    void composedNamesPointAtTheLiveArrays() {
        INDArray Wx = Nd4j.zeros(3, 4);
        Parameters cell = new Parameters().add("Wx", Wx).add("b", Nd4j.zeros(1, 4));
        Parameters model = new Parameters().addAll("encoder.lstm", cell);
        assertEquals(List.of("encoder.lstm.Wx", "encoder.lstm.b"), List.copyOf(model.names()));
        assertSame(Wx, model.get("encoder.lstm.Wx"));
        assertEquals(16, model.count());
    }

    @Test
    void theTableListsNameShapeCountAndTotal() {
        Table table = new Parameters().add("Wx", Nd4j.zeros(3, 4)).add("b", Nd4j.zeros(1, 4)).table("cell");
        assertEquals(List.of("name", "shape", "count"), table.columnNames());
        assertEquals("Wx", table.stringColumn("name").get(0));
        assertEquals("(3, 4)", table.stringColumn("shape").get(0));
        assertEquals(12L, table.longColumn("count").get(0));
        assertEquals("total", table.stringColumn("name").get(2));
        assertEquals(16L, table.longColumn("count").get(2));
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        Parameters p = new Parameters().add("Wx", Nd4j.zeros(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.get("Wh"));
        assertEquals("Parameters.get: no parameter named Wh; the parameters are [Wx].", e.getMessage());
    }

    @Test
    void duplicateAndMalformedNamesAreRefused() {
        Parameters p = new Parameters().add("Wx", Nd4j.zeros(1));
        assertEquals("Parameters.add: a parameter named Wx is already registered.",
                assertThrows(IllegalArgumentException.class, () -> p.add("Wx", Nd4j.zeros(1))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.add("1bad", Nd4j.zeros(1)));
        assertThrows(IllegalArgumentException.class, () -> p.add("a..b", Nd4j.zeros(1)));
    }

    @Test
    void copyIsASnapshotAndAssignRestoresIt() {
        Parameters p = new Parameters().add("w", Nd4j.createFromArray(1.0, 2.0));
        Parameters saved = p.copy();
        p.get("w").addi(10);
        assertEquals(Nd4j.createFromArray(1.0, 2.0), saved.get("w"));
        p.assign(saved);
        assertEquals(Nd4j.createFromArray(1.0, 2.0), p.get("w"));
    }
}

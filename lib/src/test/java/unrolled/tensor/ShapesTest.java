package unrolled.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class ShapesTest {

    @Test
    void formatsShapesAsTuples() {
        assertEquals("(2, 5, 3)", Shapes.format(2, 5, 3));
        assertEquals("(4,)", Shapes.format(4));
        assertEquals("()", Shapes.format());
    }

    @Test
    void readsTheShapeOfAnArray() {
        assertEquals("(2, 3)", Shapes.of(Nd4j.zeros(2, 3)));
    }
}

package unrolled.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class ShapesTest {

    @Test
    void formatsShapesAsTuples() {
        assertEquals("(2, 5, 3)", Shapes.format(2, 5, 3));
        assertEquals("(4,)", Shapes.format(4));
        assertEquals("()", Shapes.format());
        assertEquals("(2, ?)", Shapes.format(2, Shapes.ANY));
    }

    @Test
    void readsTheShapeOfAnArray() {
        assertEquals("(2, 3)", Shapes.of(Nd4j.zeros(2, 3)));
    }

    @Test
    void acceptsTheExpectedShapeAndAnySizeWhereUnconstrained() {
        Shapes.require("M.f", "x", Nd4j.zeros(2, 7, 3), "(N, T, D)", 2, Shapes.ANY, 3);
    }

    @Test
    void aWrongShapeNamesMethodArgumentSymbolsAndBothShapes() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> Shapes.require("LstmCell.forward", "hPrev", Nd4j.zeros(2, 8), "(N, H)", 2, 4));
        assertEquals("LstmCell.forward: hPrev must have shape (N, H) = (2, 4), but has shape (2, 8).", e.getMessage());
    }

    @Test
    void aTimeMajorInputGetsAHint() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> Shapes.require("Layer.forward", "x", Nd4j.zeros(7, 2, 3), "(N, T, D)", 2, 7, 3));
        assertEquals("Layer.forward: x must have shape (N, T, D) = (2, 7, 3), but has shape (7, 2, 3). It looks time-major"
                + " (T, N, D); this library is batch-first (N, T, D): use x.permute(1, 0, 2).dup().", e.getMessage());
    }

    @Test
    void aTransposedMatrixAndAMissingBatchAxisGetHints() {
        ShapeException transposed = assertThrows(ShapeException.class,
                () -> Shapes.require("M.f", "W", Nd4j.zeros(4, 3), "(D, H)", 3, 4));
        assertEquals("M.f: W must have shape (D, H) = (3, 4), but has shape (4, 3). It looks transposed: use .transpose().",
                transposed.getMessage());
        ShapeException unbatched = assertThrows(ShapeException.class,
                () -> Shapes.require("M.f", "x", Nd4j.zeros(7, 3), "(N, T, D)", Shapes.ANY, 7, 3));
        assertEquals("M.f: x must have shape (N, T, D) = (?, 7, 3), but has shape (7, 3). It has no batch axis; add one with"
                + " reshape(1, 7, 3).", unbatched.getMessage());
    }

    @Test
    void nullIsRefusedWithTheExpectedShape() {
        ShapeException e = assertThrows(ShapeException.class, () -> Shapes.require("M.f", "x", null, "(N, D)", 2, 3));
        assertEquals("M.f: x must be an array of shape (N, D) = (2, 3), but is null.", e.getMessage());
    }

    @Test
    void typeAndSizeChecksNameWhatWasGiven() {
        ShapeException type = assertThrows(ShapeException.class,
                () -> Shapes.requireType("M.f", "x", Nd4j.zeros(DataType.FLOAT, 2), DataType.DOUBLE));
        assertEquals("M.f: x must have data type DOUBLE, but has FLOAT. Convert it with castTo(DataType.DOUBLE).", type.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> Shapes.requirePositive("RnnCell", "hiddenSize", 0));
        assertEquals("RnnCell: hiddenSize must be positive, but is 0.", size.getMessage());
        IllegalArgumentException floating = assertThrows(IllegalArgumentException.class,
                () -> Shapes.requireFloating("RnnCell", DataType.INT));
        assertEquals("RnnCell: dataType must be DOUBLE or FLOAT, but is INT.", floating.getMessage());
    }

    @Test
    void theShapeAndTypeCheckRefusesTheShapeFirstThenTheType() {
        Shapes.require("M.f", "x", Nd4j.zeros(DataType.DOUBLE, 2, 3), "(N, D)", DataType.DOUBLE, 2, 3);
        ShapeException shape = assertThrows(ShapeException.class,
                () -> Shapes.require("M.f", "x", Nd4j.zeros(DataType.FLOAT, 2, 4), "(N, D)", DataType.DOUBLE, 2, 3));
        assertEquals("M.f: x must have shape (N, D) = (2, 3), but has shape (2, 4).", shape.getMessage());
        ShapeException type = assertThrows(ShapeException.class,
                () -> Shapes.require("M.f", "x", Nd4j.zeros(DataType.FLOAT, 2, 3), "(N, D)", DataType.DOUBLE, 2, 3));
        assertEquals("M.f: x must have data type DOUBLE, but has FLOAT. Convert it with castTo(DataType.DOUBLE).",
                type.getMessage());
    }

    @Test
    void sizesAreCheckedInOrderThenTheDataType() {
        Shapes.requireSizes("Layer", DataType.FLOAT, "inputSize, outputSize", 3, 4);
        IllegalArgumentException second = assertThrows(IllegalArgumentException.class,
                () -> Shapes.requireSizes("Layer", DataType.INT32, "inputSize, outputSize", 3, 0));
        assertEquals("Layer: outputSize must be positive, but is 0.", second.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> Shapes.requireSizes("Layer", DataType.INT32, "inputSize, outputSize", 3, 4));
        assertEquals("Layer: dataType must be DOUBLE or FLOAT, but is " + DataType.INT32 + ".", type.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Shapes.requireSizes("Layer", DataType.FLOAT, "inputSize", 3, 4));
    }
}

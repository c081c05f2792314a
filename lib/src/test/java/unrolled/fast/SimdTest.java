package unrolled.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.cell.State;
import unrolled.recurrent.RecurrentLayer;
import unrolled.recurrent.SequenceGradients;
import unrolled.data.SequenceMask;

/**
 * The FLOAT kernels' two ways of doing the gate maths, the vector units ({@code Vector*Rows}) and the portable loops,
 * must give the same outputs, final states and gradients, and both must agree with the reference cells. Widths that
 * are and are not whole vectors (the row buffers are padded), padded steps (including a sequence that is all padding)
 * and one or two lanes are covered.
 */
class SimdTest {

    private static final int N = 3;
    private static final int T = 7;
    private static final int D = 4;
    private static final int[] LENGTHS = {T, 3, 0};

    static Stream<Arguments> cellsWidthsAndLanes() {
        return Stream.of(Cells.values()).flatMap(kind -> Stream.of(5, 16, 37)
                .flatMap(hidden -> Stream.of(1, 2).map(lanes -> Arguments.of(kind, hidden, lanes))));
    }

    @AfterEach
    void restore() {
        Simd.off = false;
        Lanes.forced = 0;
    }

    @Test
    void theTestJvmHasTheVectorModuleSoTheVectorPathIsTested() {
        // Surefire starts the tests with --add-modules jdk.incubator.vector (lib/pom.xml); without it every FLOAT test
        // would run the portable loops only, and the comparison below would compare them with themselves
        assertTrue(Simd.active(), "the Vector API is not available to the tests: " + Simd.describe());
        assertTrue(FastRecurrentLayer.elementwiseUnits().startsWith("Vector API, "), FastRecurrentLayer.elementwiseUnits());
    }

    @ParameterizedTest
    @MethodSource("cellsWidthsAndLanes")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void vectorAndPortableLoopsAgreeWithEachOtherAndTheReference(Cells kind, int hidden, int lanes) {
        Lanes.forced = lanes;
        DataType type = DataType.FLOAT;
        RecurrentLayer<Object> reference = new RecurrentLayer(kind.create(D, hidden, type, 21));
        FastRecurrentLayer<Object> fast = new FastRecurrentLayer<>(reference);
        SequenceMask mask = SequenceMask.ofLengths(LENGTHS, T);
        INDArray x = Cells.gaussian(22, type, N, T, D);
        State initial = new State(Cells.gaussian(23, type, N, hidden),
                reference.hasCellState() ? Cells.gaussian(24, type, N, hidden) : null);
        INDArray dy = Cells.gaussian(25, type, N, T, hidden);
        State dFinal = new State(Cells.gaussian(26, type, N, hidden),
                reference.hasCellState() ? Cells.gaussian(27, type, N, hidden) : null);

        var expected = reference.forward(x, initial, mask);
        SequenceGradients expectedGradients = reference.backward(dy, dFinal, expected.cache());
        for (boolean portable : new boolean[] {true, false}) {
            Simd.off = portable;
            var actual = fast.forward(x, initial, mask);
            FastRecurrentLayerTest.agreeResults(expected, actual);
            FastRecurrentLayerTest.agreeGradients(expectedGradients, fast.backward(dy, dFinal, actual.cache()));
        }
    }

    @Test
    void aVectorWidthIsChosenOnlyUpToTheCpusWidest() {
        int widest = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
        for (int bits : new int[] {128, 256, 512}) {
            assertEquals(Math.min(bits, widest), VectorMath.species(bits).vectorBitSize(), "asked for " + bits + " bits");
        }
        // no width asked for, or one the API has no species of: the CPU's widest
        assertEquals(widest, VectorMath.species(0).vectorBitSize());
        assertEquals(widest, VectorMath.species(1024).vectorBitSize());
        // the property unset (as in the suite), the row calculators use the widest
        if (Integer.getInteger("unrolled.vectorBits") == null) {
            assertEquals(widest, VectorMath.SPECIES.vectorBitSize());
        }
    }

    @Test
    void describesTheUnitsAndTheSwitch() {
        Simd.off = true;
        assertTrue(Simd.describe().endsWith("(switched off)"), Simd.describe());
        Simd.off = false;
        assertTrue(Simd.describe().matches("Vector API, \\d+ floats per instruction \\(\\d+-bit\\)"), Simd.describe());
    }
}

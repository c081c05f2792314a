package unrolled.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.Table;
import unrolled.TestData;

class GradientCheckTest {

    /** L = Σ sin(w) · x², so ∂L/∂w = cos(w) · x² and ∂L/∂x = 2 sin(w) · x. */
    private static double loss(INDArray w, INDArray x) {
        double total = 0;
        for (int i = 0; i < w.length(); i++) {
            total += Math.sin(w.getDouble(i)) * x.getDouble(i) * x.getDouble(i);
        }
        return total;
    }

    private static INDArray dLossDw(INDArray w, INDArray x) {
        return Nd4j.createFromArray(java.util.stream.IntStream.range(0, (int) w.length())
                .mapToDouble(i -> Math.cos(w.getDouble(i)) * x.getDouble(i) * x.getDouble(i)).toArray());
    }

    @Test
    void aCorrectGradientPassesAndTheArraysAreRestored() {
        INDArray w = TestData.gaussian(1, 6);
        INDArray x = TestData.gaussian(2, 6);
        INDArray w0 = w.dup();
        INDArray dw = dLossDw(w0, x);
        INDArray dx = Nd4j.createFromArray(java.util.stream.IntStream.range(0, 6)
                .mapToDouble(i -> 2 * Math.sin(w0.getDouble(i)) * x.getDouble(i)).toArray());
        GradientCheck.Report report = GradientCheck.create().wrt("w", w, dw).wrt("x", x, dx).run(() -> loss(w, x));
        assertTrue(report.passed(), report.toString());
        assertTrue(report.maxRelativeError() > 0 && report.maxRelativeError() < GradientCheck.TOLERANCE, report.toString());
        assertEquals(w0, w, "every perturbation is undone");
    }

    @Test
    void aGradientWrongInOneEntryFailsAndIsNamed() {
        INDArray w = TestData.gaussian(1, 6);
        INDArray x = TestData.gaussian(2, 6);
        INDArray dw = dLossDw(w, x);
        dw.putScalar(3, dw.getDouble(3) * 1.01);
        GradientCheck.Report report = GradientCheck.create().wrt("w", w, dw).run(() -> loss(w, x));
        assertFalse(report.passed());
        AssertionError e = assertThrows(AssertionError.class, report::requirePassed);
        assertTrue(e.getMessage().contains("w (6,): max relative error"), e.getMessage());
        Table table = report.table("check");
        assertEquals(1, table.rowCount());
        assertFalse(table.booleanColumn("passed").get(0));
    }

    @Test
    void samplingChecksTheRequestedNumberOfEntries() {
        INDArray w = TestData.gaussian(1, 50);
        INDArray x = TestData.gaussian(2, 50);
        INDArray dw = dLossDw(w, x);
        GradientCheck.Report report = GradientCheck.create().wrt("w", w, dw).sample(7, 3).run(() -> loss(w, x));
        assertEquals(7, report.rows().get(0).checked());
        assertTrue(report.passed());
    }

    @Test
    void floatArraysAreRefusedBecauseRoundOffWouldDominate() {
        INDArray w = Nd4j.zeros(DataType.FLOAT, 2);
        assertThrows(IllegalArgumentException.class, () -> GradientCheck.create().wrt("w", w, w));
    }
}

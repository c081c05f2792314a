package unrolled.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FindingsTest extends NotebookOutputCapture {

    @Test
    void claimsThatHoldAreShownWithTheirValuesAndDoNotFail() {
        Findings.about("curriculum learning")
                .measured("final accuracy", 0.6403)
                .greater("the ramp ends higher", "ramp", 0.97, "no ramp", 0.64)
                .show();
        assertEquals(1, shown.size());
        assertEquals("What this run shows: curriculum learning\n  • final accuracy: 0.640\n"
                + "  ✓ the ramp ends higher (ramp = 0.970 > no ramp = 0.640)", shown.get(0).get("text/plain"));
        assertTrue(shown.get(0).get("text/html").contains("class=\"unrolled-findings\""));
    }

    @Test
    void aFalseClaimIsShownMarkedAndFailsTheCellNamingTheClaimAndTheValues() {
        Findings findings = Findings.about("model comparison")
                .atLeast("every model reaches 100 %", "LSTM held-out accuracy", 0.79, 1.0)
                .atLeast("the CNN learns the task", "CNN held-out accuracy", 1.0, 0.95);
        Findings.NotShown failure = assertThrows(Findings.NotShown.class, findings::show);
        assertEquals("Findings.show: this run does not show what the lesson says about model comparison — "
                + "'every model reaches 100 %': LSTM held-out accuracy = 0.790 < 1.00.", failure.getMessage());
        String plain = shown.get(0).get("text/plain");
        assertTrue(plain.contains("✗ every model reaches 100 %"), plain);
        assertTrue(plain.contains("✓ the CNN learns the task"), plain);
    }

    @Test
    void aComparisonWithinTheSeedSpreadIsNotAFinding() {
        double[] adam = {0.91, 0.88, 0.93};
        double[] sgd = {0.85, 0.90, 0.80};
        Findings.NotShown failure = assertThrows(Findings.NotShown.class, () -> Findings.about("optimisers")
                .separated("Adam beats SGD", "Adam", adam, "SGD", sgd).show());
        assertTrue(failure.getMessage().contains("Adam 0.910 (0.880–0.930, 3 seeds); SGD 0.850 (0.800–0.900, 3 seeds)"),
                failure.getMessage());
        assertTrue(failure.getMessage().contains("the lowest Adam (0.880) is not above the highest SGD (0.900)"),
                failure.getMessage());
    }

    @Test
    void aComparisonThatHoldsOnEverySeedPasses() {
        Findings.about("optimisers")
                .separated("Adam beats SGD", "Adam", new double[] {0.91, 0.95, 0.93}, "SGD", new double[] {0.85, 0.90})
                .show();
        assertTrue(shown.get(0).get("text/plain").contains("✓ Adam beats SGD"));
    }

    @Test
    void boundsAndIntervalsReportWhichSideTheValueIsOn() {
        assertThrows(Findings.NotShown.class, () -> Findings.about("x").atMost("small", "loss", 2.5, 2.0).show());
        assertTrue(shown.get(0).get("text/plain").contains("loss = 2.50 > 2.00"));
        assertThrows(Findings.NotShown.class, () -> Findings.about("x").between("near one", "ratio", 1.3, 0.9, 1.1).show());
        assertTrue(shown.get(1).get("text/plain").contains("ratio = 1.30 outside [0.900, 1.10]"));
        Findings.about("x").between("near one", "ratio", 1.0, 0.9, 1.1).atMost("small", "loss", 1.5, 2.0).show();
        assertFalse(shown.get(2).get("text/plain").contains("✗"));
    }

    @Test
    void numbersArePrintedToThreeSignificantDigits() {
        assertEquals("0.640", Findings.format(0.6403));
        assertEquals("12.3", Findings.format(12.345));
        assertEquals("100", Findings.format(99.96));
        assertEquals("1,235", Findings.format(1234.6));
        assertEquals("-0.0500", Findings.format(-0.05));
        assertEquals("2.5e-5", Findings.format(0.000025));
        assertEquals("0", Findings.format(0));
        assertEquals("250", Findings.format(250.0));
        assertEquals("1.00", Findings.format(1.0));
        assertEquals("NaN", Findings.format(Double.NaN));
        assertEquals("0.500 (0.200–0.900, 4 seeds)", Findings.spread(new double[] {0.9, 0.2, 0.4, 0.6}));
    }

    @Test
    void badArgumentsAreRefusedWithTheMethodAndTheArgumentNamed() {
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class, () -> Findings.about(" "));
        assertEquals("Findings.about: title must be a non-blank text, but is blank.", blank.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> Findings.about("x").acrossSeeds("acc", new double[0]));
        assertEquals("Findings.acrossSeeds: perSeed must have shape (S) with S ≥ 1, but has shape (0).", empty.getMessage());
        IllegalArgumentException interval = assertThrows(IllegalArgumentException.class,
                () -> Findings.about("x").between("s", "v", 1, 2, 1));
        assertEquals("Findings.between: low must be at most high, but low = 2.0 and high = 1.0.", interval.getMessage());
    }
}

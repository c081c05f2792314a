package unrolled.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OperatingPointTest {

    private static final double[] SCORES = {0.9, 0.8, 0.7, 0.7, 0.2};
    private static final boolean[] LABELS = {true, false, true, false, true};

    @Test
    void countsAlarmsAtOrAboveTheThreshold() {
        OperatingPoint point = OperatingPoint.at(SCORES, LABELS, 0.7);
        // alarms on steps 0–3: TP = steps 0 and 2, FP = steps 1 and 3, FN = step 4
        assertEquals(new OperatingPoint(0.7, 2, 2, 1), point);
        assertEquals(0.5, point.precision(), 1e-12);
        assertEquals(2.0 / 3, point.recall(), 1e-12);
        assertEquals(4.0 / 7, point.f1(), 1e-12);
    }

    @Test
    void noAlarmAndNoAnomalyFollowThePackagesZeroOverZeroRuleLikePrecisionRecall() {
        OperatingPoint silent = OperatingPoint.at(SCORES, LABELS, 2.0);
        PrecisionRecall counted = PrecisionRecall.atThreshold(SCORES, LABELS, 2.0);
        assertEquals(0.0, silent.precision(), 0);
        assertEquals(0.0, silent.recall(), 0);
        assertEquals(counted.precision(), silent.precision(), 0);
        boolean[] normal = new boolean[SCORES.length];
        OperatingPoint noAnomaly = OperatingPoint.at(SCORES, normal, 0.5);
        assertEquals(0.0, noAnomaly.recall(), 0);
        assertEquals(0.0, noAnomaly.f1(), 0);
        assertEquals(PrecisionRecall.atThreshold(SCORES, normal, 0.5).recall(), noAnomaly.recall(), 0);
    }

    @Test
    void sweepHasOnePointPerDistinctScoreAndTiesSwitchOnTogether() {
        List<OperatingPoint> sweep = OperatingPoint.sweep(SCORES, LABELS);
        assertEquals(List.of(new OperatingPoint(0.9, 1, 0, 2), new OperatingPoint(0.8, 1, 1, 2),
                new OperatingPoint(0.7, 2, 2, 1), new OperatingPoint(0.2, 3, 2, 0)), sweep);
        // AP = 1/3·1 + 0·1/2 + 1/3·1/2 + 1/3·3/5
        assertEquals(1.0 / 3 + 1.0 / 6 + 1.0 / 5, OperatingPoint.averagePrecision(sweep), 1e-12);
        // F1 at each point: 1/2, 2/5, 4/7, 3/4
        assertEquals(new OperatingPoint(0.2, 3, 2, 0), OperatingPoint.bestF1(sweep));
    }

    @Test
    void sweepAgreesWithCountingAtEachThresholdOnRandomScores() {
        Random random = new Random(3);
        double[] scores = new double[200];
        boolean[] labels = new boolean[200];
        for (int t = 0; t < scores.length; t++) {
            scores[t] = Math.round(random.nextGaussian() * 10) / 10.0;   // rounded, so there are ties
            labels[t] = random.nextDouble() < 0.2 + (scores[t] > 1 ? 0.5 : 0);
        }
        List<OperatingPoint> sweep = OperatingPoint.sweep(scores, labels);
        for (OperatingPoint point : sweep) {
            assertEquals(OperatingPoint.at(scores, labels, point.threshold()), point);
        }
        assertTrue(sweep.get(sweep.size() - 1).recall() == 1.0);
    }

    @Test
    void aSweepWithoutAnomaliesAndNaNScoresAreRefused() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> OperatingPoint.sweep(new double[] {1, 2}, new boolean[] {false, false}));
        assertEquals("OperatingPoint.sweep: labels must mark at least one anomalous step, but all 2 are normal, so recall "
                + "is undefined.", none.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> OperatingPoint.at(new double[] {1, Double.NaN}, new boolean[] {true, false}, 0.5));
        assertEquals("OperatingPoint.at: every score must be a number, but scores[1] is NaN.", nan.getMessage());
    }
}

package unrolled.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrecisionRecallTest {

    @Test
    void countsAHandWorkedExample() {
        // items:      0  1  2  3  4  5  6  7
        int[] truth = {1, 1, 1, 0, 0, 0, 0, 1};
        int[] guess = {1, 0, 1, 1, 0, 0, 0, 0};
        PrecisionRecall scores = PrecisionRecall.of(guess, truth, 1);
        // TP: items 0, 2; FP: item 3; FN: items 1, 7; TN: items 4, 5, 6
        assertEquals(new PrecisionRecall(2, 1, 2, 3), scores);
        assertEquals(2.0 / 3, scores.precision(), 1e-15);
        assertEquals(2.0 / 4, scores.recall(), 1e-15);
        assertEquals(2 * (2.0 / 3) * 0.5 / (2.0 / 3 + 0.5), scores.f1(), 1e-15);
        assertEquals(5.0 / 8, scores.accuracy(), 1e-15);
    }

    @Test
    void theOtherClassCanBeThePositiveOne() {
        int[] truth = {1, 1, 0};
        int[] guess = {1, 0, 0};
        assertEquals(new PrecisionRecall(1, 1, 0, 1), PrecisionRecall.of(guess, truth, 0));
    }

    @Test
    void flaggingNothingHasHighAccuracyButZeroRecallAndF1() {
        int[] truth = {0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        PrecisionRecall scores = PrecisionRecall.of(new int[10], truth, 1);
        assertEquals(0.9, scores.accuracy(), 1e-15);
        assertEquals(0.0, scores.recall());
        assertEquals(0.0, scores.precision());
        assertEquals(0.0, scores.f1());
    }

    @Test
    void aThresholdFlagsScoresAtOrAboveIt() {
        double[] scores = {0.9, 0.5, 0.2, 0.7};
        boolean[] actual = {true, true, false, false};
        assertEquals(new PrecisionRecall(2, 1, 0, 1), PrecisionRecall.atThreshold(scores, actual, 0.5));
        assertEquals(new PrecisionRecall(1, 0, 1, 2), PrecisionRecall.atThreshold(scores, actual, 0.8));
    }

    @Test
    void refusesArraysOfDifferentLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PrecisionRecall.of(new int[3], new int[4], 1));
        assertTrue(e.getMessage().contains("M = 4, but has 3"), e.getMessage());
    }
}

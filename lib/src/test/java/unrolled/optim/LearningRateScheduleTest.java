package unrolled.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void constantIsTheSameAtEveryStep() {
        LearningRateSchedule schedule = LearningRateSchedule.constant(0.3);
        assertArrayEquals(new double[] {0.3, 0.3, 0.3}, schedule.rates(3));
        assertEquals(0.3, schedule.rate(1_000_000));
    }

    @Test
    void stepDecayDropsByTheFactorEveryKSteps() {
        LearningRateSchedule schedule = LearningRateSchedule.step(0.1, 0.5, 3);
        assertArrayEquals(new double[] {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025}, schedule.rates(7), 1e-15);
        assertEquals(0.1 * Math.pow(0.5, 10), schedule.rate(30), 1e-18);
    }

    @Test
    void cosineFallsFromInitialToMinimumThenStays() {
        LearningRateSchedule schedule = LearningRateSchedule.cosine(1.0, 0.1, 4);
        // η_min + ½(η₀ − η_min)(1 + cos(π·s/S)) at s = 0 … 4: 1, 0.1 + 0.45·(1 + √½), 0.55, 0.1 + 0.45·(1 − √½), 0.1
        double half = Math.sqrt(0.5);
        assertArrayEquals(new double[] {1.0, 0.1 + 0.45 * (1 + half), 0.55, 0.1 + 0.45 * (1 - half), 0.1, 0.1},
                schedule.rates(6), 1e-15);
    }

    @Test
    void warmupRisesLinearlyThenFollowsTheNextScheduleFromItsStart() {
        LearningRateSchedule schedule = LearningRateSchedule.warmup(4, LearningRateSchedule.step(0.8, 0.5, 2));
        // 0.8·(s + 1)/4 for s < 4, then step(0.8, 0.5, 2) at s − 4.
        assertArrayEquals(new double[] {0.2, 0.4, 0.6, 0.8, 0.8, 0.8, 0.4, 0.4, 0.2}, schedule.rates(9), 1e-15);
    }

    @Test
    void aNegativeStepIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.constant(0.1).rate(-1));
        assertEquals("LearningRateSchedule.rate: step must be ≥ 0, but is -1.", e.getMessage());
    }

    @Test
    void badArgumentsAreRefusedNamingTheArgument() {
        assertEquals("LearningRateSchedule.step: factor must be in (0, 1], but is 1.5.",
                assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.step(0.1, 1.5, 10)).getMessage());
        assertEquals("LearningRateSchedule.step: every must be positive, but is 0.",
                assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.step(0.1, 0.5, 0)).getMessage());
        assertEquals("LearningRateSchedule.cosine: minimum must be in [0, initial] = [0, 0.1], but is 0.2.",
                assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(0.1, 0.2, 10)).getMessage());
        assertEquals("LearningRateSchedule.cosine: totalSteps must be positive, but is -5.",
                assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(0.1, 0, -5)).getMessage());
        assertEquals("LearningRateSchedule.warmup: warmupSteps must be positive, but is 0.",
                assertThrows(IllegalArgumentException.class,
                        () -> LearningRateSchedule.warmup(0, LearningRateSchedule.constant(0.1))).getMessage());
        assertEquals("LearningRateSchedule.constant: learningRate must be a finite number ≥ 0, but is Infinity.",
                assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.constant(Double.POSITIVE_INFINITY)).getMessage());
    }

    @Test
    void aScheduleDescribesItself() {
        assertEquals("warmup(10, cosine(0.001, 0.0, 100))",
                LearningRateSchedule.warmup(10, LearningRateSchedule.cosine(1e-3, 0, 100)).toString());
    }
}

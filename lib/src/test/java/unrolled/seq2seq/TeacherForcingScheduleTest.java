package unrolled.seq2seq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TeacherForcingScheduleTest {

    @Test
    void linearFallsToItsFloorAndStays() {
        TeacherForcingSchedule s = TeacherForcingSchedule.linear(100, 0.2);
        assertEquals(1.0, s.ratio(0), 1e-12);
        assertEquals(0.6, s.ratio(50), 1e-12);   // 1 − 50/100·(1 − 0.2)
        assertEquals(0.2, s.ratio(100), 1e-12);
        assertEquals(0.2, s.ratio(1000), 1e-12);
    }

    @Test
    void exponentialIsKToThePowerOfTheStep() {
        TeacherForcingSchedule s = TeacherForcingSchedule.exponential(0.99);
        assertEquals(1.0, s.ratio(0), 1e-12);
        assertEquals(Math.pow(0.99, 70), s.ratio(70), 1e-12);
    }

    @Test
    void inverseSigmoidStartsNearOneAndCrossesOneHalfAtKLnK() {
        TeacherForcingSchedule s = TeacherForcingSchedule.inverseSigmoid(100);
        assertEquals(100 / 101.0, s.ratio(0), 1e-12);
        // k / (k + exp(i/k)) = ½  ⇔  exp(i/k) = k  ⇔  i = k·ln k ≈ 460.5
        assertTrue(s.ratio(460) > 0.5 && s.ratio(461) < 0.5);
    }

    @Test
    void outOfRangeSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> TeacherForcingSchedule.constant(1.5));
        assertThrows(IllegalArgumentException.class, () -> TeacherForcingSchedule.exponential(1.0));
        var e = assertThrows(IllegalArgumentException.class, () -> TeacherForcingSchedule.inverseSigmoid(0.5));
        assertEquals("TeacherForcingSchedule.inverseSigmoid: k must be finite and at least 1, but is 0.5.", e.getMessage());
    }
}

package unrolled.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.optim.Adam;
import unrolled.param.Gradients;
import unrolled.param.Parameters;

/**
 * The trainer's own part of a step (the finite check and the norm, clipping, Adam, the history) allocates nothing per
 * step.
 *
 * <p>Method: the training step here returns the same loss and gradient arrays every time, so the model allocates
 * nothing and every heap byte counted ({@code ThreadMXBean.getThreadAllocatedBytes}, this thread) is the trainer's. A
 * fresh trainer (with a fresh Adam) fits {@value #SHORT} steps, another {@value #LONG}; what a fit costs once (Adam's
 * moments, the per-fit bookkeeping, the history's first {@code 1024}-step block, which both fits fill only in part)
 * cancels in the difference, and the slope (bytes(long) − bytes(short)) / (long − short) must stay below 8 bytes per
 * step: one object per step would cost at least 16. Any ND4J call allocates heap objects, so an ND4J operation per step
 * would show too. The loops are warmed up until the optimising compiler has compiled them (up to 60 s: the suite runs
 * on a loaded machine), as their temporaries live on the heap until then.
 */
class TrainerAllocationTest {

    private static final int SHORT = 100;
    private static final int LONG = 900;

    /** A small model's parameters and gradients: the same arrays at every step. */
    private static final class FixedStep {
        final Parameters parameters = new Parameters()
                .add("W", Nd4j.rand(DataType.FLOAT, 16, 8)).add("b", Nd4j.zeros(DataType.FLOAT, 1, 8))
                .add("V", Nd4j.rand(DataType.FLOAT, 8, 3));
        // norm above the clipping threshold at first, so that the rescale runs
        final LossAndGradients result = new LossAndGradients(0.5, new Gradients()
                .accumulate("W", Nd4j.rand(DataType.FLOAT, 16, 8).muli(0.1)).accumulate("b", Nd4j.rand(DataType.FLOAT, 1, 8))
                .accumulate("V", Nd4j.rand(DataType.FLOAT, 8, 3)));

        Trainer<Integer> trainer() {
            return new Trainer<Integer>(parameters, new Adam(1e-3), batch -> result).clipGlobalNorm(0.5).quiet(true);
        }
    }

    private static long fitBytes(ThreadMXBean threads, FixedStep model, int steps) {
        Trainer<Integer> trainer = model.trainer();
        List<Integer> batches = Collections.nCopies(steps, 0);
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        trainer.fit(batches, 1);
        long after = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        assertEquals(steps, trainer.history().stepCount());
        return after - before;
    }

    @Test
    void aTrainingStepAllocatesNothingOfTheTrainersOwn() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        FixedStep model = new FixedStep();
        double perStep = Double.NaN;
        long shortFit = 0;
        long longFit = 0;
        int rounds = 0;
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (; !(perStep < 8) && System.nanoTime() < deadline; rounds++) {
            for (int warmUp = 0; warmUp < 10; warmUp++) {
                fitBytes(threads, model, LONG);
            }
            shortFit = Long.MAX_VALUE;
            longFit = Long.MAX_VALUE;
            for (int repeat = 0; repeat < 5; repeat++) {
                shortFit = Math.min(shortFit, fitBytes(threads, model, SHORT));
                longFit = Math.min(longFit, fitBytes(threads, model, LONG));
            }
            perStep = (longFit - shortFit) / (double) (LONG - SHORT);
        }
        if (Boolean.getBoolean("unrolled.report")) {
            System.out.printf("Trainer: %d bytes per fit of %d steps, %d of %d steps, %.2f bytes per step, %d warm-up rounds%n",
                    shortFit, SHORT, longFit, LONG, perStep, rounds);
        }
        assertTrue(perStep < 8, "the trainer allocates " + perStep + " bytes per step (" + shortFit + " bytes for " + SHORT
                + " steps, " + longFit + " for " + LONG + ") after " + rounds + " warm-up rounds");
    }

    @Test
    void theHistoryKeepsEveryStepPastItsFirstBlock() {
        FixedStep model = new FixedStep();
        Trainer<Integer> trainer = model.trainer();
        trainer.fit(Collections.nCopies(1500, 0), 2);
        assertEquals(3000, trainer.history().stepCount());
        assertEquals(2999L, trainer.history().steps().longColumn(History.STEP).get(2999));
        assertEquals(2, trainer.history().steps().intColumn(History.EPOCH).get(2999));
        assertEquals(0.5, trainer.history().steps().doubleColumn(History.LOSS).get(1700));
    }
}

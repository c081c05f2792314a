package unrolled.fast;

import java.util.AbstractList;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.cell.State;

/**
 * A fast layer's work memory and its whole lifecycle: which buffers a pass writes into, when a forward pass's tape may
 * be overwritten by a later pass, and whether a backward pass's per-step gradients are still in their buffers.
 *
 * <p>Why reuse at all: ND4J's arrays live off the Java heap and are freed only when the garbage collector finds their
 * small Java wrappers unreachable; a fast path that allocates tens of megabytes per call and little heap fills the
 * off-heap limit long before a collection runs, and JavaCPP then forces full collections inside the allocation.
 * Measured here: four (64, 100, 1024) FLOAT allocations per call grew from 70 to 290 ms of CPU once that started — more
 * than the whole pass. Fresh memory also costs page faults on first touch.
 *
 * <p>The rules:
 * <ul>
 *   <li>A forward pass takes a {@link Set} of named buffers for its tape: a spare one if there is one, else a new one.
 *       Every buffer taken from a set must be completely overwritten before it is read (it holds the previous pass's
 *       values).</li>
 *   <li>A set becomes spare once its tape has been through a backward pass (or when the pass kept no cache, for
 *       inference); up to {@link #SPARE} sets wait for reuse (truncated BPTT runs several chunks before backward).</li>
 *   <li>When a spare set is taken again, the tape that used it is overwritten: {@link #overwritten} is then true and
 *       the layer refuses that cache.</li>
 *   <li>Every backward pass writes into the one {@link #scratch} set, so the per-step state gradients it leaves there
 *       are valid until the next backward pass: a {@link StepGradients} copies them out when first read, and refuses to
 *       after that.</li>
 *   <li>The arrays a pass returns are the caller's; {@link #close} gives their memory back at once when the caller
 *       is done with them (else ND4J frees it when the garbage collector runs).</li>
 * </ul>
 */
final class WorkBuffers {

    /** How many spare sets are kept. */
    static final int SPARE = 8;

    private final DataType dataType;
    private final ArrayDeque<Set> spare = new ArrayDeque<>();
    /** The backward passes' buffers. */
    final Set scratch = new Set();
    private long backwardPasses;

    WorkBuffers(DataType dataType) {
        this.dataType = dataType;
    }

    /** Named buffers that outlive one call, so that the next call of the same shape reuses their memory. */
    final class Set {
        private final Map<String, Slab> slabs = new HashMap<>();
        /** How many forward passes have taken this set: a tape remembers the number of its own. */
        private int generation;
        private boolean isSpare;

        private Set() {
        }

        /**
         * @param name the buffer's role, e.g. "gates"
         * @param shape its shape
         * @return the buffer of that name if it has that shape (holding old values), else a new all-zero one
         */
        Slab get(String name, long... shape) {
            Slab slab = slabs.get(name);
            if (slab == null || !Arrays.equals(slab.array.shape(), shape)) {
                slab = Slab.of(Nd4j.zeros(dataType, shape));
                slabs.put(name, slab);
            }
            return slab;
        }

        /** @return the number a tape written now into this set remembers */
        int generation() {
            return generation;
        }
    }

    /** @return the set a forward pass writes its tape into: a spare one (its old tape is then overwritten) or a new one */
    Set forForwardPass() {
        Set set = spare.poll();
        if (set == null) {
            set = new Set();
        }
        set.isSpare = false;
        set.generation++;
        return set;
    }

    /** Marks a tape's set as spare once the tape is no longer needed: after its backward pass, or at once in inference. */
    void done(Tape<?> tape) {
        Set set = tape.set;
        if (set.generation == tape.generation && !set.isSpare && spare.size() < SPARE) {
            set.isSpare = true;
            spare.offer(set);
        }
    }

    /** @return true if a later forward pass has written into the tape's buffers, so that they no longer hold its pass */
    static boolean overwritten(Tape<?> tape) {
        return tape.set.generation != tape.generation;
    }

    /** @return the number of the backward pass that is starting, for its {@link StepGradients} */
    long startBackward() {
        return ++backwardPasses;
    }

    /** Closes an array (a view's close does nothing: the array that owns the memory is the one to close). */
    static void close(INDArray array) {
        if (array != null && array.closeable()) {
            array.close();
        }
    }

    /** Closes a state's arrays. */
    static void close(State state) {
        if (state != null) {
            close(state.h());
            close(state.c());
        }
    }

    /**
     * ∂L/∂h_t (and ∂L/∂c_t) for each t. The backward pass leaves them in the scratch set, which the next backward pass
     * overwrites; the first {@code get} copies them out (one copy of each buffer), so a list that is read before then
     * stays valid, and one that is first read after then is refused. Training loops never read them, and no longer pay
     * for two fresh (N, T, H) arrays per step (fresh off-heap memory costs page faults: about a tenth of an LSTM
     * training step at 64×100×128×256, measured).
     */
    final class StepGradients extends AbstractList<State> implements RandomAccess {
        private final int steps;
        private final long pass;
        private Slab dH;
        private Slab dC;
        private INDArray h;
        private INDArray c;
        private boolean released;

        /**
         * @param dH ∂L/∂h_t, (N, T, H), in the scratch set
         * @param dC ∂L/∂c_t likewise, or null without a cell state
         * @param pass the backward pass's number, from {@link #startBackward}
         */
        StepGradients(Slab dH, Slab dC, int steps, long pass) {
            this.dH = dH;
            this.dC = dC;
            this.steps = steps;
            this.pass = pass;
        }

        /** @return the work buffers these gradients belong to */
        WorkBuffers owner() {
            return WorkBuffers.this;
        }

        /** When the rest of their pass's gradients are released: copies already read are closed too. */
        void release() {
            released = true;
            dH = null;
            dC = null;
            close(h);
            close(c);
        }

        @Override
        public State get(int t) {
            Objects.checkIndex(t, steps);
            if (released) {
                throw new IllegalStateException("FastRecurrentLayer: these dStates were released with the rest of their "
                        + "backward pass's gradients (release(gradients)); read them before releasing.");
            }
            if (h == null) {
                if (pass != backwardPasses) {
                    throw new IllegalStateException("FastRecurrentLayer: these dStates were first read after a later "
                            + "backward pass of the same layer, which has reused their buffers; read (or copy) dStates "
                            + "before calling backward on the layer again.");
                }
                h = dH.array.dup();
                c = dC == null ? null : dC.array.dup();
                dH = null;
                dC = null;
            }
            return new State(step(h, t), c == null ? null : step(c, t));
        }

        @Override
        public int size() {
            return steps;
        }

        private static INDArray step(INDArray buffer, int t) {
            return buffer.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all());
        }
    }
}

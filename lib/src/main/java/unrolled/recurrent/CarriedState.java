package unrolled.recurrent;

import java.util.Objects;
import unrolled.cell.RecurrentCell;
import unrolled.cell.State;

/**
 * The state a stateful ({@link InitialState#CARRIED}) layer keeps from one call to the next. {@link RecurrentLayer}
 * and the fast path's layer both keep one, so they start, refuse and forget a carried state in the same way and with
 * the same words.
 *
 * <pre>
 *   first call, or after reset()     h_{−1} = 0 (and c_{−1} = 0)
 *   later calls                      h_{−1} = a copy of the previous call's final state: no gradient flows into it
 * </pre>
 */
public final class CarriedState {

    private State carried;

    /** An empty carried state: the first batch starts from zeros. */
    public CarriedState() {
    }

    /**
     * The state a batch of N sequences starts from: a copy of the carried state, or the cell's zeros when there is none.
     *
     * @param method the public method being called, for the message
     * @param batchSize N, positive
     * @param cell the layer's cell, for its zero state
     * @return a new state, each array (N, H)
     * @throws IllegalArgumentException if the carried state belongs to another number of sequences
     */
    public State start(String method, long batchSize, RecurrentCell<?> cell) {
        if (carried == null) {
            return cell.zeroState(batchSize);
        }
        long carriedN = carried.h().size(0);
        if (carriedN != batchSize) {
            throw new IllegalArgumentException(method + ": this layer is stateful (CARRIED) and carries the state of "
                    + carriedN + " sequences from the previous batch, but this batch has N = " + batchSize
                    + ". Keep the batch size fixed, or call reset() to start new sequences.");
        }
        return copy(carried);
    }

    /**
     * Remembers a final state for the next batch, detached: a copy, so the next batch's gradient stops here.
     *
     * @param finalState h (and c), each (N, H), not null
     */
    public void remember(State finalState) {
        carried = copy(Objects.requireNonNull(finalState, "CarriedState.remember: finalState must not be null"));
    }

    /** Forgets the carried state: the next batch starts from zeros. */
    public void reset() {
        carried = null;
    }

    /** @return a copy of the state the next batch starts from, or null if there is none */
    public State get() {
        return carried == null ? null : copy(carried);
    }

    /**
     * @param state h (and c), not null
     * @return new arrays holding the same values, so changing one cannot change the other
     */
    public static State copy(State state) {
        return new State(state.h().dup(), state.c() == null ? null : state.c().dup());
    }
}

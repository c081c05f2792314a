package unrolled.cell;

/**
 * The result of one forward time step: the new state, and the cache the backward step needs.
 *
 * @param state the new state h_t (and c_t)
 * @param cache what the forward step saved for the backward step
 * @param <C> the cell's cache type
 */
public record Step<C>(State state, C cache) {
}

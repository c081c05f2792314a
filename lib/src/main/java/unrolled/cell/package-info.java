/**
 * Recurrent cells: one time step each, applied with the same weights at every step of a sequence. Each cell's
 * {@code forward} returns the new state and a named cache; its {@code backward} takes the gradient arriving at
 * the new state and returns the gradients of the input, the previous state and the parameters.
 */
package unrolled.cell;

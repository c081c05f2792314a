/**
 * Recurrent cells: the one time step that a recurrent network repeats with the same weights.
 *
 * <p>The curriculum builds them in order of the problem each one solves. {@link unrolled.cell.RnnCell}, the
 * vanilla cell, shows the recurrence and why its gradient vanishes or explodes over long sequences.
 * {@link unrolled.cell.LstmCell} adds a gated, additively updated cell state that carries gradient across many
 * steps; {@link unrolled.cell.GruCell} gets much of that benefit with two gates and no separate cell state.
 * Each cell implements {@link unrolled.cell.RecurrentCell}: a forward step that returns the new
 * {@link unrolled.cell.State} and a cache, and a backward step, written out by hand and checked against
 * finite differences, that the sequence layers call once per time step in backpropagation through time.
 * {@link unrolled.cell.LstmGate} and {@link unrolled.cell.GruGate} declare, once, the order of the gate
 * blocks in the fused weight matrices, and slice them as {@link unrolled.cell.GateBlock}s ({@code a[:, H:2H]} is
 * {@code LstmGate.FORGET.block(a, H)}). {@link unrolled.cell.CellSizes} holds what every cell is besides its
 * equations (D, H, the data type, the parameters, the zero state), so each cell's file opens with its maths.
 */
package unrolled.cell;

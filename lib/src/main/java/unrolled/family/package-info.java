/**
 * The wider recurrent family, kept small enough to read in one sitting: a {@link unrolled.family.ConditionalRecurrent}
 * layer (one network, many styles, chosen by a label), a {@link unrolled.family.VariationalRnnCell} and its sequence
 * layer {@link unrolled.family.VariationalRnn} (a latent random
 * variable at every step, trained through the reparameterisation trick), a {@link unrolled.family.MemoryRead} (a query
 * attending over an external memory, the step of a memory network), and {@link unrolled.family.Fusion} of two
 * encoders that read different modalities. Each has a hand-written backward pass checked against finite
 * differences, like the rest of the library.
 */
package unrolled.family;

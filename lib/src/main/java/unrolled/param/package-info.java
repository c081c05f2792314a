/**
 * Trainable parameters and their gradients, by name. A cell registers {@code Wx}, {@code Wh}, {@code b}; a
 * layer or model prefixes its parts ({@code encoder.lstm.Wx}); {@link unrolled.param.Gradients} uses the same
 * names and sums the per-step gradients of shared weights, which is what backpropagation through time does.
 * {@link unrolled.param.Init} holds the seeded initialisers (Xavier, orthogonal, scaled identity) and says
 * when each is the right choice. {@link unrolled.param.NpzFile} reads and writes named arrays as NumPy's {@code .npz},
 * the file that carries weights to and from Python.
 */
package unrolled.param;

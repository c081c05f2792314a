/**
 * Shapes and their errors. Every recurrent computation in the curriculum is a chain of tensors of shape
 * (N, T, D), (N, H) and (D, H); {@link unrolled.tensor.Shapes} checks them at every public entry point and
 * words a mistake as one sentence: method, argument, expected shape in symbols and numbers, actual shape,
 * and a hint for the usual culprits (time-major input, transposed weights, a missing batch axis).
 * {@link unrolled.tensor.Slices} writes the NumPy slices the lessons use ({@code a[:, from:to]}, {@code x[:, t, :]})
 * as one call each, {@link unrolled.tensor.EveryStep} applies one matrix at every step of an (N, T, D) array (and
 * gives its gradients), {@link unrolled.tensor.SizedBlock} is what every block is before its maths (sizes in symbols
 * and one data type, printed one way), and {@link unrolled.tensor.Threads} applies the library's thread settings.
 */
package unrolled.tensor;

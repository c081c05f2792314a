package unrolled.recurrent;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.layer.Dropout;
import unrolled.param.Gradients;
import unrolled.param.Parameters;

/**
 * Stacking in depth, written once: level l reads the outputs of level l − 1, through dropout during training, and
 * backward runs the levels top-down. {@link StackedRecurrent} stacks one-way layers with it, and the models'
 * bidirectional bodies stack {@link Bidirectional} layers with it.
 *
 * <pre>
 *   forward:   y⁽⁰⁾ = level_0(x),   y⁽ˡ⁾ = level_l(dropout(y⁽ˡ⁻¹⁾))   l = 1 … L−1
 *   backward:  dy⁽ᴸ⁻¹⁾ = dOutputs;  for l = L−1 … 0:  dx⁽ˡ⁾ = level_l.backward(dy⁽ˡ⁾),  dy⁽ˡ⁻¹⁾ = dropoutᵀ(dx⁽ˡ⁾)
 *   ∂L/∂θ = each level's gradients under "layer" + l, in the order of the stack's parameters
 * </pre>
 */
public final class Stacking {

    private Stacking() {
    }

    /**
     * One level's forward pass.
     *
     * @param <R> what the level returns: its outputs, final state and cache
     */
    @FunctionalInterface
    public interface LevelForward<R> {
        /**
         * @param level l, from 0 at the bottom
         * @param input x for level 0, else dropout(y⁽ˡ⁻¹⁾), (N, T, ·)
         * @return the level's result
         */
        R forward(int level, INDArray input);
    }

    /** One level's backward pass. */
    @FunctionalInterface
    public interface LevelBackward {
        /**
         * @param level l
         * @param dOutputs ∂L/∂y⁽ˡ⁾, (N, T, ·)
         * @return ∂L/∂(the level's input), (N, T, ·), and its parameters' gradients under their own names (fresh
         *     arrays, taken without copies)
         */
        Backward backward(int level, INDArray dOutputs);
    }

    /**
     * The forward result.
     *
     * @param outputs the top level's outputs, y⁽ᴸ⁻¹⁾
     * @param levels each level's result, bottom first
     * @param dropouts the dropout cache between level l and l + 1, for l = 0 … L−2 (empty without dropout)
     * @param <R> what a level returns
     */
    public record Forward<R>(INDArray outputs, List<R> levels, List<Dropout.Cache> dropouts) {
    }

    /**
     * The backward result.
     *
     * @param dx ∂L/∂x, (N, T, D)
     * @param parameters every level's gradients, as {@code layer0.…}, {@code layer1.…}, in the stack's parameter order
     *     (for one level: that level's own)
     */
    public record Backward(INDArray dx, Gradients parameters) {
    }

    /**
     * Runs the levels bottom-up.
     *
     * @param depth L, positive
     * @param x the inputs of level 0, (N, T, D)
     * @param dropout applied between consecutive levels, or null for none
     * @param training true to drop units; false (evaluation) passes them all
     * @param level one level's forward pass
     * @param outputsOf a level result's outputs y⁽ˡ⁾
     * @param <R> what a level returns
     * @return the top outputs, every level's result, and the dropout caches
     */
    public static <R> Forward<R> forward(int depth, INDArray x, Dropout dropout, boolean training, LevelForward<R> level,
            Function<R, INDArray> outputsOf) {
        List<R> levels = new ArrayList<>(depth);
        List<Dropout.Cache> dropouts = new ArrayList<>();
        INDArray input = x;
        for (int l = 0; l < depth; l++) {
            if (l > 0 && dropout != null) {
                // level l reads dropout(y⁽ˡ⁻¹⁾)
                Dropout.Result dropped = dropout.forward(input, training);
                dropouts.add(dropped.cache());
                input = dropped.output();
            }
            // y⁽ˡ⁾ = level_l(input)
            R result = level.forward(l, input);
            levels.add(result);
            input = outputsOf.apply(result);
        }
        return new Forward<>(input, List.copyOf(levels), List.copyOf(dropouts));
    }

    /**
     * Runs the levels top-down.
     *
     * @param depth L, positive
     * @param dOutputs ∂L/∂(top outputs), (N, T, ·)
     * @param dropout the dropout of the forward pass, or null
     * @param dropouts the forward pass's dropout caches
     * @param order the stack's parameters, whose names give the order of the gradients
     * @param level one level's backward pass
     * @return ∂L/∂x and every parameter's gradient
     */
    public static Backward backward(int depth, INDArray dOutputs, Dropout dropout, List<Dropout.Cache> dropouts,
            Parameters order, LevelBackward level) {
        Objects.requireNonNull(order, "Stacking.backward: order must not be null");
        Gradients gradients = new Gradients();
        INDArray dy = dOutputs;
        for (int l = depth - 1; l >= 0; l--) {
            Backward levelGradients = level.backward(l, dy);
            dy = levelGradients.dx();
            // gathered top-down; re-ordered bottom-up below
            gradients.takeAll("layer" + l, levelGradients.parameters());
            if (l > 0 && dropout != null) {
                // ∂L/∂y⁽ˡ⁻¹⁾ = ∂L/∂(dropout output) ⊙ mask / (1 − p)
                dy = dropout.backward(dy, dropouts.get(l - 1));
            }
        }
        // the levels' gradients are fresh arrays held nowhere else: gathered without copies
        Gradients ordered = new Gradients();
        for (String name : order.names()) {
            ordered.take(name, gradients.get(name));
        }
        return new Backward(dy, ordered);
    }
}

package unrolled.optim;

import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import unrolled.param.Gradients;

/**
 * Gradient clipping, the standard remedy for exploding gradients in recurrent networks: backpropagation
 * through time multiplies by the recurrent Jacobian once per time step, so a gradient can grow geometrically
 * with the sequence length and one bad batch can throw the weights far away.
 *
 * <p>Two ways to clip, both in place:
 * <ul>
 *   <li>{@link #byGlobalNorm}: g ← g·min(1, c/‖g‖), with ‖g‖ the L2 norm over <em>every</em> entry of every
 *       parameter's gradient. All entries are multiplied by the same positive number, so the clipped gradient
 *       points in exactly the same direction as the original (it is still a descent direction for the whole
 *       model) and only its length is capped at c. This is the usual choice (Pascanu et al., 2013).</li>
 *   <li>{@link #byValue}: each entry is clamped to [−c, c] on its own. Large entries are cut while small ones
 *       are kept, so the ratios between entries change and the clipped vector generally points elsewhere:
 *       the gradient (1, 100) clipped at 1 becomes (1, 1), which turns the step by 44 degrees.</li>
 * </ul>
 */
public final class Clipping {

    private Clipping() {
    }

    /**
     * Clamps every gradient entry to [−limit, limit], in place: gᵢ ← max(−c, min(c, gᵢ)). Changes the gradient's
     * direction when any entry is clamped; see the class comment.
     *
     * @param gradients the gradients, any shapes, modified in place
     * @param limit c, finite and &gt; 0
     */
    public static void byValue(Gradients gradients, double limit) {
        Objects.requireNonNull(gradients, "Clipping.byValue: gradients must not be null");
        Checks.requirePositive("Clipping.byValue", "limit", limit);
        for (Map.Entry<String, INDArray> entry : gradients) {
            INDArray g = entry.getValue();
            // gᵢ ← max(−c, min(c, gᵢ))
            Transforms.min(g, limit, false);
            Transforms.max(g, -limit, false);
        }
    }

    /**
     * Rescales all gradients together so that their global norm is at most maxNorm, in place:
     *
     * <pre>
     *   ‖g‖ = √(Σ over every parameter and entry of gᵢ²)
     *   g ← g · min(1, c / ‖g‖)
     * </pre>
     *
     * Gradients whose norm is already at most c are left exactly as they are. The direction is kept; see the
     * class comment. If ‖g‖ is NaN or infinite nothing is changed (no scale can repair it) and the norm is
     * returned so that the caller can stop.
     *
     * @param gradients the gradients, any shapes, modified in place
     * @param maxNorm c, finite and &gt; 0
     * @return ‖g‖ <em>before</em> clipping: plot it to see gradients explode
     */
    public static double byGlobalNorm(Gradients gradients, double maxNorm) {
        Objects.requireNonNull(gradients, "Clipping.byGlobalNorm: gradients must not be null");
        Checks.requirePositive("Clipping.byGlobalNorm", "maxNorm", maxNorm);
        double norm = gradients.globalNorm();
        if (norm > maxNorm && norm < Double.POSITIVE_INFINITY) {
            // g ← g · c / ‖g‖
            double scale = maxNorm / norm;
            for (Map.Entry<String, INDArray> entry : gradients) {
                entry.getValue().muli(scale);
            }
        }
        return norm;
    }
}

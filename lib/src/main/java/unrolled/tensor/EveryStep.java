package unrolled.tensor;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One matrix applied to every step of a batch-first array, as a single product over its N·T rows: how a projection
 * or a scoring layer written for one vector runs over whole sequences (or over the items of a memory) at once.
 *
 * <pre>
 *   times(x, W)              y[n, t] = x[n, t]·W                    x (N, T, D), W (D, K), y (N, T, K)
 *   affine(x, W, b)          y[n, t] = x[n, t]·W + b                b (1, K)
 *   weightGradient(x, dy)    ∂L/∂W = Σ_{n,t} x[n, t]ᵀ·dy[n, t]      (D, K): the same W at every step, so the sum
 *   biasGradient(dy)         ∂L/∂b = Σ_{n,t} dy[n, t]               (1, K)
 *   inputGradient(dy, W)     ∂L/∂x[n, t] = dy[n, t]·Wᵀ              (N, T, D)
 * </pre>
 *
 * Viewing (N, T, D) as N·T rows of D is a reshape, not a copy, for the C-ordered arrays the library makes.
 */
public final class EveryStep {

    private EveryStep() {
    }

    /**
     * @param x (N, T, D)
     * @param W (D, K)
     * @return x[n, t]·W for every n and t, a new (N, T, K) array
     * @throws ShapeException if x is not (N, T, D) with D the rows of W
     */
    public static INDArray times(INDArray x, INDArray W) {
        requireRows("EveryStep.times", "x", x, W);
        return rows(x).mmul(W).reshape('c', x.size(0), x.size(1), W.size(1));
    }

    /**
     * @param x (N, T, D)
     * @param W (D, K)
     * @param b (1, K)
     * @return x[n, t]·W + b for every n and t, a new (N, T, K) array
     * @throws ShapeException if x is not (N, T, D) or b not (1, K)
     */
    public static INDArray affine(INDArray x, INDArray W, INDArray b) {
        requireRows("EveryStep.affine", "x", x, W);
        Shapes.require("EveryStep.affine", "b", b, "(1, K)", 1, W.size(1));
        return rows(x).mmul(W).addiRowVector(b).reshape('c', x.size(0), x.size(1), W.size(1));
    }

    /**
     * @param x the input of y = x·W (+ b), (N, T, D)
     * @param dy ∂L/∂y, (N, T, K)
     * @return ∂L/∂W = Σ_{n,t} x[n, t]ᵀ·dy[n, t], (D, K)
     * @throws ShapeException if x and dy are not (N, T, ·) with the same N and T
     */
    public static INDArray weightGradient(INDArray x, INDArray dy) {
        Shapes.require("EveryStep.weightGradient", "x", x, "(N, T, D)", Shapes.ANY, Shapes.ANY, Shapes.ANY);
        Shapes.require("EveryStep.weightGradient", "dy", dy, "(N, T, K)", x.size(0), x.size(1), Shapes.ANY);
        return rows(x).transpose().mmul(rows(dy));
    }

    /**
     * @param dy ∂L/∂y of y = x·W + b, (N, T, K)
     * @return ∂L/∂b = Σ_{n,t} dy[n, t], (1, K)
     * @throws ShapeException if dy is not (N, T, K)
     */
    public static INDArray biasGradient(INDArray dy) {
        Shapes.require("EveryStep.biasGradient", "dy", dy, "(N, T, K)", Shapes.ANY, Shapes.ANY, Shapes.ANY);
        return rows(dy).sum(true, 0);
    }

    /**
     * @param dy ∂L/∂y of y = x·W (+ b), (N, T, K)
     * @param W (D, K)
     * @return ∂L/∂x[n, t] = dy[n, t]·Wᵀ for every n and t, a new (N, T, D) array
     * @throws ShapeException if dy is not (N, T, K) with K the columns of W
     */
    public static INDArray inputGradient(INDArray dy, INDArray W) {
        Shapes.require("EveryStep.inputGradient", "W", W, "(D, K)", Shapes.ANY, Shapes.ANY);
        Shapes.require("EveryStep.inputGradient", "dy", dy, "(N, T, K)", Shapes.ANY, Shapes.ANY, W.size(1));
        return rows(dy).mmul(W.transpose()).reshape('c', dy.size(0), dy.size(1), W.size(0));
    }

    /** (N, T, D) seen as its N·T rows, (N·T, D). */
    private static INDArray rows(INDArray x) {
        return x.reshape('c', x.size(0) * x.size(1), x.size(2));
    }

    private static void requireRows(String method, String argument, INDArray x, INDArray W) {
        Shapes.require(method, "W", W, "(D, K)", Shapes.ANY, Shapes.ANY);
        Shapes.require(method, argument, x, "(N, T, D)", Shapes.ANY, Shapes.ANY, W.size(0));
    }
}

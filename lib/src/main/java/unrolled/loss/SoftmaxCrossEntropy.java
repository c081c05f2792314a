package unrolled.loss;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import unrolled.tensor.ClassScores;
import unrolled.tensor.Shapes;

/**
 * Softmax followed by the cross-entropy with integer targets, over every position of a batch of sequences —
 * the loss of a language model (logits (N, T, V), targets (N, T)) or, for one prediction per sequence, of a
 * classifier (logits (N, V), targets (N,)).
 *
 * <p>At each position, with scores z over V classes, target y, mask m ∈ {0, 1} and class weights w:
 *
 * <pre>
 *   p = softmax(z),  p_v = exp(z_v − max z) / Σ_u exp(z_u − max z)      (subtracting max z changes nothing
 *                                                                        but keeps exp from overflowing)
 *   ℓ = −log p_y = log Σ_u exp(z_u − max z) − (z_y − max z)
 *   c = m · w_y
 *   loss = Σ_{n,t} c·ℓ / Σ_{n,t} c
 * </pre>
 *
 * The loss is the <em>weighted mean</em> of the per-position cross-entropies, as in PyTorch's
 * {@code CrossEntropyLoss(weight=w)} with its default mean reduction: padding positions (m = 0) count in
 * neither the sum nor the count, and without class weights it is the plain mean over the unmasked positions.
 * Cross-entropy is in nats (natural logarithm).
 *
 * <p>Softmax and cross-entropy are fused because their joint gradient is simple and stable — the probabilities
 * minus the one-hot target, scaled by the position's share of the weight:
 *
 * <pre>
 *   ∂loss/∂z = c / Σ c · (p − onehot(y))
 * </pre>
 *
 * so a masked position receives exactly zero gradient. If every position is masked (Σ c = 0) there is nothing
 * to score: the loss is 0 and the gradient zero.
 */
public final class SoftmaxCrossEntropy {

    /**
     * The loss and its gradient.
     *
     * @param loss the weighted mean cross-entropy, in nats
     * @param dLogits ∂loss/∂logits, the shape and data type of the logits
     * @param totalWeight Σ c = Σ m·w_y, the denominator of the mean (the number of unmasked positions when there
     *     are no class weights). To average over many batches, add up {@code loss · totalWeight} and divide by
     *     the sum of {@code totalWeight}: the mean of the batches' means is wrong when batches differ in size.
     */
    public record Result(double loss, INDArray dLogits, double totalWeight) {
    }

    private final double[] classWeights;

    /** The unweighted loss: every class has weight 1. */
    public SoftmaxCrossEntropy() {
        this.classWeights = null;
    }

    /**
     * The class-weighted loss, for example to make rare classes count more.
     *
     * @param classWeights w, (V,), any floating type, finite and non-negative; copied
     */
    public SoftmaxCrossEntropy(INDArray classWeights) {
        Shapes.require("SoftmaxCrossEntropy", "classWeights", classWeights, "(V,)", Shapes.ANY);
        ClassScores.requireFloatingType("SoftmaxCrossEntropy", "classWeights", classWeights);
        double[] w = new double[Math.toIntExact(classWeights.length())];
        for (int v = 0; v < w.length; v++) {
            w[v] = classWeights.getDouble(v);
            if (!(w[v] >= 0) || Double.isInfinite(w[v])) {
                throw new IllegalArgumentException("SoftmaxCrossEntropy: every class weight must be finite and "
                        + "non-negative, but classWeights(" + v + ") = " + w[v] + ".");
            }
        }
        this.classWeights = w;
    }

    /**
     * The loss with every position counted.
     *
     * @param logits z, (N, T, V) or (N, V), DOUBLE or FLOAT
     * @param targets y, (N, T) or (N,), an integer data type such as INT or LONG, each in [0, V)
     * @return the loss, ∂loss/∂logits and Σ c
     */
    public Result compute(INDArray logits, INDArray targets) {
        return compute(logits, targets, null);
    }

    /**
     * @param logits z, (N, T, V) or (N, V), DOUBLE or FLOAT
     * @param targets y, (N, T) or (N,), an integer data type such as INT or LONG, each in [0, V)
     * @param mask m, (N, T) or (N,), any numeric type, 1 where a position counts and 0 at padding; null for all 1
     * @return the loss, ∂loss/∂logits and Σ c
     */
    public Result compute(INDArray logits, INDArray targets, INDArray mask) {
        String method = "SoftmaxCrossEntropy.compute";
        ClassScores.requireScores(method, "logits", logits, classWeights == null ? Shapes.ANY : classWeights.length);
        long[] y = ClassScores.readTargets(method, targets, logits);
        double[] m = ClassScores.readMask(method, mask, logits);
        DataType dataType = logits.dataType();
        long V = logits.size(logits.rank() - 1);
        INDArray Z = logits.reshape('c', y.length, V);

        // c = m · w_y
        double[] c = new double[y.length];
        double totalWeight = 0;
        for (int i = 0; i < y.length; i++) {
            c[i] = m[i] * (classWeights == null ? 1.0 : classWeights[(int) y[i]]);
            totalWeight += c[i];
        }
        if (totalWeight == 0) {
            return new Result(0.0, Nd4j.zeros(dataType, logits.shape()), 0.0);
        }

        // z − max z,  then  p = exp(z − max z) / Σ_u exp(z_u − max z)
        INDArray shifted = Z.subColumnVector(Z.max(true, 1));
        INDArray P = Transforms.exp(shifted, true);
        INDArray sumExp = P.sum(true, 1);
        P.diviColumnVector(sumExp);

        // loss = Σ c·ℓ / Σ c,  ℓ = log Σ_u exp(z_u − max z) − (z_y − max z)
        double weightedSum = 0;
        for (int i = 0; i < y.length; i++) {
            if (c[i] != 0) {
                double ell = Math.log(sumExp.getDouble(i, 0)) - shifted.getDouble(i, y[i]);
                weightedSum += c[i] * ell;
            }
        }
        double loss = weightedSum / totalWeight;

        // ∂loss/∂z = c / Σ c · (p − onehot(y))
        double[] share = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            share[i] = c[i] / totalWeight;
        }
        INDArray scale = Nd4j.createFromArray(share).reshape(y.length, 1).castTo(dataType);
        INDArray dZ = P.muliColumnVector(scale);
        for (int i = 0; i < y.length; i++) {
            if (c[i] != 0) {
                dZ.putScalar(i, y[i], dZ.getDouble(i, y[i]) - share[i]);
            }
        }
        return new Result(loss, dZ.reshape('c', logits.shape()), totalWeight);
    }

    /** @return a copy of the class weights w (V,) as DOUBLE, or null for the unweighted loss */
    public INDArray classWeights() {
        return classWeights == null ? null : Nd4j.createFromArray(classWeights.clone());
    }

    @Override
    public String toString() {
        return classWeights == null ? "SoftmaxCrossEntropy()"
                : "SoftmaxCrossEntropy(" + classWeights.length + " class weights)";
    }
}

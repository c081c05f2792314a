package unrolled.family;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import unrolled.param.Gradients;
import unrolled.param.Init;
import unrolled.param.Trainable;
import unrolled.param.Parameters;
import unrolled.tensor.Shapes;
import unrolled.tensor.SizedBlock;
import unrolled.tensor.Slices;

/**
 * Combines the codes of two encoders that read different modalities (the final state of an RNN over a caption and
 * a feature vector of an image, say) into one vector for the layers above.
 *
 * <pre>
 *   CONCATENATE:  y = [u, v]                                   u (N, A), v (N, B), y (N, A + B); no parameters
 *   GATED:        hu = tanh(u·W1 + b1)                          W1 (A, H), b1 (1, H)
 *                 hv = tanh(v·W2 + b2)                          W2 (B, H), b2 (1, H)
 *                 g  = σ(u·Wg1 + v·Wg2 + bg)                    Wg1 (A, H), Wg2 (B, H), bg (1, H)
 *                 y  = g ⊙ hu + (1 − g) ⊙ hv                    y (N, H)
 * </pre>
 *
 * Concatenation leaves it to the next layer to weigh the two sources, with the same weights for every example.
 * The gated unit (Arevalo et al., 2017) decides per example and per feature how much each source contributes, so
 * it can lean on the caption when the image is uninformative and the other way round.
 *
 * <p>Backward (gated), from dy:
 *
 * <pre>
 *   dhu = dy ⊙ g      dhv = dy ⊙ (1 − g)      dg = dy ⊙ (hu − hv)      ds = dg ⊙ g ⊙ (1 − g)
 *   dau = dhu ⊙ (1 − hu²)      dav = dhv ⊙ (1 − hv²)
 *   ∂L/∂W1 = uᵀ·dau   ∂L/∂W2 = vᵀ·dav   ∂L/∂Wg1 = uᵀ·ds   ∂L/∂Wg2 = vᵀ·ds   (biases: the column sums)
 *   ∂L/∂u = dau·W1ᵀ + ds·Wg1ᵀ        ∂L/∂v = dav·W2ᵀ + ds·Wg2ᵀ
 * </pre>
 *
 * and for concatenation ∂L/∂u, ∂L/∂v are the two halves of dy. Initialisation: W Xavier-uniform from the seed,
 * biases zero. Parameter names (gated): {@code W1}, {@code b1}, {@code W2}, {@code b2}, {@code Wg1}, {@code Wg2},
 * {@code bg}.
 */
public final class Fusion extends SizedBlock implements Trainable {

    /** How the two codes are combined. */
    public enum Method {
        /** y = [u, v]. */
        CONCATENATE,
        /** y = g ⊙ tanh(u·W1 + b1) + (1 − g) ⊙ tanh(v·W2 + b2), with a learned gate g per example and feature. */
        GATED
    }

    /**
     * What the forward pass keeps for the backward pass.
     *
     * @param first u, (N, A)
     * @param second v, (N, B)
     * @param hu tanh(u·W1 + b1), (N, H); null for CONCATENATE
     * @param hv tanh(v·W2 + b2), (N, H); null for CONCATENATE
     * @param gate g, (N, H); null for CONCATENATE
     */
    public record Cache(INDArray first, INDArray second, INDArray hu, INDArray hv, INDArray gate) {
    }

    /**
     * The forward result.
     *
     * @param output y, (N, A + B) or (N, H)
     * @param cache for {@link #backward}
     */
    public record Result(INDArray output, Cache cache) {
    }

    /**
     * The backward result.
     *
     * @param dFirst ∂L/∂u, (N, A)
     * @param dSecond ∂L/∂v, (N, B)
     * @param parameters the parameters' gradients under their names (none for CONCATENATE)
     */
    public record Backward(INDArray dFirst, INDArray dSecond, Gradients parameters) {
    }

    private final Method method;
    private final int firstSize;
    private final int secondSize;
    private final int outputSize;
    private final Parameters parameters = new Parameters();

    /**
     * @param firstSize A, positive
     * @param secondSize B, positive
     * @param dataType DOUBLE or FLOAT
     * @return the concatenation [u, v], of size A + B
     */
    public static Fusion concatenation(int firstSize, int secondSize, DataType dataType) {
        return new Fusion(Method.CONCATENATE, firstSize, secondSize, firstSize + secondSize, dataType, 0);
    }

    /**
     * @param firstSize A, positive
     * @param secondSize B, positive
     * @param outputSize H, positive
     * @param dataType DOUBLE or FLOAT
     * @param seed the seed of the weights
     * @return the gated fusion, of size H
     */
    public static Fusion gated(int firstSize, int secondSize, int outputSize, DataType dataType, long seed) {
        return new Fusion(Method.GATED, firstSize, secondSize, outputSize, dataType, seed);
    }

    private Fusion(Method method, int firstSize, int secondSize, int outputSize, DataType dataType, long seed) {
        super("Fusion", method + ", A=" + firstSize + ", B=" + secondSize + " → " + outputSize, dataType);
        Shapes.requireSizes("Fusion", dataType, "firstSize, secondSize, outputSize", firstSize, secondSize, outputSize);
        this.method = method;
        this.firstSize = firstSize;
        this.secondSize = secondSize;
        this.outputSize = outputSize;
        if (method == Method.GATED) {
            parameters.add("W1", Init.xavierUniform(firstSize, outputSize, seed, dataType))
                    .add("b1", Nd4j.zeros(dataType, 1, outputSize))
                    .add("W2", Init.xavierUniform(secondSize, outputSize, seed + 1, dataType))
                    .add("b2", Nd4j.zeros(dataType, 1, outputSize))
                    .add("Wg1", Init.xavierUniform(firstSize, outputSize, seed + 2, dataType))
                    .add("Wg2", Init.xavierUniform(secondSize, outputSize, seed + 3, dataType))
                    .add("bg", Nd4j.zeros(dataType, 1, outputSize));
        }
    }

    /**
     * @param first u, the first encoder's code, (N, A), of the fusion's data type
     * @param second v, the second encoder's code, (N, B)
     * @return y, (N, A + B) or (N, H), and the cache for {@link #backward}
     */
    public Result forward(INDArray first, INDArray second) {
        String name = "Fusion.forward";
        long n = first == null ? Shapes.ANY : first.size(0);
        Shapes.require(name, "first", first, "(N, A)", dataType, n, firstSize);
        Shapes.require(name, "second", second, "(N, B)", dataType, n, secondSize);

        if (method == Method.CONCATENATE) {
            // y = [u, v]
            return new Result(Nd4j.hstack(first, second), new Cache(first, second, null, null, null));
        }
        // hu = tanh(u·W1 + b1),  hv = tanh(v·W2 + b2)
        INDArray hu = Transforms.tanh(first.mmul(p("W1")).addiRowVector(p("b1")), false);
        INDArray hv = Transforms.tanh(second.mmul(p("W2")).addiRowVector(p("b2")), false);
        // g = σ(u·Wg1 + v·Wg2 + bg)
        INDArray g = Transforms.sigmoid(first.mmul(p("Wg1")).addi(second.mmul(p("Wg2"))).addiRowVector(p("bg")), false);
        // y = g ⊙ hu + (1 − g) ⊙ hv
        INDArray y = g.mul(hu).addi(g.rsub(1.0).muli(hv));
        return new Result(y, new Cache(first, second, hu, hv, g));
    }

    /**
     * @param dy ∂L/∂y, (N, A + B) or (N, H)
     * @param cache from {@link #forward}
     * @return ∂L/∂u (N, A), ∂L/∂v (N, B) and the parameters' gradients
     */
    public Backward backward(INDArray dy, Cache cache) {
        String name = "Fusion.backward";
        Objects.requireNonNull(cache, name + ": cache must not be null");
        Shapes.require(name, "dy", dy, method == Method.CONCATENATE ? "(N, A + B)" : "(N, H)",
                cache.first().size(0), outputSize);
        Shapes.requireType(name, "dy", dy, dataType);
        if (method == Method.CONCATENATE) {
            // ∂L/∂u, ∂L/∂v: the two halves of dy
            return new Backward(Slices.columns(dy, 0, firstSize).dup(),
                    Slices.columns(dy, firstSize, outputSize).dup(), new Gradients());
        }
        INDArray u = cache.first();
        INDArray v = cache.second();
        INDArray g = cache.gate();
        // dhu = dy ⊙ g,  dhv = dy ⊙ (1 − g),  dg = dy ⊙ (hu − hv),  ds = dg ⊙ g ⊙ (1 − g)
        INDArray dhu = dy.mul(g);
        INDArray dhv = dy.mul(g.rsub(1.0));
        INDArray ds = dy.mul(cache.hu().sub(cache.hv())).muli(g).muli(g.rsub(1.0));
        // dau = dhu ⊙ (1 − hu²),  dav = dhv ⊙ (1 − hv²)
        INDArray dau = dhu.muli(cache.hu().mul(cache.hu()).rsubi(1.0));
        INDArray dav = dhv.muli(cache.hv().mul(cache.hv()).rsubi(1.0));
        Gradients grads = new Gradients()
                .accumulate("W1", u.transpose().mmul(dau)).accumulate("b1", dau.sum(true, 0))
                .accumulate("W2", v.transpose().mmul(dav)).accumulate("b2", dav.sum(true, 0))
                .accumulate("Wg1", u.transpose().mmul(ds)).accumulate("Wg2", v.transpose().mmul(ds))
                .accumulate("bg", ds.sum(true, 0));
        // ∂L/∂u = dau·W1ᵀ + ds·Wg1ᵀ,  ∂L/∂v = dav·W2ᵀ + ds·Wg2ᵀ
        INDArray dFirst = dau.mmul(p("W1").transpose()).addi(ds.mmul(p("Wg1").transpose()));
        INDArray dSecond = dav.mmul(p("W2").transpose()).addi(ds.mmul(p("Wg2").transpose()));
        return new Backward(dFirst, dSecond, grads);
    }

    private INDArray p(String name) {
        return parameters.get(name);
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    /** @return CONCATENATE or GATED */
    public Method method() {
        return method;
    }

    /** @return A */
    public int firstSize() {
        return firstSize;
    }

    /** @return B */
    public int secondSize() {
        return secondSize;
    }

    /** @return the size of y: A + B for CONCATENATE, H for GATED */
    public int outputSize() {
        return outputSize;
    }
}

package unrolled.fast;

import static unrolled.fast.VectorMath.LANES;
import static unrolled.fast.VectorMath.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The ReLU of {@link FastEncoderBlock}'s feed-forward network and its gradient gate over float arrays, a whole vector
 * at a time (FLOAT only): a lane keeps its value where the deciding value is above 0 and becomes 0 elsewhere (NaN
 * included, as the scalar loop's {@code u > 0} decides). Loaded only when {@link Simd} has found the
 * {@code jdk.incubator.vector} module.
 */
final class VectorRectifier {

    private VectorRectifier() {
    }

    /**
     * values[k] = gate[k] &gt; 0 ? values[k] : 0 for k &lt; count.
     *
     * @param values the values, overwritten, at least count long
     * @param gate the values deciding, at least count long (the values themselves for the ReLU)
     * @param count how many
     */
    static void apply(float[] values, float[] gate, int count) {
        FloatVector zero = FloatVector.zero(SPECIES);
        int k = 0;
        for (; k <= count - LANES; k += LANES) {
            VectorMask<Float> above = FloatVector.fromArray(SPECIES, gate, k).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(SPECIES, values, k), above).intoArray(values, k);
        }
        for (; k < count; k++) {
            values[k] = gate[k] > 0f ? values[k] : 0f;
        }
    }
}

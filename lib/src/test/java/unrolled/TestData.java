package unrolled;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded test inputs, independent of ND4J's random generator. */
public final class TestData {

    private TestData() {
    }

    /**
     * @param seed the seed
     * @param shape the shape
     * @return a DOUBLE array with entries from N(0, 1)
     */
    public static INDArray gaussian(long seed, long... shape) {
        Random random = new Random(seed);
        long length = 1;
        for (long s : shape) {
            length *= s;
        }
        double[] values = new double[Math.toIntExact(length)];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
        }
        return Nd4j.createFromArray(values).reshape('c', shape).castTo(DataType.DOUBLE);
    }

    /**
     * The loss L = Σ (out ⊙ R) for a fixed random R: its gradient with respect to out is exactly R, so any
     * backward pass can be checked with it.
     *
     * @param out the output, DOUBLE
     * @param weights R, same shape
     * @return the scalar loss
     */
    public static double dot(INDArray out, INDArray weights) {
        return out.mul(weights).sumNumber().doubleValue();
    }
}

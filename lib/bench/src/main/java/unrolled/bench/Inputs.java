package unrolled.bench;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded FLOAT inputs for the benchmarks. */
final class Inputs {

    private Inputs() {
    }

    /** @return an array of the shape with entries from N(0, scale²), seeded */
    static INDArray gaussian(long seed, double scale, long... shape) {
        Random random = new Random(seed);
        long length = 1;
        for (long s : shape) {
            length *= s;
        }
        float[] values = new float[Math.toIntExact(length)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (scale * random.nextGaussian());
        }
        return Nd4j.createFromArray(values).reshape('c', shape).castTo(DataType.FLOAT);
    }
}

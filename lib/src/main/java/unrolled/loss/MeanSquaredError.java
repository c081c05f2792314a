package unrolled.loss;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.tensor.ClassScores;
import unrolled.tensor.Shapes;

/**
 * The mean squared error between a prediction ŷ and a target y of the same shape — the loss of regression,
 * such as forecasting the next values of a time series:
 *
 * <pre>
 *   loss = Σ_{n,t,k} m·(ŷ − y)² / (K · Σ_{n,t} m)       ŷ, y (N, T, K) or (N, K); m (N, T) or (N,)
 *   ∂loss/∂ŷ = 2·m·(ŷ − y) / (K · Σ_{n,t} m)
 * </pre>
 *
 * that is, the mean of the squared errors over every entry at an unmasked position (without a mask, over every
 * entry: PyTorch's {@code MSELoss} with mean reduction; note there is no ½). The optional mask is 1 where a
 * position counts and 0 at padding, so sequences of different lengths can share a batch. If every position is
 * masked there is nothing to score: the loss is 0 and the gradient zero.
 */
public final class MeanSquaredError {

    /**
     * The loss and its gradient.
     *
     * @param loss the mean squared error over the unmasked entries
     * @param dPrediction ∂loss/∂ŷ, the shape and data type of the prediction
     * @param count K · Σ m, the number of entries averaged (the denominator of the mean); to average over many
     *     batches, add up {@code loss · count} and divide by the sum of {@code count}
     */
    public record Result(double loss, INDArray dPrediction, double count) {
    }

    /** The (stateless) mean squared error. */
    public MeanSquaredError() {
    }

    /**
     * The loss with every entry counted.
     *
     * @param prediction ŷ, (N, T, K) or (N, K), DOUBLE or FLOAT
     * @param target y, the shape and data type of the prediction
     * @return the loss, ∂loss/∂ŷ and the number of entries averaged
     */
    public Result compute(INDArray prediction, INDArray target) {
        return compute(prediction, target, null);
    }

    /**
     * @param prediction ŷ, (N, T, K) or (N, K), DOUBLE or FLOAT
     * @param target y, the shape and data type of the prediction
     * @param mask m, (N, T) for a sequence prediction or (N,) for (N, K), any numeric type, entries 0 or 1; null
     *     for all 1
     * @return the loss, ∂loss/∂ŷ and the number of entries averaged
     */
    public Result compute(INDArray prediction, INDArray target, INDArray mask) {
        String method = "MeanSquaredError.compute";
        if (prediction != null && prediction.rank() == 2) {
            Shapes.require(method, "prediction", prediction, "(N, K)", Shapes.ANY, Shapes.ANY);
        } else {
            Shapes.require(method, "prediction", prediction, "(N, T, K)", Shapes.ANY, Shapes.ANY, Shapes.ANY);
        }
        ClassScores.requireFloatingType(method, "prediction", prediction);
        Shapes.require(method, "target", target, prediction.rank() == 3 ? "(N, T, K)" : "(N, K)", prediction.shape());
        Shapes.requireType(method, "target", target, prediction.dataType());
        double[] m = ClassScores.readMask(method, mask, prediction);
        long K = prediction.size(prediction.rank() - 1);
        double maskSum = 0;
        for (double value : m) {
            maskSum += value;
        }
        double count = K * maskSum;
        if (count == 0) {
            return new Result(0.0, Nd4j.zeros(prediction.dataType(), prediction.shape()), 0.0);
        }

        // e = m·(ŷ − y), one row of K entries per position
        INDArray M = Nd4j.createFromArray(m).reshape(m.length, 1).castTo(prediction.dataType());
        INDArray e = prediction.reshape('c', m.length, K).sub(target.reshape('c', m.length, K)).muliColumnVector(M);
        // loss = Σ e² / (K·Σ m)   (m² = m for a 0/1 mask)
        double loss = e.mul(e).sumNumber().doubleValue() / count;
        // ∂loss/∂ŷ = 2·e / (K·Σ m)
        INDArray dPrediction = e.muli(2.0 / count);
        return new Result(loss, dPrediction.reshape('c', prediction.shape()), count);
    }

    @Override
    public String toString() {
        return "MeanSquaredError()";
    }
}

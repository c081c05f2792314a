package unrolled.recurrent.probe;

import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.cell.State;
import unrolled.recurrent.SequenceGradients;

/**
 * ‖∂L/∂h_t‖ for every step t of a backward pass: the raw material of the vanishing-gradient plot.
 *
 * <p>∂L/∂h_t is everything the loss says about the state after step t: its own output's gradient plus what flowed
 * back from later steps ({@link SequenceGradients#dStates()}). With a loss on the last step only, it is
 * ∂L/∂h_{T−1} multiplied by the Jacobians of the steps in between (see {@link JacobianProducts}), so its norm
 * decays (or grows) roughly geometrically in T − 1 − t: steps far back learn (almost) nothing from the loss.
 */
public final class HiddenGradientNorms {

    private HiddenGradientNorms() {
    }

    /**
     * @param gradients a backward pass's result
     * @return for t = 0 … T−1, ‖∂L/∂h_t‖, the Frobenius norm over the whole batch (N, H)
     */
    public static double[] of(SequenceGradients gradients) {
        List<State> dStates = requireStates("HiddenGradientNorms.of", gradients);
        double[] norms = new double[dStates.size()];
        for (int t = 0; t < norms.length; t++) {
            norms[t] = dStates.get(t).h().norm2Number().doubleValue();
        }
        return norms;
    }

    /**
     * @param gradients a backward pass's result
     * @param sequence n, in [0, N)
     * @return for t = 0 … T−1, ‖∂L/∂h_t[n, :]‖₂ for the one sequence n
     */
    public static double[] of(SequenceGradients gradients, int sequence) {
        List<State> dStates = requireStates("HiddenGradientNorms.of", gradients);
        long n = dStates.get(0).h().size(0);
        if (sequence < 0 || sequence >= n) {
            throw new IllegalArgumentException("HiddenGradientNorms.of: sequence must be in [0, N) = [0, " + n + "), but is "
                    + sequence + ".");
        }
        double[] norms = new double[dStates.size()];
        for (int t = 0; t < norms.length; t++) {
            norms[t] = dStates.get(t).h().getRow(sequence).norm2Number().doubleValue();
        }
        return norms;
    }

    /**
     * For cells with a cell state (the LSTM): ‖∂L/∂c_t‖ for every t, whose slower decay is the LSTM's point.
     *
     * @param gradients a backward pass's result of a layer whose cell has a cell state
     * @return for t = 0 … T−1, the Frobenius norm of ∂L/∂c_t over the batch
     */
    public static double[] ofCellState(SequenceGradients gradients) {
        List<State> dStates = requireStates("HiddenGradientNorms.ofCellState", gradients);
        double[] norms = new double[dStates.size()];
        for (int t = 0; t < norms.length; t++) {
            INDArray dc = dStates.get(t).c();
            if (dc == null) {
                throw new IllegalArgumentException("HiddenGradientNorms.ofCellState: the cell has no cell state c; "
                        + "use of(gradients) for ‖∂L/∂h_t‖.");
            }
            norms[t] = dc.norm2Number().doubleValue();
        }
        return norms;
    }

    private static List<State> requireStates(String method, SequenceGradients gradients) {
        Objects.requireNonNull(gradients, method + ": gradients must not be null");
        return gradients.dStates();
    }
}

package unrolled.recurrent;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.cell.RecurrentCell;
import unrolled.cell.State;
import unrolled.data.SequenceMask;
import unrolled.tensor.Shapes;

/**
 * The checks every recurrent layer makes at its public entry points — the input x (N, T, D) and its mask, a state
 * given by the caller, the gradients arriving at backward — written once, so that {@link RecurrentLayer} and the fast
 * path's layer refuse the same mistakes with the same words.
 */
public final class SequenceChecks {

    private SequenceChecks() {
    }

    /**
     * Checks a layer's input x (N, T, D), and the mask against x's (N, T). N is taken from the initial state when there
     * is one, so that a time-major (T, N, D) input is caught with a hint.
     *
     * @param method the public method being called, for the message
     * @param x the inputs, (N, T, D), T positive
     * @param initial the state given by the caller, or null
     * @param mask (N, T), or null
     * @param cell the layer's cell, for D and the data type
     * @return N
     */
    public static long requireInput(String method, INDArray x, State initial, SequenceMask mask, RecurrentCell<?> cell) {
        long n = initial != null && initial.h().rank() == 2 ? initial.h().size(0) : Shapes.ANY;
        Shapes.require(method, "x", x, "(N, T, D)", cell.dataType(), n, Shapes.ANY, cell.inputSize());
        Shapes.requirePositive(method, "T (x.size(1))", x.size(1));
        if (mask != null) {
            mask.requireShape(method, x.size(0), x.size(1));
        }
        return x.size(0);
    }

    /**
     * Checks a state given by the caller: h (N, H), and c (N, H) exactly when the cell has a cell state.
     *
     * @param method the public method being called, for the message
     * @param name the argument's name, e.g. {@code initial}
     * @param state the state, not null
     * @param batchSize N
     * @param cell the layer's cell, for H, the data type and whether it has a cell state
     * @param hasCellState whether the cell's state carries c
     */
    public static void requireState(String method, String name, State state, long batchSize, RecurrentCell<?> cell,
            boolean hasCellState) {
        Shapes.require(method, name + ".h", state.h(), "(N, H)", cell.dataType(), batchSize, cell.hiddenSize());
        if (hasCellState) {
            Shapes.require(method, name + ".c", state.c(), "(N, H)", cell.dataType(), batchSize, cell.hiddenSize());
        } else if (state.c() != null) {
            throw new IllegalArgumentException(method + ": " + name + ".c must be null, because " + cell
                    + " has no cell state.");
        }
    }

    /**
     * Checks the gradients arriving at a layer's backward pass: dOutputs (N, T, H), and dFinal's h (and c) (N, H) when
     * given, c only for a cell with a cell state.
     *
     * @param method the public method being called, for the message
     * @param dOutputs ∂L/∂y, (N, T, H)
     * @param dFinal ∂L/∂(final h) (and c), each (N, H), or null
     * @param batchSize N, from the forward pass
     * @param steps T, from the forward pass
     * @param cell the layer's cell, for H and the data type
     * @param hasCellState whether the cell's state carries c
     */
    public static void requireGradients(String method, INDArray dOutputs, State dFinal, long batchSize, int steps,
            RecurrentCell<?> cell, boolean hasCellState) {
        int hidden = cell.hiddenSize();
        Shapes.require(method, "dOutputs", dOutputs, "(N, T, H)", cell.dataType(), batchSize, steps, hidden);
        if (dFinal == null) {
            return;
        }
        Shapes.require(method, "dFinal.h", dFinal.h(), "(N, H)", cell.dataType(), batchSize, hidden);
        if (dFinal.c() != null) {
            if (!hasCellState) {
                throw new IllegalArgumentException(method + ": dFinal.c must be null, because " + cell
                        + " has no cell state.");
            }
            Shapes.require(method, "dFinal.c", dFinal.c(), "(N, H)", cell.dataType(), batchSize, hidden);
        }
    }
}

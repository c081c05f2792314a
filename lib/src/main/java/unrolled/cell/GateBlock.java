package unrolled.cell;

import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.tensor.Slices;

/**
 * One block of a gated cell's fused weights: block k of a fused array of shape (rows, COUNT·H) is its columns
 * [k·H, (k + 1)·H), so {@code LstmGate.FORGET.block(a, H)} is {@code a[:, H:2H]}, the forget gate's a_f.
 * {@link LstmGate} and {@link GruGate} declare the order; this interface slices with it.
 */
public interface GateBlock {

    /** @return the block's position in the fused order, from 0 (an enum's own {@code ordinal()}) */
    int ordinal();

    /** @return the equation symbol of the block's value, e.g. f or z */
    String symbol();

    /**
     * @param hiddenSize H
     * @return the first column of this block in a fused array: index·H
     */
    default long offset(long hiddenSize) {
        return ordinal() * hiddenSize;
    }

    /**
     * @param fused a fused array of shape (rows, COUNT·H)
     * @param hiddenSize H
     * @return this block's columns {@code fused[:, index·H : (index + 1)·H]} as a view of shape (rows, H): writing
     *     to it writes to {@code fused}
     */
    default INDArray block(INDArray fused, long hiddenSize) {
        long from = offset(hiddenSize);
        return Slices.columns(fused, from, from + hiddenSize);
    }
}

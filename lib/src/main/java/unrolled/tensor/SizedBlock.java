package unrolled.tensor;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * What every block of the library (a layer, an attention, a positional encoding) is before its maths: sizes named in
 * the curriculum's symbols and one floating data type, printed the same way for every block, e.g.
 * {@code Affine(D=3, K=4, DOUBLE)}. (Cells have the same thing with D and H built in, {@code CellSizes}.)
 */
public abstract class SizedBlock {

    /** The block's data type, DOUBLE or FLOAT: of its parameters and of every array it accepts. */
    protected final DataType dataType;
    private final String description;

    /**
     * @param name the block's name, e.g. {@code "Affine"}
     * @param sizes its sizes and settings as printed, in symbols, e.g. {@code "D=3, K=4"}
     * @param dataType DOUBLE or FLOAT
     * @throws IllegalArgumentException if the type is neither DOUBLE nor FLOAT
     */
    protected SizedBlock(String name, String sizes, DataType dataType) {
        Shapes.requireFloating(name, dataType);
        this.dataType = dataType;
        this.description = name + "(" + sizes + ", " + dataType + ")";
    }

    /** @return DOUBLE or FLOAT */
    public DataType dataType() {
        return dataType;
    }

    /** @return the block's name, sizes and data type, e.g. {@code Affine(D=3, K=4, DOUBLE)} */
    @Override
    public String toString() {
        return description;
    }
}

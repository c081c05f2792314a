package unrolled.tensor;

/**
 * An argument has the wrong shape or data type. The message always names the method, the argument, the
 * expected shape in symbols and numbers, and the actual shape, for example
 * {@code LstmCell.forward: hPrev must have shape (N, H) = (2, 4), but has shape (2, 8).}
 */
public class ShapeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** @param message the complete message, in the library's one voice for errors */
    public ShapeException(String message) {
        super(message);
    }
}

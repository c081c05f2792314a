package unrolled.param;

/**
 * Anything with trainable parameters: a cell, a layer, a model (PyTorch's {@code nn.Module}, Keras's {@code Layer}).
 * Named so that it does not hide {@code java.lang.Module} where a notebook imports {@code unrolled.param.*}.
 */
public interface Trainable {

    /** @return the live trainable arrays by name; composite modules prefix their parts' names */
    Parameters parameters();
}

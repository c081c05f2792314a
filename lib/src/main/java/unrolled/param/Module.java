package unrolled.param;

/** Anything with trainable parameters: a cell, a layer, a model. */
public interface Module {

    /** @return the live trainable arrays by name; composite modules prefix their parts' names */
    Parameters parameters();
}

package unrolled.bench;

/**
 * One benchmark size, N×T×D×H, and the flops of its gate products.
 *
 * <p>A cell's forward pass multiplies [x_t, h_{t−1}] (N, D + H) by the fused weights (D + H, G·H) at each of T steps,
 * G = 4 for an LSTM, 3 for a GRU, 1 for a vanilla RNN: 2·N·T·(D + H)·G·H flops. Its backward pass does the same amount
 * twice (the input gradients da·Wᵀ and the weight gradients [x, h]ᵀ·da), so forward + backward is 3× the forward.
 * Element-wise work is not counted: GFLOP/s here is "gate-product flops per second", comparable across implementations
 * of the same model.
 *
 * @param batch N
 * @param steps T
 * @param input D
 * @param hidden H
 */
record Config(int batch, int steps, int input, int hidden) {

    /** The configurations of the brief, smallest-per-step first. */
    static final String SMALL = "32x50x64x128";
    static final String LARGE = "64x100x128x256";
    static final String LONG = "1x200x32x64";

    /** @param text "NxTxDxH", e.g. "32x50x64x128" */
    static Config parse(String text) {
        String[] parts = text.split("x");
        return new Config(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
                Integer.parseInt(parts[3]));
    }

    /** @return the flops of the LSTM's gate products in one forward pass, 2·N·T·(D + H)·4H */
    double forwardFlops() {
        return forwardFlops(Cell.LSTM);
    }

    /** @return the flops of the LSTM's forward + backward, 3 × the forward */
    double trainingFlops() {
        return trainingFlops(Cell.LSTM);
    }

    /** @return the flops of a cell's gate products in one forward pass, 2·N·T·(D + H)·G·H */
    double forwardFlops(Cell cell) {
        return 2.0 * batch * steps * (input + hidden) * cell.gates * hidden;
    }

    /** @return the flops of a cell's forward + backward, 3 × the forward */
    double trainingFlops(Cell cell) {
        return 3.0 * forwardFlops(cell);
    }

    /** @return N·T, the tokens of one call */
    long tokens() {
        return (long) batch * steps;
    }
}

package unrolled.cell;

/**
 * The four blocks of an LSTM's fused pre-activation, in the order they sit in {@code Wx} (D, 4H), {@code Wh}
 * (H, 4H) and {@code b} (1, 4H). This enum is the one place the order is declared: {@link LstmCell} slices,
 * initialises and assembles its gradients with it, and so do the tests.
 *
 * <pre>
 *   columns  [0, H)     [H, 2H)    [2H, 3H)   [3H, 4H)
 *   block     a_i        a_f        a_o        a_g
 *   value   i = σ(a_i)  f = σ(a_f)  o = σ(a_o)  g = tanh(a_g)
 * </pre>
 *
 * Strictly, only i, f and o are gates (sigmoids in (0, 1) that scale something); g is the candidate cell
 * content. It sits in the same fused matrix because it is computed from the same x_t and h_{t−1}.
 */
public enum LstmGate implements GateBlock {

    /** i = σ(a_i): how much of the candidate g is written into the cell. */
    INPUT("i"),
    /** f = σ(a_f): how much of the old cell state c_{t−1} is kept. */
    FORGET("f"),
    /** o = σ(a_o): how much of tanh(c_t) is shown as the hidden state h_t. */
    OUTPUT("o"),
    /** g = tanh(a_g): the candidate content, in (−1, 1). */
    CANDIDATE("g");

    /** How many blocks there are: the fused matrices have COUNT·H columns. */
    public static final int COUNT = values().length;

    private final String symbol;

    LstmGate(String symbol) {
        this.symbol = symbol;
    }

    /** @return the equation symbol: i, f, o or g */
    @Override
    public String symbol() {
        return symbol;
    }
}

package unrolled.cell;

/**
 * The three blocks of a GRU's fused weights, in the order they sit in {@code Wx} (D, 3H), {@code Wh} (H, 3H),
 * {@code bx} (1, 3H) and {@code bh} (1, 3H). This enum is the one place the order is declared: {@link GruCell}
 * slices, initialises and assembles its gradients with it, and so do the tests. It is the order cuDNN and
 * PyTorch use (r, z, n).
 *
 * <pre>
 *   columns  [0, H)   [H, 2H)   [2H, 3H)
 *   block      r         z          n
 * </pre>
 */
public enum GruGate implements GateBlock {

    /** r = σ(x·Wxr + bxr + h·Whr + bhr): how much of the old state feeds the candidate. */
    RESET("r"),
    /** z = σ(x·Wxz + bxz + h·Whz + bhz): how much of the old state is kept as it is. */
    UPDATE("z"),
    /** n = tanh(x·Wxn + bxn + r ⊙ (h·Whn + bhn)): the candidate new state, in (−1, 1). */
    CANDIDATE("n");

    /** How many blocks there are: the fused matrices have COUNT·H columns. */
    public static final int COUNT = values().length;

    private final String symbol;

    GruGate(String symbol) {
        this.symbol = symbol;
    }

    /** @return the equation symbol: r, z or n */
    @Override
    public String symbol() {
        return symbol;
    }
}

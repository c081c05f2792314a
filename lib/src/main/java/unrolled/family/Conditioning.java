package unrolled.family;

/** Where a {@link ConditionalRecurrent} layer feeds its label into the recurrent network. */
public enum Conditioning {

    /**
     * The label sets the starting state: h_{−1} = tanh(E[label]), E (L, H). The label is read once, before the
     * first step; the network must carry it in its state for as long as it matters, so its influence can fade over
     * a long sequence.
     */
    INITIAL_STATE,

    /**
     * The label is appended to every input: x̃_t = [x_t, E[label]], E (L, K). The network is reminded of the label
     * at every step, so it cannot forget it; the price is K more input weights per hidden unit.
     */
    INPUT
}

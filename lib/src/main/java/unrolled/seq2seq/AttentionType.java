package unrolled.seq2seq;

/**
 * How an {@link EncoderDecoder}'s decoder reads the encoder.
 */
public enum AttentionType {

    /** No attention: the encoder's final state is the only thing the decoder gets (the context-vector bottleneck). */
    NONE,
    /**
     * Additive attention (Bahdanau et al. 2015) queried with the previous decoder state s_{t−1}; the context is fed
     * into the cell with the input token and into the readout.
     */
    BAHDANAU,
    /** Dot-product attention (Luong et al. 2015) queried with the current state s_t; the context goes to the readout. */
    LUONG_DOT,
    /** Luong's "general" bilinear score s_t·W·m_j, queried with the current state. */
    LUONG_GENERAL
}

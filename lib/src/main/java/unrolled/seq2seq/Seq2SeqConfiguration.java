package unrolled.seq2seq;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import unrolled.models.CellType;
import unrolled.tensor.Shapes;

/**
 * The settings of an {@link EncoderDecoder}: vocabularies, sizes, the cell, the attention, the data type and the seed.
 *
 * <pre>{@code
 * Seq2SeqConfiguration configuration = Seq2SeqConfiguration.of(sourceV, targetV, 16, 64)
 *         .withCell(CellType.GRU).withAttention(AttentionType.BAHDANAU).withSeed(7);
 * }</pre>
 *
 * @param sourceVocabularySize the number of source ids, positive
 * @param targetVocabularySize V, the number of target ids (the size of the output softmax), positive
 * @param embeddingSize E, the size of each token's vector (source and target), positive
 * @param hiddenSize H, the hidden size of the encoder and of the decoder, positive
 * @param cellType RNN, LSTM or GRU, for both
 * @param attention NONE, BAHDANAU, LUONG_DOT or LUONG_GENERAL
 * @param dataType DOUBLE (gradient checks) or FLOAT (speed)
 * @param seed the seed every part's weights derive from
 */
public record Seq2SeqConfiguration(int sourceVocabularySize, int targetVocabularySize, int embeddingSize, int hiddenSize,
        CellType cellType, AttentionType attention, DataType dataType, long seed) {

    /**
     * Checks every setting.
     *
     * @param sourceVocabularySize positive
     * @param targetVocabularySize positive
     * @param embeddingSize positive
     * @param hiddenSize positive
     * @param cellType not null
     * @param attention not null
     * @param dataType DOUBLE or FLOAT
     * @param seed any
     */
    public Seq2SeqConfiguration {
        String method = "Seq2SeqConfiguration";
        Shapes.requirePositive(method, "sourceVocabularySize", sourceVocabularySize);
        Shapes.requirePositive(method, "targetVocabularySize", targetVocabularySize);
        Shapes.requirePositive(method, "embeddingSize", embeddingSize);
        Shapes.requirePositive(method, "hiddenSize", hiddenSize);
        Objects.requireNonNull(cellType, method + ": cellType must not be null");
        Objects.requireNonNull(attention, method + ": attention must not be null");
        Objects.requireNonNull(dataType, method + ": dataType must not be null");
        Shapes.requireFloating(method, dataType);
    }

    /**
     * An LSTM encoder–decoder without attention, in DOUBLE, seed 0.
     *
     * @param sourceVocabularySize positive
     * @param targetVocabularySize positive
     * @param embeddingSize E, positive
     * @param hiddenSize H, positive
     * @return the configuration
     */
    public static Seq2SeqConfiguration of(int sourceVocabularySize, int targetVocabularySize, int embeddingSize,
            int hiddenSize) {
        return new Seq2SeqConfiguration(sourceVocabularySize, targetVocabularySize, embeddingSize, hiddenSize, CellType.LSTM,
                AttentionType.NONE, DataType.DOUBLE, 0);
    }

    /**
     * @param type RNN, LSTM or GRU
     * @return this configuration with another cell
     */
    public Seq2SeqConfiguration withCell(CellType type) {
        return new Seq2SeqConfiguration(sourceVocabularySize, targetVocabularySize, embeddingSize, hiddenSize, type, attention,
                dataType, seed);
    }

    /**
     * @param type NONE, BAHDANAU, LUONG_DOT or LUONG_GENERAL
     * @return this configuration with another attention
     */
    public Seq2SeqConfiguration withAttention(AttentionType type) {
        return new Seq2SeqConfiguration(sourceVocabularySize, targetVocabularySize, embeddingSize, hiddenSize, cellType, type,
                dataType, seed);
    }

    /**
     * @param type DOUBLE or FLOAT
     * @return this configuration in another data type
     */
    public Seq2SeqConfiguration withDataType(DataType type) {
        return new Seq2SeqConfiguration(sourceVocabularySize, targetVocabularySize, embeddingSize, hiddenSize, cellType,
                attention, type, seed);
    }

    /**
     * @param newSeed the seed of the weights and of the teacher-forcing draws
     * @return this configuration with another seed
     */
    public Seq2SeqConfiguration withSeed(long newSeed) {
        return new Seq2SeqConfiguration(sourceVocabularySize, targetVocabularySize, embeddingSize, hiddenSize, cellType,
                attention, dataType, newSeed);
    }
}

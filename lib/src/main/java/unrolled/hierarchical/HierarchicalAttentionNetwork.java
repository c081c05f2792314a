package unrolled.hierarchical;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.attention.AttentionPooling;
import unrolled.cell.RecurrentCell;
import unrolled.data.Vocabulary;
import unrolled.fast.FastRecurrentLayer;
import unrolled.layer.Affine;
import unrolled.layer.Embedding;
import unrolled.layer.LayerGradients;
import unrolled.metrics.Metrics;
import unrolled.loss.SoftmaxCrossEntropy;
import unrolled.models.CellType;
import unrolled.param.Gradients;
import unrolled.param.Trainable;
import unrolled.param.Parameters;
import unrolled.recurrent.RecurrentLayer;
import unrolled.recurrent.SequenceGradients;
import unrolled.recurrent.SequenceLayer;
import unrolled.tensor.Shapes;
import unrolled.train.LossAndGradients;
import unrolled.train.TrainingStep;

/**
 * A hierarchical attention network (Yang et al. 2016) for document classification: words build sentences, sentences
 * build the document, and attention decides at each level which parts count.
 *
 * <pre>
 *   x = E[words]                               (N·S, W, E)   every sentence of every document, one row each
 *   h = wordEncoder(x, wordMask)               (N·S, W, H)   a recurrent layer over the words of each sentence
 *   s, α = wordAttention(h, wordMask)          (N·S, H)      one vector per sentence; α (N·S, W) over its words
 *   g = sentenceEncoder(s → (N, S, H))         (N, S, H)     a recurrent layer over the sentences of each document
 *   d, β = sentenceAttention(g, sentenceMask)  (N, H)        one vector per document; β (N, S) over its sentences
 *   z = d·W + b                                (N, C)        class scores, trained with softmax cross-entropy
 * </pre>
 *
 * Each level is short: the word encoder runs W steps and the sentence encoder S steps, where a flat RNN over the
 * whole document would run about S·W. Gradients from the label reach a word through at most W + S recurrent steps
 * and two attention averages. The attentions are {@link AttentionPooling}: each has its own learned query ("which
 * word of this sentence matters?", "which sentence of this document matters?"), and its weights say where the model
 * looked. (The paper's encoders are bidirectional GRUs; here they are one-directional, which the task below does not
 * need.)
 *
 * <p>Backward runs the same chain in reverse: readout, sentence attention, BPTT through the sentence encoder, word
 * attention, BPTT through the word encoder, embedding. Both encoders run on the library's fast path. Parameters:
 * {@code embedding.E}, {@code wordEncoder.*}, {@code wordAttention.*}, {@code sentenceEncoder.*},
 * {@code sentenceAttention.*}, {@code output.W}, {@code output.b}.
 */
public final class HierarchicalAttentionNetwork implements Trainable {

    /**
     * What the forward pass keeps.
     *
     * @param batch the input
     * @param embedding the embedding's cache
     * @param wordEncoder the word encoder's cache
     * @param wordAttention the word attention's cache
     * @param sentenceEncoder the sentence encoder's cache
     * @param sentenceAttention the sentence attention's cache
     * @param readout the output layer's cache
     */
    public record Cache(DocumentBatch batch, Embedding.Cache embedding, RecurrentLayer.Cache<Object> wordEncoder,
            AttentionPooling.Cache wordAttention, RecurrentLayer.Cache<Object> sentenceEncoder,
            AttentionPooling.Cache sentenceAttention, Affine.Cache readout) {
    }

    /**
     * The forward result.
     *
     * @param logits z, (N, C)
     * @param wordWeights α, (N, S, W): for each sentence, how much each word contributed to its vector
     * @param sentenceWeights β, (N, S): how much each sentence contributed to the document's vector
     * @param cache for {@link #backward}
     */
    public record Result(INDArray logits, INDArray wordWeights, INDArray sentenceWeights, Cache cache) {
    }

    private final int vocabularySize;
    private final int embeddingSize;
    private final int hiddenSize;
    private final int classes;
    private final DataType dataType;
    private final Embedding embedding;
    private final SequenceLayer<Object> wordEncoder;
    private final AttentionPooling wordAttention;
    private final SequenceLayer<Object> sentenceEncoder;
    private final AttentionPooling sentenceAttention;
    private final Affine output;
    private final Parameters parameters = new Parameters();
    private final SoftmaxCrossEntropy crossEntropy = new SoftmaxCrossEntropy();

    /**
     * Seeds: embedding {@code seed}, word encoder {@code seed + 1}, word attention {@code seed + 2}, sentence encoder
     * {@code seed + 4}, sentence attention {@code seed + 5}, readout {@code seed + 7}. The attention layers are H wide.
     *
     * @param vocabularySize V, positive; id {@link Vocabulary#PAD_ID} is padding (a zero vector)
     * @param embeddingSize E, positive
     * @param hiddenSize H, the hidden size of both encoders, positive
     * @param classes C, at least 2
     * @param cellType RNN, LSTM or GRU, for both encoders
     * @param dataType DOUBLE (gradient checks) or FLOAT (speed)
     * @param seed the seed every part's weights derive from
     */
    @SuppressWarnings("unchecked")
    public HierarchicalAttentionNetwork(int vocabularySize, int embeddingSize, int hiddenSize, int classes,
            CellType cellType, DataType dataType, long seed) {
        String method = "HierarchicalAttentionNetwork";
        Shapes.requirePositive(method, "vocabularySize", vocabularySize);
        Shapes.requirePositive(method, "embeddingSize", embeddingSize);
        Shapes.requirePositive(method, "hiddenSize", hiddenSize);
        if (classes < 2) {
            throw new IllegalArgumentException(method + ": classes must be at least 2, but is " + classes + ".");
        }
        Objects.requireNonNull(cellType, method + ": cellType must not be null");
        Shapes.requireFloating(method, dataType);
        this.vocabularySize = vocabularySize;
        this.embeddingSize = embeddingSize;
        this.hiddenSize = hiddenSize;
        this.classes = classes;
        this.dataType = dataType;
        this.embedding = new Embedding(vocabularySize, embeddingSize, Vocabulary.PAD_ID, dataType, seed);
        // the cells' cache types are erased here, as in RecurrentStack
        this.wordEncoder = layer((RecurrentCell<Object>) cellType.create(embeddingSize, hiddenSize, dataType, seed + 1));
        this.wordAttention = new AttentionPooling(hiddenSize, hiddenSize, dataType, seed + 2);
        this.sentenceEncoder = layer((RecurrentCell<Object>) cellType.create(hiddenSize, hiddenSize, dataType, seed + 4));
        this.sentenceAttention = new AttentionPooling(hiddenSize, hiddenSize, dataType, seed + 5);
        this.output = new Affine(hiddenSize, classes, dataType, seed + 7);
        parameters.addAll("embedding", embedding.parameters());
        parameters.addAll("wordEncoder", wordEncoder.parameters());
        parameters.addAll("wordAttention", wordAttention.parameters());
        parameters.addAll("sentenceEncoder", sentenceEncoder.parameters());
        parameters.addAll("sentenceAttention", sentenceAttention.parameters());
        parameters.addAll("output", output.parameters());
    }

    private static SequenceLayer<Object> layer(RecurrentCell<Object> cell) {
        return FastRecurrentLayer.supports(cell) ? FastRecurrentLayer.of(cell) : new RecurrentLayer<>(cell);
    }

    /**
     * @param batch documents, padded
     * @return the class scores, the attention weights at both levels and the cache
     */
    public Result forward(DocumentBatch batch) {
        Objects.requireNonNull(batch, "HierarchicalAttentionNetwork.forward: batch must not be null");
        long n = batch.batchSize();
        long s = batch.sentences();
        long w = batch.wordsPerSentence();
        // x = E[words]: every sentence slot is one row of the word level
        Embedding.Result x = embedding.forward(batch.words().reshape('c', n * s, w));
        // h = wordEncoder(x),  s_i = Σ_t α_it h_it
        RecurrentLayer.Result<Object> h = wordEncoder.forward(x.output(), batch.wordMask());
        AttentionPooling.Result sentences = wordAttention.forward(h.outputs(), batch.wordMask());
        // g = sentenceEncoder(s),  d = Σ_i β_i g_i
        RecurrentLayer.Result<Object> g = sentenceEncoder.forward(sentences.pooled().reshape('c', n, s, hiddenSize),
                batch.sentenceMask());
        AttentionPooling.Result document = sentenceAttention.forward(g.outputs(), batch.sentenceMask());
        // z = d·W + b
        Affine.Result z = output.forward(document.pooled());
        return new Result(z.output(), sentences.weights().reshape('c', n, s, w), document.weights(),
                new Cache(batch, x.cache(), h.cache(), sentences.cache(), g.cache(), document.cache(), z.cache()));
    }

    /**
     * @param dLogits ∂L/∂z, (N, C)
     * @param cache from {@link #forward}
     * @return ∂L/∂θ for every parameter
     */
    public Gradients backward(INDArray dLogits, Cache cache) {
        String method = "HierarchicalAttentionNetwork.backward";
        Objects.requireNonNull(cache, method + ": cache must not be null");
        DocumentBatch batch = cache.batch();
        long n = batch.batchSize();
        long s = batch.sentences();
        long w = batch.wordsPerSentence();
        Shapes.require(method, "dLogits", dLogits, "(N, C)", dataType, n, classes);
        // z = d·W + b
        LayerGradients readout = output.backward(dLogits, cache.readout());
        // d = Σ_i β_i g_i, then BPTT over the sentences
        AttentionPooling.Backward document = sentenceAttention.backward(readout.dx(), cache.sentenceAttention());
        SequenceGradients g = sentenceEncoder.backward(document.dMemory(), null, cache.sentenceEncoder());
        // s_i = Σ_t α_it h_it, then BPTT over the words of every sentence
        AttentionPooling.Backward sentences = wordAttention.backward(g.dx().reshape('c', n * s, hiddenSize),
                cache.wordAttention());
        SequenceGradients h = wordEncoder.backward(sentences.dMemory(), null, cache.wordEncoder());
        Gradients dE = embedding.backward(h.dx().reshape('c', n * s, w, embeddingSize), cache.embedding());
        return new Gradients()
                .accumulateAll("embedding", dE)
                .accumulateAll("wordEncoder", h.parameters())
                .accumulateAll("wordAttention", sentences.parameters())
                .accumulateAll("sentenceEncoder", g.parameters())
                .accumulateAll("sentenceAttention", document.parameters())
                .accumulateAll("output", readout.parameters());
    }

    /**
     * One training step's numbers: forward, mean cross-entropy over the documents, backward.
     *
     * @param batch documents and labels
     * @return the loss (nats per document) and ∂loss/∂θ
     */
    public LossAndGradients lossAndGradients(DocumentBatch batch) {
        Result forward = forward(batch);
        SoftmaxCrossEntropy.Result loss = crossEntropy.compute(forward.logits(), batch.labels());
        return new LossAndGradients(loss.loss(), backward(loss.dLogits(), forward.cache()));
    }

    /** @return a {@link unrolled.train.Trainer} step: {@link #lossAndGradients} */
    public TrainingStep<DocumentBatch> trainingStep() {
        return this::lossAndGradients;
    }

    /**
     * @param batch documents and labels
     * @return the fraction of documents whose most likely class is the label
     */
    public double accuracy(DocumentBatch batch) {
        return Metrics.accuracy(forward(batch).logits(), batch.labels());
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    /** @return V */
    public int vocabularySize() {
        return vocabularySize;
    }

    /** @return C */
    public int classes() {
        return classes;
    }

    /** @return DOUBLE or FLOAT */
    public DataType dataType() {
        return dataType;
    }

    @Override
    public String toString() {
        return "HierarchicalAttentionNetwork(V=" + vocabularySize + ", E=" + embeddingSize + ", H=" + hiddenSize + ", C="
                + classes + ", " + parameters.count() + " parameters, " + dataType + ")";
    }
}

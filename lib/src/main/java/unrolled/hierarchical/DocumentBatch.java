package unrolled.hierarchical;

import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.data.Document;
import unrolled.data.Vocabulary;
import unrolled.data.SequenceMask;
import unrolled.tensor.Shapes;

/**
 * A padded batch of documents, two levels deep: N documents of up to S sentences of up to W words.
 *
 * <pre>
 *   words         (N, S, W)  word ids, &lt;pad&gt; (0) after each sentence's last word and in padded sentences
 *   wordMask      (N·S, W)   which words are real, one row per (document, sentence) slot, row n·S + i
 *   sentenceMask  (N, S)     which sentences are real
 *   labels        (N,)       the class of each document
 * </pre>
 *
 * A padded sentence slot has no real word (length 0): the word level gives it a zero vector and the sentence level
 * ignores it.
 *
 * @param words word ids, (N, S, W), INT
 * @param wordMask which words are real, (N·S, W)
 * @param sentenceMask which sentences are real, (N, S)
 * @param labels the classes, (N,), INT
 */
public record DocumentBatch(INDArray words, SequenceMask wordMask, SequenceMask sentenceMask, INDArray labels) {

    /**
     * Checks that the parts agree.
     *
     * @param words (N, S, W), integer type
     * @param wordMask (N·S, W)
     * @param sentenceMask (N, S)
     * @param labels (N,), integer type
     */
    public DocumentBatch {
        String method = "DocumentBatch";
        Shapes.require(method, "words", words, "(N, S, W)", Shapes.ANY, Shapes.ANY, Shapes.ANY);
        long n = words.size(0);
        long s = words.size(1);
        Objects.requireNonNull(wordMask, method + ": wordMask must not be null");
        Objects.requireNonNull(sentenceMask, method + ": sentenceMask must not be null");
        wordMask.requireShape(method, n * s, words.size(2));
        sentenceMask.requireShape(method, n, s);
        Shapes.require(method, "labels", labels, "(N,)", n);
        if (!words.dataType().isIntType() || !labels.dataType().isIntType()) {
            throw new IllegalArgumentException(method + ": words and labels must hold integers, but have types "
                    + words.dataType() + " and " + labels.dataType() + ".");
        }
    }

    /**
     * Encodes and pads documents.
     *
     * @param documents at least one
     * @param vocabulary encodes the words (unknown words become &lt;unk&gt;)
     * @return the batch, S = the most sentences of any document, W = the longest sentence
     */
    public static DocumentBatch of(List<Document> documents, Vocabulary vocabulary) {
        String method = "DocumentBatch.of";
        Objects.requireNonNull(documents, method + ": documents must not be null");
        Objects.requireNonNull(vocabulary, method + ": vocabulary must not be null");
        if (documents.isEmpty()) {
            throw new IllegalArgumentException(method + ": documents must hold at least one document, but is empty.");
        }
        int n = documents.size();
        int s = documents.stream().mapToInt(d -> d.sentences().size()).max().orElse(1);
        int w = documents.stream().flatMap(d -> d.sentences().stream()).mapToInt(List::size).max().orElse(1);
        int[][][] ids = new int[n][s][w];
        int[] wordLengths = new int[n * s];
        int[] sentenceLengths = new int[n];
        int[] labels = new int[n];
        for (int d = 0; d < n; d++) {
            Document document = documents.get(d);
            sentenceLengths[d] = document.sentences().size();
            labels[d] = document.label();
            for (int i = 0; i < sentenceLengths[d]; i++) {
                int[] encoded = vocabulary.encode(document.sentences().get(i));
                System.arraycopy(encoded, 0, ids[d][i], 0, encoded.length);
                wordLengths[d * s + i] = encoded.length;
            }
        }
        return new DocumentBatch(Nd4j.createFromArray(ids), SequenceMask.ofLengths(wordLengths, w),
                SequenceMask.ofLengths(sentenceLengths, s), Nd4j.createFromArray(labels));
    }

    /** @return N, the number of documents */
    public int batchSize() {
        return Math.toIntExact(words.size(0));
    }

    /** @return S, the padded number of sentences */
    public int sentences() {
        return Math.toIntExact(words.size(1));
    }

    /** @return W, the padded number of words per sentence */
    public int wordsPerSentence() {
        return Math.toIntExact(words.size(2));
    }
}

package unrolled.data;

import java.util.List;
import java.util.Objects;

/**
 * A document as a hierarchy: a list of sentences, each a list of words, with a class label.
 *
 * @param sentences the sentences in order, each a non-empty list of words
 * @param label the class, in [0, C)
 * @param keySentence the index of the sentence the label depends on (known for synthetic tasks, to check what a model
 *     attends to), or −1 if unknown
 */
public record Document(List<List<String>> sentences, int label, int keySentence) {

    /**
     * Requires at least one sentence, every sentence non-empty, and a key sentence inside the document.
     *
     * @param sentences at least one, each non-empty
     * @param label non-negative
     * @param keySentence in [−1, number of sentences)
     */
    public Document {
        Objects.requireNonNull(sentences, "Document: sentences must not be null");
        if (sentences.isEmpty()) {
            throw new IllegalArgumentException("Document: a document must hold at least one sentence, but holds none.");
        }
        for (int i = 0; i < sentences.size(); i++) {
            if (sentences.get(i) == null || sentences.get(i).isEmpty()) {
                throw new IllegalArgumentException("Document: every sentence must hold at least one word, but sentence " + i
                        + " is empty.");
            }
        }
        if (label < 0) {
            throw new IllegalArgumentException("Document: label must not be negative, but is " + label + ".");
        }
        if (keySentence < -1 || keySentence >= sentences.size()) {
            throw new IllegalArgumentException("Document: keySentence must be −1 or in [0, " + sentences.size()
                    + "), but is " + keySentence + ".");
        }
        sentences = List.copyOf(sentences.stream().map(List::copyOf).toList());
    }

    /** @return every word of the document in reading order, the sentences concatenated */
    public List<String> words() {
        return sentences.stream().flatMap(List::stream).toList();
    }

    /** @return the document as text, one sentence per line, words separated by spaces */
    public String text() {
        return String.join("\n", sentences.stream().map(s -> String.join(" ", s)).toList());
    }
}

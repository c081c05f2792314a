package unrolled.data;

import java.util.Objects;

/**
 * A source text and its target text: one example of a translation-like task.
 *
 * @param source the input text, e.g. {@code "21 Nov 2026"}
 * @param target the text to produce, e.g. {@code "2026-11-21"}
 */
public record TextPair(String source, String target) {

    /**
     * Requires both texts.
     *
     * @param source the input text, not null
     * @param target the output text, not null
     */
    public TextPair {
        Objects.requireNonNull(source, "TextPair: source must not be null");
        Objects.requireNonNull(target, "TextPair: target must not be null");
    }
}

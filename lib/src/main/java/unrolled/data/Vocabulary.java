package unrolled.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A bijection between tokens (characters or words) and integer ids, the first step of every text model:
 * {@code "hello"} becomes {@code [7, 5, 9, 9, 4]} for an embedding lookup or a one-hot input, and the
 * network's predicted ids become text again.
 *
 * <p>Four special tokens come first, with fixed ids, in every vocabulary:
 * <pre>
 *   id 0  &lt;pad&gt;  fills the end of shorter sequences in a batch (masked out of the loss)
 *   id 1  &lt;unk&gt;  stands for any token not in the vocabulary
 *   id 2  &lt;bos&gt;  marks the beginning of a sequence (the first input of a generator)
 *   id 3  &lt;eos&gt;  marks its end (the generator's signal to stop)
 * </pre>
 * The other tokens follow by descending frequency in the training text, ties in alphabetical (code point)
 * order, so the same text always gives the same ids, and frequent tokens get small ids.
 *
 * <p>A character vocabulary splits text into Unicode code points (so {@code "é"} or an emoji is one token);
 * a word vocabulary works on tokens the caller has already split, and joins them with single spaces when
 * decoding.
 */
public final class Vocabulary {

    /** The padding token; its id is {@link #PAD_ID}. */
    public static final String PAD = "<pad>";
    /** The unknown token; its id is {@link #UNK_ID}. */
    public static final String UNK = "<unk>";
    /** The beginning-of-sequence token; its id is {@link #BOS_ID}. */
    public static final String BOS = "<bos>";
    /** The end-of-sequence token; its id is {@link #EOS_ID}. */
    public static final String EOS = "<eos>";
    /** Id of {@code <pad>}: 0, so that a freshly zeroed id array is all padding. */
    public static final int PAD_ID = 0;
    /** Id of {@code <unk>}. */
    public static final int UNK_ID = 1;
    /** Id of {@code <bos>}. */
    public static final int BOS_ID = 2;
    /** Id of {@code <eos>}. */
    public static final int EOS_ID = 3;
    /** The special tokens, in id order; declared once, here. */
    public static final List<String> SPECIALS = List.of(PAD, UNK, BOS, EOS);

    /** What a token is. */
    public enum Level {
        /** One token per Unicode code point; text is decoded by concatenation. */
        CHARACTERS,
        /** One token per word; text is decoded by joining with single spaces. */
        WORDS
    }

    private final Level level;
    private final List<String> tokens;
    private final Map<String, Integer> ids;

    private Vocabulary(Level level, List<String> ordinaryTokens) {
        this.level = level;
        List<String> all = new ArrayList<>(SPECIALS);
        all.addAll(ordinaryTokens);
        this.tokens = Collections.unmodifiableList(all);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            index.put(all.get(i), i);
        }
        this.ids = Collections.unmodifiableMap(index);
    }

    /**
     * A character vocabulary: the special tokens, then every distinct code point of the text by descending
     * count, ties in code point order.
     *
     * @param text the training text, not null (may be empty: the vocabulary then holds the specials only)
     * @return the vocabulary
     */
    public static Vocabulary ofCharacters(String text) {
        Objects.requireNonNull(text, "Vocabulary.ofCharacters: text must not be null");
        return new Vocabulary(Level.CHARACTERS, byFrequency(splitCharacters(text), 1));
    }

    /**
     * A word vocabulary: the special tokens, then every distinct token seen at least {@code minCount} times,
     * by descending count, ties in alphabetical (code point) order. Rarer tokens are left out and encode as
     * {@code <unk>}. Occurrences of the special tokens themselves in the list are not counted.
     *
     * @param tokens the training text, already split into words, not null, no null entries
     * @param minCount the fewest occurrences a word needs to get its own id, at least 1
     * @return the vocabulary
     */
    public static Vocabulary ofWords(List<String> tokens, int minCount) {
        Objects.requireNonNull(tokens, "Vocabulary.ofWords: tokens must not be null");
        if (minCount < 1) {
            throw new IllegalArgumentException("Vocabulary.ofWords: minCount must be at least 1, but is " + minCount + ".");
        }
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i) == null) {
                throw new IllegalArgumentException("Vocabulary.ofWords: tokens must not contain null, but tokens[" + i
                        + "] is null.");
            }
        }
        return new Vocabulary(Level.WORDS, byFrequency(tokens, minCount));
    }

    /** Counts, keeps tokens seen at least minCount times, orders by descending count then code point order. */
    private static List<String> byFrequency(List<String> tokens, int minCount) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String token : tokens) {
            if (!SPECIALS.contains(token)) {
                counts.merge(token, 1, Integer::sum);
            }
        }
        List<String> kept = new ArrayList<>();
        for (Map.Entry<String, Integer> entry : counts.entrySet()) {
            if (entry.getValue() >= minCount) {
                kept.add(entry.getKey());
            }
        }
        // TreeMap iterates alphabetically; a stable sort by descending count keeps that order among ties.
        kept.sort(Comparator.comparing((String token) -> counts.get(token)).reversed());
        return kept;
    }

    private static List<String> splitCharacters(String text) {
        List<String> characters = new ArrayList<>(text.length());
        text.codePoints().forEach(codePoint -> characters.add(new String(Character.toChars(codePoint))));
        return characters;
    }

    /**
     * @param token a token, not null
     * @return its id, or {@link #UNK_ID} if the vocabulary does not hold it
     */
    public int id(String token) {
        Objects.requireNonNull(token, "Vocabulary.id: token must not be null");
        return ids.getOrDefault(token, UNK_ID);
    }

    /**
     * @param id an id in [0, size())
     * @return its token
     * @throws IllegalArgumentException if the id is out of range
     */
    public String token(int id) {
        if (id < 0 || id >= tokens.size()) {
            throw new IllegalArgumentException("Vocabulary.token: id must be in [0, " + tokens.size()
                    + ") for this vocabulary of " + tokens.size() + " tokens, but is " + id + ".");
        }
        return tokens.get(id);
    }

    /** @return V, the number of tokens including the four specials */
    public int size() {
        return tokens.size();
    }

    /** @return every token in id order (the specials first), unmodifiable */
    public List<String> tokens() {
        return tokens;
    }

    /** @return whether tokens are characters or words */
    public Level level() {
        return level;
    }

    /**
     * @param token a token, not null
     * @return true if the token has its own id (the specials always do)
     */
    public boolean contains(String token) {
        Objects.requireNonNull(token, "Vocabulary.contains: token must not be null");
        return ids.containsKey(token);
    }

    /**
     * Encodes text. A character vocabulary splits it into code points; a word vocabulary splits it on runs of
     * white space. Unknown tokens become {@link #UNK_ID}.
     *
     * @param text the text, not null
     * @return the ids, one per token, length L
     */
    public int[] encode(String text) {
        Objects.requireNonNull(text, "Vocabulary.encode: text must not be null");
        if (level == Level.CHARACTERS) {
            return encode(splitCharacters(text));
        }
        String trimmed = text.strip();
        return trimmed.isEmpty() ? new int[0] : encode(List.of(trimmed.split("\\s+")));
    }

    /**
     * Encodes tokens one by one; unknown tokens become {@link #UNK_ID}.
     *
     * @param tokens the tokens, not null, no null entries
     * @return their ids, length L = tokens.size()
     */
    public int[] encode(List<String> tokens) {
        Objects.requireNonNull(tokens, "Vocabulary.encode: tokens must not be null");
        int[] encoded = new int[tokens.size()];
        for (int i = 0; i < encoded.length; i++) {
            String token = tokens.get(i);
            if (token == null) {
                throw new IllegalArgumentException("Vocabulary.encode: tokens must not contain null, but tokens[" + i
                        + "] is null.");
            }
            encoded[i] = id(token);
        }
        return encoded;
    }

    /**
     * @param ids ids in [0, size()), not null
     * @return their tokens, in order, special tokens included
     */
    public List<String> decodeTokens(int[] ids) {
        Objects.requireNonNull(ids, "Vocabulary.decodeTokens: ids must not be null");
        List<String> decoded = new ArrayList<>(ids.length);
        for (int id : ids) {
            decoded.add(tokenOrThrow("Vocabulary.decodeTokens", id));
        }
        return decoded;
    }

    /**
     * Decodes ids to text: characters are concatenated, words joined with single spaces. Special tokens appear
     * by name, e.g. {@code "ab<eos><pad>"}; use {@link #decode(int[], boolean)} to leave them out.
     *
     * @param ids ids in [0, size()), not null
     * @return the text
     */
    public String decode(int[] ids) {
        return decode(ids, false);
    }

    /**
     * Decodes ids to text, optionally without the special tokens (a padded row of a batch, a generated sample
     * that starts with {@code <bos>}). {@code <unk>} is a special token too.
     *
     * @param ids ids in [0, size()), not null
     * @param skipSpecials true to drop {@code <pad>}, {@code <unk>}, {@code <bos>} and {@code <eos>}
     * @return the text
     */
    public String decode(int[] ids, boolean skipSpecials) {
        Objects.requireNonNull(ids, "Vocabulary.decode: ids must not be null");
        List<String> kept = new ArrayList<>(ids.length);
        for (int id : ids) {
            String token = tokenOrThrow("Vocabulary.decode", id);
            if (!(skipSpecials && id < SPECIALS.size())) {
                kept.add(token);
            }
        }
        return String.join(level == Level.CHARACTERS ? "" : " ", kept);
    }

    private String tokenOrThrow(String method, int id) {
        if (id < 0 || id >= tokens.size()) {
            throw new IllegalArgumentException(method + ": every id must be in [0, " + tokens.size()
                    + ") for this vocabulary of " + tokens.size() + " tokens, but one is " + id + ".");
        }
        return tokens.get(id);
    }

    @Override
    public String toString() {
        return "Vocabulary(" + level + ", V=" + tokens.size() + ")";
    }
}

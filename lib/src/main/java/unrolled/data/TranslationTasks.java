package unrolled.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import unrolled.tensor.Shapes;

/**
 * Synthetic translation tasks with a known, checkable answer, generated from a seed: small enough to train in
 * seconds, structured enough to show what an encoder–decoder learns and where it fails.
 *
 * <ul>
 *   <li>{@link #dates}: human-written dates in several formats to ISO 8601, {@code "21 Nov 2026"} →
 *       {@code "2026-11-21"}. The output reorders the input (year first) and must look up month names: a small
 *       translation with a clear alignment.</li>
 *   <li>{@link #reversal}: a random string and its reverse, {@code "k3q9"} → {@code "9q3k"}. The first output token
 *       depends on the last input token and vice versa, and the length varies, so it measures how much of the source a
 *       fixed-size context vector can carry.</li>
 * </ul>
 */
public final class TranslationTasks {

    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December"};
    private static final int[] DAYS = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    /** The symbols of {@link #reversal}: lower-case letters and digits. */
    public static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private TranslationTasks() {
    }

    /**
     * Random dates between 1950 and 2049, written in one of five formats chosen at random:
     * {@code "21 Nov 2026"}, {@code "21 November 2026"}, {@code "November 21, 2026"}, {@code "21/11/2026"},
     * {@code "2026.11.21"}; the target is always {@code "2026-11-21"}.
     *
     * @param n the number of pairs, positive
     * @param seed the seed
     * @return n pairs
     */
    public static List<TextPair> dates(int n, long seed) {
        Shapes.requirePositive("TranslationTasks.dates", "n", n);
        Random random = new Random(seed);
        List<TextPair> pairs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int year = 1950 + random.nextInt(100);
            int month = random.nextInt(12);
            boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            int day = 1 + random.nextInt(DAYS[month] + (month == 1 && leap ? 1 : 0));
            String name = MONTHS[month];
            String source = switch (random.nextInt(5)) {
                case 0 -> day + " " + name.substring(0, 3) + " " + year;
                case 1 -> day + " " + name + " " + year;
                case 2 -> name + " " + day + ", " + year;
                case 3 -> String.format(Locale.ROOT, "%02d/%02d/%d", day, month + 1, year);
                default -> String.format(Locale.ROOT, "%d.%02d.%02d", year, month + 1, day);
            };
            pairs.add(new TextPair(source, String.format(Locale.ROOT, "%d-%02d-%02d", year, month + 1, day)));
        }
        return pairs;
    }

    /**
     * Random strings over {@link #ALPHABET} (the first {@code alphabetSize} symbols) with lengths uniform in
     * [minLength, maxLength], each paired with its reverse.
     *
     * @param n the number of pairs, positive
     * @param minLength the shortest source, positive
     * @param maxLength the longest source, at least minLength
     * @param alphabetSize how many symbols, in [2, 36]
     * @param seed the seed
     * @return n pairs
     */
    public static List<TextPair> reversal(int n, int minLength, int maxLength, int alphabetSize, long seed) {
        String method = "TranslationTasks.reversal";
        Shapes.requirePositive(method, "n", n);
        Shapes.requirePositive(method, "minLength", minLength);
        if (maxLength < minLength) {
            throw new IllegalArgumentException(method + ": maxLength must be at least minLength = " + minLength + ", but is "
                    + maxLength + ".");
        }
        if (alphabetSize < 2 || alphabetSize > ALPHABET.length()) {
            throw new IllegalArgumentException(method + ": alphabetSize must be in [2, " + ALPHABET.length() + "], but is "
                    + alphabetSize + ".");
        }
        Random random = new Random(seed);
        List<TextPair> pairs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int length = minLength + random.nextInt(maxLength - minLength + 1);
            StringBuilder source = new StringBuilder(length);
            for (int j = 0; j < length; j++) {
                source.append(ALPHABET.charAt(random.nextInt(alphabetSize)));
            }
            pairs.add(new TextPair(source.toString(), new StringBuilder(source).reverse().toString()));
        }
        return pairs;
    }
}

package unrolled.notebook;

import java.util.Locale;

/** How hard an interview question is, with the colour of its chip: green, amber, red. */
public enum Difficulty {
    /** A definition or a fact: green chip. */
    EASY("Easy", "#1e7b34", "#e3f4e6"),
    /** A mechanism to explain or a trade-off: amber chip. */
    MEDIUM("Medium", "#8a5a00", "#fff1d1"),
    /** A derivation, a subtle failure mode or a design judgement: red chip. */
    HARD("Hard", "#a51d24", "#fbe1e2");

    private final String label;
    private final String ink;
    private final String fill;

    Difficulty(String label, String ink, String fill) {
        this.label = label;
        this.ink = ink;
        this.fill = fill;
    }

    /** @return the word shown on the chip: Easy, Medium or Hard */
    public String label() {
        return label;
    }

    /** @return the chip's text and border colour, as CSS */
    public String ink() {
        return ink;
    }

    /** @return the chip's background colour, as CSS */
    public String fill() {
        return fill;
    }

    /**
     * @param text Easy, Medium or Hard, in any case
     * @return the difficulty
     * @throws IllegalArgumentException naming the accepted words and the text given
     */
    public static Difficulty parse(String text) {
        if (text != null) {
            for (Difficulty d : values()) {
                if (d.label.toLowerCase(Locale.ROOT).equals(text.strip().toLowerCase(Locale.ROOT))) {
                    return d;
                }
            }
        }
        throw new IllegalArgumentException("Difficulty.parse: text must be one of Easy, Medium, Hard, but is "
                + (text == null ? "null" : "\"" + text + "\"") + ".");
    }
}

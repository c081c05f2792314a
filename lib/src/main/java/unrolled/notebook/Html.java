package unrolled.notebook;

import java.util.Objects;
import java.util.regex.Pattern;

/** Small helpers for the HTML fragments that notebooks show: escaping text, and reading HTML as text. */
public final class Html {

    private static final Pattern BLOCK_END = Pattern.compile("(?i)</(p|div|li|h[1-6]|tr|summary|details)>|<br\\s*/?>");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern BLANK_LINES = Pattern.compile("\\n\\s*\\n+");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");

    private Html() {
    }

    /**
     * Escapes text for use inside HTML elements and attribute values.
     *
     * @param text any text, not null
     * @return the text with {@code & < > " '} replaced by entities
     */
    public static String escape(String text) {
        Objects.requireNonNull(text, "Html.escape: text must not be null");
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Escapes text written with Markdown's code spans, showing each {@code `code`} as code: a hint that says
     * "replace `throw Exercise.todo();`" reads as prose with the code set in the code font, not in backticks.
     *
     * @param text any text, not null; an unpaired backtick stays as it is
     * @return the escaped text with each pair of backticks turned into a {@code <code>} element
     */
    public static String escapeWithCode(String text) {
        Objects.requireNonNull(text, "Html.escapeWithCode: text must not be null");
        return CODE_SPAN.matcher(escape(text)).replaceAll("<code>$1</code>");
    }

    /**
     * Reads an HTML fragment as plain text: block ends become line breaks, tags are dropped and the
     * five entities that {@link #escape} writes are decoded.
     *
     * @param html an HTML fragment, not null
     * @return its text, trimmed
     */
    public static String toPlainText(String html) {
        Objects.requireNonNull(html, "Html.toPlainText: html must not be null");
        String text = BLOCK_END.matcher(html).replaceAll("$0\n");
        text = TAG.matcher(text).replaceAll("");
        text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&nbsp;", " ").replace("&amp;", "&");
        text = BLANK_LINES.matcher(text).replaceAll("\n");
        return text.strip();
    }
}

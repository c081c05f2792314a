package unrolled.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HtmlTest {

    @Test
    void escapeReplacesTheFiveSpecialCharacters() {
        assertEquals("a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;", Html.escape("a <b> & \"c\" 'd'"));
    }

    @Test
    void plainTextKeepsBlockBreaksAndDecodesEntities() {
        assertEquals("Title\nx < y & z", Html.toPlainText("<h3>Title</h3><p>x &lt; y &amp; z</p>"));
    }

    @Test
    void plainTextOfEscapedTextIsTheText() {
        String text = "if (a < b && c > d) return \"x\";";
        assertEquals(text, Html.toPlainText(Html.escape(text)));
    }

    @Test
    void codeSpansBecomeCodeElementsAndTheRestIsEscaped() {
        assertEquals("replace <code>a &lt; b</code> with <code>x()</code> &amp; run", Html.escapeWithCode("replace `a < b` with `x()` & run"));
    }

    @Test
    void anUnpairedBacktickStaysAsItIs() {
        assertEquals("just ` one &amp; two", Html.escapeWithCode("just ` one & two"));
    }
}

package unrolled.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BleuTest {

    private static List<String> words(String text) {
        return List.of(text.split(" "));
    }

    @Test
    void aPerfectMatchScoresOne() {
        Bleu.Score s = Bleu.corpus(List.of(words("the cat sat on the mat")), List.of(words("the cat sat on the mat")));
        assertEquals(1.0, s.bleu(), 1e-12);
        assertEquals(1.0, s.brevityPenalty(), 1e-12);
    }

    /**
     * Output "the cat sat on a mat" (6 tokens) against "the cat sat on the mat" (6 tokens):
     * 1-grams: the, cat, sat, on, mat match (a does not): 5/6
     * 2-grams: "the cat", "cat sat", "sat on" match; "on a", "a mat" do not: 3/5
     * 3-grams: "the cat sat", "cat sat on" match of 4: 2/4
     * 4-grams: "the cat sat on" matches of 3: 1/3
     * c = r = 6, so BP = exp(1 − 6/6) = 1, and BLEU = (5/6 · 3/5 · 2/4 · 1/3)^(1/4) = (1/12)^(1/4) ≈ 0.5373.
     */
    @Test
    void oneSubstitutionMatchesTheHandComputedScore() {
        Bleu.Score s = Bleu.corpus(List.of(words("the cat sat on a mat")), List.of(words("the cat sat on the mat")));
        assertArrayEquals(new long[] {5, 3, 2, 1}, s.matches());
        assertArrayEquals(new long[] {6, 5, 4, 3}, s.totals());
        assertEquals(1.0, s.brevityPenalty(), 1e-12);
        assertEquals(Math.pow(1.0 / 12, 0.25), s.bleu(), 1e-12);
    }

    /**
     * Clipping: output "the the the the" against "the cat": count_out(the) = 4 but count_ref(the) = 1, so p_1 = 1/4.
     * With unigrams only (maxOrder 1): c = 4 > r = 2, BP = 1, BLEU = 1/4.
     */
    @Test
    void repeatedWordsAreClippedToTheReferenceCount() {
        Bleu.Score s = Bleu.corpus(List.of(words("the the the the")), List.of(words("the cat")), 1, Bleu.Smoothing.NONE);
        assertEquals(0.25, s.bleu(), 1e-12);
    }

    /**
     * Brevity: output "the cat" against "the cat sat on the mat". p_1 = 2/2, p_2 = 1/1 with maxOrder 2, but c = 2 &lt;
     * r = 6: BP = exp(1 − 6/2) = e^−2 ≈ 0.1353, and BLEU = e^−2 · 1.
     */
    @Test
    void aShortOutputPaysTheBrevityPenalty() {
        Bleu.Score s = Bleu.corpus(List.of(words("the cat")), List.of(words("the cat sat on the mat")), 2, Bleu.Smoothing.NONE);
        assertEquals(Math.exp(-2), s.brevityPenalty(), 1e-12);
        assertEquals(Math.exp(-2), s.bleu(), 1e-12);
    }

    /**
     * The corpus pools counts. Sentence 1 as in {@link #oneSubstitutionMatchesTheHandComputedScore} (matches 5, 3, 2, 1
     * of 6, 5, 4, 3); sentence 2 "a dog" against "a dog" (matches 2, 1, 0, 0 of 2, 1, 0, 0). Pooled: 7/8, 4/6, 2/4,
     * 1/3; c = r = 8, BP = 1; BLEU = (7/8 · 4/6 · 2/4 · 1/3)^(1/4) = (7/72)^(1/4) ≈ 0.5584. The mean of the two
     * sentence scores would be different (sentence 2 alone has no 3-grams, so its unsmoothed score is 0).
     */
    @Test
    void corpusBleuPoolsTheCountsOfAllSentences() {
        Bleu.Score s = Bleu.corpus(List.of(words("the cat sat on a mat"), words("a dog")),
                List.of(words("the cat sat on the mat"), words("a dog")));
        assertArrayEquals(new long[] {7, 4, 2, 1}, s.matches());
        assertEquals(Math.pow(7.0 / 72, 0.25), s.bleu(), 1e-12);
    }

    /**
     * "the cat sat" against "the cat ate": matches 2/3, 1/2, 0/1, and no 4-gram (0/0).
     * Unsmoothed: a zero precision, BLEU 0.
     * ADD_ONE: p_1 = 2/3, p_2 = (1+1)/(2+1) = 2/3, p_3 = (0+1)/(1+1) = 1/2, p_4 = (0+1)/(0+1) = 1; BP = 1;
     * BLEU = (2/3 · 2/3 · 1/2 · 1)^(1/4) = (2/9)^(1/4) ≈ 0.6866.
     * EPSILON: p_3 = 0.1/1, p_4 has no 4-grams at all (0 of 0) and stays 0, so BLEU is still 0 with 4-grams; with
     * maxOrder 3: (2/3 · 1/2 · 0.1)^(1/3) = (1/30)^(1/3) ≈ 0.3218.
     */
    @Test
    void smoothingRescuesShortSentences() {
        List<List<String>> out = List.of(words("the cat sat"));
        List<List<String>> ref = List.of(words("the cat ate"));
        assertEquals(0.0, Bleu.corpus(out, ref).bleu());
        assertEquals(Math.pow(2.0 / 9, 0.25), Bleu.corpus(out, ref, 4, Bleu.Smoothing.ADD_ONE).bleu(), 1e-12);
        assertEquals(Math.pow(1.0 / 30, 1.0 / 3), Bleu.corpus(out, ref, 3, Bleu.Smoothing.EPSILON).bleu(), 1e-12);
        assertEquals(Math.pow(2.0 / 9, 0.25), Bleu.sentence(words("the cat sat"), words("the cat ate")).bleu(), 1e-12);
    }

    @Test
    void mismatchedListsAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> Bleu.corpus(List.of(words("a")), List.of()));
        assertEquals("Bleu.corpus: there must be one reference per output and at least one of each, but there are 1 outputs "
                + "and 0 references.", e.getMessage());
    }
}

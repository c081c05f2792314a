package unrolled.seq2seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Greedy and beam search on hand-built next-token tables, where the most probable sequence is known. */
class SearchTest {

    private static final int EOS = 0;
    private static final int A = 1;
    private static final int B = 2;
    private static final int BOS = 3;

    /** A scorer whose state is the prefix itself and whose distribution is read from a table keyed by the prefix. */
    private static StepScorer<String> table(Map<String, double[]> probabilities) {
        return new StepScorer<>() {
            @Override
            public String start() {
                return "";
            }

            @Override
            public List<Scored<String>> advance(List<String> states, int[] previousTokens) {
                List<Scored<String>> out = new ArrayList<>();
                for (int i = 0; i < states.size(); i++) {
                    String prefix = previousTokens[i] == BOS ? states.get(i) : states.get(i) + "ab".charAt(previousTokens[i] - 1);
                    double[] p = probabilities.getOrDefault(prefix, new double[] {1, 0, 0, 0});
                    out.add(new Scored<>(Arrays.stream(p).map(Math::log).toArray(), prefix));
                }
                return out;
            }

            @Override
            public int vocabularySize() {
                return 4;
            }

            @Override
            public int endToken() {
                return EOS;
            }

            @Override
            public int startToken() {
                return BOS;
            }
        };
    }

    /**
     * Greedy takes "a" (0.6) but every continuation of "a" is unlikely (0.4 each at best); "b" (0.4) is followed by
     * &lt;eos&gt; with 0.9. So p(a, a, eos) = 0.6·0.4·1 = 0.24 is greedy's answer, and p(b, eos) = 0.4·0.9 = 0.36 is the
     * most probable sequence, which a beam of 2 finds.
     */
    private static Map<String, double[]> greedyTrap() {
        Map<String, double[]> p = new HashMap<>();
        //                 eos   a     b     bos
        p.put("", new double[] {0.0, 0.6, 0.4, 0.0});
        p.put("a", new double[] {0.3, 0.4, 0.3, 0.0});
        p.put("aa", new double[] {1.0, 0.0, 0.0, 0.0});
        p.put("ab", new double[] {1.0, 0.0, 0.0, 0.0});
        p.put("b", new double[] {0.9, 0.05, 0.05, 0.0});
        return p;
    }

    @Test
    void greedyFollowsTheLocallyBestTokenIntoAWorseSequence() {
        Hypothesis greedy = GreedySearch.decode(table(greedyTrap()), 10);
        assertArrayEquals(new int[] {A, A}, greedy.tokens());
        assertEquals(Math.log(0.6 * 0.4 * 1.0), greedy.logProbability(), 1e-12);
        assertTrue(greedy.finished());
    }

    @Test
    void beamSearchFindsTheMoreProbableSequence() {
        BeamSearch.Result result = new BeamSearch(2, 0).decode(table(greedyTrap()), 10);
        assertArrayEquals(new int[] {B}, result.best().tokens());
        assertEquals(Math.log(0.4 * 0.9), result.best().logProbability(), 1e-12);
        // every hypothesis is finished and they come best first
        for (int i = 1; i < result.hypotheses().size(); i++) {
            assertTrue(result.hypotheses().get(i - 1).score() >= result.hypotheses().get(i).score());
        }
    }

    /**
     * Without normalisation the short "b" (p = 0.4·0.5 = 0.2, two tokens with eos) beats "a a a" (p = 0.6·0.7·0.7·0.8
     * ≈ 0.235 …) — the numbers below are chosen so that the long one has the lower total but the higher per-token
     * log-probability: long = 0.5·0.6·0.6·0.9 = 0.162 over 4 tokens, short = 0.4·0.45 = 0.18 over 2.
     * Per token: log(0.162)/4 = −0.455 > log(0.18)/2 = −0.857.
     */
    @Test
    void lengthNormalisationStopsFavouringShortOutputs() {
        Map<String, double[]> p = new HashMap<>();
        p.put("", new double[] {0.0, 0.5, 0.4, 0.1});
        p.put("b", new double[] {0.45, 0.3, 0.25, 0.0});
        p.put("a", new double[] {0.1, 0.6, 0.3, 0.0});
        p.put("aa", new double[] {0.1, 0.6, 0.3, 0.0});
        p.put("aaa", new double[] {0.9, 0.05, 0.05, 0.0});
        p.put("ab", new double[] {0.2, 0.4, 0.4, 0.0});
        p.put("ba", new double[] {0.2, 0.4, 0.4, 0.0});
        p.put("bb", new double[] {0.2, 0.4, 0.4, 0.0});
        p.put("aab", new double[] {0.2, 0.4, 0.4, 0.0});
        p.put("aba", new double[] {0.2, 0.4, 0.4, 0.0});
        p.put("abb", new double[] {0.2, 0.4, 0.4, 0.0});
        BeamSearch.Result raw = new BeamSearch(3, 0).decode(table(p), 6);
        assertArrayEquals(new int[] {B}, raw.best().tokens());
        assertEquals(Math.log(0.4 * 0.45), raw.best().logProbability(), 1e-12);
        BeamSearch.Result normalised = new BeamSearch(3, 1.0).decode(table(p), 6);
        assertArrayEquals(new int[] {A, A, A}, normalised.best().tokens());
        assertEquals(Math.log(0.5 * 0.6 * 0.6 * 0.9) / 4, normalised.best().score(), 1e-12);
    }

    @Test
    void theLengthLimitEndsUnfinishedHypotheses() {
        Map<String, double[]> p = new HashMap<>();
        p.put("", new double[] {0.0, 1.0, 0.0, 0.0});
        p.put("a", new double[] {0.0, 1.0, 0.0, 0.0});
        p.put("aa", new double[] {0.0, 1.0, 0.0, 0.0});
        p.put("aaa", new double[] {0.0, 1.0, 0.0, 0.0});
        Hypothesis greedy = GreedySearch.decode(table(p), 3);
        assertArrayEquals(new int[] {A, A, A}, greedy.tokens());
        assertFalse(greedy.finished());
        Hypothesis beam = new BeamSearch(2, 0).decode(table(p), 3).best();
        assertArrayEquals(new int[] {A, A, A}, beam.tokens());
        assertFalse(beam.finished());
    }

    @Test
    void aWiderBeamCostsMoreExpansions() {
        int narrow = new BeamSearch(1, 0).decode(table(greedyTrap()), 10).expansions();
        int wide = new BeamSearch(3, 0).decode(table(greedyTrap()), 10).expansions();
        assertEquals(3, narrow);
        assertTrue(wide > narrow, narrow + " vs " + wide);
    }
}

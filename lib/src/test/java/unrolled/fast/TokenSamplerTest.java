package unrolled.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TokenSamplerTest {

    /**
     * The definition the sampler must reproduce draw for draw: every id sorted by descending logit (ties towards the
     * lower id), the first k kept, their weights exp((z − max z) / τ) summed in that order, one nextDouble() scaled by
     * the sum and walked down the sorted list.
     */
    private static int bySorting(double[] z, double tau, int topK, Random random) {
        Integer[] order = IntStream.range(0, z.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(v -> -z[v]).thenComparingInt(v -> v));
        if (tau == 0) {
            return order[0];
        }
        int kept = topK == 0 ? z.length : topK;
        double[] weight = new double[kept];
        double total = 0;
        for (int i = 0; i < kept; i++) {
            weight[i] = Math.exp((z[order[i]] - z[order[0]]) / tau);
            total += weight[i];
        }
        double u = random.nextDouble() * total;
        for (int i = 0; i < kept; i++) {
            u -= weight[i];
            if (u < 0) {
                return order[i];
            }
        }
        return order[kept - 1];
    }

    @Test
    void drawsTheSameIdsAsSortingEveryTokenFromTheSameRandom() {
        Random logitsSource = new Random(3);
        int draws = 0;
        for (int V : new int[] {1, 2, 7, 85}) {
            TokenSampler sampler = new TokenSampler(V);
            for (int trial = 0; trial < 20; trial++) {
                double[] z = new double[V];
                for (int v = 0; v < V; v++) {
                    // a coarse grid, so that ties are common
                    z[v] = Math.round(logitsSource.nextGaussian() * 3 * 2) / 2.0;
                }
                if (trial % 4 == 0) {
                    // −0 and +0: ordered as Double.compare orders them, −0 after +0
                    z[0] = -0.0;
                    z[V - 1] = 0.0;
                }
                for (double tau : new double[] {0, 0.3, 1, 4}) {
                    for (int k : new int[] {0, 1, 2, (V + 1) / 2, V}) {
                        if (k > V) {
                            continue;
                        }
                        Random expected = new Random(trial);
                        Random actual = new Random(trial);
                        for (int draw = 0; draw < 25; draw++, draws++) {
                            assertEquals(bySorting(z, tau, k, expected), sampler.pick(z, tau, k, actual),
                                    "V = " + V + ", τ = " + tau + ", k = " + k + ", draw " + draw + ", z = " + Arrays.toString(z));
                        }
                        // and the generator was used exactly as much
                        assertEquals(expected.nextLong(), actual.nextLong());
                    }
                }
            }
        }
        assertTrue(draws > 25_000, draws + " draws");
    }

    @Test
    void aHotDrawReachesTheLeastLikelyTokens() {
        double[] z = {3, 2, 1, 0, -1};
        int[] counts = new int[z.length];
        TokenSampler sampler = new TokenSampler(z.length);
        Random random = new Random(1);
        for (int draw = 0; draw < 20_000; draw++) {
            counts[sampler.pick(z, 1.0, 0, random)]++;
        }
        double total = Arrays.stream(z).map(Math::exp).sum();
        for (int v = 0; v < z.length; v++) {
            double p = Math.exp(z[v]) / total;
            assertEquals(p, counts[v] / 20_000.0, 4 * Math.sqrt(p * (1 - p) / 20_000), "token " + v);
        }
    }

    @Test
    void refusesArgumentsOutsideTheirRangesNamingThem() {
        TokenSampler sampler = new TokenSampler(3);
        Random random = new Random(1);
        assertEquals("TokenSampler.pick: logits must have shape (V,) = (3,), but has shape (2,).",
                assertThrows(IllegalArgumentException.class, () -> sampler.pick(new double[2], 1, 0, random)).getMessage());
        assertEquals("TokenSampler.pick: topK must be in [0, V] = [0, 3] (0 keeps every token), but is 4.",
                assertThrows(IllegalArgumentException.class, () -> sampler.pick(new double[3], 1, 4, random)).getMessage());
        assertEquals("TokenSampler.pick: temperature must be finite and ≥ 0 (0 for greedy), but is NaN.",
                assertThrows(IllegalArgumentException.class, () -> sampler.pick(new double[3], Double.NaN, 0, random)).getMessage());
        assertEquals("TokenSampler: vocabularySize must be at least 1, but is 0.",
                assertThrows(IllegalArgumentException.class, () -> new TokenSampler(0)).getMessage());
    }
}

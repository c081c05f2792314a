package unrolled.fast;

import java.util.Objects;
import java.util.Random;

/**
 * Draws one token from logits with temperature τ and top-k, on primitive arrays it reuses: nothing is allocated per
 * draw, and no boxed ids are sorted.
 *
 * <pre>
 *   kept = the k largest logits (all V when k = 0), in descending order, ties towards the lower id
 *   w_v  = exp((z_v − max z) / τ) for the kept tokens,  W = Σ w_v
 *   u    = U[0, 1) · W                                 one Random.nextDouble()
 *   draw the first kept token, in that order, at which u − w_1 − w_2 − … − w_i falls below 0
 * </pre>
 *
 * This is an inverse-CDF draw over the tokens in descending order of their logits. With all V tokens kept, W is summed
 * in id order and the order is found only as far as u reaches: a scan over z per token for the first few (a sharp
 * distribution is decided there), an insertion sort of the ids past them. With top-k the k largest are selected into
 * a sorted buffer of k as z is read once (a partial insertion sort), and W is summed in that order. τ = 0 is greedy:
 * the largest logit, the lowest id among ties, with no draw. Logits are compared as {@link Double#compare} orders
 * them.
 */
public final class TokenSampler {

    /** How many tokens of the descending order are found by scanning before the ids are sorted instead. */
    private static final int SCANNED = 6;

    private final int vocabularySize;
    /** w_v by id (all V kept) or by rank (top-k). */
    private final double[] weight;
    /** The top-k ids, in descending order of their logits. */
    private final int[] order;

    /**
     * @param vocabularySize V ≥ 1, the number of logits every draw reads
     */
    public TokenSampler(int vocabularySize) {
        if (vocabularySize < 1) {
            throw new IllegalArgumentException("TokenSampler: vocabularySize must be at least 1, but is " + vocabularySize + ".");
        }
        this.vocabularySize = vocabularySize;
        this.weight = new double[vocabularySize];
        this.order = new int[vocabularySize];
    }

    /**
     * @param logits z, (V,)
     * @param temperature τ ≥ 0 and finite (0: the argmax, no draw)
     * @param topK k in [0, V] (0: every token)
     * @param random the generator to draw from: one {@code nextDouble()} per draw when τ &gt; 0
     * @return the token drawn, in [0, V)
     */
    public int pick(double[] logits, double temperature, int topK, Random random) {
        Objects.requireNonNull(logits, "TokenSampler.pick: logits must not be null");
        Objects.requireNonNull(random, "TokenSampler.pick: random must not be null");
        if (logits.length != vocabularySize) {
            throw new IllegalArgumentException("TokenSampler.pick: logits must have shape (V,) = (" + vocabularySize
                    + ",), but has shape (" + logits.length + ",).");
        }
        if (!(temperature >= 0 && temperature < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("TokenSampler.pick: temperature must be finite and ≥ 0 (0 for greedy), but is "
                    + temperature + ".");
        }
        if (topK < 0 || topK > vocabularySize) {
            throw new IllegalArgumentException("TokenSampler.pick: topK must be in [0, V] = [0, " + vocabularySize
                    + "] (0 keeps every token), but is " + topK + ".");
        }
        if (temperature == 0) {
            // τ → 0: greedy, the largest logit
            return argmax(logits);
        }
        return topK == 0 ? drawFromAll(logits, temperature, random) : drawFromTop(logits, temperature, topK, random);
    }

    /** @return the first id with the largest logit */
    private static int argmax(double[] z) {
        int best = 0;
        for (int v = 1; v < z.length; v++) {
            if (Double.compare(z[v], z[best]) > 0) {
                best = v;
            }
        }
        return best;
    }

    /**
     * The draw over all V tokens: W in id order, then the descending order walked only as far as u reaches, found a
     * token at a time by a scan over z for the first {@value #SCANNED} tokens and by sorting the ids if u reaches past
     * them (a flat distribution).
     */
    private int drawFromAll(double[] z, double tau, Random random) {
        int first = argmax(z);
        double max = z[first];
        // w_v = exp((z_v − max z) / τ),  W = Σ w_v
        double total = 0;
        for (int v = 0; v < z.length; v++) {
            weight[v] = Math.exp((z[v] - max) / tau);
            total += weight[v];
        }
        double u = random.nextDouble() * total;
        int token = first;
        int rank = 0;
        for (; rank < SCANNED; rank++) {
            u -= weight[token];
            if (u < 0 || rank == z.length - 1) {
                return token;
            }
            if (rank + 1 < SCANNED) {
                token = after(z, token);
            }
        }
        sortByLogit(z, z.length);
        for (; rank < z.length; rank++) {
            u -= weight[order[rank]];
            if (u < 0) {
                return order[rank];
            }
        }
        return order[z.length - 1];
    }

    /**
     * @return the token that follows token in descending order of z (ties by ascending id): the largest (z_v, −v)
     *     below (z_token, −token)
     */
    private static int after(double[] z, int token) {
        double bound = z[token];
        int next = -1;
        for (int v = 0; v < z.length; v++) {
            int versus = Double.compare(z[v], bound);
            boolean below = versus < 0 || (versus == 0 && v > token);
            if (below && (next < 0 || Double.compare(z[v], z[next]) > 0)) {
                next = v;
            }
        }
        return next < 0 ? token : next;
    }

    /**
     * Fills order[0, k) with the ids of the k largest logits in descending order, ties towards the lower id: a
     * sorted buffer of k that every id in turn enters by insertion if it beats the last (one pass over z).
     */
    private void sortByLogit(double[] z, int k) {
        int filled = 0;
        for (int v = 0; v < z.length; v++) {
            double zv = z[v];
            // ids arrive in ascending order, so a tie stays behind the lower id already there
            if (filled == k && Double.compare(zv, z[order[k - 1]]) <= 0) {
                continue;
            }
            int at = filled < k ? filled++ : k - 1;
            while (at > 0 && Double.compare(zv, z[order[at - 1]]) > 0) {
                order[at] = order[at - 1];
                at--;
            }
            order[at] = v;
        }
    }

    /** The draw over the k largest: a sorted buffer of k filled in one pass over z, W summed in its order. */
    private int drawFromTop(double[] z, double tau, int k, Random random) {
        sortByLogit(z, k);
        double max = z[order[0]];
        // w_i = exp((z_i − max z) / τ) over the kept, in descending order
        double total = 0;
        for (int i = 0; i < k; i++) {
            weight[i] = Math.exp((z[order[i]] - max) / tau);
            total += weight[i];
        }
        double u = random.nextDouble() * total;
        for (int i = 0; i < k; i++) {
            u -= weight[i];
            if (u < 0) {
                return order[i];
            }
        }
        return order[k - 1];
    }
}

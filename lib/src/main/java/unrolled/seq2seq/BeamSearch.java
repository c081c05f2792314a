package unrolled.seq2seq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import unrolled.tensor.Shapes;

/**
 * Beam search: keep the k best prefixes at every step instead of one.
 *
 * <pre>
 *   beam_0 = {⟨&lt;bos&gt;⟩}
 *   each step: extend every prefix in the beam by every token v, score log p(prefix) + log p(v | prefix),
 *              keep the k best extensions; one that ends in &lt;eos&gt; leaves the beam as a finished hypothesis
 *   stop when k hypotheses have finished, the beam is empty, or the length limit is reached
 *   rank the finished hypotheses by  score = log p(y) / |y|^α      |y| counts &lt;eos&gt;
 * </pre>
 *
 * <p>Cost: k model calls per step (scored as one batch of k rows by a neural scorer) and k·V candidates to rank,
 * against 1 call for greedy; k = 1 is greedy search. It finds sequences that greedy misses when the best first token
 * leads to poor continuations, but it is still approximate: a larger k finds sequences at least as probable under the
 * model, not necessarily better under the metric.
 *
 * <p><b>Length normalisation.</b> Every token multiplies the probability by a number below 1, so the raw
 * log-probability prefers short outputs (in the extreme, an early &lt;eos&gt;). Dividing by |y|^α (α = 0: raw; α = 1:
 * mean log-probability per token; 0.6–0.7 is common) removes that bias. The prefixes in the beam all have the same
 * length, so normalisation only changes how finished hypotheses compare.
 */
public final class BeamSearch {

    /**
     * The search's result.
     *
     * @param hypotheses the finished hypotheses (and, if fewer than k finished, the best unfinished ones at the
     *     length limit), best first by score
     * @param expansions the number of prefixes the model scored: the search's cost in decoder steps
     */
    public record Result(List<Hypothesis> hypotheses, int expansions) {

        /** @return the best hypothesis */
        public Hypothesis best() {
            return hypotheses.get(0);
        }
    }

    private final int beamWidth;
    private final double lengthPenalty;

    /**
     * @param beamWidth k, positive
     * @param lengthPenalty α ≥ 0: scores are log p / |y|^α (0 for none)
     */
    public BeamSearch(int beamWidth, double lengthPenalty) {
        Shapes.requirePositive("BeamSearch", "beamWidth", beamWidth);
        if (!(lengthPenalty >= 0) || Double.isInfinite(lengthPenalty)) {
            throw new IllegalArgumentException("BeamSearch: lengthPenalty must be finite and non-negative, but is "
                    + lengthPenalty + ".");
        }
        this.beamWidth = beamWidth;
        this.lengthPenalty = lengthPenalty;
    }

    private record Prefix<S>(int[] tokens, double logProbability, S state) {
    }

    /**
     * A scorer that runs this search itself, as one loop over plain arrays ({@link EncoderDecoder}'s fast path): the
     * same prefixes, candidates, ranks and hypotheses as {@link #decode}'s loop below, which the tests hold it to.
     */
    interface Fused {

        /**
         * @param search the search's settings: k, and α for the scores
         * @param maxLength the most tokens before &lt;eos&gt;, positive
         * @return the result {@link #decode} returns
         */
        Result beamSearch(BeamSearch search, int maxLength);
    }

    private record Candidate(int parent, int token, double logProbability) {
    }

    /**
     * @param scorer the model, for one source
     * @param maxLength the most tokens before &lt;eos&gt;, positive
     * @param <S> the scorer's state type
     * @return the hypotheses, best first, and the cost
     */
    public <S> Result decode(StepScorer<S> scorer, int maxLength) {
        Objects.requireNonNull(scorer, "BeamSearch.decode: scorer must not be null");
        Shapes.requirePositive("BeamSearch.decode", "maxLength", maxLength);
        if (scorer instanceof Fused fused) {
            return fused.beamSearch(this, maxLength);
        }
        List<Prefix<S>> beam = List.of(new Prefix<>(new int[0], 0.0, scorer.start()));
        List<Hypothesis> finished = new ArrayList<>();
        int expansions = 0;
        for (int step = 0; step <= maxLength && !beam.isEmpty() && finished.size() < beamWidth; step++) {
            int[] previous = new int[beam.size()];
            List<S> states = new ArrayList<>(beam.size());
            for (int b = 0; b < beam.size(); b++) {
                int[] tokens = beam.get(b).tokens();
                previous[b] = tokens.length == 0 ? scorer.startToken() : tokens[tokens.length - 1];
                states.add(beam.get(b).state());
            }
            List<StepScorer.Scored<S>> scored = scorer.advance(states, previous);
            expansions += beam.size();
            // every extension of every prefix: log p(prefix) + log p(v | prefix)
            List<Candidate> candidates = new ArrayList<>();
            for (int b = 0; b < beam.size(); b++) {
                double[] logP = scored.get(b).logProbabilities();
                for (int v = 0; v < logP.length; v++) {
                    if (logP[v] > Double.NEGATIVE_INFINITY) {
                        candidates.add(new Candidate(b, v, beam.get(b).logProbability() + logP[v]));
                    }
                }
            }
            candidates.sort(Comparator.comparingDouble(Candidate::logProbability).reversed());
            List<Prefix<S>> next = new ArrayList<>();
            boolean last = step == maxLength;
            for (int rank = 0; rank < candidates.size() && next.size() < beamWidth; rank++) {
                Candidate c = candidates.get(rank);
                int[] tokens = beam.get(c.parent()).tokens();
                if (c.token() == scorer.endToken()) {
                    // &lt;eos&gt; among the k best: a finished hypothesis, scored with its &lt;eos&gt;
                    if (rank < beamWidth) {
                        finished.add(new Hypothesis(tokens, c.logProbability(), score(c.logProbability(), tokens.length + 1), true));
                    }
                } else if (!last) {
                    int[] extended = Arrays.copyOf(tokens, tokens.length + 1);
                    extended[tokens.length] = c.token();
                    next.add(new Prefix<>(extended, c.logProbability(), scored.get(c.parent()).state()));
                }
            }
            if (last && finished.isEmpty()) {
                // nothing ended within the limit: return the prefixes as they are
                for (Prefix<S> p : beam) {
                    finished.add(new Hypothesis(p.tokens(), p.logProbability(), score(p.logProbability(), p.tokens().length), false));
                }
            }
            beam = next;
        }
        if (finished.isEmpty()) {
            for (Prefix<S> p : beam) {
                finished.add(new Hypothesis(p.tokens(), p.logProbability(), score(p.logProbability(), p.tokens().length), false));
            }
        }
        return ranked(finished, expansions);
    }

    /** @return the result: the hypotheses best first by score (a stable sort: ties keep the order they finished in) */
    static Result ranked(List<Hypothesis> finished, int expansions) {
        finished.sort(Comparator.comparingDouble(Hypothesis::score).reversed());
        return new Result(List.copyOf(finished), expansions);
    }

    /** score = log p / |y|^α */
    double score(double logProbability, int length) {
        return lengthPenalty == 0 || length == 0 ? logProbability : logProbability / Math.pow(length, lengthPenalty);
    }

    /** @return k */
    public int beamWidth() {
        return beamWidth;
    }

    /** @return α */
    public double lengthPenalty() {
        return lengthPenalty;
    }

    @Override
    public String toString() {
        return "BeamSearch(k=" + beamWidth + ", α=" + lengthPenalty + ")";
    }
}

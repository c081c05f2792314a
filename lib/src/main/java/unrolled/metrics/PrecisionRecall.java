package unrolled.metrics;

import java.util.Locale;
import java.util.Objects;

/**
 * The four counts of a binary decision against the truth, and the scores read from them. With "positive" the class
 * that matters (spam, fraud, an anomaly):
 *
 * <pre>
 *   precision = TP / (TP + FP)     of the items flagged positive, the fraction that are
 *   recall    = TP / (TP + FN)     of the items that are positive, the fraction flagged
 *   F1        = 2·P·R / (P + R)    their harmonic mean: high only when both are
 *   accuracy  = (TP + TN) / all
 * </pre>
 *
 * On imbalanced data accuracy says little: with 10 % positives, flagging nothing scores 90 % accuracy and recall 0.
 * Precision is 0/0 when nothing is flagged and recall 0/0 when there is no positive; both are then reported as 0
 * (as scikit-learn does by default), and so is F1 when both are 0.
 *
 * @param truePositives TP, positives flagged positive, ≥ 0
 * @param falsePositives FP, negatives flagged positive, ≥ 0
 * @param falseNegatives FN, positives missed, ≥ 0
 * @param trueNegatives TN, negatives left alone, ≥ 0
 */
public record PrecisionRecall(long truePositives, long falsePositives, long falseNegatives, long trueNegatives) {

    /**
     * Checks the counts.
     *
     * @param truePositives TP, ≥ 0
     * @param falsePositives FP, ≥ 0
     * @param falseNegatives FN, ≥ 0
     * @param trueNegatives TN, ≥ 0
     */
    public PrecisionRecall {
        if (truePositives < 0 || falsePositives < 0 || falseNegatives < 0 || trueNegatives < 0) {
            throw new IllegalArgumentException("PrecisionRecall: every count must be ≥ 0, but TP = " + truePositives + ", FP = "
                    + falsePositives + ", FN = " + falseNegatives + ", TN = " + trueNegatives + ".");
        }
    }

    /**
     * Counts a classifier's decisions for one class against the truth.
     *
     * @param predicted the predicted class of each item, int[M]
     * @param targets the true class of each item, int[M]
     * @param positive the class that counts as positive, e.g. 1 for spam
     * @return the four counts
     * @throws IllegalArgumentException if the arrays differ in length or are empty
     */
    public static PrecisionRecall of(int[] predicted, int[] targets, int positive) {
        Objects.requireNonNull(predicted, "PrecisionRecall.of: predicted must not be null");
        Objects.requireNonNull(targets, "PrecisionRecall.of: targets must not be null");
        if (predicted.length != targets.length) {
            throw new IllegalArgumentException("PrecisionRecall.of: predicted must have one entry per target, M = "
                    + targets.length + ", but has " + predicted.length + ".");
        }
        if (targets.length == 0) {
            throw new IllegalArgumentException("PrecisionRecall.of: need at least one item, but targets is empty.");
        }
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        for (int i = 0; i < targets.length; i++) {
            boolean flagged = predicted[i] == positive;
            boolean actual = targets[i] == positive;
            if (flagged && actual) {
                tp++;
            } else if (flagged) {
                fp++;
            } else if (actual) {
                fn++;
            } else {
                tn++;
            }
        }
        return new PrecisionRecall(tp, fp, fn, tn);
    }

    /**
     * Decisions by a threshold on a score: an item is flagged positive when its score is at least the threshold.
     *
     * @param scores each item's score for the positive class (a probability, a logit difference, ...), double[M]
     * @param actual whether each item is truly positive, boolean[M]
     * @param threshold flag an item when score ≥ threshold
     * @return the four counts
     */
    public static PrecisionRecall atThreshold(double[] scores, boolean[] actual, double threshold) {
        Objects.requireNonNull(scores, "PrecisionRecall.atThreshold: scores must not be null");
        Objects.requireNonNull(actual, "PrecisionRecall.atThreshold: actual must not be null");
        if (scores.length != actual.length || scores.length == 0) {
            throw new IllegalArgumentException("PrecisionRecall.atThreshold: scores and actual must have the same length M ≥ 1,"
                    + " but have " + scores.length + " and " + actual.length + ".");
        }
        int[] predicted = new int[scores.length];
        int[] targets = new int[scores.length];
        for (int i = 0; i < scores.length; i++) {
            predicted[i] = scores[i] >= threshold ? 1 : 0;
            targets[i] = actual[i] ? 1 : 0;
        }
        return of(predicted, targets, 1);
    }

    /** @return TP / (TP + FP), or 0 when nothing was flagged */
    public double precision() {
        return ratio(truePositives, truePositives + falsePositives);
    }

    /** @return TP / (TP + FN), or 0 when there is no positive */
    public double recall() {
        return ratio(truePositives, truePositives + falseNegatives);
    }

    /** @return 2·P·R / (P + R), or 0 when both are 0 */
    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
    }

    /** @return (TP + TN) / (TP + FP + FN + TN) */
    public double accuracy() {
        return ratio(truePositives + trueNegatives, truePositives + falsePositives + falseNegatives + trueNegatives);
    }

    /**
     * The package's rule for a ratio of counts (see {@link unrolled.metrics}): 0 when the denominator is 0.
     *
     * @param numerator a count, ≥ 0
     * @param denominator a count, ≥ 0
     * @return numerator / denominator, or 0 when the denominator is 0
     */
    public static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0.0 : (double) numerator / denominator;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "precision %.3f  recall %.3f  F1 %.3f  accuracy %.3f  (TP %d, FP %d, FN %d, TN %d)",
                precision(), recall(), f1(), accuracy(), truePositives, falsePositives, falseNegatives, trueNegatives);
    }
}

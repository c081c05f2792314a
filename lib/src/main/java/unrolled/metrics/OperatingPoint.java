package unrolled.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One operating point of an anomaly detector — a threshold and the precision and recall it gives — when an anomaly detector raises an alarm at every step whose score reaches a
 * threshold τ:
 * <pre>
 *   alarm_t = score_t ≥ τ
 *   TP = #{alarm ∧ anomalous},  FP = #{alarm ∧ normal},  FN = #{no alarm ∧ anomalous}
 *   precision = TP / (TP + FP)     the share of alarms that were real anomalies
 *   recall    = TP / (TP + FN)     the share of anomalous steps that raised an alarm
 *   F1        = 2·precision·recall / (precision + recall)
 * </pre>
 * A 0/0 is reported as 0, by the package's one rule ({@link PrecisionRecall#ratio(long, long)}): precision at a
 * threshold above every score, recall when no step is labelled anomalous.
 * Lowering τ raises recall and, sooner or later, costs precision; {@link #sweep} evaluates every distinct
 * threshold at once, which traces the precision–recall curve. With rare anomalies the curve says far more than
 * accuracy: flagging nothing is 99 % accurate on data with 1 % anomalies.
 *
 * @param threshold τ; a step with score ≥ τ raises an alarm
 * @param truePositives TP, alarms on anomalous steps
 * @param falsePositives FP, alarms on normal steps
 * @param falseNegatives FN, anomalous steps without an alarm
 */
public record OperatingPoint(double threshold, int truePositives, int falsePositives, int falseNegatives) {

    /**
     * Checks the counts.
     *
     * @param threshold τ, not NaN
     * @param truePositives TP ≥ 0
     * @param falsePositives FP ≥ 0
     * @param falseNegatives FN ≥ 0
     */
    public OperatingPoint {
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("OperatingPoint: threshold must be a number, but is NaN.");
        }
        if (truePositives < 0 || falsePositives < 0 || falseNegatives < 0) {
            throw new IllegalArgumentException("OperatingPoint: the counts must be at least 0, but are TP = " + truePositives
                    + ", FP = " + falsePositives + ", FN = " + falseNegatives + ".");
        }
    }

    /** @return TP / (TP + FP), or 0 when no step raised an alarm */
    public double precision() {
        return PrecisionRecall.ratio(truePositives, truePositives + falsePositives);
    }

    /** @return TP / (TP + FN), or 0 when no step is labelled anomalous */
    public double recall() {
        return PrecisionRecall.ratio(truePositives, truePositives + falseNegatives);
    }

    /** @return 2·precision·recall / (precision + recall), or 0 when both are 0 */
    public double f1() {
        double precision = precision();
        double recall = recall();
        return precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
    }

    /**
     * Alarms at one threshold, counted against the labels.
     *
     * @param scores score_t, n values, not NaN; larger means more anomalous
     * @param labels true where step t is anomalous, n values
     * @param threshold τ
     * @return the counts at τ
     */
    public static OperatingPoint at(double[] scores, boolean[] labels, double threshold) {
        requirePaired("OperatingPoint.at", scores, labels);
        // the counting is the classifier's: an alarm is a positive decision, score ≥ τ
        PrecisionRecall counts = PrecisionRecall.atThreshold(scores, labels, threshold);
        return new OperatingPoint(threshold, Math.toIntExact(counts.truePositives()),
                Math.toIntExact(counts.falsePositives()), Math.toIntExact(counts.falseNegatives()));
    }

    /**
     * Every distinct threshold at once: one point per distinct score, from the highest (fewest alarms) to the lowest
     * (every step an alarm). Sorting once makes this O(n log n) instead of one pass per threshold.
     *
     * @param scores score_t, n ≥ 1 values, not NaN
     * @param labels true where step t is anomalous, n values, at least one true
     * @return the points, thresholds decreasing, recall non-decreasing
     */
    public static List<OperatingPoint> sweep(double[] scores, boolean[] labels) {
        String method = "OperatingPoint.sweep";
        requirePaired(method, scores, labels);
        int anomalous = 0;
        for (boolean label : labels) {
            anomalous += label ? 1 : 0;
        }
        if (anomalous == 0) {
            throw new IllegalArgumentException(method + ": labels must mark at least one anomalous step, but all "
                    + labels.length + " are normal, so recall is undefined.");
        }
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, t -> t);
        Arrays.sort(order, Comparator.comparingDouble((Integer t) -> scores[t]).reversed());
        List<OperatingPoint> points = new ArrayList<>();
        int tp = 0;
        int fp = 0;
        for (int i = 0; i < order.length; i++) {
            int t = order[i];
            if (labels[t]) {
                tp++;
            } else {
                fp++;
            }
            // Steps with equal scores switch on together: emit a point only after the last of them.
            if (i == order.length - 1 || scores[order[i + 1]] != scores[t]) {
                points.add(new OperatingPoint(scores[t], tp, fp, anomalous - tp));
            }
        }
        return points;
    }

    /**
     * The point of a sweep with the highest F1 (the first, i.e. the highest threshold, among ties).
     *
     * @param sweep points from {@link #sweep}, at least one
     * @return the point with the best F1
     */
    public static OperatingPoint bestF1(List<OperatingPoint> sweep) {
        Objects.requireNonNull(sweep, "OperatingPoint.bestF1: sweep must not be null");
        if (sweep.isEmpty()) {
            throw new IllegalArgumentException("OperatingPoint.bestF1: sweep must hold at least one point, but is empty.");
        }
        OperatingPoint best = sweep.get(0);
        for (OperatingPoint point : sweep) {
            if (point.f1() > best.f1()) {
                best = point;
            }
        }
        return best;
    }

    /**
     * The average precision: the area under the precision–recall curve as a step function,
     * AP = Σ_k (R_k − R_{k−1}) · P_k over the sweep's points, R_0 = 0. 1 is perfect; a detector that ranks at random
     * scores about the share of anomalous steps.
     *
     * @param sweep points from {@link #sweep}, recall non-decreasing
     * @return AP in [0, 1]
     */
    public static double averagePrecision(List<OperatingPoint> sweep) {
        Objects.requireNonNull(sweep, "OperatingPoint.averagePrecision: sweep must not be null");
        double area = 0;
        double previousRecall = 0;
        for (OperatingPoint point : sweep) {
            // AP = Σ (R_k − R_{k−1}) · P_k
            area += (point.recall() - previousRecall) * point.precision();
            previousRecall = point.recall();
        }
        return area;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "τ = %.4g: precision %.3f, recall %.3f, F1 %.3f (TP %d, FP %d, FN %d)",
                threshold, precision(), recall(), f1(), truePositives, falsePositives, falseNegatives);
    }

    private static void requirePaired(String method, double[] scores, boolean[] labels) {
        Objects.requireNonNull(scores, method + ": scores must not be null");
        Objects.requireNonNull(labels, method + ": labels must not be null");
        if (scores.length == 0) {
            throw new IllegalArgumentException(method + ": scores must hold at least one value, but is empty.");
        }
        if (labels.length != scores.length) {
            throw new IllegalArgumentException(method + ": labels must have n = " + scores.length
                    + " values, one per score, but has " + labels.length + ".");
        }
        for (int t = 0; t < scores.length; t++) {
            if (Double.isNaN(scores[t])) {
                throw new IllegalArgumentException(method + ": every score must be a number, but scores[" + t + "] is NaN.");
            }
        }
    }
}

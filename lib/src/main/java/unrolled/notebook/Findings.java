package unrolled.notebook;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What this run shows: the one way a lesson states a result of its own run.
 *
 * <p>A lesson's prose explains and predicts; the numbers and comparisons it draws from <em>this</em> run come from
 * here. A notebook gathers them into one block and shows it:
 *
 * <pre>{@code
 * Findings.about("Curriculum learning")
 *         .measured("final accuracy, short sequences first", ramped)
 *         .acrossSeeds("final accuracy, ramp, 3 seeds", rampedBySeed)
 *         .separated("the ramp ends higher than no ramp on every seed", "ramp", rampedBySeed, "no ramp", flatBySeed)
 *         .show();
 * }</pre>
 *
 * <p>{@link #show()} renders every line (a measured value, or a claim marked ✓ or ✗ with the values behind it), then
 * throws {@link NotShown} if any claim is false, so the cell fails and so does every run and test of the notebook:
 * the text and the run cannot drift apart unnoticed. Numbers are printed to three significant digits, which is what
 * one run of a small model can support.
 */
public final class Findings {

    /** Thrown by {@link #show()} when the run does not show a claim the lesson makes. */
    public static final class NotShown extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        NotShown(String message) {
            super(message);
        }
    }

    /** One line of the block: a measured value, or a claim with whether it holds and the values behind it. */
    private record Line(String text, Boolean holds, String evidence) {
    }

    private final String title;
    private final List<Line> lines = new ArrayList<>();

    private Findings(String title) {
        this.title = title;
    }

    /**
     * Starts the block of findings about one experiment.
     *
     * @param title what was run, in a few words, not blank
     * @return an empty block to add measured values and claims to
     */
    public static Findings about(String title) {
        requireText("Findings.about", "title", title);
        return new Findings(title);
    }

    /**
     * Adds a value this run measured.
     *
     * @param label what the value is, with its unit if it has one, not blank
     * @param value the value
     * @return this block
     */
    public Findings measured(String label, double value) {
        requireText("Findings.measured", "label", label);
        lines.add(new Line(label + ": " + format(value), null, null));
        return this;
    }

    /**
     * Adds a value measured once per seed, shown as its median and range.
     *
     * @param label what the value is, not blank
     * @param perSeed the value for each seed, shape (S) with S ≥ 1
     * @return this block
     */
    public Findings acrossSeeds(String label, double[] perSeed) {
        requireText("Findings.acrossSeeds", "label", label);
        requireValues("Findings.acrossSeeds", "perSeed", perSeed);
        lines.add(new Line(label + ": " + spread(perSeed), null, null));
        return this;
    }

    /**
     * Claims that one value is larger than another.
     *
     * @param statement the claim as the lesson says it, not blank
     * @param leftLabel what {@code left} is, not blank
     * @param left the value claimed to be larger
     * @param rightLabel what {@code right} is, not blank
     * @param right the value claimed to be smaller
     * @return this block
     */
    public Findings greater(String statement, String leftLabel, double left, String rightLabel, double right) {
        requireText("Findings.greater", "statement", statement);
        requireText("Findings.greater", "leftLabel", leftLabel);
        requireText("Findings.greater", "rightLabel", rightLabel);
        boolean holds = left > right;
        return claim(statement, holds,
                leftLabel + " = " + format(left) + (holds ? " > " : " ≤ ") + rightLabel + " = " + format(right));
    }

    /**
     * Claims that a value is at least a bound.
     *
     * @param statement the claim as the lesson says it, not blank
     * @param label what the value is, not blank
     * @param value the measured value
     * @param bound the smallest value for which the claim holds
     * @return this block
     */
    public Findings atLeast(String statement, String label, double value, double bound) {
        requireText("Findings.atLeast", "statement", statement);
        requireText("Findings.atLeast", "label", label);
        boolean holds = value >= bound;
        return claim(statement, holds, label + " = " + format(value) + (holds ? " ≥ " : " < ") + format(bound));
    }

    /**
     * Claims that a value is at most a bound.
     *
     * @param statement the claim as the lesson says it, not blank
     * @param label what the value is, not blank
     * @param value the measured value
     * @param bound the largest value for which the claim holds
     * @return this block
     */
    public Findings atMost(String statement, String label, double value, double bound) {
        requireText("Findings.atMost", "statement", statement);
        requireText("Findings.atMost", "label", label);
        boolean holds = value <= bound;
        return claim(statement, holds, label + " = " + format(value) + (holds ? " ≤ " : " > ") + format(bound));
    }

    /**
     * Claims that a value lies in a closed interval.
     *
     * @param statement the claim as the lesson says it, not blank
     * @param label what the value is, not blank
     * @param value the measured value
     * @param low the interval's lower end
     * @param high the interval's upper end, at least {@code low}
     * @return this block
     */
    public Findings between(String statement, String label, double value, double low, double high) {
        requireText("Findings.between", "statement", statement);
        requireText("Findings.between", "label", label);
        if (!(low <= high)) {
            throw new IllegalArgumentException("Findings.between: low must be at most high, but low = " + low
                    + " and high = " + high + ".");
        }
        boolean holds = value >= low && value <= high;
        return claim(statement, holds,
                label + " = " + format(value) + (holds ? " in " : " outside ") + "[" + format(low) + ", " + format(high) + "]");
    }

    /**
     * Claims that one method beats another on every seed: the smallest value of {@code higher} exceeds the largest of
     * {@code lower}, so the difference is larger than the seed-to-seed spread, not noise.
     *
     * @param statement the claim as the lesson says it, not blank
     * @param higherLabel the method claimed to score higher, not blank
     * @param higher its value per seed, shape (S) with S ≥ 1
     * @param lowerLabel the method claimed to score lower, not blank
     * @param lower its value per seed, shape (S') with S' ≥ 1
     * @return this block
     */
    public Findings separated(String statement, String higherLabel, double[] higher, String lowerLabel, double[] lower) {
        requireText("Findings.separated", "statement", statement);
        requireText("Findings.separated", "higherLabel", higherLabel);
        requireText("Findings.separated", "lowerLabel", lowerLabel);
        requireValues("Findings.separated", "higher", higher);
        requireValues("Findings.separated", "lower", lower);
        double worstHigher = Arrays.stream(higher).min().orElseThrow();
        double bestLower = Arrays.stream(lower).max().orElseThrow();
        boolean holds = worstHigher > bestLower;
        return claim(statement, holds, higherLabel + " " + spread(higher) + "; " + lowerLabel + " " + spread(lower)
                + (holds ? "; the lowest " : "; but the lowest ") + higherLabel + " (" + format(worstHigher) + ")"
                + (holds ? " is above " : " is not above ") + "the highest " + lowerLabel + " (" + format(bestLower) + ")");
    }

    /**
     * Claims anything else; prefer the typed claims, which print the values behind them.
     *
     * @param statement the claim as the lesson says it, not blank
     * @param holds whether this run shows it
     * @param evidence the values the claim rests on, as the reader should see them, not blank
     * @return this block
     */
    public Findings claim(String statement, boolean holds, String evidence) {
        requireText("Findings.claim", "statement", statement);
        requireText("Findings.claim", "evidence", evidence);
        lines.add(new Line(statement, holds, evidence));
        return this;
    }

    /**
     * Shows the block in the cell's output, then fails the cell if any claim does not hold.
     *
     * @throws NotShown naming every claim this run does not show, with its values
     */
    public void show() {
        StringBuilder plain = new StringBuilder("What this run shows: " + title);
        StringBuilder html = new StringBuilder("<div class=\"unrolled-findings\" style=\"border-left:6px solid #2b6cb0;"
                + "background:#ebf4ff;color:#1a202c;padding:6px 12px;margin:4px 0;font-family:sans-serif\">"
                + "<b>What this run shows</b> — " + Html.escape(title) + "<ul style=\"margin:4px 0;padding-left:1.2em\">");
        List<String> failed = new ArrayList<>();
        for (Line line : lines) {
            if (line.holds() == null) {
                plain.append("\n  • ").append(line.text());
                html.append("<li>").append(Html.escape(line.text())).append("</li>");
                continue;
            }
            String mark = line.holds() ? "✓" : "✗";
            plain.append("\n  ").append(mark).append(' ').append(line.text()).append(" (").append(line.evidence()).append(')');
            html.append("<li style=\"list-style:none;margin-left:-1.2em\"><b style=\"color:")
                    .append(line.holds() ? "#1e7b34" : "#a51d24").append("\">").append(mark).append("</b> ")
                    .append(Html.escape(line.text())).append(" <span style=\"color:#4a5568\">(")
                    .append(Html.escape(line.evidence())).append(")</span></li>");
            if (!line.holds()) {
                failed.add("'" + line.text() + "': " + line.evidence());
            }
        }
        html.append("</ul></div>");
        Notebook.html(html.toString(), plain.toString());
        if (!failed.isEmpty()) {
            throw new NotShown("Findings.show: this run does not show what the lesson says about " + title + " — "
                    + String.join("; ", failed) + ".");
        }
    }

    /**
     * Formats a measured value to three significant digits: {@code 0.640}, {@code 12.3}, {@code 1,234}, {@code 2.5e-5};
     * whole numbers from 10 on (step counts, sizes) as they are: {@code 250}.
     *
     * @param value any value
     * @return the value as a reader should see it
     */
    public static String format(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        double magnitude = Math.abs(value);
        if (magnitude == 0) {
            return "0";
        }
        if ((magnitude >= 1000 || magnitude >= 10 && value == Math.rint(value)) && magnitude < 1e15) {
            // large values, and whole numbers such as step counts, without a decimal point (but 1.00 stays a fraction)
            return String.format(Locale.ROOT, "%,d", Math.round(value));
        }
        if (magnitude < 1e-3) {
            return String.format(Locale.ROOT, "%.2g", value).replace("e-0", "e-");
        }
        // round first, so that 99.96 becomes 100 (three digits), not 100.0
        double rounded = new BigDecimal(value).round(new MathContext(3)).doubleValue();
        int decimals = Math.max(0, 2 - (int) Math.floor(Math.log10(Math.abs(rounded))));
        return String.format(Locale.ROOT, "%." + decimals + "f", rounded);
    }

    /**
     * A set of per-seed values as its median and range: {@code 0.91 (0.88–0.93, 3 seeds)}.
     *
     * @param perSeed the values, shape (S) with S ≥ 1
     * @return the median, then the range and the number of seeds
     */
    public static String spread(double[] perSeed) {
        requireValues("Findings.spread", "perSeed", perSeed);
        double[] sorted = perSeed.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        if (n == 1) {
            return format(median) + " (1 seed)";
        }
        return format(median) + " (" + format(sorted[0]) + "–" + format(sorted[n - 1]) + ", " + n + " seeds)";
    }

    private static void requireText(String method, String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(method + ": " + name + " must be a non-blank text, but is "
                    + (value == null ? "null" : "blank") + ".");
        }
    }

    private static void requireValues(String method, String name, double[] values) {
        Objects.requireNonNull(values, method + ": " + name + " must not be null");
        if (values.length == 0) {
            throw new IllegalArgumentException(method + ": " + name + " must have shape (S) with S ≥ 1, but has shape (0).");
        }
    }
}

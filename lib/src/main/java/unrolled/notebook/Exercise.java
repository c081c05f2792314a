package unrolled.notebook;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.param.NamedArrays;
import unrolled.tensor.Shapes;

/**
 * Self-checking exercises.
 *
 * <p>In a notebook an exercise is a method whose body the learner writes. In the instructor version the
 * body sits between {@code // BEGIN SOLUTION} and {@code // END SOLUTION}; the student version replaces
 * that region with {@code throw Exercise.todo();}. A check cell calls one of the {@code check} methods
 * with the learner's code as a lambda and the library's reference answer; it shows
 * <em>passed</em>, <em>not yet</em> (the stub is still there) or <em>wrong</em> with the reason, and
 * never throws, so an unsolved exercise cannot stop the rest of the notebook.
 *
 * <p>A check runs in the learner's own kernel, so its verdict is feedback, not a grade: code in the same JVM can
 * print, hide or fake anything. The autograder grades with {@link #record}: cells of the instructor notebook that
 * the student version leaves out call the learner's method on inputs the learner has not seen and record what it
 * returns; the grader compares those answers, in its own process, with the instructor notebook's answers on the same
 * inputs. Such a cell must never compute the reference answer itself.
 */
public final class Exercise {

    /** The outcome of a check. */
    public enum Result {
        /** The learner's answer matches the reference. */
        PASSED,
        /** The stub is still in place: the learner has not written the exercise yet. */
        NOT_YET,
        /** The learner's answer differs from the reference, or the code threw. */
        WRONG
    }

    /** Thrown by the student version's stub: the learner has not written this exercise yet. */
    public static final class NotDoneYet extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotDoneYet() {
            super("This exercise is not done yet: replace `throw Exercise.todo();` with your code.");
        }
    }

    /** The latest result of each exercise checked in this kernel, by id, in the order first checked. */
    private static final Map<String, Result> RESULTS = Collections.synchronizedMap(new LinkedHashMap<>());

    private Exercise() {
    }

    /**
     * The latest result of every exercise checked since the kernel started: what a grader or a test reads.
     * (The check methods return nothing, so that a check cell shows only its verdict.)
     *
     * @return exercise id to its latest result, in the order the exercises were first checked
     */
    public static Map<String, Result> results() {
        synchronized (RESULTS) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(RESULTS));
        }
    }

    /** @return the exception a stub throws; write {@code throw Exercise.todo();} */
    public static NotDoneYet todo() {
        return new NotDoneYet();
    }

    /**
     * Checks an array the learner computes against the reference, element by element.
     *
     * @param id the exercise's number, e.g. {@code 0.1}
     * @param title what the exercise asks for, in a few words
     * @param learner runs the learner's code and returns its answer
     * @param expected the reference answer, any shape
     * @param tolerance the largest absolute difference accepted per element, at least 0
     */
    public static void checkArray(String id, String title, Supplier<INDArray> learner, INDArray expected, double tolerance) {
        Objects.requireNonNull(expected, "Exercise.checkArray: expected must not be null");
        requireTolerance("Exercise.checkArray", tolerance);
        check(id, title, () -> {
            INDArray answer = learner.get();
            if (answer == null) {
                throw todo();
            }
            return compareArrays(answer, expected, tolerance);
        });
    }

    /**
     * Checks a number the learner computes against the reference.
     *
     * @param id the exercise's number, e.g. {@code 0.1}
     * @param title what the exercise asks for, in a few words
     * @param learner runs the learner's code and returns its answer
     * @param expected the reference answer
     * @param tolerance the largest absolute difference accepted, at least 0
     */
    public static void checkNumber(String id, String title, DoubleSupplier learner, double expected, double tolerance) {
        requireTolerance("Exercise.checkNumber", tolerance);
        check(id, title, () -> {
            double answer = learner.getAsDouble();
            if (Double.isNaN(answer) && !Double.isNaN(expected)) {
                return "your answer is NaN, the expected answer is " + expected;
            }
            return Math.abs(answer - expected) <= tolerance ? null
                    : "your answer is " + answer + ", the expected answer is " + expected + " (tolerance " + tolerance + ")";
        });
    }

    /**
     * Checks the learner's answer against a reference {@link Answer}: every part by shape and value, with the answer's
     * hints and known mistakes in the verdict.
     *
     * @param id the exercise's number, e.g. {@code 14.1}
     * @param title what the exercise asks for, in a few words
     * @param learner runs the learner's code and returns its answer (for named parts a map, named arrays, an array or
     *     a list of the parts)
     * @param expected the reference answer
     */
    public static void check(String id, String title, Supplier<?> learner, Answer expected) {
        Objects.requireNonNull(learner, "Exercise.check: learner must not be null");
        Objects.requireNonNull(expected, "Exercise.check: expected must not be null");
        check(id, title, () -> expected.mismatch(learner.get()));
    }

    /**
     * Checks the learner's code on several cases (sizes, settings, edge cases), in order; the verdict names the
     * first case whose answer is off.
     *
     * @param id the exercise's number, e.g. {@code 6.2}
     * @param title what the exercise asks for, in a few words
     * @param cases the inputs, at least one
     * @param label names a case in the verdict, e.g. {@code s -> "D = " + s[0] + ", H = " + s[1]}
     * @param learner runs the learner's code on a case and returns its answer
     * @param expected the reference answer for a case: an {@link Answer}, or a value compared as {@link Answer#of(Object)}
     * @param <C> the type of a case
     */
    public static <C> void check(String id, String title, List<C> cases, Function<? super C, String> label,
            Function<? super C, ?> learner, Function<? super C, ?> expected) {
        Objects.requireNonNull(cases, "Exercise.check: cases must not be null");
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("Exercise.check: cases must hold at least one case, but is empty.");
        }
        Objects.requireNonNull(label, "Exercise.check: label must not be null");
        Objects.requireNonNull(learner, "Exercise.check: learner must not be null");
        Objects.requireNonNull(expected, "Exercise.check: expected must not be null");
        check(id, title, () -> {
            for (C item : cases) {
                Object reference = expected.apply(item);
                Answer answer = reference instanceof Answer given ? given : Answer.of(reference);
                String problem = answer.mismatch(learner.apply(item));
                if (problem != null) {
                    return "for " + label.apply(item) + ", " + problem;
                }
            }
            return null;
        });
    }

    /**
     * The general check: runs the learner's code, which returns null when the answer is right and the
     * reason when it is wrong.
     *
     * @param id the exercise's number, e.g. {@code 0.1}
     * @param title what the exercise asks for, in a few words
     * @param test runs the learner's code and compares it with the reference
     */
    public static void check(String id, String title, Supplier<String> test) {
        Objects.requireNonNull(id, "Exercise.check: id must not be null");
        Objects.requireNonNull(title, "Exercise.check: title must not be null");
        Objects.requireNonNull(test, "Exercise.check: test must not be null");
        Result result;
        String reason;
        try {
            reason = test.get();
            result = reason == null ? Result.PASSED : Result.WRONG;
        } catch (NotDoneYet e) {
            result = Result.NOT_YET;
            reason = "replace `throw Exercise.todo();` with your code, run that cell, then run this one again.";
        } catch (RuntimeException | StackOverflowError e) {
            result = Result.WRONG;
            reason = "your code threw " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        RESULTS.put(id, result);
        report(id, title, result, reason);
    }

    /** What starts a line of {@link #record}'s output for the autograder. */
    public static final String ANSWER_MARK = "unrolled-answer ";

    /** The system property the autograder sets on the kernels it starts: {@link #record} then writes for it. */
    public static final String GRADING_PROPERTY = "unrolled.grading";

    /**
     * Records the learner's answer on one input for the autograder, which compares it with the instructor notebook's
     * answer on the same input within {@code tolerance}. In a kernel the autograder started, it prints one line
     * {@code unrolled-answer {json}}; elsewhere it shows a short summary of the answer. Never throws.
     *
     * @param id the exercise's number, e.g. {@code 0.1}
     * @param label names this input among the exercise's recorded answers, e.g. {@code "N=1"}
     * @param learner calls the learner's method; may return an {@code INDArray}, a number, a boolean, a string,
     *     an array, a {@code Collection}, a {@code Map} of these, or named arrays ({@code Parameters},
     *     {@code Gradients}), which are recorded as a map from name to array
     * @param tolerance the largest absolute difference accepted per number, at least 0
     */
    public static void record(String id, String label, Supplier<?> learner, double tolerance) {
        Objects.requireNonNull(id, "Exercise.record: id must not be null");
        Objects.requireNonNull(label, "Exercise.record: label must not be null");
        Objects.requireNonNull(learner, "Exercise.record: learner must not be null");
        requireTolerance("Exercise.record", tolerance);
        StringBuilder json = new StringBuilder("{\"exercise\":").append(quote(id)).append(",\"label\":").append(quote(label))
                .append(",\"tolerance\":").append(number(tolerance));
        String summary;
        try {
            Object answer = learner.get();
            json.append(",\"value\":");
            toJson(answer, json);
            summary = answer instanceof INDArray array ? "an array of shape " + Shapes.of(array)
                    : answer == null ? "null" : "a " + answer.getClass().getSimpleName();
        } catch (NotDoneYet e) {
            json.append(",\"outcome\":\"not-yet\"");
            summary = "not done yet";
        } catch (RuntimeException | StackOverflowError e) {
            String thrown = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            json.append(",\"outcome\":\"threw\",\"error\":").append(quote(thrown));
            summary = "it threw " + thrown;
        }
        json.append('}');
        if (Boolean.getBoolean(GRADING_PROPERTY)) {
            System.out.println(ANSWER_MARK + json);
        } else {
            System.out.println("Exercise " + id + ", " + label + ": recorded for the autograder (" + summary + ").");
        }
    }

    /**
     * The entries of a learner's map under the names an exercise asks for, in that order, for {@link #record}: a name
     * the map lacks is recorded as null (and graded as missing), a key the exercise does not ask for is left out, as
     * the check leaves it out.
     *
     * @param answer the map the learner's method returned, from name to answer; may be null
     * @param names the names the exercise asks for, at least one
     * @return a new map from each of {@code names} to the learner's entry or null; null when {@code answer} is null
     */
    public static Map<String, Object> entriesNamed(Map<String, ?> answer, String... names) {
        Objects.requireNonNull(names, "Exercise.entriesNamed: names must not be null");
        if (names.length == 0) {
            throw new IllegalArgumentException("Exercise.entriesNamed: names must hold at least one name, but is empty.");
        }
        if (answer == null) {
            return null;
        }
        Map<String, Object> picked = new LinkedHashMap<>();
        for (String name : names) {
            picked.put(name, answer.get(name));
        }
        return picked;
    }

    private static void toJson(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof INDArray array) {
            INDArray flat = array.castTo(DataType.DOUBLE).dup('c').reshape(array.length());
            out.append("{\"shape\":").append(Arrays.toString(array.shape())).append(",\"data\":[");
            for (long i = 0; i < flat.length(); i++) {
                out.append(i == 0 ? "" : ",").append(number(flat.getDouble(i)));
            }
            out.append("]}");
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value instanceof Boolean ? value.toString() : number(((Number) value).doubleValue()));
        } else if (value instanceof CharSequence || value instanceof Character || value instanceof Enum) {
            out.append(quote(value.toString()));
        } else if (value instanceof Map<?, ?> || value instanceof NamedArrays) {
            out.append('{');
            boolean first = true;
            Iterable<? extends Map.Entry<?, ?>> entries = value instanceof Map<?, ?> map ? map.entrySet() : (NamedArrays) value;
            for (Map.Entry<?, ?> entry : entries) {
                out.append(first ? "" : ",").append(quote(String.valueOf(entry.getKey()))).append(':');
                toJson(entry.getValue(), out);
                first = false;
            }
            out.append('}');
        } else if (value instanceof Collection<?> || value.getClass().isArray()) {
            out.append('[');
            int length = value instanceof Collection<?> c ? c.size() : java.lang.reflect.Array.getLength(value);
            java.util.Iterator<?> items = value instanceof Collection<?> c ? c.iterator() : null;
            for (int i = 0; i < length; i++) {
                out.append(i == 0 ? "" : ",");
                toJson(items != null ? items.next() : java.lang.reflect.Array.get(value, i), out);
            }
            out.append(']');
        } else {
            out.append(quote(value.toString()));
        }
    }

    private static String number(double value) {
        return Double.isFinite(value) ? Double.toString(value) : quote(Double.toString(value));
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /**
     * Compares two arrays: shape first, then each element.
     *
     * @param answer the learner's array, not null
     * @param expected the reference array, not null
     * @param tolerance the largest absolute difference accepted per element
     * @return null if they agree, otherwise what differs and where
     */
    static String compareArrays(INDArray answer, INDArray expected, double tolerance) {
        if (!Arrays.equals(answer.shape(), expected.shape())) {
            return "your array has shape " + Shapes.of(answer) + ", but the answer has shape " + Shapes.of(expected) + ".";
        }
        INDArray a = answer.castTo(DataType.DOUBLE).reshape(answer.length());
        INDArray e = expected.castTo(DataType.DOUBLE).reshape(expected.length());
        long worst = -1;
        double worstDiff = 0;
        for (long i = 0; i < e.length(); i++) {
            double diff = Math.abs(a.getDouble(i) - e.getDouble(i));
            if (Double.isNaN(diff) || diff > worstDiff) {
                worst = i;
                worstDiff = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff;
            }
        }
        if (worst < 0 || worstDiff <= tolerance) {
            return null;
        }
        long[] index = expected.rank() == 0 ? new long[0]
                : org.nd4j.linalg.api.shape.Shape.ind2subC(expected.shape(), worst);
        return "largest difference " + String.format("%.3g", worstDiff) + " at index " + Arrays.toString(index)
                + ": yours is " + a.getDouble(worst) + ", expected " + e.getDouble(worst) + " (tolerance " + tolerance + ").";
    }

    private static void report(String id, String title, Result result, String reason) {
        String word = switch (result) {
            case PASSED -> "passed";
            case NOT_YET -> "not yet";
            case WRONG -> "wrong";
        };
        String[] colours = switch (result) {
            case PASSED -> new String[] {"#1e7b34", "#e3f4e6", "✓"};
            case NOT_YET -> new String[] {"#8a5a00", "#fff1d1", "…"};
            case WRONG -> new String[] {"#a51d24", "#fbe1e2", "✗"};
        };
        String plain = "Exercise " + id + " (" + title + "): " + word + (reason == null ? "" : ": " + reason);
        String html = "<div class=\"unrolled-check\" data-exercise=\"" + Html.escape(id) + "\" data-result=\""
                + result.name().toLowerCase().replace('_', '-') + "\" style=\"border-left:6px solid " + colours[0]
                + ";background:" + colours[1] + ";color:#1a202c;padding:6px 12px;margin:4px 0;font-family:sans-serif\">"
                + "<b style=\"color:" + colours[0] + "\">" + colours[2] + " Exercise " + Html.escape(id) + ": " + word + "</b> — "
                + Html.escape(title) + (reason == null ? "" : "<br>" + Html.escapeWithCode(reason)) + "</div>";
        Notebook.html(html, plain);
    }

    private static void requireTolerance(String method, double tolerance) {
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException(method + ": tolerance must be a number >= 0, but is " + tolerance + ".");
        }
    }
}

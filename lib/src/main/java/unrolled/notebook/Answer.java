package unrolled.notebook;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import unrolled.param.NamedArrays;
import unrolled.tensor.Shapes;

/**
 * The reference answer of an exercise, in named parts, with what to tell a learner whose part is off: what a check
 * cell hands to {@link Exercise#check(String, String, java.util.function.Supplier, Answer)}.
 *
 * <p>A part is compared by shape first, then element by element within the answer's tolerance (default
 * {@value #DEFAULT_TOLERANCE}); arrays, numbers and primitive arrays ({@code double[]}, {@code int[][]}, …) all
 * compare as arrays, anything else by {@code equals}. Each part may carry known mistakes (an answer a typical slip
 * produces, with what to say when the learner's part equals it) and a hint shown when the part is off in another way:
 * <pre>{@code
 * Answer.of("the weights α", weights).hint("check that the softmax runs over the T positions")
 *       .and("the context c", context).hint("the weights are right, so check c = Σ_j α_j m_j")
 * }</pre>
 * An answer of one part built with {@link #of(Object)} is the learner's whole answer; an answer of named parts takes
 * the learner's parts from a {@code Map} or named arrays ({@code Gradients}) by name, or from an array (also a
 * {@code double[]}: {@code {precision, recall}}) or a list in the order the parts were added.
 */
public final class Answer {

    /** The tolerance of an answer that does not set one: the largest absolute difference accepted per number. */
    public static final double DEFAULT_TOLERANCE = 1e-9;

    private record Mistake(Object value, String hint) {
    }

    private static final class Part {
        final String name;
        final Object value;
        final List<Mistake> mistakes = new ArrayList<>();
        String hint;
        /** The names of the part's equal column blocks (e.g. an LSTM's gates), or null. */
        String[] blocks;

        Part(String name, Object value) {
            this.name = name;
            this.value = value;
        }
    }

    private final List<Part> parts = new ArrayList<>();
    private final boolean whole;
    private double tolerance = DEFAULT_TOLERANCE;
    private String allWrongHint;

    private Answer(boolean whole) {
        this.whole = whole;
    }

    /**
     * A one-part answer: the learner's whole answer is compared with {@code reference}.
     *
     * @param reference the expected answer: an array, a number, a primitive array or any value with {@code equals}
     * @return the answer, to which hints, mistakes and a tolerance may be added
     */
    public static Answer of(Object reference) {
        Answer answer = new Answer(true);
        answer.parts.add(new Part("your answer", requireReference("Answer.of", reference)));
        return answer;
    }

    /**
     * The first named part of an answer; add the others with {@link #and}.
     *
     * @param name the part's name: its key in the learner's map, or how messages call it, e.g. "the context c"
     * @param reference the expected part: an array, a number, a primitive array or any value with {@code equals}
     * @return the answer
     */
    public static Answer of(String name, Object reference) {
        return new Answer(false).and(name, reference);
    }

    /**
     * An answer with one part per entry, in the map's order: e.g. the gradients a reference backward pass returns.
     *
     * @param parts part name to expected part, at least one entry, no null value
     * @return the answer
     */
    public static Answer ofParts(Map<String, ?> parts) {
        Objects.requireNonNull(parts, "Answer.ofParts: parts must not be null");
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("Answer.ofParts: parts must hold at least one entry, but is empty.");
        }
        Answer answer = new Answer(false);
        parts.forEach(answer::and);
        return answer;
    }

    /**
     * An answer with one part per named array, in their order: e.g. the {@code Gradients} of a reference backward pass.
     *
     * @param parts the named arrays, at least one, each of any shape
     * @return the answer
     */
    public static Answer ofParts(NamedArrays parts) {
        Objects.requireNonNull(parts, "Answer.ofParts: parts must not be null");
        Map<String, Object> named = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, INDArray> entry : parts) {
            named.put(entry.getKey(), entry.getValue());
        }
        return ofParts(named);
    }

    /**
     * Adds a named part.
     *
     * @param name the part's name, not blank, not used by another part
     * @param reference the expected part, not null
     * @return this answer
     */
    public Answer and(String name, Object reference) {
        if (whole) {
            throw new IllegalStateException("Answer.and: a one-part answer made with Answer.of(reference) has no named "
                    + "parts; start with Answer.of(name, reference).");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Answer.and: name must not be blank, but is " + (name == null ? "null" : "\"" + name + "\"") + ".");
        }
        for (Part part : parts) {
            if (part.name.equals(name)) {
                throw new IllegalArgumentException("Answer.and: the answer already has a part named \"" + name + "\".");
            }
        }
        parts.add(new Part(name, requireReference("Answer.and", reference)));
        return this;
    }

    /**
     * What to tell a learner whose last-added part is off, after how far off it is (unless a mistake matched).
     *
     * @param hint a sentence, e.g. "check c = Σ_j α_j m_j."
     * @return this answer
     */
    public Answer hint(String hint) {
        last().hint = requireText("Answer.hint", "hint", hint);
        return this;
    }

    /**
     * A known mistake for the last-added part: when the learner's part equals {@code wrongAnswer} (within the
     * tolerance), the check says {@code hint} instead of how far off it is. Mistakes are tried in the order added.
     *
     * @param wrongAnswer what the mistake produces, same kind and shape as the part
     * @param hint what to say, e.g. "you returned the transpose."
     * @return this answer
     */
    public Answer mistake(Object wrongAnswer, String hint) {
        last().mistakes.add(new Mistake(requireReference("Answer.mistake", wrongAnswer),
                requireText("Answer.mistake", "hint", hint)));
        return this;
    }

    /**
     * Names equal blocks of the last-added part's columns, e.g. the gates of an LSTM's fused weights: when the part is
     * off, the check also says which block is off the most ("mostly in the forget gate f").
     *
     * @param names the blocks in column order; the part's last dimension must split into that many equal blocks
     * @return this answer
     */
    public Answer inBlocks(String... names) {
        Part part = last();
        INDArray value = asArray(part.value);
        if (names == null || names.length < 2 || value == null || value.rank() == 0
                || value.size(value.rank() - 1) % names.length != 0) {
            throw new IllegalArgumentException("Answer.inBlocks: the part \"" + part.name + "\" must be an array whose last "
                    + "dimension splits into the " + (names == null ? 0 : names.length) + " named blocks (at least 2), but has shape "
                    + (value == null ? "none" : Shapes.of(value)) + ".");
        }
        part.blocks = names.clone();
        return this;
    }

    /**
     * What to add when every part of a several-part answer is off: the step they all share.
     *
     * @param hint a sentence
     * @return this answer
     */
    public Answer whenAllWrong(String hint) {
        allWrongHint = requireText("Answer.whenAllWrong", "hint", hint);
        return this;
    }

    /**
     * @param tolerance the largest absolute difference accepted per number, at least 0
     * @return this answer
     */
    public Answer within(double tolerance) {
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("Answer.within: tolerance must be a number >= 0, but is " + tolerance + ".");
        }
        this.tolerance = tolerance;
        return this;
    }

    /**
     * Compares a learner's answer with this one.
     *
     * @param learner the learner's answer: for a one-part answer anything; for named parts a {@code Map}, named
     *     arrays, an array or a list of the parts
     * @return null when every part agrees, otherwise what is off, one clause per part that is off
     */
    public String mismatch(Object learner) {
        if (learner == null) {
            return "your answer is null" + (whole ? "." : "; return " + names() + ".");
        }
        List<String> problems = new ArrayList<>();
        for (int k = 0; k < parts.size(); k++) {
            Part part = parts.get(k);
            Object yours;
            if (whole) {
                yours = learner;
            } else {
                PartOrProblem found = partOf(learner, k);
                if (found.problem != null) {
                    return found.problem;
                }
                yours = found.value;
            }
            String problem = comparePart(part, yours);
            if (problem != null) {
                problems.add(problem);
            }
        }
        if (problems.isEmpty()) {
            return null;
        }
        String joined = String.join("; ", problems);
        joined = joined.endsWith(".") ? joined : joined + ".";
        return allWrongHint != null && parts.size() > 1 && problems.size() == parts.size() ? joined + " " + allWrongHint : joined;
    }

    private record PartOrProblem(Object value, String problem) {
    }

    private PartOrProblem partOf(Object learner, int k) {
        String name = parts.get(k).name;
        if (learner instanceof Map<?, ?> map) {
            return map.containsKey(name) && map.get(name) != null ? new PartOrProblem(map.get(name), null)
                    : new PartOrProblem(null, "your answer has no " + name + "; return " + names() + ".");
        }
        if (learner instanceof NamedArrays named) {
            return named.contains(name) ? new PartOrProblem(named.get(name), null)
                    : new PartOrProblem(null, "your answer has no " + name + "; return " + names() + ".");
        }
        List<?> list = learner instanceof Collection<?> c ? new ArrayList<>(c)
                : learner instanceof Object[] array ? Arrays.asList(array) : null;
        if (list == null && learner.getClass().isArray()) {
            List<Object> elements = new ArrayList<>();
            for (int i = 0; i < java.lang.reflect.Array.getLength(learner); i++) {
                elements.add(java.lang.reflect.Array.get(learner, i));
            }
            list = elements;
        }
        if (list == null) {
            return new PartOrProblem(null, "return " + parts.size() + " parts, " + names() + ", but your answer is a "
                    + learner.getClass().getSimpleName() + ".");
        }
        if (list.size() != parts.size()) {
            return new PartOrProblem(null, "return " + parts.size() + " parts, " + names() + ", but your answer has "
                    + list.size() + ".");
        }
        return list.get(k) == null ? new PartOrProblem(null, name + " is null.") : new PartOrProblem(list.get(k), null);
    }

    private String comparePart(Part part, Object yours) {
        String difference = difference(part.value, yours, tolerance);
        if (difference == null) {
            return null;
        }
        String prefix = whole ? "" : part.name + ": ";
        for (Mistake mistake : part.mistakes) {
            if (difference(mistake.value, yours, tolerance) == null) {
                return prefix + mistake.hint;
            }
        }
        return prefix + difference + worstBlock(part, yours) + (part.hint == null ? "" : " " + part.hint);
    }

    /** " Mostly in the block …." for a part with named blocks whose learner's array has its shape, else "". */
    private String worstBlock(Part part, Object yours) {
        INDArray mine = part.blocks == null ? null : asArray(yours);
        INDArray expected = asArray(part.value);
        if (mine == null || !Arrays.equals(mine.shape(), expected.shape())) {
            return "";
        }
        INDArray difference = Transforms.abs(mine.sub(expected), false);
        long columns = expected.size(expected.rank() - 1);
        long width = columns / part.blocks.length;
        INDArray byColumn = difference.reshape('c', difference.length() / columns, columns);
        int worst = 0;
        double worstDifference = -1;
        for (int b = 0; b < part.blocks.length; b++) {
            double blockDifference = byColumn.get(NDArrayIndex.all(), NDArrayIndex.interval(b * width, (b + 1) * width))
                    .maxNumber().doubleValue();
            if (Double.isNaN(blockDifference) || blockDifference > worstDifference) {
                worst = b;
                worstDifference = Double.isNaN(blockDifference) ? Double.POSITIVE_INFINITY : blockDifference;
            }
        }
        return " Mostly in " + part.blocks[worst] + ".";
    }

    /** Null when {@code yours} equals {@code reference} within the tolerance, otherwise how they differ. */
    private static String difference(Object reference, Object yours, double tolerance) {
        if (yours == null) {
            return "yours is null.";
        }
        INDArray expected = asArray(reference);
        if (expected == null) {
            return reference.equals(yours) ? null : "yours is " + yours + ", expected " + reference + ".";
        }
        INDArray mine = asArray(yours);
        if (mine == null) {
            return "yours is a " + yours.getClass().getSimpleName() + ", expected "
                    + (reference instanceof Number ? "a number" : "an array of shape " + Shapes.of(expected)) + ".";
        }
        if (expected.rank() == 0 && mine.rank() == 0) {
            double e = expected.getDouble(0), m = mine.getDouble(0);
            boolean agree = Double.isNaN(e) ? Double.isNaN(m) : Math.abs(m - e) <= tolerance;
            return agree ? null : "yours is " + number(m) + ", expected " + number(e)
                    + (tolerance > 0 ? " (tolerance " + tolerance + ")." : ".");
        }
        return Exercise.compareArrays(mine, expected, tolerance);
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    /** The value as a DOUBLE array (rank 0 for a number), or null when it is not numeric. */
    private static INDArray asArray(Object value) {
        if (value instanceof INDArray array) {
            return array.castTo(DataType.DOUBLE);
        }
        if (value instanceof Number number) {
            return Nd4j.scalar(number.doubleValue());
        }
        if (value instanceof double[] a) {
            return Nd4j.createFromArray(a);
        }
        if (value instanceof float[] a) {
            return Nd4j.createFromArray(a).castTo(DataType.DOUBLE);
        }
        if (value instanceof int[] a) {
            return Nd4j.createFromArray(a).castTo(DataType.DOUBLE);
        }
        if (value instanceof long[] a) {
            return Nd4j.createFromArray(a).castTo(DataType.DOUBLE);
        }
        if (value instanceof double[][] a && rectangular(a)) {
            return Nd4j.createFromArray(a);
        }
        if (value instanceof int[][] a && rectangular(a)) {
            return Nd4j.createFromArray(a).castTo(DataType.DOUBLE);
        }
        if (value instanceof long[][] a && rectangular(a)) {
            return Nd4j.createFromArray(a).castTo(DataType.DOUBLE);
        }
        return null;
    }

    private static boolean rectangular(Object[] rows) {
        if (rows.length == 0) {
            return false;
        }
        int length = -1;
        for (Object row : rows) {
            if (row == null) {
                return false;
            }
            int rowLength = java.lang.reflect.Array.getLength(row);
            if (length >= 0 && rowLength != length || rowLength == 0) {
                return false;
            }
            length = rowLength;
        }
        return true;
    }

    private String names() {
        List<String> names = new ArrayList<>();
        for (Part part : parts) {
            names.add(part.name);
        }
        return "{" + String.join(", ", names) + "}";
    }

    private Part last() {
        return parts.get(parts.size() - 1);   // an answer always has a part: of(...) adds the first
    }

    private static Object requireReference(String method, Object reference) {
        return Objects.requireNonNull(reference, method + ": the reference must not be null");
    }

    private static String requireText(String method, String argument, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(method + ": " + argument + " must not be blank, but is "
                    + (text == null ? "null" : "\"" + text + "\"") + ".");
        }
        return text;
    }
}

package unrolled.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.param.Gradients;

class AnswerTest extends NotebookOutputCapture {

    private final INDArray weights = Nd4j.createFromArray(new double[][] {{0.25, 0.75}, {0.5, 0.5}});
    private final INDArray context = Nd4j.createFromArray(new double[][] {{1, 2, 3}, {4, 5, 6}});

    private Answer attention() {
        return Answer.of("the weights α", weights).hint("check the softmax.")
                .and("the context c", context).hint("check c = Σ_j α_j m_j.");
    }

    @Test
    void partsGivenInOrderOrByNameMatch() {
        assertNull(attention().mismatch(new INDArray[] {weights.dup(), context.dup()}));
        assertNull(attention().mismatch(List.of(weights.dup(), context.castTo(DataType.FLOAT))));
        assertNull(attention().mismatch(Map.of("the weights α", weights, "the context c", context)));
    }

    @Test
    void aPartThatIsOffIsNamedWithItsDifferenceAndHint() {
        INDArray wrongContext = context.dup();
        wrongContext.putScalar(1, 0, 4.5);
        String problem = attention().mismatch(new INDArray[] {weights, wrongContext});
        assertEquals("the context c: largest difference 0.500 at index [1, 0]: yours is 4.5, expected 4.0 "
                + "(tolerance 1.0E-9). check c = Σ_j α_j m_j.", problem);
    }

    @Test
    void aWrongShapeOrAMissingPartSaysWhatWasExpected() {
        String shape = attention().mismatch(new INDArray[] {weights.transpose(), context});
        assertTrue(shape.startsWith("the weights α: largest difference 0.250 at index [0, 1]"), shape);
        assertEquals("the context c: your array has shape (3, 2), but the answer has shape (2, 3). check c = Σ_j α_j m_j.",
                attention().mismatch(new INDArray[] {weights, context.transpose()}));
        assertEquals("return 2 parts, {the weights α, the context c}, but your answer has 1.",
                attention().mismatch(new INDArray[] {weights}));
        assertEquals("your answer has no the context c; return {the weights α, the context c}.",
                attention().mismatch(Map.of("the weights α", weights)));
        assertEquals("your answer is null; return {the weights α, the context c}.", attention().mismatch(null));
    }

    @Test
    void aPartWithNamedBlocksSaysWhichBlockIsOffTheMost() {
        // (2, 6): three blocks of two columns, like a GRU's r, z, n
        INDArray fused = Nd4j.createFromArray(new double[][] {{1, 2, 3, 4, 5, 6}, {7, 8, 9, 10, 11, 12}});
        Answer answer = Answer.of("dWx", fused).inBlocks("the reset gate r", "the update gate z", "the candidate n")
                .hint("check δa.");
        INDArray wrong = fused.dup();
        wrong.putScalar(0, 0, 1.5);
        wrong.putScalar(1, 3, 12.0);
        assertEquals("dWx: largest difference 2.00 at index [1, 3]: yours is 12.0, expected 10.0 (tolerance 1.0E-9). "
                + "Mostly in the update gate z. check δa.", answer.mismatch(Map.of("dWx", wrong)));
        assertNull(answer.mismatch(Map.of("dWx", fused)));
        IllegalArgumentException uneven = assertThrows(IllegalArgumentException.class,
                () -> Answer.of("dWx", fused).inBlocks("i", "f", "o", "g"));
        assertEquals("Answer.inBlocks: the part \"dWx\" must be an array whose last dimension splits into the 4 named "
                + "blocks (at least 2), but has shape (2, 6).", uneven.getMessage());
    }

    @Test
    void aKnownMistakeIsNamedInsteadOfTheDifference() {
        Answer answer = Answer.of(context).mistake(context.mul(2), "you doubled it.").hint("check each term.");
        assertEquals("you doubled it.", answer.mismatch(context.mul(2)));
        assertEquals("largest difference 3.00 at index [0, 0]: yours is 4.0, expected 1.0 (tolerance 1.0E-9). check each term.",
                answer.mismatch(context.add(3)));
        assertNull(answer.mismatch(context.dup()));
    }

    @Test
    void whenEveryPartIsOffTheSharedHintFollows() {
        Answer answer = Answer.of("dWx", weights).and("db", context).whenAllWrong("Look at δa, which both share.");
        String problem = answer.mismatch(Map.of("dWx", weights.add(1), "db", context.add(1)));
        assertTrue(problem.endsWith(". Look at δa, which both share."), problem);
        String one = answer.mismatch(Map.of("dWx", weights, "db", context.add(1)));
        assertTrue(one.startsWith("db: ") && !one.contains("share"), one);
    }

    @Test
    void namedArraysAndPrimitiveArraysAndNumbersCompareAsArrays() {
        Gradients gradients = new Gradients();
        gradients.accumulate("Wx", weights);
        assertNull(Answer.of("Wx", weights).mismatch(gradients));
        assertNull(Answer.of(new int[] {3, 2, 1}).mismatch(new long[] {3, 2, 1}));
        assertNull(Answer.of(new int[][] {{1, 2}, {3, 4}}).mismatch(new double[][] {{1, 2}, {3, 4}}));
        assertEquals("yours is 12, expected 13.", Answer.of(13L).within(0).mismatch(12));
        assertEquals("yours is 0.5, expected 0.25 (tolerance 1.0E-12).", Answer.of(0.25).within(1e-12).mismatch(0.5));
        assertEquals("yours is a String, expected a number.", Answer.of(1.0).mismatch("one"));
        assertEquals("yours is b, expected a.", Answer.of("a").mismatch("b"));
    }

    @Test
    void partsComeFromAMapOrNamedArraysAndMayBeTheElementsOfAPrimitiveArray() {
        Gradients reference = new Gradients();
        reference.accumulate("Wx", weights);
        reference.accumulate("b", context);
        Answer answer = Answer.ofParts(reference);
        assertNull(answer.mismatch(Map.of("b", context, "Wx", weights)));
        assertEquals("your answer has no b; return {Wx, b}.", answer.mismatch(Map.of("Wx", weights)));
        Answer point = Answer.ofParts(new java.util.LinkedHashMap<>(Map.of("precision", 0.5))).and("recall", 0.25);
        assertNull(point.mismatch(new double[] {0.5, 0.25}));
        assertEquals("recall: yours is 0.5, expected 0.25 (tolerance 1.0E-9).", point.mismatch(new double[] {0.5, 0.5}));
        assertThrows(IllegalArgumentException.class, () -> Answer.ofParts(Map.of()));
    }

    @Test
    void theToleranceIsTheLargestDifferenceAccepted() {
        assertNull(Answer.of(1.0).within(0.1).mismatch(1.1 - 1e-12));
        assertTrue(Answer.of(1.0).within(0.1).mismatch(1.2) != null);
        assertTrue(Answer.of(Double.NaN).mismatch(Double.NaN) == null);
        assertTrue(Answer.of(1.0).mismatch(Double.NaN) != null);
    }

    @Test
    void badArgumentsAreRefusedByName() {
        assertEquals("Answer.within: tolerance must be a number >= 0, but is -1.0.",
                assertThrows(IllegalArgumentException.class, () -> Answer.of(1.0).within(-1)).getMessage());
        assertEquals("Answer.and: the answer already has a part named \"c\".",
                assertThrows(IllegalArgumentException.class, () -> Answer.of("c", 1.0).and("c", 2.0)).getMessage());
        assertThrows(IllegalStateException.class, () -> Answer.of(1.0).and("c", 2.0));
        assertThrows(IllegalArgumentException.class, () -> Answer.of(1.0).hint(" "));
        assertThrows(NullPointerException.class, () -> Answer.of(null));
    }

    @Test
    void aCheckWithAnAnswerShowsItsVerdict() {
        Exercise.check("0.3", "attention", () -> new INDArray[] {weights, context}, attention());
        assertEquals(Exercise.Result.PASSED, Exercise.results().get("0.3"));
        Exercise.check("0.3", "attention", () -> {
            throw Exercise.todo();
        }, attention());
        assertEquals(Exercise.Result.NOT_YET, Exercise.results().get("0.3"));
        Exercise.check("0.3", "attention", () -> new INDArray[] {weights, context.add(1)}, attention());
        assertEquals(Exercise.Result.WRONG, Exercise.results().get("0.3"));
        assertTrue(shown.get(2).get("text/plain").startsWith("Exercise 0.3 (attention): wrong: the context c: largest"),
                shown.get(2).get("text/plain"));
    }

    @Test
    void aCheckOverCasesNamesTheFirstCaseThatIsOff() {
        List<int[]> sizes = List.of(new int[] {1, 1}, new int[] {3, 5});
        Exercise.check("0.4", "count", sizes, s -> "D = " + s[0] + ", H = " + s[1], s -> s[0] * s[1] + (s[0] > 1 ? 1 : 0),
                s -> Answer.of(s[0] * s[1]).within(0).hint("count D·H."));
        assertEquals(Exercise.Result.WRONG, Exercise.results().get("0.4"));
        assertEquals("Exercise 0.4 (count): wrong: for D = 3, H = 5, yours is 16, expected 15. count D·H.",
                shown.get(0).get("text/plain"));
        Exercise.check("0.4", "count", sizes, s -> "D = " + s[0], s -> s[0] * s[1], s -> s[0] * s[1]);
        assertEquals(Exercise.Result.PASSED, Exercise.results().get("0.4"));
        assertThrows(IllegalArgumentException.class,
                () -> Exercise.check("0.4", "count", List.<int[]>of(), s -> "", s -> 1, s -> 1));
    }
}

package unrolled.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.param.Gradients;

class ExerciseTest extends NotebookOutputCapture {

    private final INDArray expected = Nd4j.createFromArray(new double[][] {{1, 2, 3}, {4, 5, 6}});

    @Test
    void aCorrectArrayPasses() {
        Exercise.checkArray("0.1", "copy", () -> expected.dup(), expected, 1e-12);
        assertEquals(Exercise.Result.PASSED, Exercise.results().get("0.1"));
        assertEquals("Exercise 0.1 (copy): passed", shown.get(0).get("text/plain"));
        assertTrue(shown.get(0).get("text/html").contains("data-result=\"passed\""));
    }

    @Test
    void theStudentStubIsNotYetDoneAndDoesNotThrow() {
        Exercise.checkArray("0.1", "copy", () -> {
            throw Exercise.todo();
        }, expected, 1e-12);
        assertEquals(Exercise.Result.NOT_YET, Exercise.results().get("0.1"));
        assertTrue(shown.get(0).get("text/plain").startsWith("Exercise 0.1 (copy): not yet"));
    }

    @Test
    void theNotYetHintShowsItsCodeAsCodeNotInBackticks() {
        Exercise.checkArray("0.1", "copy", () -> {
            throw Exercise.todo();
        }, expected, 1e-12);
        String html = shown.get(0).get("text/html");
        assertTrue(html.contains("replace <code>throw Exercise.todo();</code> with your code"), html);
        assertTrue(!html.contains("`"), html);
    }

    @Test
    void aWrongShapeIsReportedWithBothShapes() {
        Exercise.checkArray("0.1", "copy", () -> expected.transpose(), expected, 1e-12);
        assertEquals(Exercise.Result.WRONG, Exercise.results().get("0.1"));
        assertEquals("Exercise 0.1 (copy): wrong: your array has shape (3, 2), but the answer has shape (2, 3).",
                shown.get(0).get("text/plain"));
    }

    @Test
    void aWrongValueIsReportedAtItsIndex() {
        INDArray answer = expected.dup();
        answer.putScalar(1, 2, 6.5);
        Exercise.checkArray("0.1", "copy", () -> answer, expected, 1e-6);
        assertEquals(Exercise.Result.WRONG, Exercise.results().get("0.1"));
        String text = shown.get(0).get("text/plain");
        assertTrue(text.contains("at index [1, 2]: yours is 6.5, expected 6.0"), text);
    }

    @Test
    void anExceptionInTheLearnersCodeIsWrongWithItsMessage() {
        Exercise.checkNumber("0.2", "sum", () -> {
            throw new IllegalStateException("boom");
        }, 3.0, 0.0);
        assertEquals(Exercise.Result.WRONG, Exercise.results().get("0.2"));
        assertTrue(shown.get(0).get("text/plain").endsWith("wrong: your code threw IllegalStateException: boom"));
    }

    @Test
    void numbersWithinToleranceMatchAndNanNeverDoes() {
        Exercise.checkNumber("0.2", "sum", () -> 3.0 + 1e-9, 3.0, 1e-6);
        assertEquals(Exercise.Result.PASSED, Exercise.results().get("0.2"));
        Exercise.checkNumber("0.2", "sum", () -> Double.NaN, 3.0, 1e-6);
        assertEquals(Exercise.Result.WRONG, Exercise.results().get("0.2"));
    }

    @Test
    void resultsKeepTheLatestVerdictOfEachExerciseInOrder() {
        Exercise.checkNumber("9.1", "first", () -> 1, 2, 0);
        Exercise.checkNumber("9.2", "second", () -> 2, 2, 0);
        Exercise.checkNumber("9.1", "first again", () -> 2, 2, 0);
        var ids = new ArrayList<>(Exercise.results().keySet());
        assertTrue(ids.indexOf("9.1") < ids.indexOf("9.2"));
        assertEquals(Exercise.Result.PASSED, Exercise.results().get("9.1"));
    }

    @Test
    void aNegativeToleranceIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Exercise.checkNumber("0.2", "sum", () -> 1, 1, -1));
        assertEquals("Exercise.checkNumber: tolerance must be a number >= 0, but is -1.0.", e.getMessage());
    }

    /** What {@link Exercise#record} prints, with the grader's property set or not. */
    private static String recorded(boolean grading, String label, Supplier<?> learner) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        String before = System.getProperty(Exercise.GRADING_PROPERTY);
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        System.setProperty(Exercise.GRADING_PROPERTY, Boolean.toString(grading));
        try {
            Exercise.record("0.2", label, learner, 1e-9);
        } finally {
            System.setOut(saved);
            if (before == null) {
                System.clearProperty(Exercise.GRADING_PROPERTY);
            } else {
                System.setProperty(Exercise.GRADING_PROPERTY, before);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8).strip();
    }

    @Test
    void aRecordedAnswerIsOneLineOfJsonForTheGraderWithEveryDigit() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("h", Nd4j.createFromArray(new double[][] {{0.1, -2}, {1.0 / 3, Double.NaN}}));
        answer.put("steps", new int[] {3, 4});
        answer.put("name", "say \"hi\"");
        assertEquals(Exercise.ANSWER_MARK + "{\"exercise\":\"0.2\",\"label\":\"N=2\",\"tolerance\":1.0E-9,\"value\":"
                + "{\"h\":{\"shape\":[2, 2],\"data\":[0.1,-2.0,0.3333333333333333,\"NaN\"]},\"steps\":[3.0,4.0],"
                + "\"name\":\"say \\\"hi\\\"\"}}", recorded(true, "N=2", () -> answer));
    }

    @Test
    void aStubOrAnExceptionIsRecordedAsSuchAndNeverThrown() {
        assertEquals(Exercise.ANSWER_MARK + "{\"exercise\":\"0.2\",\"label\":\"a\",\"tolerance\":1.0E-9,"
                + "\"outcome\":\"not-yet\"}", recorded(true, "a", () -> {
                    throw Exercise.todo();
                }));
        assertEquals(Exercise.ANSWER_MARK + "{\"exercise\":\"0.2\",\"label\":\"a\",\"tolerance\":1.0E-9,"
                + "\"outcome\":\"threw\",\"error\":\"IllegalStateException: no\"}", recorded(true, "a", () -> {
                    throw new IllegalStateException("no");
                }));
    }

    @Test
    void outsideTheGraderARecordShowsOnlyASummary() {
        assertEquals("Exercise 0.2, N=1: recorded for the autograder (an array of shape (1, 3)).",
                recorded(false, "N=1", () -> Nd4j.ones(1, 3)));
    }

    @Test
    void namedArraysAreRecordedAsAMapFromNameToArray() {
        Gradients gradients = new Gradients().accumulate("Wx", Nd4j.createFromArray(new double[][] {{0.5, -1}}))
                .accumulate("b", Nd4j.createFromArray(new double[][] {{2}}));
        assertEquals(Exercise.ANSWER_MARK + "{\"exercise\":\"0.2\",\"label\":\"c=1\",\"tolerance\":1.0E-9,\"value\":"
                + "{\"Wx\":{\"shape\":[1, 2],\"data\":[0.5,-1.0]},\"b\":{\"shape\":[1, 1],\"data\":[2.0]}}}",
                recorded(true, "c=1", () -> gradients));
    }

    @Test
    void entriesNamedKeepsTheAskedNamesInOrderWithNullForAMissingOne() {
        Map<String, Integer> answer = new LinkedHashMap<>();
        answer.put("extra", 9);
        answer.put("db", 2);
        answer.put("dWx", 1);
        Map<String, Object> picked = Exercise.entriesNamed(answer, "dWx", "dWh", "db");
        assertEquals(List.of("dWx", "dWh", "db"), new ArrayList<>(picked.keySet()));
        assertEquals(1, picked.get("dWx"));
        assertNull(picked.get("dWh"));
        assertEquals(2, picked.get("db"));
        assertNull(Exercise.entriesNamed(null, "dWx"));
    }

    @Test
    void entriesNamedWithoutANameIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Exercise.entriesNamed(Map.of("a", 1)));
        assertEquals("Exercise.entriesNamed: names must hold at least one name, but is empty.", e.getMessage());
    }
}

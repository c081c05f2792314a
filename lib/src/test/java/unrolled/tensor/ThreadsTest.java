package unrolled.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Properties;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class ThreadsTest {

    private static Properties properties(String... keysAndValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return properties;
    }

    @Test
    void usingTheLibraryAppliesTheSettingsInForce() {
        // any shape check loads Shapes, whose initialiser applies the settings; apply() then reports them
        Shapes.requirePositive("ThreadsTest", "n", 1);
        Threads.Settings settings = Threads.apply();
        assertEquals(settings, Threads.applied(), "applied() reports what apply() put in force");
        assertEquals(Nd4j.getEnvironment().maxMasterThreads(), settings.nd4jThreads());
        assertEquals(openblas_nolapack.blas_get_num_threads(), settings.blasThreads());
    }

    @Test
    void thePropertyWinsOverTheVariableAndTheFallbackFillsIn() {
        String p = Threads.BLAS_THREADS_PROPERTY;
        String v = Threads.BLAS_THREADS_VARIABLE;
        assertEquals(3, Threads.read(properties(p, "3"), Map.of(v, "5"), p, v, 7));
        assertEquals(5, Threads.read(properties(), Map.of(v, " 5 "), p, v, 7));
        assertEquals(7, Threads.read(properties(), Map.of(), p, v, 7));
        assertNull(Threads.read(properties(p, "KEEP"), Map.of(), p, v, 7), "keep leaves the pool alone");
    }

    @Test
    void anExplicitSettingIsAppliedToNd4jAndOpenBlas() {
        Threads.Settings before = Threads.apply();
        try {
            Threads.Settings one = Threads.apply(properties(Threads.ND4J_THREADS_PROPERTY, "1",
                    Threads.BLAS_THREADS_PROPERTY, "1"), Map.of());
            assertEquals(new Threads.Settings(1, 1), one);
            assertEquals(1, openblas_nolapack.blas_get_num_threads());
            assertEquals(1, Nd4j.getEnvironment().maxMasterThreads());
        } finally {
            Threads.apply(properties(Threads.ND4J_THREADS_PROPERTY, Integer.toString(before.nd4jThreads()),
                    Threads.BLAS_THREADS_PROPERTY, Integer.toString(before.blasThreads())), Map.of());
        }
    }

    @Test
    void aBadValueIsRefusedNamingItsSource() {
        String p = Threads.ND4J_THREADS_PROPERTY;
        String v = Threads.ND4J_THREADS_VARIABLE;
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> Threads.read(properties(), Map.of(v, "0"), p, v, 1));
        assertEquals("Threads: UNROLLED_ND4J_THREADS must be a positive integer or keep, but is \"0\".", zero.getMessage());
        IllegalArgumentException word = assertThrows(IllegalArgumentException.class,
                () -> Threads.read(properties(p, "two"), Map.of(), p, v, 1));
        assertEquals("Threads: unrolled.nd4jThreads must be a positive integer or keep, but is \"two\".", word.getMessage());
    }
}

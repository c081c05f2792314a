package unrolled.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetFileTest {

    // sha256("abc\n"), computed independently with `printf 'abc\n' | sha256sum`.
    private static final String ABC_NEWLINE = "edeaaff3f1774ad2888673770c6d64097e391bc362d7d6fb34982ddf0efd18cb";

    @TempDir
    Path folder;

    private String before;

    @BeforeEach
    void pointAtTemporaryFolder() throws Exception {
        before = System.getProperty(DatasetFile.PROPERTY);
        Files.writeString(folder.resolve("README.md"), "# test datasets\n", StandardCharsets.UTF_8);
        System.setProperty(DatasetFile.PROPERTY, folder.toString());
    }

    @AfterEach
    void restoreProperty() {
        if (before == null) {
            System.clearProperty(DatasetFile.PROPERTY);
        } else {
            System.setProperty(DatasetFile.PROPERTY, before);
        }
    }

    @Test
    void verifiedReturnsTheFileWhenItsChecksumMatches() throws Exception {
        Files.createDirectories(folder.resolve("toy"));
        Files.writeString(folder.resolve("toy/abc.txt"), "abc\n", StandardCharsets.UTF_8);
        Path file = DatasetFile.verified("toy/abc.txt", ABC_NEWLINE);
        assertEquals(folder.resolve("toy/abc.txt").toAbsolutePath().normalize(), file);
    }

    @Test
    void alteredFileIsRejectedNamingBothChecksums() throws Exception {
        Files.writeString(folder.resolve("abc.txt"), "abd\n", StandardCharsets.UTF_8);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DatasetFile.verified("abc.txt", ABC_NEWLINE));
        assertTrue(e.getMessage().contains(ABC_NEWLINE), e.getMessage());
        assertTrue(e.getMessage().contains("altered"), e.getMessage());
        assertTrue(e.getMessage().contains(DatasetFile.sha256Of(folder.resolve("abc.txt"))), e.getMessage());
    }

    @Test
    void missingFileIsNamedWithHowToRestoreIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DatasetFile.verified("nowhere/x.csv", ABC_NEWLINE));
        assertTrue(e.getMessage().contains("nowhere/x.csv"), e.getMessage());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void malformedChecksumAndEscapingPathAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> DatasetFile.verified("abc.txt", "ABC"));
        assertThrows(IllegalArgumentException.class, () -> DatasetFile.verified("../outside.txt", ABC_NEWLINE));
    }

    @Test
    void rootIsFoundFromTheRepositoryWhenNothingIsConfigured() {
        System.clearProperty(DatasetFile.PROPERTY);
        assumeTrue(System.getenv(DatasetFile.ENVIRONMENT) == null, "UNROLLED_DATASETS is set");
        // The library's tests run in lib/, one level below the repository's datasets/ folder.
        Path root = DatasetFile.root();
        assertTrue(Files.isRegularFile(root.resolve("README.md")), root.toString());
        assertEquals("datasets", root.getFileName().toString());
    }
}

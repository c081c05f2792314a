package unrolled.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One file of the repository's {@code datasets/} folder, found and checked before a loader reads it.
 *
 * <p>Every dataset the notebooks use ships in {@code datasets/} with its sha256 recorded in
 * {@code datasets/README.md}; nothing is downloaded at run time. A loader asks for its file with
 * {@link #verified(String, String)}: the file must exist and its sha256 must match, otherwise the learner gets an
 * error naming the file, what was expected and what was found, and how to restore it.
 *
 * <p>The folder is found, in order, from the system property {@code unrolled.datasets}, the environment variable
 * {@code UNROLLED_DATASETS}, or by walking up from the working directory to the first folder that has a
 * {@code datasets/README.md} (a notebook runs in {@code notebooks/}, the library's tests in {@code lib/}: both find
 * the repository's {@code datasets/}).
 */
public final class DatasetFile {

    /** The system property that names the datasets folder. */
    public static final String PROPERTY = "unrolled.datasets";

    /** The environment variable that names the datasets folder when the property is not set. */
    public static final String ENVIRONMENT = "UNROLLED_DATASETS";

    private DatasetFile() {
    }

    /**
     * The datasets folder.
     *
     * @return the absolute, normalised path of the folder that holds {@code README.md} and the datasets
     * @throws IllegalStateException if no such folder is set or found
     */
    public static Path root() {
        String configured = System.getProperty(PROPERTY);
        String source = "system property " + PROPERTY;
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(ENVIRONMENT);
            source = "environment variable " + ENVIRONMENT;
        }
        if (configured != null && !configured.isBlank()) {
            Path folder = Paths.get(configured).toAbsolutePath().normalize();
            if (!Files.isDirectory(folder)) {
                throw new IllegalStateException("DatasetFile.root: the " + source + " must name a folder, but "
                        + folder + " is not one.");
            }
            return folder;
        }
        Path start = Paths.get("").toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("datasets");
            if (Files.isRegularFile(candidate.resolve("README.md"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("DatasetFile.root: expected a folder datasets/ with a README.md in " + start
                + " or one of its parents (the repository's root), but found none. Run from a clone of the "
                + "repository, or set -D" + PROPERTY + "=<folder> or " + ENVIRONMENT + ".");
    }

    /**
     * A dataset file, checked against its recorded checksum.
     *
     * @param relativePath the file's path inside the datasets folder, for example {@code "co2/co2-mauna-loa.csv"}
     * @param sha256 the file's sha256 as 64 lower-case hexadecimal digits, as recorded in {@code datasets/README.md}
     * @return the absolute path of the file, which exists and has that checksum
     * @throws IllegalStateException if the file is missing or its content differs from the recorded one
     */
    public static Path verified(String relativePath, String sha256) {
        Objects.requireNonNull(relativePath, "DatasetFile.verified: relativePath must not be null");
        Objects.requireNonNull(sha256, "DatasetFile.verified: sha256 must not be null");
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("DatasetFile.verified: sha256 must be 64 lower-case hexadecimal digits, "
                    + "but is \"" + sha256 + "\".");
        }
        Path root = root();
        Path file = root.resolve(relativePath).normalize();
        if (!file.startsWith(root)) {
            throw new IllegalArgumentException("DatasetFile.verified: relativePath must stay inside " + root
                    + ", but \"" + relativePath + "\" leaves it.");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("DatasetFile.verified: expected the dataset file " + file
                    + ", but it is missing. Restore it with `git checkout -- datasets/" + relativePath + "`.");
        }
        String actual = sha256Of(file);
        if (!actual.equals(sha256)) {
            throw new IllegalStateException("DatasetFile.verified: " + file + " must have sha256 " + sha256
                    + " (recorded in datasets/README.md), but has " + actual + ": the file was altered. Restore it "
                    + "with `git checkout -- datasets/" + relativePath + "`.");
        }
        return file;
    }

    /**
     * The sha256 of a file's bytes.
     *
     * @param file a readable file
     * @return 64 lower-case hexadecimal digits
     */
    public static String sha256Of(Path file) {
        Objects.requireNonNull(file, "DatasetFile.sha256Of: file must not be null");
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new IllegalStateException("DatasetFile.sha256Of: could not read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("DatasetFile.sha256Of: this Java has no SHA-256.", e);
        }
    }
}

package unrolled.notebook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Test doubles of the Jupyter kernels the adapter supports, one source tree per kernel version under
 * {@code src/test/kernels/<version>/}. Versions reuse class names with different shapes (JJava's {@code BaseKernel}
 * gained a static accessor in 1.0-a6), so each tree is compiled on its own, with {@code src/test/kernels/common}
 * (the recorder of what was displayed), and loaded in a class loader of its own.
 */
final class KernelDoubles {

    private static final Path SOURCES = Path.of(System.getProperty("basedir", ".")).resolve("src/test/kernels");
    private static final Map<String, Path> COMPILED = new HashMap<>();

    private KernelDoubles() {
    }

    /**
     * @param version a folder under {@code src/test/kernels}, e.g. {@code jjava-1.0-a6}
     * @return a fresh class loader holding that version's doubles (fresh statics: no kernel started yet)
     */
    static URLClassLoader load(String version) {
        try {
            return new URLClassLoader(new URL[] {compiled(version).toUri().toURL()}, KernelDoubles.class.getClassLoader());
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return what the doubles in {@code loader} were asked to display, one MIME bundle per call */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> shown(ClassLoader loader) throws ReflectiveOperationException {
        return (List<Map<String, Object>>) Class.forName("recorded.Displays", true, loader).getField("SHOWN").get(null);
    }

    private static synchronized Path compiled(String version) {
        return COMPILED.computeIfAbsent(version, v -> {
            try {
                Path out = Files.createTempDirectory("kernel-double-" + v);
                // the doubles need only the JDK: an empty class path and no annotation processing keep javac from
                // searching the test class path (ND4J and the rest) for processors
                List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-classpath", out.toString(),
                        "-proc:none", "-Xlint:-removal"));
                args.addAll(javaFiles(SOURCES.resolve("common")));
                args.addAll(javaFiles(SOURCES.resolve(v)));
                JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
                int status = javac.run(null, null, null, args.toArray(String[]::new));
                if (status != 0) {
                    throw new IllegalStateException("KernelDoubles: the doubles of " + v + " did not compile (javac status "
                            + status + ").");
                }
                return out;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static List<String> javaFiles(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("KernelDoubles: no doubles at " + root.toAbsolutePath());
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).map(Path::toString).sorted().toList();
        }
    }
}

package unrolled.kernel;

import java.io.File;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.List;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.core.magic.MagicEngine;
import org.rapaio.jupyter.kernel.core.magic.MagicEvalException;
import org.rapaio.jupyter.kernel.core.magic.MagicHandler;
import org.rapaio.jupyter.kernel.core.magic.MagicHandlerTools;
import org.rapaio.jupyter.kernel.core.magic.MagicSnippet;
import org.rapaio.jupyter.kernel.core.magic.SnippetMagicHandler;
import org.rapaio.jupyter.kernel.display.DisplaySystem;

/**
 * Lets rapaio-jupyter-kernel's {@code %classpath} take a jar file, the one loading magic every Java kernel Unrolled
 * supports accepts without a word.
 *
 * <p>The notebooks' first cell is {@code %classpath ../lib/target/unrolled.jar}. JJava (1.0-a5 to its main branch)
 * and IJava 1.3 add a jar given to {@code %classpath} silently; JJava 1.0-a6 and later print a deprecation to the
 * cell's standard error for the older {@code %jars}. rapaio 3.0.1's own {@code %classpath} refuses anything but a
 * folder ({@code Provided path is not a directory.}), and its {@code %jars} prints each jar it adds. This handler
 * claims only {@code %classpath <file>.jar}, adds the jar as rapaio's {@code %jars} does (the JVM then follows the
 * jar's manifest {@code Class-Path} to the library's dependencies), and prints nothing; a folder still goes to
 * rapaio's own handler.
 */
public final class ClasspathJarMagic extends MagicHandler {

    private static final String PREFIX = "%classpath ";

    /**
     * Puts this handler first in rapaio's list, which the magic engine asks in order.
     *
     * @throws ReflectiveOperationException if the list is not where rapaio 3.0.1 keeps it
     */
    @SuppressWarnings("unchecked")
    static void install() throws ReflectiveOperationException {
        Field field = MagicEngine.class.getDeclaredField("magicHandlers");
        field.setAccessible(true);
        List<MagicHandler> handlers = (List<MagicHandler>) field.get(null);
        if (handlers.stream().noneMatch(h -> h instanceof ClasspathJarMagic)) {
            handlers.add(0, new ClasspathJarMagic());
        }
    }

    @Override
    public String name() {
        return "Classpath (jar file)";
    }

    @Override
    public List<String> helpMessage() {
        return List.of("Adds a jar file to the classpath, and the jars its manifest's Class-Path names.");
    }

    @Override
    public List<SnippetMagicHandler> snippetMagicHandlers() {
        return List.of(SnippetMagicHandler.lineMagic()
                .syntaxPrefix(PREFIX)
                .syntaxMatcher("%classpath .*\\.jar")
                .syntaxHelp(List.of("%classpath path_to_jar_file"))
                .documentation(List.of("Adds a jar file to the classpath; a folder of classes goes to rapaio's own %classpath."))
                .canHandlePredicate(this::canHandleSnippet)
                .evalFunction(this::addJar)
                .completeFunction((kernel, snippet) -> MagicHandlerTools.oneLinePathComplete(PREFIX.strip(), snippet,
                        file -> file.isDirectory() || file.getName().endsWith(".jar")))
                .build());
    }

    @Override
    public boolean canHandleSnippet(MagicSnippet snippet) {
        return canHandleOneLinePrefix(snippet, PREFIX) && argument(snippet).endsWith(".jar");
    }

    private Object addJar(RapaioKernel kernel, MagicSnippet snippet) throws MagicEvalException {
        String argument = argument(snippet);
        File jar = kernel.executionContext().getRelativePath(Path.of(argument)).toAbsolutePath().toFile();
        if (!jar.isFile()) {
            throw new MagicEvalException(snippet, "%classpath: expected a jar file, but there is no file at " + jar + ".");
        }
        kernel.javaEngine().getShell().addToClasspath(jar.getAbsolutePath());
        // as rapaio's %jars does: a jar may bring display handlers of its own
        DisplaySystem.inst().refreshSpiDisplayHandlers();
        return null;
    }

    private static String argument(MagicSnippet snippet) {
        return snippet.lines().get(0).code().substring(PREFIX.length()).strip();
    }
}

package unrolled.notebook;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.imageio.ImageIO;
import unrolled.tensor.Threads;

/**
 * The one place where the library talks to the Jupyter kernel that runs it.
 *
 * <p>Each Java kernel has its own call for rich output, and the call moved between versions of one kernel:
 * <ul>
 *   <li>rapaio-jupyter-kernel 3.x: {@code MainApp.kernel.display(DisplayData.withType(mime, content))};</li>
 *   <li>IJava 1.3: {@code IJava.getKernelInstance().display(new DisplayData(text))};</li>
 *   <li>JJava 1.0-a5: {@code org.dflib.jjava.JJava.getKernelInstance().display(new DisplayData(text))};</li>
 *   <li>JJava 1.0-a6 and later: {@code BaseKernel.notebookKernel().display(new DisplayData(text))}. (JJava's
 *       {@code JavaNotebookStatics.getKernelInstance()} would also answer, but prints a deprecation to the cell's
 *       standard error, so it is never called.)</li>
 * </ul>
 * Notebooks call {@link #html}, {@link #image} and {@link #text}; this class finds the running kernel once, by
 * reflection, and sends it a MIME bundle. Outside a kernel (a unit test, a plain {@code java} program) the bundle's
 * plain-text form is printed.
 *
 * <p>The names avoid the kernels' own built-ins ({@code display}, {@code render}, {@code eval}).
 */
public final class Notebook {

    /** The kernels this adapter knows how to talk to. */
    public enum Kernel {
        /** rapaio-jupyter-kernel 3.x, installed by {@code ./unrolled setup}. */
        RAPAIO,
        /** IJava 1.3, from conda-forge ({@code environment.yml}) or built from its source. */
        IJAVA,
        /** JJava, IJava's maintained successor: 1.0-a5 and the 1.0-a6 API that 1.0-a7 and later keep. */
        JJAVA,
        /** No kernel: a unit test or a plain Java program; output is printed as text. */
        NONE
    }

    /** Receives one MIME bundle (mime type to content) for display. */
    @FunctionalInterface
    public interface Sink {
        /**
         * @param bundle MIME type to content; always holds {@code text/plain}
         */
        void accept(Map<String, String> bundle);
    }

    private static volatile Kernel kernel;
    private static volatile Sink sink;

    static {
        // every notebook shows its question cards through here before it computes anything: the library's thread
        // settings are in force from the first cell on
        Threads.apply();
        // and a training loop's dead arrays give their off-heap memory back within a second, not at JavaCPP's limit
        OffHeapCollector.start();
    }

    private Notebook() {
    }

    /** @return the kernel that is running this code, or {@link Kernel#NONE} outside Jupyter */
    public static Kernel kernelName() {
        connect();
        return kernel;
    }

    /**
     * Shows an HTML fragment in the cell's output.
     *
     * @param html an HTML fragment (no {@code <html>} or {@code <body>} needed), not null
     * @param plainText what to show where HTML cannot be shown, not null
     */
    public static void html(String html, String plainText) {
        Objects.requireNonNull(html, "Notebook.html: html must not be null");
        Objects.requireNonNull(plainText, "Notebook.html: plainText must not be null");
        send(bundle("text/html", html, plainText));
    }

    /**
     * Shows an HTML fragment; its plain-text form is the fragment with the tags removed.
     *
     * @param html an HTML fragment, not null
     */
    public static void html(String html) {
        Objects.requireNonNull(html, "Notebook.html: html must not be null");
        html(html, Html.toPlainText(html));
    }

    /**
     * Shows an image as PNG in the cell's output.
     *
     * @param image the image, not null
     * @param altText what to show where images cannot be shown (a title), not null
     */
    public static void image(BufferedImage image, String altText) {
        Objects.requireNonNull(image, "Notebook.image: image must not be null");
        Objects.requireNonNull(altText, "Notebook.image: altText must not be null");
        send(bundle("image/png", pngBase64(image), altText));
    }

    /**
     * Shows plain text in the cell's output, as its own display (not on standard output).
     *
     * @param text the text, not null
     */
    public static void text(String text) {
        Objects.requireNonNull(text, "Notebook.text: text must not be null");
        Map<String, String> bundle = new LinkedHashMap<>();
        bundle.put("text/plain", text);
        send(bundle);
    }

    /**
     * Builds a MIME bundle of a rich form and its plain-text fallback.
     *
     * @param mimeType the rich form's MIME type, e.g. {@code text/html}
     * @param content the rich form
     * @param plainText the plain-text fallback
     * @return an ordered bundle: the rich form first, then {@code text/plain}
     */
    static Map<String, String> bundle(String mimeType, String content, String plainText) {
        Map<String, String> bundle = new LinkedHashMap<>();
        bundle.put(mimeType, content);
        bundle.put("text/plain", plainText);
        return bundle;
    }

    /**
     * Encodes an image as base64 PNG, the form Jupyter expects in an {@code image/png} output.
     *
     * @param image the image, not null
     * @return the PNG bytes in base64, without line breaks
     */
    public static String pngBase64(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", bytes)) {
                throw new IllegalStateException("Notebook.pngBase64: no PNG writer is available in this JVM.");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Notebook.pngBase64: could not encode the image as PNG", e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /**
     * Replaces where output goes, for this package's tests. Not public: a notebook's own code must not be able to
     * hide what the library shows (the autograder does not read verdicts from the kernel, but learners do).
     *
     * @param replacement the new sink, or null to find the running kernel again
     */
    static synchronized void redirect(Sink replacement) {
        sink = replacement;
        kernel = replacement == null ? null : Kernel.NONE;
    }

    private static void send(Map<String, String> bundle) {
        connect();
        sink.accept(bundle);
    }

    private static synchronized void connect() {
        if (sink != null) {
            return;
        }
        ClassLoader[] loaders = {Notebook.class.getClassLoader(), Thread.currentThread().getContextClassLoader()};
        for (ClassLoader loader : loaders) {
            if (loader == null) {
                continue;
            }
            Sink found = rapaio(loader);
            if (found != null) {
                kernel = Kernel.RAPAIO;
                sink = found;
                return;
            }
            found = jjava(loader);
            if (found != null) {
                kernel = Kernel.JJAVA;
                sink = found;
                return;
            }
            found = displayDataSink(loader, staticCall(loader, "io.github.spencerpark.ijava.IJava", "getKernelInstance"),
                    "io.github.spencerpark.jupyter.kernel.display.DisplayData", "IJava");
            if (found != null) {
                kernel = Kernel.IJAVA;
                sink = found;
                return;
            }
        }
        kernel = Kernel.NONE;
        sink = printTo(System.out);
    }

    /**
     * A sink that prints each bundle's plain-text form, as a terminal would show it.
     *
     * @param out where to print, not null
     * @return the sink
     */
    public static Sink printTo(PrintStream out) {
        return bundle -> {
            out.println(bundle.get("text/plain"));
            out.flush();
        };
    }

    /** rapaio-jupyter-kernel: {@code MainApp.kernel.display(DisplayData.withType(mime, content))}. */
    private static Sink rapaio(ClassLoader loader) {
        try {
            Class<?> app = Class.forName("org.rapaio.jupyter.kernel.MainApp", false, loader);
            Object instance = app.getField("kernel").get(null);
            if (instance == null) {
                return null;
            }
            Class<?> dataClass = Class.forName("org.rapaio.jupyter.kernel.display.DisplayData", false, loader);
            Method withType = dataClass.getMethod("withType", String.class, String.class);
            Method putData = dataClass.getMethod("putData", String.class, Object.class);
            Method show = instance.getClass().getMethod("display", dataClass);
            return bundle -> {
                try {
                    Object data = null;
                    for (Map.Entry<String, String> entry : bundle.entrySet()) {
                        if (data == null) {
                            data = withType.invoke(null, entry.getKey(), entry.getValue());
                        } else {
                            putData.invoke(data, entry.getKey(), entry.getValue());
                        }
                    }
                    show.invoke(instance, data);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("Notebook: rapaio-jupyter-kernel refused a display: " + e, e);
                }
            };
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }

    /**
     * JJava: since 1.0-a6 the running kernel is {@code org.dflib.jjava.jupyter.kernel.BaseKernel.notebookKernel()},
     * which throws when none runs; 1.0-a5 kept it in {@code org.dflib.jjava.JJava.getKernelInstance()}, a class that
     * 1.0-a6 moved to {@code org.dflib.jjava.distro.JJava} without that method.
     */
    private static Sink jjava(ClassLoader loader) {
        Object instance = staticCall(loader, "org.dflib.jjava.jupyter.kernel.BaseKernel", "notebookKernel");
        if (instance == null) {
            instance = staticCall(loader, "org.dflib.jjava.JJava", "getKernelInstance");
        }
        return displayDataSink(loader, instance, "org.dflib.jjava.jupyter.kernel.display.DisplayData", "JJava");
    }

    /**
     * @return what a public static no-argument method returns, or null when the class or method is missing or the
     *     method throws (JJava's {@code notebookKernel()} throws when no kernel runs)
     */
    private static Object staticCall(ClassLoader loader, String className, String methodName) {
        try {
            return Class.forName(className, false, loader).getMethod(methodName).invoke(null);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }

    /**
     * IJava and JJava share one display API, from the base kernel IJava was built on:
     * {@code kernel.display(DisplayData)}, where {@code new DisplayData(text)} holds the plain-text form and
     * {@code putData(mime, content)} adds the others.
     *
     * @return a sink that displays through {@code instance}, or null when {@code instance} is null or lacks that API
     */
    private static Sink displayDataSink(ClassLoader loader, Object instance, String dataClassName, String kernelName) {
        if (instance == null) {
            return null;
        }
        try {
            Class<?> dataClass = Class.forName(dataClassName, false, loader);
            var construct = dataClass.getConstructor(String.class);
            Method putData = dataClass.getMethod("putData", String.class, Object.class);
            Method show = instance.getClass().getMethod("display", dataClass);
            return bundle -> {
                try {
                    Object data = construct.newInstance(bundle.get("text/plain"));
                    for (Map.Entry<String, String> entry : bundle.entrySet()) {
                        putData.invoke(data, entry.getKey(), entry.getValue());
                    }
                    show.invoke(instance, data);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("Notebook: " + kernelName + " refused a display: " + e, e);
                }
            };
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }
}

package unrolled.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NotebookTest {

    @AfterEach
    void forgetKernel() {
        Notebook.redirect(null);
    }

    @Test
    void outsideAKernelPrintsPlainText() {
        assertEquals(Notebook.Kernel.NONE, Notebook.kernelName());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Notebook.redirect(Notebook.printTo(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        Notebook.html("<p>Hidden state <b>h<sub>t</sub></b> &amp; input</p>");
        assertEquals("Hidden state ht & input", bytes.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void htmlSendsTheRichFormFirstAndPlainTextAsFallback() {
        List<Map<String, String>> sent = new ArrayList<>();
        Notebook.redirect(sent::add);
        Notebook.html("<i>x</i>", "x");
        assertEquals(List.of(Map.of("text/html", "<i>x</i>", "text/plain", "x")), sent);
        assertEquals(List.of("text/html", "text/plain"), new ArrayList<>(sent.get(0).keySet()));
    }

    @Test
    void imageIsSentAsBase64PngThatDecodesToTheSameImage() throws Exception {
        BufferedImage image = new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 2, Color.RED.getRGB());
        List<Map<String, String>> sent = new ArrayList<>();
        Notebook.redirect(sent::add);
        Notebook.image(image, "a red dot");
        byte[] png = Base64.getDecoder().decode(sent.get(0).get("image/png"));
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(7, decoded.getWidth());
        assertEquals(5, decoded.getHeight());
        assertEquals(Color.RED.getRGB(), decoded.getRGB(3, 2));
        assertEquals("a red dot", sent.get(0).get("text/plain"));
    }

    /**
     * Each supported kernel version, by the class whose {@code main} Jupyter runs, and what the adapter must call it.
     * JJava 1.0-a6 moved its main class to {@code org.dflib.jjava.distro.JJava} and the running kernel to
     * {@code BaseKernel.notebookKernel()}; 1.0-a7 and the main branch kept that API.
     */
    static Stream<Arguments> kernelVersions() {
        return Stream.of(
                Arguments.of("jjava-1.0-a5", "org.dflib.jjava.JJava", Notebook.Kernel.JJAVA),
                Arguments.of("jjava-1.0-a6", "org.dflib.jjava.distro.JJava", Notebook.Kernel.JJAVA),
                Arguments.of("jjava-1.0-a7", "org.dflib.jjava.distro.JJava", Notebook.Kernel.JJAVA),
                Arguments.of("jjava-main", "org.dflib.jjava.distro.JJava", Notebook.Kernel.JJAVA),
                Arguments.of("ijava-1.3.0", "io.github.spencerpark.ijava.IJava", Notebook.Kernel.IJAVA),
                Arguments.of("rapaio-3.0.1", "org.rapaio.jupyter.kernel.MainApp", Notebook.Kernel.RAPAIO));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernelVersions")
    void findsTheRunningKernelThroughItsVersionsApiWithoutWritingToStandardError(
            String version, String mainClass, Notebook.Kernel expected) throws Exception {
        try (URLClassLoader kernel = KernelDoubles.load(version)) {
            Class.forName(mainClass, true, kernel).getMethod("main", String[].class).invoke(null, (Object) new String[0]);
            String stderr = standardErrorOf(() -> inKernel(kernel, () -> {
                assertEquals(expected, Notebook.kernelName());
                Notebook.text("plain words");
                Notebook.html("<b>bold</b>", "bold");
            }));
            assertEquals("", stderr, version + " wrote to standard error");
            List<Map<String, Object>> shown = KernelDoubles.shown(kernel);
            assertEquals(2, shown.size(), version + ": displays");
            assertEquals(Map.of("text/plain", "plain words"), shown.get(0));
            assertEquals(Map.of("text/html", "<b>bold</b>", "text/plain", "bold"), shown.get(1));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jjava-1.0-a5", "jjava-1.0-a6", "jjava-1.0-a7", "jjava-main", "ijava-1.3.0"})
    void aKernelWhoseClassesArePresentButThatIsNotRunningMeansNoKernel(String version) throws Exception {
        try (URLClassLoader kernel = KernelDoubles.load(version)) {
            String stderr = standardErrorOf(() -> inKernel(kernel, () -> assertEquals(Notebook.Kernel.NONE,
                    Notebook.kernelName())));
            assertEquals("", stderr, version + " wrote to standard error");
            assertEquals(List.of(), KernelDoubles.shown(kernel));
        }
    }

    /** Runs {@code body} with {@code loader} as the thread's context class loader, as a kernel runs a cell. */
    private static void inKernel(ClassLoader loader, Runnable body) {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Notebook.redirect(null);
            body.run();
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    private static String standardErrorOf(Runnable body) {
        PrintStream before = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(before);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void nullArgumentsAreRefusedWithTheMethodName() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Notebook.html(null));
        assertTrue(e.getMessage().startsWith("Notebook.html: html"), e.getMessage());
    }

    @Test
    void loadingTheAdapterStartsTheOffHeapCollector() {
        Notebook.kernelName();   // the adapter's class is initialised, as by a notebook's first card
        assertTrue(OffHeapCollector.running(), "without it a training loop's dead arrays keep their off-heap memory");
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(OffHeapCollector.THREAD_NAME) && t.isDaemon()), "a daemon thread");
    }

    @Test
    void aCollectionIsDueOnlyAfterTheOffHeapCountGrewPastItsThreshold() {
        long baseline = 1L << 30;
        assertTrue(!OffHeapCollector.due(baseline + OffHeapCollector.GROWTH_BYTES, baseline));
        assertTrue(OffHeapCollector.due(baseline + OffHeapCollector.GROWTH_BYTES + 1, baseline));
        assertTrue(!OffHeapCollector.due(baseline - 1000, baseline));
    }
}

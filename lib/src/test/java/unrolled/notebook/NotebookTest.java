package unrolled.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spencerpark.ijava.IJava;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.rapaio.jupyter.kernel.MainApp;

class NotebookTest {

    @AfterEach
    void forgetKernel() {
        IJava.instance = null;
        MainApp.kernel = null;
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

    @Test
    void findsARunningIJavaKernelAndSendsItDisplayData() {
        IJava.instance = new IJava();
        Notebook.redirect(null);
        assertEquals(Notebook.Kernel.IJAVA, Notebook.kernelName());
        Notebook.html("<b>bold</b>", "bold");
        assertEquals(1, IJava.instance.shown.size());
        Map<String, Object> data = IJava.instance.shown.get(0).data;
        assertEquals("<b>bold</b>", data.get("text/html"));
        assertEquals("bold", data.get("text/plain"));
    }

    @Test
    void findsARunningRapaioKernelAndSendsItDisplayData() {
        MainApp.kernel = new MainApp.Recorder();
        Notebook.redirect(null);
        assertEquals(Notebook.Kernel.RAPAIO, Notebook.kernelName());
        Notebook.text("plain words");
        Notebook.html("<b>bold</b>", "bold");
        assertEquals(2, MainApp.kernel.shown.size());
        assertEquals(Map.of("text/plain", "plain words"), MainApp.kernel.shown.get(0).data);
        assertEquals("<b>bold</b>", MainApp.kernel.shown.get(1).data.get("text/html"));
        assertEquals("bold", MainApp.kernel.shown.get(1).data.get("text/plain"));
    }

    @Test
    void nullArgumentsAreRefusedWithTheMethodName() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Notebook.html(null));
        assertTrue(e.getMessage().startsWith("Notebook.html: html"), e.getMessage());
    }
}

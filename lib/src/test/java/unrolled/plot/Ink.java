package unrolled.plot;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Measures what a rendered image holds, and keeps a copy under target/ to look at. */
final class Ink {

    private Ink() {
    }

    /** @return the number of pixels that are not pure white */
    static long count(BufferedImage image) {
        long inked = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                inked += (image.getRGB(x, y) & 0xFFFFFF) == 0xFFFFFF ? 0 : 1;
            }
        }
        return inked;
    }

    /** @return the number of pixels whose red channel clearly dominates (the gradient colour) */
    static long reddish(BufferedImage image) {
        long red = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                red += r > 150 && g < 100 && b < 100 ? 1 : 0;
            }
        }
        return red;
    }

    /** Writes target/plots/NAME.png (the build's output folder), for a person to look at. */
    static void save(BufferedImage image, String name) {
        File folder = new File("target/plots");
        folder.mkdirs();
        try {
            ImageIO.write(image, "png", new File(folder, name + ".png"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package unrolled.kernel;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.logging.LogManager;
import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.Transform;

/**
 * Starts rapaio-jupyter-kernel 3.0.1 the way its own {@code MainApp} does, without its start-up race.
 *
 * <p>{@code Channels.connect} binds the sockets and starts the shell thread before it creates the map of message
 * handlers. Jupyter's client queues its first {@code kernel_info_request} as soon as it connects, so when that
 * request arrives inside the window, the shell thread dies on a NullPointerException and the kernel never
 * answers again: measured here, about one start in seven. This launcher installs a placeholder map before
 * {@code connect}; a lookup that arrives early waits until the real map is in place, then reads it.
 *
 * <p>It also sets the kernel's own logging to WARNING: rapaio logs every message it handles at INFO, which
 * fills the terminal of the Jupyter server a learner runs.
 */
public final class Launch {

    private static final String LOGGING = "handlers=java.util.logging.ConsoleHandler\n.level=WARNING\n"
            + "java.util.logging.ConsoleHandler.level=WARNING\n";

    private Launch() {
    }

    /**
     * @param args the connection file Jupyter wrote for this kernel
     * @throws Exception if the kernel cannot start; the JVM then exits and Jupyter reports the kernel dead
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("unrolled.kernel.Launch: expected one argument, the connection file, but got "
                    + args.length + ".");
        }
        LogManager.getLogManager().readConfiguration(new ByteArrayInputStream(LOGGING.getBytes(StandardCharsets.UTF_8)));
        ConnectionProperties properties = Transform.fromJson(Files.readString(Path.of(args[0])), ConnectionProperties.class);
        Channels channels = new Channels(properties);
        Field handlers = Channels.class.getDeclaredField("handlers");
        handlers.setAccessible(true);
        handlers.set(channels, new AwaitHandlers(channels, handlers));
        channels.connect(MainApp.kernel);
        channels.joinUntilClose();
    }

    /** Stands in for the handler map until {@code Channels.connect} installs the real one, then defers to it. */
    static final class AwaitHandlers extends AbstractMap<Object, Object> {

        private static final long TIMEOUT_NANOS = 60_000_000_000L;
        private final Object channels;
        private final Field field;

        AwaitHandlers(Object channels, Field field) {
            this.channels = channels;
            this.field = field;
        }

        @Override
        public Object get(Object key) {
            long deadline = System.nanoTime() + TIMEOUT_NANOS;
            try {
                while (System.nanoTime() < deadline) {
                    Object current = field.get(channels);
                    if (current != this && current instanceof Map<?, ?> real) {
                        return real.get(key);
                    }
                    Thread.sleep(2);
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("unrolled.kernel.Launch: cannot read the kernel's handler map", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }

        @Override
        public Set<Entry<Object, Object>> entrySet() {
            return Collections.emptySet();
        }
    }
}

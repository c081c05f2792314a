package unrolled.kernel;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.LogManager;
import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.AbstractChannel;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.Transform;
import org.rapaio.jupyter.kernel.message.Message;
import org.rapaio.jupyter.kernel.message.messages.IOPubStatus;
import sun.misc.Signal;

/**
 * Starts rapaio-jupyter-kernel 3.0.1 the way its own {@code MainApp} does, without its two start-up races.
 *
 * <p><b>Handlers.</b> {@code Channels.connect} binds the sockets and starts the shell and control threads before it
 * creates the map of message handlers, and it installs that map empty and fills it afterwards. Jupyter's client
 * sends its first {@code kernel_info_request} as soon as it connects. Arriving before the map exists, the request
 * killed the shell thread with a NullPointerException (measured here: about one start in seven never answered);
 * arriving while the map fills, it finds no handler, the kernel logs {@code Unhandled message: kernel_info_request}
 * and a Jupyter server waits its {@code kernel_info_timeout} (60 s by default) before asking again. Both loops read a
 * message through the channel's synchronized {@code readMessage}, so this launcher holds the shell's and the
 * control channel's monitors for the whole of {@code connect}: a request that arrives early waits on the monitor
 * until every handler is in place.
 *
 * <p><b>Loop threads.</b> The shell, control and heartbeat channels each run their socket loop on a
 * {@code LoopThread}, whose {@code start()} starts the thread first and only then sets the flag its loop tests. A
 * thread that reads the flag before it is set ends at once; when that is the shell's, the kernel never answers a
 * request (measured here: 3 to 4 starts in 20 without a reply). After {@code connect} this launcher gives every loop
 * that ended a replacement running the same loop body.
 *
 * <p><b>Interrupts.</b> Jupyter interrupts this kernel with SIGINT (the kernelspec's {@code interrupt_mode}), and
 * the JVM then ends, because rapaio's own interrupt leaves the kernel silently broken; Jupyter restarts it. Before it
 * ends, this launcher writes into the output of the cell that was running what happened and what to do next, so the
 * learner sees it in the notebook, not only in Jupyter's "kernel restarting" notice. (The kernelspec starts the JVM
 * through {@code env --default-signal=INT}: a JVM that inherits SIGINT ignored, as it does from a server started in
 * the background, never installs its handler and would let the cell run on.)
 *
 * <p><b>Starting status.</b> A kernel announces {@code status: starting} on IOPub when its process starts; rapaio
 * does not. After Jupyter restarts a kernel that died (an interrupt, say), the classic Notebook waits for that message
 * before it asks the new kernel for its info, and until then shows "Dead kernel". This launcher publishes it twice,
 * half a second and two seconds after binding, because a subscriber that reconnects after the first misses it.
 *
 * <p>It also sets the kernel's own logging to WARNING: rapaio logs every message it handles at INFO, which
 * fills the terminal of the Jupyter server a learner runs; and it lets {@code %classpath} take a jar file
 * ({@link ClasspathJarMagic}), so that the notebooks' first cell is the same in every supported kernel.
 */
public final class Launch {

    private static final long LOOP_GRACE_MILLIS = 30;
    /** When the starting status is published, in milliseconds after the sockets are bound. */
    private static final long[] STARTING_AFTER_MILLIS = {500, 2000};
    /** How long the interrupted kernel waits for its last message to leave the socket before it ends. */
    private static final long LAST_MESSAGE_MILLIS = 500;
    /** The exit status of a process ended by SIGINT, as the JVM's own handler would give. */
    private static final int INTERRUPTED_STATUS = 130;
    /** What the cell that was running shows when an interrupt restarts the kernel. */
    static final String INTERRUPTED = "\n■ Interrupted: this Java kernel cannot stop a running cell safely, so it restarts. "
            + "Everything this notebook defined is gone, including the library.\n"
            + "To continue, select the cell you were on and run the cells above it: Cell → Run All Above (JupyterLab: "
            + "Run → Run All Above Selected Cell). That runs the first cell again, which loads the library.\n";
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
        ClasspathJarMagic.install();
        ConnectionProperties properties = Transform.fromJson(Files.readString(Path.of(args[0])), ConnectionProperties.class);
        Channels channels = new Channels(properties);
        Object shell = field(Channels.class, "shell").get(channels);
        Object control = field(Channels.class, "control").get(channels);
        synchronized (shell) {
            synchronized (control) {
                channels.connect(MainApp.kernel);
            }
        }
        reviveEndedLoops(channels);
        Signal.handle(new Signal("INT"), signal -> interrupted(channels));
        announceStarting(channels);
        channels.joinUntilClose();
    }

    /**
     * Publishes {@code status: starting} on IOPub at {@link #STARTING_AFTER_MILLIS}, from a daemon thread.
     *
     * @param channels the connected channels
     * @throws ReflectiveOperationException if rapaio's IOPub channel is not where version 3.0.1 keeps it
     */
    static void announceStarting(Channels channels) throws ReflectiveOperationException {
        AbstractChannel iopub = (AbstractChannel) field(Channels.class, "iopub").get(channels);
        Thread announcer = new Thread(() -> {
            long waited = 0;
            try {
                for (long at : STARTING_AFTER_MILLIS) {
                    Thread.sleep(at - waited);
                    waited = at;
                    iopub.sendMessage(new Message<>(IOPubStatus.STARTING.type(), IOPubStatus.STARTING));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "unrolled-starting-status");
        announcer.setDaemon(true);
        announcer.start();
    }

    /**
     * Tells the running cell, if any, that the kernel restarts and what to do, then ends the JVM.
     *
     * @param channels the kernel's channels; a cell is running when they hold the request being answered
     */
    static void interrupted(Channels channels) {
        try {
            if (channels.hasMsgId()) {
                channels.writeToStdErr(INTERRUPTED);
                Thread.sleep(LAST_MESSAGE_MILLIS);
            }
        } catch (RuntimeException | InterruptedException e) {
            // ending is what matters: the message is a courtesy
        } finally {
            Runtime.getRuntime().halt(INTERRUPTED_STATUS);
        }
    }

    /**
     * Replaces every channel loop thread that ended before it ever ran its loop (the {@code LoopThread.start} race).
     *
     * @param channels the connected channels
     * @throws ReflectiveOperationException if rapaio's fields are not where version 3.0.1 keeps them
     * @throws InterruptedException if interrupted while giving a thread time to end
     */
    static void reviveEndedLoops(Channels channels) throws ReflectiveOperationException, InterruptedException {
        // a loop that lost the race has read its flag as false and ends within microseconds; a healthy one never ends
        Thread.sleep(LOOP_GRACE_MILLIS);
        for (String name : new String[] {"shell", "control", "heartbeat"}) {
            Object channel = field(Channels.class, name).get(channels);
            Field loopField = field(channel.getClass(), "loopThread");
            Thread loop = (Thread) loopField.get(channel);
            if (!loop.isAlive()) {
                loopField.set(channel, restarted(loop));
            }
        }
    }

    /**
     * @param ended a {@code LoopThread} that has ended
     * @return a started {@code LoopThread} with the same name, sleep and loop body, its flag set before it starts
     * @throws ReflectiveOperationException if {@code LoopThread}'s fields are not those of version 3.0.1
     */
    static Thread restarted(Thread ended) throws ReflectiveOperationException {
        Class<?> type = ended.getClass();
        Thread fresh = (Thread) type.getConstructor(String.class, long.class, Runnable.class)
                .newInstance(ended.getName(), field(type, "sleep").getLong(ended), field(type, "loopBody").get(ended));
        field(type, "running").setBoolean(fresh, true);
        fresh.start();
        return fresh;
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}

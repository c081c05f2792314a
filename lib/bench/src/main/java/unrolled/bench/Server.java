package unrolled.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A benchmark process that answers one line per request line: {@code pytorch_rnn.py --serve}, or a {@link Worker}
 * JVM. It first prints "ready DESCRIPTION"; its error stream goes to ours.
 */
final class Server implements AutoCloseable {

    private final String name;
    private final Process process;
    private final BufferedReader answers;
    private final Writer requests;
    /** What the process said of itself when it started. */
    final String description;

    /**
     * @param name for messages, e.g. "pytorch_rnn.py --serve"
     * @param command the command that starts it
     */
    Server(String name, List<String> command) {
        this.name = name;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            String ready = answers.readLine();
            if (ready == null || !ready.startsWith("ready")) {
                throw new IllegalStateException(name + " did not start: " + ready);
            }
            description = ready.substring("ready".length()).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the answer to one request: "WALL_MS CPU_MS" of one slice, as two numbers */
    double[] slice(String request) {
        try {
            requests.write(request + "\n");
            requests.flush();
            String answer = answers.readLine();
            if (answer == null) {
                throw new IllegalStateException(name + " stopped");
            }
            String[] parts = answer.split(" ");
            return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            requests.close();
            process.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package unrolled.notebook;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** For tests of what the library shows: every MIME bundle sent to the notebook during a test lands in {@link #shown}. */
abstract class NotebookOutputCapture {

    /** The bundles shown so far in this test, in order. */
    protected final List<Map<String, String>> shown = new ArrayList<>();

    @BeforeEach
    void capture() {
        Notebook.redirect(shown::add);
    }

    @AfterEach
    void release() {
        Notebook.redirect(null);
    }
}

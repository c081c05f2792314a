package recorded;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the kernel doubles were asked to display: one MIME bundle per call, in order. */
public final class Displays {
    public static final List<Map<String, Object>> SHOWN = new ArrayList<>();

    private Displays() {
    }
}

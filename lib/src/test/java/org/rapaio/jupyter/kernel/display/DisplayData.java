package org.rapaio.jupyter.kernel.display;

import java.util.LinkedHashMap;
import java.util.Map;

/** Test double with the factory and {@code putData} of rapaio's DisplayData. */
public class DisplayData {
    public final Map<String, Object> data = new LinkedHashMap<>();

    public static DisplayData withType(String mimeType, String content) {
        DisplayData d = new DisplayData();
        d.data.put(mimeType, content);
        return d;
    }

    public void putData(String mimeType, Object value) {
        data.put(mimeType, value);
    }
}

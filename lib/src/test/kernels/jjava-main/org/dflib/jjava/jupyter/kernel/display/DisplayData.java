package org.dflib.jjava.jupyter.kernel.display;

import java.util.LinkedHashMap;
import java.util.Map;

/** JJava main's DisplayData, as far as the adapter uses it: the plain-text constructor and putData. */
public class DisplayData {
    public final Map<String, Object> data = new LinkedHashMap<>();

    public DisplayData(String textData) {
        data.put("text/plain", textData);
    }

    public void putData(String mimeType, Object value) {
        data.put(mimeType, value);
    }
}

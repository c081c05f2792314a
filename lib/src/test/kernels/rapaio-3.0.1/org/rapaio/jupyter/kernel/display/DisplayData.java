package org.rapaio.jupyter.kernel.display;

import java.util.LinkedHashMap;
import java.util.Map;

/** rapaio-jupyter-kernel 3.0.1's DisplayData: no text constructor; a static factory for the first MIME type, then putData. */
public class DisplayData {
    public final Map<String, Object> data = new LinkedHashMap<>();

    public static DisplayData withType(String type, String data) {
        DisplayData dd = new DisplayData();
        dd.data.put(type, data);
        return dd;
    }

    public void putData(String mimeType, Object data) {
        this.data.put(mimeType, data);
    }
}

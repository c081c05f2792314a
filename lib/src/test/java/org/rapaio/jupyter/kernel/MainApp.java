package org.rapaio.jupyter.kernel;

import java.util.ArrayList;
import java.util.List;
import org.rapaio.jupyter.kernel.display.DisplayData;

/** Test double with the shape of rapaio-jupyter-kernel's entry point: {@code MainApp.kernel.display(DisplayData)}. */
public final class MainApp {
    public static Recorder kernel;

    public static final class Recorder {
        public final List<DisplayData> shown = new ArrayList<>();

        public void display(DisplayData data) {
            shown.add(data);
        }
    }
}

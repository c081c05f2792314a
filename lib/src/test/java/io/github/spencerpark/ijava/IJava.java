package io.github.spencerpark.ijava;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.util.ArrayList;
import java.util.List;

/**
 * Test double with the shape of IJava's entry point ({@code IJava.getKernelInstance().display(DisplayData)}),
 * so that the adapter's reflective path to IJava runs in unit tests.
 */
public final class IJava {
    public static volatile IJava instance;
    public final List<DisplayData> shown = new ArrayList<>();

    public static IJava getKernelInstance() {
        return instance;
    }

    public void display(DisplayData data) {
        shown.add(data);
    }
}

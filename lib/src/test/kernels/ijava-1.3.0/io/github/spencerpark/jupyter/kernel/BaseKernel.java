package io.github.spencerpark.jupyter.kernel;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import recorded.Displays;

/** jupyter-jvm-basekernel 2.3.0's base kernel, which IJava 1.3.0 builds on: an instance display. */
public abstract class BaseKernel {
    public void display(DisplayData data) {
        Displays.SHOWN.add(data.data);
    }
}

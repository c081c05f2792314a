package org.dflib.jjava.jupyter.kernel;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import recorded.Displays;

/** JJava 1.0-a5's base kernel (module jupyter-jvm-basekernel): an instance display, and no static accessor. */
public abstract class BaseKernel {
    public void display(DisplayData data) {
        Displays.SHOWN.add(data.data);
    }
}

package org.rapaio.jupyter.kernel.core;

import org.rapaio.jupyter.kernel.display.DisplayData;
import recorded.Displays;

/** rapaio-jupyter-kernel 3.0.1's kernel, in package core: an instance display. */
public class RapaioKernel {
    public void display(DisplayData dd) {
        Displays.SHOWN.add(dd.data);
    }
}

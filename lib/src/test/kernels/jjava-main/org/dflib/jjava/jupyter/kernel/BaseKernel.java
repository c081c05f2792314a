package org.dflib.jjava.jupyter.kernel;

import java.util.Objects;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import recorded.Displays;

/** JJava main's base kernel (module jjava-jupyter): onStartup installs the static that notebookKernel() returns. */
public abstract class BaseKernel {
    protected static BaseKernel notebookKernel;

    public static BaseKernel notebookKernel() {
        return Objects.requireNonNull(notebookKernel, "No kernel running. Likely called outside of the notebook lifecycle");
    }

    public void onStartup() {
        notebookKernel = this;
    }

    public void display(DisplayData data) {
        Displays.SHOWN.add(data.data);
    }
}

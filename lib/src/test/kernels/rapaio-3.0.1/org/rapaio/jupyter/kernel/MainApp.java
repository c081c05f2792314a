package org.rapaio.jupyter.kernel;

import org.rapaio.jupyter.kernel.core.RapaioKernel;

/** rapaio-jupyter-kernel 3.0.1's main class: the kernel is a public static final field, created with the class. */
public class MainApp {
    public static final RapaioKernel kernel = new RapaioKernel();

    public static void main(String[] args) {
    }
}

package org.dflib.jjava;

import org.dflib.jjava.jupyter.kernel.BaseKernel;

/** JJava 1.0-a5's kernel, in the same package as its main class. */
public class JavaKernel extends BaseKernel {
    public JavaKernel(String version) {
    }
}

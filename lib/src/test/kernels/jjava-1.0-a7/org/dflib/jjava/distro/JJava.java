package org.dflib.jjava.distro;

import org.dflib.jjava.kernel.JavaKernel;

/** JJava 1.0-a7's main class (jjava-distro): it builds the kernel and starts it, and keeps no reference itself. */
public class JJava {
    public static void main(String[] args) {
        new JavaKernel().onStartup();
    }
}

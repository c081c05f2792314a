package org.dflib.jjava;

/** JJava 1.0-a5's main class (jjava/src/main/java/org/dflib/jjava/JJava.java): main keeps the kernel in a static. */
public class JJava {
    private static JavaKernel kernel;

    public static void main(String[] args) {
        kernel = new JavaKernel("1.0-a5");
    }

    public static JavaKernel getKernelInstance() {
        return kernel;
    }
}

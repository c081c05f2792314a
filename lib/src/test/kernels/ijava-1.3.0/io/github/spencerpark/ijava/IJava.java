package io.github.spencerpark.ijava;

/** IJava 1.3.0's main class (src/main/java/io/github/spencerpark/ijava/IJava.java): main keeps the kernel in a static. */
public class IJava {
    private static JavaKernel kernel = null;

    public static JavaKernel getKernelInstance() {
        return IJava.kernel;
    }

    public static void main(String[] args) {
        kernel = new JavaKernel();
    }
}

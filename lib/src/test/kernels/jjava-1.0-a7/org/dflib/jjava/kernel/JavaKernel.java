package org.dflib.jjava.kernel;

import org.dflib.jjava.jupyter.kernel.BaseKernel;

/** JJava 1.0-a7's kernel (module jjava-kernel). */
public class JavaKernel extends BaseKernel {
}

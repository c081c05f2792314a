package org.dflib.jjava.kernel;

import org.dflib.jjava.jupyter.kernel.BaseKernel;

/** JJava main's kernel (module jjava-kernel). */
public class JavaKernel extends BaseKernel {
}

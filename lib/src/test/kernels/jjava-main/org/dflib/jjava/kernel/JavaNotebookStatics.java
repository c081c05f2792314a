package org.dflib.jjava.kernel;

import org.dflib.jjava.jupyter.kernel.BaseKernel;

/** JJava main's statics for notebook code: the old accessor still answers, after a deprecation on standard error. */
public class JavaNotebookStatics {
    @Deprecated(since = "1.0", forRemoval = true)
    public static JavaKernel getKernelInstance() {
        System.err.println("'getKernelInstance()' was deprecated in favor of 'kernel()' and will be eventually removed.");
        return kernel();
    }

    public static JavaKernel kernel() {
        return (JavaKernel) BaseKernel.notebookKernel();
    }
}

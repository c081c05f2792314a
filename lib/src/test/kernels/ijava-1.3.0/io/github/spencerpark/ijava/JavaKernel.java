package io.github.spencerpark.ijava;

import io.github.spencerpark.jupyter.kernel.BaseKernel;

/** IJava 1.3.0's kernel; its base class comes from io.github.spencerpark:jupyter-jvm-basekernel:2.3.0. */
public class JavaKernel extends BaseKernel {
}

/**
 * The fast path: whole-sequence LSTM, GRU and vanilla RNN passes that compute exactly what
 * {@link unrolled.recurrent.RecurrentLayer} computes over {@link unrolled.cell.LstmCell}, {@link unrolled.cell.GruCell}
 * and {@link unrolled.cell.RnnCell}, only faster.
 *
 * <p>In the curriculum this package is the answer to "why is my Java RNN so slow, and what do cuDNN and PyTorch do
 * about it?". The reference layers are written for reading: a dozen ND4J calls per cell per step, each costing tens of
 * microseconds of dispatch however small its arrays. For the model sizes of the notebooks that overhead, not
 * arithmetic, is the running time. {@link unrolled.fast.FastRecurrentLayer} removes it the way optimised libraries do:
 * <ul>
 *   <li>the input projection x·Wx of all T steps as one matrix product before the time loop;</li>
 *   <li>one fused gate product h_{t−1}·Wh per step, a direct OpenBLAS gemm on raw memory (step t of every sequence is
 *       a set of rows at a fixed stride, which gemm reads through its leading dimension);</li>
 *   <li>the element-wise gate maths of a step in one Java loop over the arrays' memory instead of a dozen ND4J ops;</li>
 *   <li>no allocation in the time loop, and work buffers reused from call to call;</li>
 *   <li>on a multi-core machine, the batch's sequences split into lanes, one per core, each running the whole pass for
 *       its sequences with no synchronisation until the end (the sequences of a batch never interact);</li>
 *   <li>the weight gradients as one product each, over all N·T rows, after the backward loop.</li>
 * </ul>
 * It takes a {@link unrolled.recurrent.RecurrentLayer} and shares its cell's parameters (no copies), masks, initial
 * state policies and result types, so a notebook swaps one for the other by changing one constructor, and checks the
 * swap with the agreement tests' method: same outputs, states and gradients to round-off.
 *
 * <p><b>How it is built.</b> One skeleton, {@code Kernel}, owns everything the cells share: the input projection, the
 * per-step product, the weight-gradient products, the lanes and the padded steps. Each cell supplies only the
 * element-wise maths of one row, forward and backward side by side with its equations ({@code LstmKernel},
 * {@code GruKernel}, {@code RnnKernel} as portable loops; {@code VectorLstmRows} … the same on the vector units), and
 * the buffers its backward pass reads (its own tape). {@code WorkBuffers} holds the reuse of work memory from call to
 * call and the rules that come with it; {@code Slab} is flat memory with BLAS products on it.
 *
 * <p><b>Thread settings.</b> The library applies {@link unrolled.tensor.Threads} when it is first used: libnd4j ops
 * on 1 thread ({@code setMaxMasterThreads(1)}) and OpenBLAS on every available core ({@code blas_set_num_threads}). The
 * fast path's flops are all in BLAS, and libnd4j's workers only compete with BLAS's for the cores; this was measured
 * best on an idle 2-vCPU machine (lib/bench's {@code ThreadsBenchmark} re-measures the four combinations of 1 or 2
 * threads each). Override them with {@code -Dunrolled.nd4jThreads=N} / {@code -Dunrolled.blasThreads=N} or the
 * environment variables {@code UNROLLED_ND4J_THREADS} / {@code UNROLLED_BLAS_THREADS}.
 */
package unrolled.fast;

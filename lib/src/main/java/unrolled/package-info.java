/**
 * Unrolled's helper library: recurrent neural networks from first principles, on ND4J, for the curriculum's
 * notebooks. Every cell and layer has a readable forward pass with its equations, a hand-written backward pass
 * checked against finite differences, and shapes checked at every entry point.
 *
 * <p>Packages, in the order a learner meets them: {@link unrolled.notebook} (what a notebook shows),
 * {@link unrolled.tensor} (shapes and their errors), {@link unrolled.param} (named parameters and gradients,
 * initialisers), {@link unrolled.cell} (one time step), {@link unrolled.recurrent} (whole sequences and
 * backpropagation through time), {@link unrolled.layer} and {@link unrolled.loss} (the feed-forward pieces and
 * losses around them), {@link unrolled.optim} and {@link unrolled.train} (training), {@link unrolled.check}
 * (gradient checking), {@link unrolled.data} (vocabularies, batches, synthetic tasks, shipped datasets),
 * {@link unrolled.timeseries} (forecast baselines, errors, and precision and recall of anomaly alarms) and
 * {@link unrolled.plot} (charts, heatmaps and whiteboard diagrams). Sequence to sequence: {@link unrolled.attention}
 * and {@link unrolled.seq2seq}. Beyond plain recurrent networks: {@link unrolled.conv} (convolutions over time),
 * {@link unrolled.transformer} (positional encodings, Add &amp; Norm, the encoder block) and {@link unrolled.family}
 * (conditional and variational recurrent networks, memory reads, multimodal fusion).
 */
package unrolled;

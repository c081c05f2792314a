/**
 * Pictures for the notebooks and the HTML book, all returned as {@code BufferedImage} (a cell's last
 * expression shows as PNG in every Java kernel), all labelled, all on white.
 *
 * <ul>
 *   <li>{@link unrolled.plot.Charts}: XChart in the house style, and the check that no chart goes out without a
 *       title, axis titles and data.</li>
 *   <li>{@link unrolled.plot.Plots}: the recurring plots built on it: curves, training histories from a
 *       Tablesaw table, the vanishing-gradient plot ‖∂L/∂h_t‖ against t on a log scale, and grouped bars.</li>
 *   <li>{@link unrolled.plot.Heatmaps}: matrices as coloured grids with a colour bar: gate activations and hidden
 *       states over time, attention weights between tokens.</li>
 *   <li>{@link unrolled.plot.Diagrams}: the whiteboard drawings: an RNN unrolled in time with its backward
 *       (BPTT) flow, and the insides of the LSTM and GRU cells with their equations.</li>
 * </ul>
 */
package unrolled.plot;

/**
 * How parameters move once their gradients are known: optimisers, gradient clipping and learning-rate schedules.
 *
 * <p>In the curriculum this is the step after backpropagation through time. A recurrent network's gradients
 * can explode (a product of many Jacobians), so {@link unrolled.optim.Clipping#byGlobalNorm} comes with the
 * optimisers; and the choice between {@link unrolled.optim.Sgd}, {@link unrolled.optim.Momentum} and
 * {@link unrolled.optim.Adam}, with or without weight decay and a {@link unrolled.optim.LearningRateSchedule},
 * is a favourite interview question. Every update is written as its equation, on named
 * {@link unrolled.param.Parameters} and {@link unrolled.param.Gradients}; optimiser state (velocities, moments)
 * is kept per parameter name.
 */
package unrolled.optim;

package unrolled.train;

/**
 * The model's part of one training step, supplied by the notebook: run the forward pass on a batch, compute the
 * loss, run the backward pass, and return both. The {@link Trainer} does the rest (clipping, the optimiser
 * step, the schedule, the history).
 *
 * <pre>{@code
 * TrainingStep<Batch> step = batch -> {
 *     var forward = model.forward(batch.x());
 *     double loss = lossOf(forward, batch.y());
 *     Gradients gradients = model.backward(dLoss(forward, batch.y()), forward.cache());
 *     return new LossAndGradients(loss, gradients);
 * };
 * }</pre>
 *
 * @param <B> the batch type: anything the model reads, e.g. a record of x (N, T, D) and targets
 */
@FunctionalInterface
public interface TrainingStep<B> {

    /**
     * @param batch one batch, as given to {@link Trainer#fit}
     * @return the batch's loss and the gradients of the trainer's parameters, under the same names
     */
    LossAndGradients compute(B batch);
}

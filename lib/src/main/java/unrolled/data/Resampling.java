package unrolled.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Rebalancing a training set by sampling, the data-side alternative to class weights in the loss.
 *
 * <pre>
 *   oversample:   every item once, plus items of each smaller class drawn again at random (with replacement)
 *                 until every class has as many items as the largest one
 * </pre>
 *
 * Oversampling shows the model the rare class as often as the common one, so the gradient of an epoch is balanced
 * the way class weights balance it, but through repeated examples rather than larger weights: each step sees more
 * distinct rare items than a weighted batch would, at the price of longer epochs and of repeating the same few rare
 * items (which can over-fit them). Only the training set is ever resampled; held-out data keeps its natural
 * distribution, or the measured precision would not be the one met in use.
 */
public final class Resampling {

    private Resampling() {
    }

    /**
     * The indices of an oversampled epoch, in a seeded random order.
     *
     * @param labels the class of every training item, int[M], each ≥ 0
     * @param seed the seed of the draws and of the order
     * @return indices into labels: each item at least once, K · max_k M_k indices in all (K the number of classes
     *     present)
     * @throws IllegalArgumentException if labels is empty or holds a negative class
     */
    public static int[] oversample(int[] labels, long seed) {
        Objects.requireNonNull(labels, "Resampling.oversample: labels must not be null");
        if (labels.length == 0) {
            throw new IllegalArgumentException("Resampling.oversample: labels must hold at least one item, but is empty.");
        }
        int classes = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("Resampling.oversample: every label must be ≥ 0, but labels[" + i + "] = "
                        + labels[i] + ".");
            }
            classes = Math.max(classes, labels[i] + 1);
        }
        List<List<Integer>> byClass = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        int largest = byClass.stream().mapToInt(List::size).max().orElseThrow();
        Random random = new Random(seed);
        List<Integer> epoch = new ArrayList<>();
        for (List<Integer> items : byClass) {
            if (items.isEmpty()) {
                continue;
            }
            epoch.addAll(items);
            // draw M_max − M_k more items of class k, with replacement
            for (int extra = items.size(); extra < largest; extra++) {
                epoch.add(items.get(random.nextInt(items.size())));
            }
        }
        Collections.shuffle(epoch, random);
        return epoch.stream().mapToInt(Integer::intValue).toArray();
    }
}

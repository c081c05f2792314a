package unrolled.fast;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Views of arrays' memory kept from one training step to the next, one per numbered slot: the parameters and the
 * optimiser's moments are the same arrays at every step, so their views are made once and a step's pass over them
 * allocates nothing. A slot given another array makes a new view for it (a step's fresh gradients get one each).
 *
 * <p>Only plain FLOAT or DOUBLE memory gets a view; for any other array (a view, a transpose) a slot holds none and
 * the caller takes its readable path.
 */
public final class MemoryViews {

    private INDArray[] arrays;
    private Slab[] slabs;

    /** @param slots how many slots to start with, ≥ 0 (more are added as they are asked for) */
    public MemoryViews(int slots) {
        if (slots < 0) {
            throw new IllegalArgumentException("MemoryViews: slots must be at least 0, but is " + slots + ".");
        }
        this.arrays = new INDArray[slots];
        this.slabs = new Slab[slots];
    }

    /**
     * @param slot the slot, ≥ 0
     * @param array the array now in that slot
     * @return a view of its memory (the one kept if the slot held this very array), or null if it is not plain memory
     */
    Slab of(int slot, INDArray array) {
        if (slot >= arrays.length) {
            int size = Math.max(slot + 1, 2 * arrays.length);
            arrays = java.util.Arrays.copyOf(arrays, size);
            slabs = java.util.Arrays.copyOf(slabs, size);
        }
        if (arrays[slot] != array) {
            arrays[slot] = array;
            slabs[slot] = Slab.isPlain(array) ? Slab.of(array) : null;
        }
        return slabs[slot];
    }

    /**
     * @param views the kept views, or null for none
     * @param slot a slot
     * @param array an array
     * @return the view of the array (a new one without kept views), or null if it is not plain memory
     */
    static Slab of(MemoryViews views, int slot, INDArray array) {
        if (views != null) {
            return views.of(slot, array);
        }
        return Slab.isPlain(array) ? Slab.of(array) : null;
    }
}

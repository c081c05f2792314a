package unrolled.fast;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Named work buffers that outlive one call, so that the next call of the same shape reuses their memory instead of
 * allocating it again.
 *
 * <p>Why: ND4J's arrays live off the Java heap and are freed only when the garbage collector finds their small Java
 * wrappers unreachable; a fast path that allocates tens of megabytes per call and little heap fills the off-heap limit
 * long before a collection runs, and JavaCPP then forces full collections inside the allocation. Measured here: four
 * (64, 100, 1024) FLOAT allocations per call grew from 70 to 290 ms of CPU once that started — more than the whole
 * pass. Reusing the buffers takes that cost away.
 *
 * <p>Every buffer taken from a workspace must be completely overwritten by its user before it is read: its old values
 * are those of the previous call.
 */
final class Workspace {

    private final DataType dataType;
    private final Map<String, Slab> slabs = new HashMap<>();
    /** The tape whose buffers these are at the moment, or null. */
    Tape owner;

    Workspace(DataType dataType) {
        this.dataType = dataType;
    }

    /**
     * @param name the buffer's role, e.g. "gates"
     * @param shape its shape
     * @return the buffer of that name if it has that shape (holding old values), else a new all-zero one
     */
    Slab get(String name, long... shape) {
        Slab slab = slabs.get(name);
        if (slab == null || !Arrays.equals(slab.array.shape(), shape)) {
            slab = Slab.of(Nd4j.zeros(dataType, shape));
            slabs.put(name, slab);
        }
        return slab;
    }
}

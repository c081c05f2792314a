package unrolled.fast;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.cell.State;
import unrolled.param.Gradients;

/**
 * The arrays one training step made for itself (activations, caches, gradients), to be given back at once when the
 * step is over: what a training loop does so that the next step reuses warm memory instead of touching fresh memory.
 *
 * <p>ND4J frees an array's off-heap memory only when the garbage collector finds the array unreachable, which in a
 * tight training loop can be many steps later; until then every step lands on fresh memory, whose first touch costs
 * page faults (see {@link FastRecurrentLayer#release(unrolled.recurrent.RecurrentLayer.Result)}). PyTorch frees a
 * step's tensors as soon as their last reference goes; a model hands its step's arrays to a {@code StepArrays} and the
 * trainer runs it once the optimiser has applied the gradients.
 *
 * <p>Only arrays that own their memory are closed (a view's close would do nothing), each once; arrays added twice or
 * already closed are skipped. Add only arrays the step itself created and that nothing reads after the step: never the
 * caller's inputs or the model's parameters.
 */
public final class StepArrays implements Runnable {

    private final List<INDArray> arrays = new ArrayList<>();

    /**
     * @param array an array the step made, or null (ignored)
     * @return this, for chaining
     */
    public StepArrays add(INDArray array) {
        if (array != null) {
            arrays.add(array);
        }
        return this;
    }

    /**
     * @param states states the step made (h and c of each), or null (ignored)
     * @return this, for chaining
     */
    public StepArrays addStates(List<State> states) {
        if (states != null) {
            for (State state : states) {
                if (state != null) {
                    add(state.h());
                    add(state.c());
                }
            }
        }
        return this;
    }

    /**
     * @param gradients gradients the step made, every one a fresh array of the step's own
     * @return this, for chaining
     */
    public StepArrays addAll(Gradients gradients) {
        for (Map.Entry<String, INDArray> entry : gradients) {
            add(entry.getValue());
        }
        return this;
    }

    /** Closes every array added that owns its memory and is not closed yet; the arrays cannot be read afterwards. */
    @Override
    public void run() {
        for (INDArray array : arrays) {
            if (!array.wasClosed() && array.closeable()) {
                array.close();
            }
        }
        arrays.clear();
    }
}

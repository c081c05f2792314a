package unrolled.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class SizedBlockTest {

    /** The smallest block: two sizes and a type. */
    private static final class Block extends SizedBlock {
        Block(int inputSize, int outputSize, DataType dataType) {
            super("Block", "D=" + inputSize + ", K=" + outputSize, dataType);
        }
    }

    @Test
    void aBlockPrintsItsNameSizesAndType() {
        Block block = new Block(3, 4, DataType.FLOAT);
        assertEquals("Block(D=3, K=4, FLOAT)", block.toString());
        assertEquals(DataType.FLOAT, block.dataType());
    }

    @Test
    void aBlockRefusesATypeItCannotComputeIn() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Block(3, 4, DataType.INT32));
        assertEquals("Block: dataType must be DOUBLE or FLOAT, but is INT.", e.getMessage());
    }
}

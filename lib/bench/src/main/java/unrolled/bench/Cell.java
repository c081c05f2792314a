package unrolled.bench;

import org.nd4j.linalg.api.buffer.DataType;
import unrolled.cell.GruCell;
import unrolled.cell.LstmCell;
import unrolled.cell.RecurrentCell;
import unrolled.cell.RnnCell;

/** The cells benchmarked, with the number of H-wide gate blocks their fused products compute. */
enum Cell {
    /** i, f, o, g: 4 blocks. */
    LSTM(4),
    /** r, z, n: 3 blocks. */
    GRU(3),
    /** tanh RNN: 1 block. */
    RNN(1);

    /** G, the gate blocks: the fused weights are (D + H, G·H). */
    final int gates;

    Cell(int gates) {
        this.gates = gates;
    }

    /** @return a FLOAT cell of this kind, seeded */
    RecurrentCell<Object> create(int input, int hidden, long seed) {
        RecurrentCell<?> cell = switch (this) {
            case LSTM -> new LstmCell(input, hidden, DataType.FLOAT, seed);
            case GRU -> new GruCell(input, hidden, DataType.FLOAT, seed);
            case RNN -> new RnnCell(input, hidden, RnnCell.Activation.TANH, DataType.FLOAT, seed);
        };
        @SuppressWarnings("unchecked")
        RecurrentCell<Object> erased = (RecurrentCell<Object>) cell;
        return erased;
    }
}

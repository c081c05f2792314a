package unrolled.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.cell.GruCell;
import unrolled.cell.LstmCell;
import unrolled.cell.LstmGate;
import unrolled.cell.RecurrentCell;
import unrolled.cell.RnnCell;
import unrolled.layer.Dropout;
import unrolled.param.Parameters;
import unrolled.tensor.ShapeException;

/** The bridge's layout, Java side only; tools/tests/test_pytorch.py checks it against PyTorch itself. */
class TorchWeightsTest {

    private static final int D = 3;
    private static final int H = 4;

    @Test
    void lstmExportTransposesAndPutsTheCandidateBeforeTheOutputGate() {
        LstmCell cell = new LstmCell(D, H, DataType.DOUBLE, 1);
        // mark every block of Wx with its gate's number so the reordering is visible
        for (LstmGate gate : LstmGate.values()) {
            gate.block(cell.parameters().get("Wx"), H).assign(gate.ordinal());
        }
        Parameters stateDict = TorchWeights.export(cell);
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"), List.copyOf(stateDict.names()));
        INDArray weightIh = stateDict.get("weight_ih_l0");
        assertEquals(List.of(4L * H, (long) D), List.of(weightIh.size(0), weightIh.size(1)));
        List<LstmGate> torchOrder = List.of(LstmGate.INPUT, LstmGate.FORGET, LstmGate.CANDIDATE, LstmGate.OUTPUT);
        for (int k = 0; k < 4; k++) {
            INDArray rows = weightIh.get(NDArrayIndex.interval(k * H, (k + 1) * H), NDArrayIndex.all());
            assertEquals(torchOrder.get(k).ordinal(), rows.minNumber().intValue(), "block " + k);
            assertEquals(torchOrder.get(k).ordinal(), rows.maxNumber().intValue(), "block " + k);
        }
        // the forget bias (1) sits in block 1 of bias_ih; bias_hh is all zero
        assertEquals(1.0, stateDict.get("bias_ih_l0").get(NDArrayIndex.interval(H, 2 * H)).minNumber().doubleValue());
        assertEquals(0.0, stateDict.get("bias_hh_l0").amaxNumber().doubleValue());
        INDArray Wh = cell.parameters().get("Wh");
        // weight_hh row k·H + j, column m = Wh[m, column j of gate k]
        assertEquals(Wh.getDouble(2, LstmGate.OUTPUT.offset(H) + 1),
                stateDict.get("weight_hh_l0").getDouble(3 * H + 1, 2), 0.0);
    }

    @Test
    void gruKeepsItsOrderAndItsTwoBiases() {
        GruCell cell = new GruCell(D, H, DataType.DOUBLE, 2);
        cell.parameters().get("bx").assign(Nd4j.linspace(DataType.DOUBLE, 1, 3 * H, 1).reshape(1, 3 * H));
        cell.parameters().get("bh").assign(Nd4j.linspace(DataType.DOUBLE, -1, 3 * H, -1).reshape(1, 3 * H));
        Parameters stateDict = TorchWeights.export(cell);
        assertEquals(cell.parameters().get("Wx").transpose(), stateDict.get("weight_ih_l0"));
        assertEquals(cell.parameters().get("bx").reshape(3 * H), stateDict.get("bias_ih_l0"));
        assertEquals(cell.parameters().get("bh").reshape(3 * H), stateDict.get("bias_hh_l0"));
    }

    @Test
    void loadingAddsTheTwoBiasesOfAnLstmAndAnRnn() {
        for (RecurrentCell<?> cell : List.<RecurrentCell<?>>of(new LstmCell(D, H, DataType.DOUBLE, 3),
                new RnnCell(D, H, RnnCell.Activation.TANH, DataType.DOUBLE, 3))) {
            Parameters stateDict = TorchWeights.export(cell);
            INDArray b = stateDict.get("bias_ih_l0").dup();
            stateDict.get("bias_ih_l0").assign(0.25);
            stateDict.get("bias_hh_l0").assign(b.sub(0.25));
            Parameters before = cell.parameters().copy();
            cell.parameters().get("b").assign(7);
            TorchWeights.load(cell, stateDict);
            assertTrue(before.get("b").equalsWithEps(cell.parameters().get("b"), 1e-15), cell.toString());
        }
    }

    @Test
    void aRoundTripGivesTheSameWeightsForEveryKindOfLayer() {
        List<RecurrentCell<?>> cells = List.of(new LstmCell(D, H, DataType.DOUBLE, 4), new GruCell(D, H, DataType.FLOAT, 4),
                new RnnCell(D, H, RnnCell.Activation.RELU, DataType.DOUBLE, 4));
        for (RecurrentCell<?> cell : cells) {
            Parameters original = cell.parameters().copy();
            Parameters stateDict = TorchWeights.export(new RecurrentLayer<>(cell));
            for (Map.Entry<String, INDArray> entry : cell.parameters()) {
                entry.getValue().assign(0);
            }
            TorchWeights.load(new RecurrentLayer<>(cell), stateDict);
            for (Map.Entry<String, INDArray> entry : original) {
                assertEquals(entry.getValue(), cell.parameters().get(entry.getKey()), cell + " " + entry.getKey());
            }
        }
    }

    @Test
    void bidirectionalAndStackedLayersAreNamedLikePyTorchs() {
        Bidirectional<LstmCell.Cache> both = new Bidirectional<>(new RecurrentLayer<>(new LstmCell(D, H, DataType.DOUBLE, 5)),
                new RecurrentLayer<>(new LstmCell(D, H, DataType.DOUBLE, 6)), Bidirectional.Merge.CONCAT);
        Parameters bidirectional = TorchWeights.export(both);
        assertTrue(bidirectional.names().containsAll(List.of("weight_ih_l0", "weight_ih_l0_reverse", "bias_hh_l0_reverse")));
        assertEquals(8, bidirectional.size());
        StackedRecurrent<GruCell.Cache> stack = new StackedRecurrent<>(List.of(new RecurrentLayer<>(new GruCell(D, H, DataType.DOUBLE, 7)),
                new RecurrentLayer<>(new GruCell(H, H, DataType.DOUBLE, 8))), new Dropout(0.0, Dropout.Mode.STANDARD, 1));
        Parameters stacked = TorchWeights.export(stack);
        assertEquals(List.of(3L * H, (long) H), List.of(stacked.get("weight_ih_l1").size(0), stacked.get("weight_ih_l1").size(1)));
        INDArray top = stack.layers().get(1).cell().parameters().get("Wh").dup();
        stack.layers().get(1).cell().parameters().get("Wh").assign(0);
        TorchWeights.load(stack, stacked);
        assertEquals(top, stack.layers().get(1).cell().parameters().get("Wh"));
    }

    @Test
    void aWrongStateDictIsRefusedBeforeAnyWeightChanges() {
        LstmCell cell = new LstmCell(D, H, DataType.DOUBLE, 9);
        Parameters before = cell.parameters().copy();
        Parameters gruStateDict = TorchWeights.export(new GruCell(D, H, DataType.DOUBLE, 9));
        ShapeException shape = assertThrows(ShapeException.class, () -> TorchWeights.load(cell, gruStateDict));
        assertEquals("TorchWeights.load: weight_ih_l0 must have shape (4H, D) = (16, 3), but has shape (12, 3).",
                shape.getMessage().lines().findFirst().orElseThrow());
        Parameters twoLayers = TorchWeights.export(cell);
        twoLayers.add("weight_ih_l1", Nd4j.zeros(DataType.DOUBLE, 16, 4));
        IllegalArgumentException extra = assertThrows(IllegalArgumentException.class, () -> TorchWeights.load(cell, twoLayers));
        assertTrue(extra.getMessage().contains("holds [weight_ih_l1], which this cell does not have"), extra.getMessage());
        Parameters noBias = new Parameters().add("weight_ih_l0", Nd4j.zeros(DataType.DOUBLE, 16, 3))
                .add("weight_hh_l0", Nd4j.zeros(DataType.DOUBLE, 16, 4));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> TorchWeights.load(cell, noBias));
        assertTrue(missing.getMessage().startsWith("TorchWeights.load: the state dict has no bias_ih_l0"), missing.getMessage());
        for (Map.Entry<String, INDArray> entry : before) {
            assertEquals(entry.getValue(), cell.parameters().get(entry.getKey()), entry.getKey());
        }
    }

    @Test
    void aLearnedInitialStateIsRefusedBecausePyTorchHasNone() {
        RecurrentLayer<LstmCell.Cache> layer = new RecurrentLayer<>(new LstmCell(D, H, DataType.DOUBLE, 10), InitialState.LEARNED);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> TorchWeights.export(layer));
        assertTrue(refused.getMessage().startsWith("TorchWeights.export: layer learns its initial state"), refused.getMessage());
    }
}

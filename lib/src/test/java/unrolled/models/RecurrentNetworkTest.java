package unrolled.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static unrolled.recurrent.Close.assertClose;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.data.Batch;
import unrolled.loss.SoftmaxCrossEntropy;
import unrolled.param.Gradients;
import unrolled.recurrent.Close;
import unrolled.data.SequenceMask;
import unrolled.tensor.ShapeException;
import unrolled.train.LossAndGradients;

class RecurrentNetworkTest {

    private static final int N = 3;
    private static final int T = 4;
    private static final int V = 6;
    private static final int D = 3;
    private static final int H = 4;
    private static final int K = 5;
    private static final int[] LENGTHS = {4, 2, 3};

    private static ModelConfiguration configuration(boolean tokens, CellType cell, boolean bidirectional) {
        ModelConfiguration base = tokens ? ModelConfiguration.ofTokens(V, D, H, K) : ModelConfiguration.ofFeatures(D, H, K);
        return base.withCell(cell).withBidirectional(bidirectional).withLayers(2).withDropout(0.25).withSeed(61);
    }

    /** Ids (N, T) in [0, V), or features (N, T, D); the padded steps hold real-looking values too. */
    private static INDArray inputs(boolean tokens) {
        if (!tokens) {
            return TestData.gaussian(7, N, T, D);
        }
        int[][] ids = new int[N][T];
        for (int n = 0; n < N; n++) {
            for (int t = 0; t < T; t++) {
                ids[n][t] = (3 * n + 5 * t + 1) % V;
            }
        }
        return Nd4j.createFromArray(ids).castTo(Batch.ID_TYPE);
    }

    @ParameterizedTest
    @CsvSource({"EVERY_STEP, true, LSTM, false", "EVERY_STEP, false, GRU, true", "FINAL_STATE, true, RNN, true",
            "FINAL_STATE, false, LSTM, false"})
    void backwardMatchesFiniteDifferencesForEveryParameter(RecurrentNetwork.Reads reads, boolean tokens, CellType cell,
            boolean bidirectional) {
        // two layers, dropout between them and before the readout, a padded batch, a loss on every entry of z
        ModelConfiguration configuration = configuration(tokens, cell, bidirectional);
        RecurrentNetwork network = new RecurrentNetwork(configuration, reads);
        INDArray inputs = inputs(tokens);
        SequenceMask mask = SequenceMask.ofLengths(LENGTHS, T);
        RecurrentNetwork.Result forward = network.forward("test", inputs, null, mask, true);
        INDArray R = TestData.gaussian(3, forward.output().shape());
        Gradients g = network.backward("test", "dz", R, forward.cache());
        g.requireMatches("test", network.parameters());
        assertEquals(List.copyOf(network.parameters().names()), List.copyOf(g.names()), "gradients in parameter order");
        assertTrue(g.globalNorm() > 0.1, "the check must compare gradients far from zero");

        GradientCheck check = GradientCheck.create().sample(4, 5);
        for (Map.Entry<String, INDArray> entry : network.parameters()) {
            check.wrt(entry.getKey(), entry.getValue(), g.get(entry.getKey()));
        }
        Close.requirePassed("RecurrentNetwork " + reads + ", " + (tokens ? "tokens" : "features") + ", " + cell
                + (bidirectional ? " bidirectional" : "") + ", 2 layers, dropout 0.25", check.run(() -> {
                    // a fresh network draws the same dropout masks; it gets the perturbed weights
                    RecurrentNetwork twin = new RecurrentNetwork(configuration, reads);
                    twin.parameters().assign(network.parameters());
                    return TestData.dot(twin.forward("test", inputs, null, mask, true).output(), R);
                }));
    }

    @ParameterizedTest
    @CsvSource({"EVERY_STEP, true, LSTM, false", "EVERY_STEP, false, GRU, true", "FINAL_STATE, true, RNN, true",
            "FINAL_STATE, false, LSTM, false"})
    void theCrossEntropyStepGivesTheNumbersOfForwardLossAndBackward(RecurrentNetwork.Reads reads, boolean tokens,
            CellType cell, boolean bidirectional) {
        ModelConfiguration configuration = configuration(tokens, cell, bidirectional);
        boolean everyStep = reads == RecurrentNetwork.Reads.EVERY_STEP;
        INDArray targets = everyStep ? Nd4j.createFromArray(new int[][] {{0, 1, 2, 3}, {4, 0, 1, 2}, {3, 4, 0, 1}})
                : Nd4j.createFromArray(new int[] {2, 0, 4});
        INDArray mask = SequenceMask.ofLengths(LENGTHS, T).toArray(DataType.DOUBLE);
        Batch batch = new Batch(inputs(tokens), targets, mask, LENGTHS);

        RecurrentNetwork readable = new RecurrentNetwork(configuration, reads);
        RecurrentNetwork.Result forward = readable.forward("test", batch.inputs(), null, ModelInput.maskOf(batch), true);
        SoftmaxCrossEntropy.Result loss = everyStep
                ? new SoftmaxCrossEntropy().compute(forward.output(), targets, mask)
                : new SoftmaxCrossEntropy().compute(forward.output(), targets);
        Gradients expected = readable.backward("test", "dz", loss.dLogits(), forward.cache());

        RecurrentNetwork fused = new RecurrentNetwork(configuration, reads);
        LossAndGradients step = fused.crossEntropyStep("test", batch, targets.dup('c').data().asInt(),
                everyStep ? mask.dup('c').data().asDouble() : null);
        assertEquals(loss.loss(), step.loss(), 1e-12);
        assertEquals(List.copyOf(expected.names()), List.copyOf(step.gradients().names()), "names, in order");
        for (String name : expected.names()) {
            assertClose(expected.get(name), step.gradients().get(name), 1e-12, name);
        }
    }

    @Test
    void aWrongGradientShapeIsRefusedInTheCallersName() {
        RecurrentNetwork tagger = new RecurrentNetwork(configuration(false, CellType.GRU, true),
                RecurrentNetwork.Reads.EVERY_STEP);
        RecurrentNetwork.Result forward = tagger.forward("SequenceTagger.forward", inputs(false), null, null, false);
        ShapeException e = assertThrows(ShapeException.class, () -> tagger.backward("SequenceTagger.backward", "dLogits",
                TestData.gaussian(1, N, K), forward.cache()));
        assertEquals("SequenceTagger.backward: dLogits must have shape (N, T, K) = (3, 4, 5), but has shape (3, 5).",
                e.getMessage());
        RecurrentNetwork classifier = new RecurrentNetwork(configuration(false, CellType.GRU, false),
                RecurrentNetwork.Reads.FINAL_STATE);
        RecurrentNetwork.Result summary = classifier.forward("SequenceClassifier.forward", inputs(false), null, null, false);
        e = assertThrows(ShapeException.class, () -> classifier.backward("SequenceClassifier.backward", "dLogits",
                TestData.gaussian(1, N, T, K), summary.cache()));
        assertEquals("SequenceClassifier.backward: dLogits must have shape (N, K) = (3, 5), but has shape (3, 4, 5).",
                e.getMessage());
    }
}

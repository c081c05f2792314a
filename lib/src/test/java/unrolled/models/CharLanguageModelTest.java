package unrolled.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.data.Batch;
import unrolled.data.Batching;
import unrolled.data.Vocabulary;
import unrolled.loss.SoftmaxCrossEntropy;
import unrolled.data.SequenceMask;
import unrolled.tensor.ShapeException;
import unrolled.train.LossAndGradients;

class CharLanguageModelTest {

    private static final int V = 6;
    private static final int D = 3;
    private static final int H = 4;

    /** Two sequences, the second padded: N = 2, T = 4 after the one-step shift, lengths 4 and 3. */
    private static Batch paddedBatch() {
        return Batching.nextToken(List.of(new int[] {2, 4, 5, 1, 4}, new int[] {2, 3, 0, 5}), DataType.DOUBLE);
    }

    private static ModelConfiguration small(CellType cell) {
        return ModelConfiguration.ofTokens(V, D, H, V).withCell(cell).withSeed(7);
    }

    /** The training loss of a model's next forward pass, computed from the public forward pass and the loss. */
    private static double trainingLoss(CharLanguageModel model, Batch batch) {
        INDArray logits = model.forward(batch.inputs(), SequenceMask.ofLengths(batch.lengths(), batch.steps()), true).logits();
        return new SoftmaxCrossEntropy().compute(logits, batch.targets(), batch.mask()).loss();
    }

    @Test
    void parametersAreNamedByPart() {
        CharLanguageModel model = new CharLanguageModel(small(CellType.GRU).withLayers(2));
        assertEquals(List.of("embedding.E", "rnn.layer0.Wx", "rnn.layer0.Wh", "rnn.layer0.bx", "rnn.layer0.bh",
                "rnn.layer1.Wx", "rnn.layer1.Wh", "rnn.layer1.bx", "rnn.layer1.bh", "output.W", "output.b"),
                List.copyOf(model.parameters().names()));
        assertArrayEquals(new long[] {V, D}, model.parameters().get("embedding.E").shape());
        assertArrayEquals(new long[] {H, 3 * H}, model.parameters().get("rnn.layer1.Wx").shape());
        assertArrayEquals(new long[] {H, V}, model.parameters().get("output.W").shape());
    }

    @Test
    void forwardMatchesTheEquationsComputedElementByElement() {
        CharLanguageModel model = new CharLanguageModel(small(CellType.RNN));
        model.parameters().get("rnn.layer0.b").assign(Nd4j.createFromArray(new double[][] {{0.1, -0.2, 0.3, 0.05}}));
        model.parameters().get("output.b").assign(Nd4j.createFromArray(new double[][] {{0.2, 0, -0.1, 0.3, 0, 0.1}}));
        int[][] ids = {{2, 4, 5, 1}, {3, 0, 5, 5}};
        INDArray logits = model.logits(Nd4j.createFromArray(ids));
        INDArray E = model.parameters().get("embedding.E");
        INDArray Wx = model.parameters().get("rnn.layer0.Wx");
        INDArray Wh = model.parameters().get("rnn.layer0.Wh");
        INDArray b = model.parameters().get("rnn.layer0.b");
        INDArray W = model.parameters().get("output.W");
        INDArray c = model.parameters().get("output.b");
        for (int n = 0; n < 2; n++) {
            double[] h = new double[H];
            for (int t = 0; t < 4; t++) {
                double[] next = new double[H];
                for (int j = 0; j < H; j++) {
                    // a = E[id]·Wx + h·Wh + b,  h = tanh(a)
                    double a = b.getDouble(0, j);
                    for (int d = 0; d < D; d++) {
                        a += E.getDouble(ids[n][t], d) * Wx.getDouble(d, j);
                    }
                    for (int k = 0; k < H; k++) {
                        a += h[k] * Wh.getDouble(k, j);
                    }
                    next[j] = Math.tanh(a);
                }
                h = next;
                for (int v = 0; v < V; v++) {
                    // z = h·W + b
                    double z = c.getDouble(0, v);
                    for (int k = 0; k < H; k++) {
                        z += h[k] * W.getDouble(k, v);
                    }
                    assertEquals(z, logits.getDouble(n, t, v), 1e-12, "z[" + n + ", " + t + ", " + v + "]");
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"RNN, 1, 0.0, 0", "LSTM, 2, 0.25, 4", "GRU, 1, 0.25, 4"})
    void lossAndGradientsMatchFiniteDifferencesForEveryParameter(CellType cell, int layers, double dropout,
            int entries) {
        // entries: 0 checks every entry; otherwise that many per parameter, to keep the larger cases fast
        // a padded batch; with two layers, dropout between them and before the readout: every path of the backward pass
        ModelConfiguration configuration = small(cell).withLayers(layers).withDropout(dropout);
        Batch batch = paddedBatch();
        ModelChecks.gradientCheck("CharLanguageModel " + cell + ", " + layers + " layers, dropout " + dropout + ", padded",
                new CharLanguageModel(configuration), () -> new CharLanguageModel(configuration),
                model -> model.lossAndGradients(batch), model -> trainingLoss(model, batch), entries);
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void theFirstLossIsAboutLnV(CellType cell) {
        // The readout starts at 0.1 × Xavier, so every logit is within about ±0.1 of 0 and the softmax is close to
        // uniform: p ≈ 1/V at every target, so the cross-entropy ≈ ln V. To second order it exceeds ln V by about
        // ½·(1 − 1/V)·Var(z) < 0.01 here; 0.02 leaves room for the batch's own randomness.
        int vocabulary = 20;
        CharLanguageModel model = new CharLanguageModel(ModelConfiguration.ofTokens(vocabulary, 8, 16, vocabulary)
                .withCell(cell).withSeed(3));
        Random random = new Random(4);
        List<int[]> sequences = new ArrayList<>();
        for (int n = 0; n < 8; n++) {
            sequences.add(random.ints(13, 0, vocabulary).toArray());
        }
        double loss = model.loss(Batching.nextToken(sequences, DataType.DOUBLE));
        assertEquals(Math.log(vocabulary), loss, 0.02);
    }

    @Test
    void aTinyBatchIsOverfittedWithAdam() {
        // contexts all differ (the sequences start differently), so the loss can go to 0
        Batch batch = Batching.nextToken(List.of(new int[] {2, 4, 5, 1, 4, 3, 0, 5, 1}, new int[] {3, 1, 0, 4, 5, 2, 2, 4}),
                DataType.FLOAT);
        CharLanguageModel model = new CharLanguageModel(ModelConfiguration.ofTokens(V, 8, 16, V).withDataType(DataType.FLOAT)
                .withSeed(5));
        List<Double> losses = ModelChecks.trainUntil(model.parameters(), model::lossAndGradients, batch, 0.05, 0.05, 200);
        assertEquals(Math.log(V), losses.get(0), 0.05, "it starts from about ln V");
        assertTrue(losses.get(losses.size() - 1) < 0.05, "loss below 0.05 within 200 Adam steps, but the losses are " + losses);
        assertTrue(model.perplexity(batch) < 1.06, "perplexity close to 1: " + model.perplexity(batch));
    }

    @ParameterizedTest
    @ValueSource(strings = {"DOUBLE", "FLOAT"})
    void saveAndLoadRoundTripBitForBit(String type, @TempDir Path directory) throws Exception {
        ModelConfiguration configuration = small(CellType.LSTM).withLayers(2).withDropout(0.1)
                .withDataType(DataType.valueOf(type));
        CharLanguageModel model = new CharLanguageModel(configuration);
        Batch batch = Batching.nextToken(List.of(new int[] {2, 4, 5, 1, 4}, new int[] {2, 3, 0, 5}),
                DataType.valueOf(type));
        ModelChecks.trainUntil(model.parameters(), model::lossAndGradients, batch, 0.05, 0, 3);
        Path file = directory.resolve("model.bin");
        model.save(file);

        CharLanguageModel loaded = CharLanguageModel.load(file);
        assertEquals(configuration, loaded.configuration());
        ModelChecks.assertBitIdentical(model.parameters(), loaded.parameters());
        assertEquals(model.logits(batch.inputs()), loaded.logits(batch.inputs()));

        CharLanguageModel fresh = new CharLanguageModel(configuration);
        fresh.loadParameters(file);
        ModelChecks.assertBitIdentical(model.parameters(), fresh.parameters());
        assertTrue(Files.size(file) > 8L * model.parameters().count() / (type.equals("FLOAT") ? 2 : 1));
    }

    @Test
    void aFileOfAnotherConfigurationOrKindIsRefused(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("model.bin");
        new CharLanguageModel(small(CellType.LSTM)).save(file);

        CharLanguageModel wider = new CharLanguageModel(small(CellType.LSTM).withLayers(2).withSeed(8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> wider.loadParameters(file));
        assertEquals("CharLanguageModel.loadParameters: " + file + " was saved from a model with another configuration: "
                + "layers is 1 in the file but 2 in this model; seed is 7 in the file but 8 in this model.", e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> SequenceTagger.load(file));
        assertEquals("SequenceTagger.load: " + file + " holds a CharLanguageModel, not a SequenceTagger.", e.getMessage());

        Path text = directory.resolve("notes.txt");
        Files.writeString(text, "not a model");
        e = assertThrows(IllegalArgumentException.class, () -> CharLanguageModel.load(text));
        assertEquals("CharLanguageModel.load: " + text + " is not a saved Unrolled model (it does not start with the bytes "
                + "UNRL).", e.getMessage());

        Path truncated = directory.resolve("truncated.bin");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 3));
        e = assertThrows(IllegalArgumentException.class, () -> CharLanguageModel.load(truncated));
        assertEquals("CharLanguageModel.load: " + truncated + " ends too early; it is truncated or not a model file.",
                e.getMessage());
    }

    @Test
    void theSameSeedGivesTheSameNumbers() {
        ModelConfiguration configuration = small(CellType.GRU).withLayers(2).withDropout(0.3);
        Batch batch = paddedBatch();
        CharLanguageModel a = new CharLanguageModel(configuration);
        CharLanguageModel b = new CharLanguageModel(configuration);
        ModelChecks.assertBitIdentical(a.parameters(), b.parameters());
        List<Double> lossesA = ModelChecks.trainUntil(a.parameters(), a::lossAndGradients, batch, 0.01, 0, 3);
        List<Double> lossesB = ModelChecks.trainUntil(b.parameters(), b::lossAndGradients, batch, 0.01, 0, 3);
        assertEquals(lossesA, lossesB, "the same dropout masks and updates");
        ModelChecks.assertBitIdentical(a.parameters(), b.parameters());

        CharLanguageModel other = new CharLanguageModel(configuration.withSeed(8));
        assertNotEquals(new CharLanguageModel(configuration).parameters().get("rnn.layer0.Wx"),
                other.parameters().get("rnn.layer0.Wx"));
    }

    // ---- sampling ----

    /** V = 7: the four specials and a, b, c. */
    private static final Vocabulary ABC = Vocabulary.ofCharacters("abcab");

    /** A model over ABC whose logits differ clearly (a readout 20 times its initial size) and never end a sample. */
    private static CharLanguageModel samplingModel() {
        CharLanguageModel model = new CharLanguageModel(ModelConfiguration.ofTokens(ABC.size(), 4, 8, ABC.size())
                .withCell(CellType.GRU).withSeed(11));
        model.parameters().get("output.W").muli(20);
        model.parameters().get("output.b").putScalar(0, Vocabulary.EOS_ID, -100);
        return model;
    }

    @Test
    void hiddenStatesAreWhatTheReadoutReadsAndIgnoreLaterTokens() {
        CharLanguageModel model = new CharLanguageModel(small(CellType.LSTM).withLayers(2));
        INDArray ids = Nd4j.createFromArray(new int[][] {{2, 4, 5, 1}, {3, 0, 5, 5}}).castTo(Batch.ID_TYPE);
        INDArray h = model.hiddenStates(ids);
        assertArrayEquals(new long[] {2, 4, H}, h.shape());
        // z_t = h_t·W + b, step by step
        INDArray W = model.parameters().get("output.W");
        INDArray b = model.parameters().get("output.b");
        INDArray logits = model.logits(ids);
        for (int n = 0; n < 2; n++) {
            for (int t = 0; t < 4; t++) {
                INDArray expected = at(h, n, t).reshape(1, H).mmul(W).addRowVector(b);
                assertEquals(0.0, expected.sub(at(logits, n, t).reshape(1, V)).amaxNumber().doubleValue(), 1e-12);
            }
        }
        // changing the last token leaves every earlier state as it was, and changes the last one
        INDArray changed = ids.dup();
        changed.putScalar(0, 3, 4);
        INDArray h2 = model.hiddenStates(changed);
        for (int t = 0; t < 3; t++) {
            assertEquals(0.0, at(h2, 0, t).sub(at(h, 0, t)).amaxNumber().doubleValue(), 0.0);
        }
        assertTrue(at(h2, 0, 3).sub(at(h, 0, 3)).amaxNumber().doubleValue() > 1e-6);
    }

    /** The vector at (n, t) of an (N, T, K) array. */
    private static INDArray at(INDArray array, int n, int t) {
        return array.get(org.nd4j.linalg.indexing.NDArrayIndex.point(n), org.nd4j.linalg.indexing.NDArrayIndex.point(t),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
    }

    @Test
    void hiddenStatesRefuseIdsOfTheWrongRank() {
        CharLanguageModel model = new CharLanguageModel(small(CellType.GRU));
        assertThrows(IllegalArgumentException.class, () -> model.hiddenStates(Nd4j.zeros(DataType.INT32, 2)));
    }

    /** An LSTM model over ABC (the one-token-at-a-time path's kind) with clear logits that never end a sample. */
    private static CharLanguageModel lstmSamplingModel(int layers, DataType type) {
        CharLanguageModel model = new CharLanguageModel(ModelConfiguration.ofTokens(ABC.size(), 4, 8, ABC.size())
                .withCell(CellType.LSTM).withLayers(layers).withDataType(type).withSeed(12));
        model.parameters().get("output.W").muli(10);
        model.parameters().get("output.b").putScalar(0, Vocabulary.EOS_ID, -100);
        return model;
    }

    @ParameterizedTest
    @CsvSource({"1, DOUBLE", "2, DOUBLE", "1, FLOAT", "2, FLOAT"})
    void anLstmGeneratesOneTokenAtATimeWhatItsLayersGenerate(int layers, DataType type) {
        CharLanguageModel fast = lstmSamplingModel(layers, type);
        CharLanguageModel readable = lstmSamplingModel(layers, type);
        readable.fastGeneration = false;
        int[] prompt = ABC.encode("abca");
        double[][] settings = {{0.0, 0}, {0.5, 0}, {1.5, 2}, {1.0, 1}};
        for (double[] setting : settings) {
            for (long seed = 1; seed <= 2; seed++) {
                int[] expected = readable.generate(prompt, 40, setting[0], (int) setting[1], seed);
                assertArrayEquals(expected, fast.generate(prompt, 40, setting[0], (int) setting[1], seed),
                        "τ = " + setting[0] + ", top-k " + (int) setting[1] + ", seed " + seed);
            }
        }
        // a sample that ends: <eos> no longer held down, drawn at some point in a long hot sample
        fast.parameters().get("output.b").putScalar(0, Vocabulary.EOS_ID, 2);
        readable.parameters().get("output.b").putScalar(0, Vocabulary.EOS_ID, 2);
        int[] ending = readable.generate(prompt, 400, 2.0, 0, 5);
        assertEquals(Vocabulary.EOS_ID, ending[ending.length - 1]);
        assertArrayEquals(ending, fast.generate(prompt, 400, 2.0, 0, 5));
    }

    @Test
    void theOneTokenPathsLogitsAreTheModelsAtEveryPosition() {
        CharLanguageModel model = lstmSamplingModel(2, DataType.DOUBLE);
        int[] ids = {1, 4, 5, 6, 4, 4, 6, 5};
        INDArray logits = model.logits(Nd4j.createFromArray(new int[][] {ids}));
        unrolled.fast.LstmGenerator generator = new unrolled.fast.LstmGenerator(model.parameters().get("embedding.E"),
                List.of(layer(model, 0), layer(model, 1)), model.parameters().get("output.W"), model.parameters().get("output.b"));
        double[] z = generator.read(new int[] {ids[0]});
        for (int t = 0; t < ids.length; t++) {
            if (t > 0) {
                z = generator.next(ids[t]);
            }
            for (int v = 0; v < ABC.size(); v++) {
                assertEquals(logits.getDouble(0, t, v), z[v], 1e-12, "z at step " + t + ", token " + v);
            }
        }
    }

    private static INDArray[] layer(CharLanguageModel model, int l) {
        return new INDArray[] {model.parameters().get("rnn.layer" + l + ".Wx"), model.parameters().get("rnn.layer" + l + ".Wh"),
                model.parameters().get("rnn.layer" + l + ".b")};
    }

    @Test
    void samplingIsReproducibleWithASeed() {
        CharLanguageModel model = samplingModel();
        String first = model.sample(ABC, "ab", 40, 1.0, 0, 1);
        assertEquals(first, model.sample(ABC, "ab", 40, 1.0, 0, 1));
        assertNotEquals(first, model.sample(ABC, "ab", 40, 1.0, 0, 2));
        assertTrue(first.startsWith("ab"), first);
    }

    @Test
    void greedyDecodingEqualsTheArgmaxOverTheWholePrefixRecomputed() {
        // the reference recomputes every step from the start, so it checks that sampling carries the state correctly
        CharLanguageModel model = samplingModel();
        int[] prompt = ABC.encode("ab");
        List<Integer> ids = new ArrayList<>();
        for (int id : prompt) {
            ids.add(id);
        }
        int[] expected = new int[12];
        for (int i = 0; i < expected.length; i++) {
            INDArray logits = model.logits(Nd4j.createFromArray(new int[][] {ids.stream().mapToInt(Integer::intValue).toArray()}));
            int best = 0;
            for (int v = 1; v < ABC.size(); v++) {
                if (logits.getDouble(0, ids.size() - 1, v) > logits.getDouble(0, ids.size() - 1, best)) {
                    best = v;
                }
            }
            expected[i] = best;
            ids.add(best);
        }
        assertArrayEquals(expected, model.generate(prompt, 12, 0.0, 0, 99));
    }

    @Test
    void aSmallTemperatureAndTopOneAreGreedy() {
        CharLanguageModel model = samplingModel();
        int[] prompt = ABC.encode("ca");
        int[] greedy = model.generate(prompt, 15, 0.0, 0, 1);
        assertArrayEquals(greedy, model.generate(prompt, 15, 1e-4, 0, 2), "τ → 0");
        assertArrayEquals(greedy, model.generate(prompt, 15, 1.0, 1, 3), "top-1 at τ = 1");
        assertArrayEquals(greedy, model.generate(prompt, 15, 5.0, 1, 4), "top-1 at τ = 5");
        assertFalse(Arrays.equals(greedy, model.generate(prompt, 15, 5.0, 0, 5)), "a hot sample is not greedy");
    }

    @Test
    void drawsFollowTheTemperedTopKDistribution() {
        double[] z = {2.0, 1.0, 0.0, -1.0, 1.0};
        Random random = new Random(12);
        int draws = 40_000;
        int[] hot = new int[z.length];
        int[] topTwo = new int[z.length];
        for (int i = 0; i < draws; i++) {
            hot[CharLanguageModel.pick(z, 2.0, 0, random)]++;
            topTwo[CharLanguageModel.pick(z, 1.0, 2, random)]++;
        }
        // τ = 2: p_v = exp(z_v / 2) / Σ_u exp(z_u / 2)
        double total = 0;
        for (double value : z) {
            total += Math.exp(value / 2);
        }
        for (int v = 0; v < z.length; v++) {
            assertEquals(Math.exp(z[v] / 2) / total, hot[v] / (double) draws, 0.01, "τ = 2, token " + v);
        }
        // top-2 keeps z_0 = 2 and, of the tied z_1 = z_4 = 1, the lower id 1: p = e²/(e² + e), e/(e² + e)
        assertEquals(Math.exp(2) / (Math.exp(2) + Math.exp(1)), topTwo[0] / (double) draws, 0.01);
        assertEquals(draws, topTwo[0] + topTwo[1], "nothing outside the top 2");
    }

    @Test
    void aWordVocabularyJoinsThePromptAndTheSampleWithASpace() {
        Vocabulary words = Vocabulary.ofWords(List.of("the", "cat", "sat"), 1);
        CharLanguageModel model = new CharLanguageModel(ModelConfiguration.ofTokens(words.size(), 4, 8, words.size())
                .withSeed(13));
        model.parameters().get("output.b").assign(Nd4j.createFromArray(new double[][] {{-100, -100, -100, -100, 0, 0, 0}}));
        String text = model.sample(words, "the cat", 3, 1.0, 0, 1);
        assertTrue(text.matches("the cat( (the|cat|sat)){3}"), text);
    }

    @Test
    void badSamplingArgumentsAreRefused() {
        CharLanguageModel model = samplingModel();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.sample(Vocabulary.ofCharacters("ab"), "a", 5, 1.0, 0, 1));
        assertEquals("CharLanguageModel.sample: vocabulary has V = 6 tokens, but this model was built for V = 7.",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> model.sample(ABC, "a", 5, -1.0, 0, 1));
        assertEquals("CharLanguageModel.sample: temperature must be finite and ≥ 0 (0 for greedy), but is -1.0.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> model.sample(ABC, "a", 5, 1.0, 8, 1));
        assertEquals("CharLanguageModel.sample: topK must be in [0, V] = [0, 7] (0 keeps every token), but is 8.",
                e.getMessage());
    }

    // ---- refusals and inputs ----

    @Test
    void configurationsThatAreNoLanguageModelAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CharLanguageModel(ModelConfiguration.ofTokens(V, D, H, V + 1)));
        assertEquals("CharLanguageModel: a language model scores every token of the vocabulary, so outputSize must equal "
                + "vocabularySize V = 6, but is 7.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new CharLanguageModel(ModelConfiguration.ofTokens(V, D, H, V).withBidirectional(true)));
        assertTrue(e.getMessage().startsWith("CharLanguageModel: a language model predicts the next token from the tokens "
                + "before it"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CharLanguageModel(ModelConfiguration.ofFeatures(D, H, V)));
        assertEquals("CharLanguageModel: a language model reads token ids, so vocabularySize must be positive, but is 0; "
                + "use ModelConfiguration.ofTokens.", e.getMessage());
    }

    @Test
    void badInputsAreRefusedWithTheExpectedMessage() {
        CharLanguageModel model = new CharLanguageModel(small(CellType.RNN));
        ShapeException e = assertThrows(ShapeException.class,
                () -> model.logits(Nd4j.createFromArray(new double[][] {{1, 2}})));
        assertEquals("CharLanguageModel.forward: inputs must be token ids of an integer data type such as INT or LONG, but "
                + "have DOUBLE. Convert them with castTo(DataType.INT32).", e.getMessage());
        e = assertThrows(ShapeException.class, () -> model.logits(Nd4j.createFromArray(new int[] {1, 2})));
        assertEquals("CharLanguageModel.forward: inputs must have shape (N, T) = (?, ?), but has shape (2,).", e.getMessage());
        Batch batch = paddedBatch();
        Batch wrongTargets = new Batch(batch.inputs(), batch.targets().get(
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3)).dup(),
                batch.mask(), batch.lengths());
        e = assertThrows(ShapeException.class, () -> model.lossAndGradients(wrongTargets));
        assertEquals("CharLanguageModel.lossAndGradients: targets must have shape (N, T) = (2, 4), but has shape (2, 3).",
                e.getMessage());
    }

    @Test
    void trainingLeavesTheBatchUnchanged() {
        CharLanguageModel model = new CharLanguageModel(small(CellType.LSTM).withDropout(0.2));
        Batch batch = paddedBatch();
        INDArray inputs = batch.inputs().dup();
        INDArray targets = batch.targets().dup();
        INDArray mask = batch.mask().dup();
        LossAndGradients result = model.lossAndGradients(batch);
        assertTrue(Double.isFinite(result.loss()));
        assertEquals(inputs, batch.inputs());
        assertEquals(targets, batch.targets());
        assertEquals(mask, batch.mask());
    }
}

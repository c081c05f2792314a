package unrolled.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.TestData;
import unrolled.fast.ParameterPass;
import unrolled.param.Gradients;
import unrolled.param.Parameters;
import unrolled.train.LossAndGradients;
import unrolled.train.Trainer;

/**
 * The one-pass parameter updates ({@link ParameterPass}) against the readable code they replace: Adam's rule as
 * written (operation by operation), {@link Clipping#byGlobalNorm} and {@link Gradients#globalNorm()}.
 */
class FusedParameterUpdateTest {

    /** Three parameters of different shapes; the third a view (a column range), which the fused pass must decline. */
    private static Parameters parameters(DataType type, boolean withView) {
        Parameters parameters = new Parameters()
                .add("W", TestData.gaussian(1, 7, 5).castTo(type))
                .add("b", TestData.gaussian(2, 1, 5).castTo(type));
        if (withView) {
            parameters.add("V", TestData.gaussian(3, 4, 6).castTo(type).get(NDArrayIndex.all(), NDArrayIndex.interval(1, 4)));
        }
        return parameters;
    }

    private static Gradients gradients(Parameters parameters, long seed, double scale) {
        Gradients gradients = new Gradients();
        long k = seed;
        for (Map.Entry<String, INDArray> entry : parameters) {
            gradients.accumulate(entry.getKey(), TestData.gaussian(k++, entry.getValue().shape()).castTo(entry.getValue().dataType())
                    .muli(scale));
        }
        return gradients;
    }

    private static void assertClose(Parameters expected, Parameters actual, double tolerance) {
        for (Map.Entry<String, INDArray> entry : expected) {
            INDArray a = actual.get(entry.getKey());
            double[] e = entry.getValue().dup().data().asDouble();
            double[] got = a.dup().data().asDouble();
            for (int i = 0; i < e.length; i++) {
                assertEquals(e[i], got[i], tolerance * Math.max(1, Math.abs(e[i])), entry.getKey() + "[" + i + "]");
            }
        }
    }

    private static void adamAgrees(DataType type, double weightDecay, double tolerance) {
        Parameters fused = parameters(type, true);
        Parameters readable = fused.copy();
        Adam fast = new Adam(0.05, 0.8, 0.99, 1e-6, weightDecay);
        Adam reference = new Adam(0.05, 0.8, 0.99, 1e-6, weightDecay);
        reference.fused = false;
        for (int step = 0; step < 6; step++) {
            fast.step(fused, gradients(fused, 10 + step, 1));
            reference.step(readable, gradients(readable, 10 + step, 1));
        }
        assertClose(readable, fused, tolerance);
        for (String name : List.of("W", "b", "V")) {
            assertClose(new Parameters().add("m", reference.firstMoment(name)), new Parameters().add("m", fast.firstMoment(name)),
                    tolerance);
            assertClose(new Parameters().add("v", reference.secondMoment(name)),
                    new Parameters().add("v", fast.secondMoment(name)), tolerance);
        }
    }

    @Test
    void theOnePassAdamStepMatchesTheRuleAsWrittenInDouble() {
        adamAgrees(DataType.DOUBLE, 0, 1e-13);
        adamAgrees(DataType.DOUBLE, 0.1, 1e-13);
    }

    @Test
    void theOnePassAdamStepMatchesTheRuleAsWrittenInFloat() {
        adamAgrees(DataType.FLOAT, 0, 2e-6);
        adamAgrees(DataType.FLOAT, 0.1, 2e-6);
    }

    @Test
    void theOnePassAdamDeclinesAViewAndLeavesItUnchanged() {
        INDArray view = TestData.gaussian(3, 4, 6).get(NDArrayIndex.all(), NDArrayIndex.interval(1, 4));
        INDArray before = view.dup();
        INDArray g = Nd4j.onesLike(view.dup());
        assertFalse(ParameterPass.adam(view, g, Nd4j.zerosLike(g), Nd4j.zerosLike(g), 0.9, 0.999, 1, 0.1, 1e-8, 0));
        assertEquals(before, view);
        assertTrue(ParameterPass.adam(view.dup(), g, Nd4j.zerosLike(g), Nd4j.zerosLike(g), 0.9, 0.999, 1, 0.1, 1e-8, 0));
    }

    @Test
    void theOneReadNormEqualsTheGlobalNormAndTheScaleEqualsClipping() {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            Parameters parameters = parameters(type, true);
            Gradients gradients = gradients(parameters, 40, 3);
            ParameterPass.Inspection inspection = ParameterPass.inspect(parameters, gradients);
            assertEquals(gradients.globalNorm(), inspection.norm(), 1e-6 * inspection.norm(), type.toString());
            assertEquals(null, inspection.nonFinite());

            Gradients clipped = gradients(parameters, 40, 3);
            Clipping.byGlobalNorm(clipped, 1.0);
            ParameterPass.scale(gradients, 1.0 / inspection.norm());
            for (Map.Entry<String, INDArray> entry : clipped) {
                assertClose(new Parameters().add("g", entry.getValue()), new Parameters().add("g", gradients.get(entry.getKey())),
                        type == DataType.DOUBLE ? 1e-12 : 1e-6);
            }
        }
    }

    @Test
    void theOneReadNamesTheFirstParameterInOrderWithANaNOrAnInfiniteEntry() {
        Parameters parameters = parameters(DataType.FLOAT, false);
        Gradients gradients = gradients(parameters, 50, 1);
        gradients.get("b").putScalar(0, 3, Float.POSITIVE_INFINITY);
        ParameterPass.Inspection infinite = ParameterPass.inspect(parameters, gradients);
        assertEquals("b", infinite.nonFinite());
        assertFalse(infinite.nan());
        gradients.get("W").putScalar(6, 4, Float.NaN);
        ParameterPass.Inspection nan = ParameterPass.inspect(parameters, gradients);
        assertEquals("W", nan.nonFinite());
        assertTrue(nan.nan());
    }

    @Test
    void aTrainerStepEqualsTheReadableLoopOfClippingAndAdam() {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            Parameters trained = parameters(type, false);
            Parameters readable = trained.copy();
            List<Integer> batches = List.of(0, 1, 2, 3);
            // gradients large enough that some steps clip and small enough that others do not
            Trainer<Integer> trainer = new Trainer<Integer>(trained, new Adam(0.05), batch -> new LossAndGradients(1.0,
                    gradients(trained, 60 + batch, batch % 2 == 0 ? 3 : 0.01))).clipGlobalNorm(1.0).quiet(true);
            trainer.fit(batches, 1);

            Adam reference = new Adam(0.05);
            reference.fused = false;
            List<Double> norms = new ArrayList<>();
            for (int batch : batches) {
                Gradients g = gradients(readable, 60 + batch, batch % 2 == 0 ? 3 : 0.01);
                norms.add(Clipping.byGlobalNorm(g, 1.0));
                reference.step(readable, g);
            }
            assertClose(readable, trained, type == DataType.DOUBLE ? 1e-12 : 2e-6);
            for (int s = 0; s < norms.size(); s++) {
                double recorded = trainer.history().steps().doubleColumn(unrolled.train.History.GRADIENT_NORM).get(s);
                assertEquals(norms.get(s), recorded, 1e-6 * norms.get(s), "norm of step " + s);
            }
        }
    }
}

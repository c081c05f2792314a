package unrolled.param;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GradientsTest {

    @Test
    void accumulateSumsTheGradientsOfASharedWeight() {
        INDArray stepOne = Nd4j.createFromArray(1.0, 2.0);
        Gradients g = new Gradients().accumulate("Wh", stepOne).accumulate("Wh", Nd4j.createFromArray(10.0, 20.0));
        assertEquals(Nd4j.createFromArray(11.0, 22.0), g.get("Wh"));
        assertEquals(Nd4j.createFromArray(1.0, 2.0), stepOne, "the first gradient is copied, not summed into");
    }

    @Test
    void takeHoldsTheFirstGradientItselfAndSumsLaterOnesIntoIt() {
        INDArray stepOne = Nd4j.createFromArray(1.0, 2.0);
        Gradients g = new Gradients().take("Wh", stepOne).take("Wh", Nd4j.createFromArray(10.0, 20.0));
        assertSame(stepOne, g.get("Wh"), "held, not copied");
        assertEquals(Nd4j.createFromArray(11.0, 22.0), stepOne);
        Gradients all = new Gradients().takeAll("layer0", g);
        assertSame(stepOne, all.get("layer0.Wh"));
        assertThrows(RuntimeException.class, () -> g.take("Wh", Nd4j.createFromArray(1.0, 2.0, 3.0)));
    }

    @Test
    void aCopyHoldsItsOwnArraysUnderTheSameNamesInTheSameOrder() {
        Gradients g = new Gradients().accumulate("b", Nd4j.createFromArray(1.0, 2.0)).accumulate("Wx", Nd4j.createFromArray(3.0));
        Gradients copy = g.copy();
        assertEquals(java.util.List.of("b", "Wx"), java.util.List.copyOf(copy.names()));
        copy.get("b").muli(10);
        assertEquals(Nd4j.createFromArray(1.0, 2.0), g.get("b"), "the original is unchanged");
        assertEquals(Nd4j.createFromArray(10.0, 20.0), copy.get("b"));
        assertEquals(Nd4j.createFromArray(3.0), copy.get("Wx"));
    }

    @Test
    void globalNormIsTheNormOfAllEntriesTogether() {
        Gradients g = new Gradients().accumulate("a", Nd4j.createFromArray(3.0)).accumulate("b", Nd4j.createFromArray(4.0, 0.0));
        assertEquals(5.0, g.globalNorm(), 1e-12);
    }

    @Test
    void requireMatchesNamesMissingAndMisshapenGradients() {
        Parameters p = new Parameters().add("Wx", Nd4j.zeros(2, 3)).add("b", Nd4j.zeros(1, 3));
        Gradients missing = new Gradients().accumulate("Wx", Nd4j.zeros(2, 3));
        assertEquals("Adam.step: gradients are for [Wx], but the parameters are [Wx, b].",
                assertThrows(IllegalArgumentException.class, () -> missing.requireMatches("Adam.step", p)).getMessage());
        Gradients misshapen = new Gradients().accumulate("Wx", Nd4j.zeros(3, 2)).accumulate("b", Nd4j.zeros(1, 3));
        assertEquals("Adam.step: gradient of Wx must have shape (2, 3), but has shape (3, 2). It looks transposed: use .transpose().",
                assertThrows(IllegalArgumentException.class, () -> misshapen.requireMatches("Adam.step", p)).getMessage());
    }

    @Test
    void prefixedAccumulationComposesNames() {
        Gradients g = new Gradients().accumulateAll("lstm", new Gradients().accumulate("Wx", Nd4j.ones(1)));
        assertEquals(Nd4j.ones(1), g.get("lstm.Wx"));
    }
}

package unrolled.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import unrolled.TestData;
import unrolled.check.GradientCheck;
import unrolled.layer.LayerGradients;

class TemporalConvNetTest {

    private static final int N = 2;
    private static final int T = 9;
    private static final int D = 2;
    private static final int F = 3;

    private static TemporalConvNet network(Padding padding) {
        TemporalConvNet net = new TemporalConvNet(D, F, 3, 2, padding, DataType.DOUBLE, 4);
        for (String name : net.parameters().names()) {
            if (name.endsWith(".b")) {
                net.parameters().get(name).assign(TestData.gaussian(name.hashCode(), 1, F).muli(0.3));
            }
        }
        return net;
    }

    @Test
    void backwardMatchesFiniteDifferencesForTheInputAndEveryParameter() {
        for (Padding padding : new Padding[] {Padding.CAUSAL, Padding.SAME}) {
            TemporalConvNet net = network(padding);
            INDArray x = TestData.gaussian(1, N, T, D);
            INDArray R = TestData.gaussian(2, N, T, F);
            LayerGradients g = net.backward(R, net.forward(x).cache());
            GradientCheck check = GradientCheck.create().wrt("x", x, g.dx());
            for (String name : net.parameters().names()) {
                check.wrt(name, net.parameters().get(name), g.parameters().get(name));
            }
            check.run(() -> TestData.dot(net.forward(x).output(), R)).requirePassed();
        }
    }

    @Test
    void theReceptiveFieldDoublesWithEveryLayer() {
        assertEquals(1 + (2 - 1) * (8 - 1), network(Padding.CAUSAL).receptiveField());
        assertEquals(1 + 2 * (1023), new TemporalConvNet(1, 4, 10, 3, Padding.CAUSAL, DataType.FLOAT, 1).receptiveField());
    }

    @Test
    void aCausalNetworkSeesExactlyItsReceptiveFieldIntoThePast() {
        TemporalConvNet net = network(Padding.CAUSAL);
        int r = net.receptiveField();
        INDArray x = TestData.gaussian(1, 1, T, D);
        INDArray y = net.forward(x).output();
        // change x_0: the outputs at t ≥ r cannot see it
        INDArray changed = x.dup();
        changed.get(NDArrayIndex.point(0), NDArrayIndex.point(0), NDArrayIndex.all()).addi(5.0);
        INDArray y2 = net.forward(changed).output();
        for (int t = r; t < T; t++) {
            INDArray a = y.get(NDArrayIndex.point(0), NDArrayIndex.point(t), NDArrayIndex.all());
            INDArray b = y2.get(NDArrayIndex.point(0), NDArrayIndex.point(t), NDArrayIndex.all());
            assertTrue(a.equalsWithEps(b, 0.0), "y_" + t + " is more than r = " + r + " steps after x_0");
        }
        // and a change at the last step reaches no earlier output
        INDArray future = x.dup();
        future.get(NDArrayIndex.point(0), NDArrayIndex.point(T - 1), NDArrayIndex.all()).addi(5.0);
        INDArray y3 = net.forward(future).output();
        assertTrue(y.get(NDArrayIndex.all(), NDArrayIndex.interval(0, T - 1), NDArrayIndex.all())
                .equalsWithEps(y3.get(NDArrayIndex.all(), NDArrayIndex.interval(0, T - 1), NDArrayIndex.all()), 0.0));
    }

    @Test
    void validPaddingIsRefusedBecauseTheResidualsNeedEqualLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TemporalConvNet(D, F, 3, 2, Padding.VALID, DataType.DOUBLE, 1));
        assertEquals("TemporalConvNet: padding must be CAUSAL or SAME, so that every layer keeps T steps for its residual "
                + "connection, but is VALID.", e.getMessage());
    }
}

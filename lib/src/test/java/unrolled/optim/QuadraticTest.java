package unrolled.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import unrolled.TestData;
import unrolled.param.Gradients;
import unrolled.param.Parameters;

/** Every optimiser minimises f(θ) = ½‖θ − θ*‖², whose gradient is θ − θ*, over two named parameters. */
class QuadraticTest {

    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("Sgd", (Supplier<Optimizer>) () -> new Sgd(0.1)),
                Arguments.of("Momentum", (Supplier<Optimizer>) () -> new Momentum(0.05, 0.9)),
                Arguments.of("Nesterov", (Supplier<Optimizer>) () -> new Momentum(0.05, 0.9, true, 0)),
                Arguments.of("Adam", (Supplier<Optimizer>) () -> new Adam(0.05)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void everyOptimiserReachesTheMinimumOfAQuadratic(String name, Supplier<Optimizer> create) {
        Optimizer optimizer = create.get();
        Map<String, INDArray> targets = Map.of("W", TestData.gaussian(11, 3, 4), "b", TestData.gaussian(12, 1, 4));
        Parameters parameters = new Parameters().add("W", TestData.gaussian(1, 3, 4).muli(3)).add("b", TestData.gaussian(2, 1, 4));
        double start = distance(parameters, targets);
        for (int step = 0; step < 1000; step++) {
            Gradients gradients = new Gradients();
            // ∂f/∂θ = θ − θ*
            for (Map.Entry<String, INDArray> entry : parameters) {
                gradients.accumulate(entry.getKey(), entry.getValue().sub(targets.get(entry.getKey())));
            }
            optimizer.step(parameters, gradients);
        }
        double end = distance(parameters, targets);
        assertTrue(start > 1, name + " started at distance " + start);
        assertTrue(end < 1e-4, name + " ended at distance " + end + " from θ* (started at " + start + ")");
    }

    private static double distance(Parameters parameters, Map<String, INDArray> targets) {
        double sum = 0;
        for (Map.Entry<String, INDArray> entry : parameters) {
            double d = entry.getValue().sub(targets.get(entry.getKey())).norm2Number().doubleValue();
            sum += d * d;
        }
        return Math.sqrt(sum);
    }
}

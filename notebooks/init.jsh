// Imports shared by every notebook. Loaded by the first cell of each notebook with %load.
// Plain Java imports only: no magics, no printing, no class definitions (they must work in every kernel).
import java.awt.image.BufferedImage;
import java.util.*;
import java.util.function.*;
import java.util.stream.*;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import org.knowm.xchart.*;

import tech.tablesaw.api.*;

import unrolled.notebook.*;
import unrolled.plot.Charts;
import unrolled.tensor.Shapes;

import unrolled.cell.*;
import unrolled.recurrent.*;
import unrolled.recurrent.probe.HiddenGradientNorms;
import unrolled.layer.Affine;
import unrolled.layer.TimeDistributedAffine;
import unrolled.param.Gradients;
import unrolled.param.Parameters;
import unrolled.check.GradientCheck;
import unrolled.plot.Diagrams;
import unrolled.plot.Heatmaps;
import unrolled.plot.Plots;
import unrolled.recurrent.probe.JacobianProducts;
import unrolled.recurrent.probe.SingularValues;
import unrolled.param.Init;
import unrolled.loss.MeanSquaredError;
import unrolled.loss.SoftmaxCrossEntropy;
import unrolled.loss.Metrics;
import unrolled.optim.Adam;
import unrolled.optim.Clipping;
import unrolled.optim.Sgd;
import unrolled.train.*;
import unrolled.data.Batch;
import unrolled.data.SyntheticTasks;

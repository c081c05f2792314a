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

// Recurrent cells, layers, training and plots (notebooks 05 and 06).
import unrolled.cell.GruCell;
import unrolled.cell.GruGate;
import unrolled.cell.LstmCell;
import unrolled.cell.LstmGate;
import unrolled.cell.RecurrentCell;
import unrolled.cell.RnnCell;
import unrolled.cell.State;
import unrolled.cell.StepGradients;
import unrolled.data.Batch;
import unrolled.data.SyntheticTasks;
import unrolled.layer.Affine;
import unrolled.loss.Metrics;
import unrolled.loss.SoftmaxCrossEntropy;
import unrolled.optim.Adam;
import unrolled.param.Gradients;
import unrolled.param.Parameters;
import unrolled.plot.Diagrams;
import unrolled.plot.Heatmaps;
import unrolled.plot.Plots;
import unrolled.recurrent.RecurrentLayer;
import unrolled.recurrent.SequenceGradients;
import unrolled.recurrent.probe.HiddenGradientNorms;
import unrolled.train.LossAndGradients;
import unrolled.train.Trainer;
import unrolled.train.TrainingStep;

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

// The helper library, package by package.
// unrolled.notebook class by class: a notebook's own `class Exercise` then clashes with the library's (an error
// at once) instead of silently replacing it, as it would behind a wildcard import.
import unrolled.notebook.Answer;
import unrolled.notebook.Card;
import unrolled.notebook.Difficulty;
import unrolled.notebook.Drill;
import unrolled.notebook.Exercise;
import unrolled.notebook.Findings;
import unrolled.notebook.Html;
import unrolled.notebook.Notebook;
import unrolled.notebook.Questions;
import unrolled.notebook.Quiz;
import unrolled.notebook.QuizRound;
import unrolled.notebook.Tables;
import unrolled.tensor.Shapes;
import unrolled.param.*;
import unrolled.cell.*;
import unrolled.recurrent.*;
import unrolled.recurrent.probe.*;
import unrolled.layer.*;
import unrolled.conv.*;
import unrolled.transformer.*;
import unrolled.family.*;
import unrolled.loss.*;
import unrolled.metrics.*;
import unrolled.optim.*;
import unrolled.train.*;
import unrolled.models.*;
import unrolled.data.*;
import unrolled.timeseries.*;
import unrolled.fast.*;
import unrolled.check.*;
import unrolled.plot.*;
import unrolled.attention.*;
import unrolled.seq2seq.*;
import unrolled.hierarchical.*;

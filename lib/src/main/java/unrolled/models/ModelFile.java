package unrolled.models;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import unrolled.param.Parameters;
import unrolled.tensor.Shapes;

/**
 * The file format of a saved model, written and read with {@link DataOutputStream} / {@link DataInputStream}
 * (big-endian):
 *
 * <pre>
 *   int     magic 0x554E524C ("UNRL")            int  format version 1
 *   UTF     the model's kind, e.g. "CharLanguageModel"
 *   int     S, then S × (UTF name, UTF value)    the {@link ModelConfiguration#settings()}
 *   int     P, then P × parameter:
 *           UTF name   UTF data type (DOUBLE or FLOAT)   int rank   rank × long size
 *           every entry in row-major order: the raw bits of a double (long) or of a float (int)
 * </pre>
 *
 * Values are stored as their exact bits, so loading gives bit-identical parameters. Reading refuses, with a message
 * that names the file and the difference, a file that is not a model file, a model of another kind, another
 * configuration, or other parameter names, shapes or types.
 */
final class ModelFile {

    /** "UNRL" in ASCII. */
    static final int MAGIC = 0x554E524C;
    /** The version of the layout above. */
    static final int VERSION = 1;

    /**
     * What a file holds.
     *
     * @param kind the model's kind
     * @param settings the configuration's settings, in file order
     * @param parameters the arrays, by name, in file order
     */
    record Contents(String kind, Map<String, String> settings, Parameters parameters) {
    }

    private ModelFile() {
    }

    /**
     * Writes a model.
     *
     * @param method the public method, for messages
     * @param path where to write; an existing file is replaced
     * @param kind the model's kind
     * @param configuration the model's configuration
     * @param parameters the model's live parameters, read and not modified
     */
    static void write(String method, Path path, String kind, ModelConfiguration configuration, Parameters parameters) {
        Objects.requireNonNull(path, method + ": path must not be null");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(path)))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(kind);
            Map<String, String> settings = configuration.settings();
            out.writeInt(settings.size());
            for (Map.Entry<String, String> setting : settings.entrySet()) {
                out.writeUTF(setting.getKey());
                out.writeUTF(setting.getValue());
            }
            out.writeInt(parameters.size());
            for (Map.Entry<String, INDArray> entry : parameters) {
                INDArray array = entry.getValue();
                out.writeUTF(entry.getKey());
                out.writeUTF(array.dataType().name());
                out.writeInt(array.rank());
                for (long size : array.shape()) {
                    out.writeLong(size);
                }
                INDArray rowMajor = array.dup('c');
                if (array.dataType() == DataType.DOUBLE) {
                    for (double value : rowMajor.data().asDouble()) {
                        out.writeLong(Double.doubleToRawLongBits(value));
                    }
                } else {
                    for (float value : rowMajor.data().asFloat()) {
                        out.writeInt(Float.floatToRawIntBits(value));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(method + ": could not write " + path, e);
        }
    }

    /**
     * Reads a model file of a given kind.
     *
     * @param method the public method, for messages
     * @param path the file
     * @param kind the kind the caller expects
     * @return the file's settings and parameters
     * @throws IllegalArgumentException if it is not a model file, or holds another kind of model
     */
    static Contents read(String method, Path path, String kind) {
        Objects.requireNonNull(path, method + ": path must not be null");
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(path)))) {
            if (readMagic(in) != MAGIC) {
                throw new IllegalArgumentException(method + ": " + path + " is not a saved Unrolled model (it does not start "
                        + "with the bytes UNRL).");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException(method + ": " + path + " has format version " + version
                        + ", but this library reads version " + VERSION + ".");
            }
            String fileKind = in.readUTF();
            if (!fileKind.equals(kind)) {
                throw new IllegalArgumentException(method + ": " + path + " holds a " + fileKind + ", not a " + kind + ".");
            }
            Map<String, String> settings = new LinkedHashMap<>();
            int settingCount = in.readInt();
            for (int i = 0; i < settingCount; i++) {
                settings.put(in.readUTF(), in.readUTF());
            }
            Parameters parameters = new Parameters();
            int parameterCount = in.readInt();
            for (int i = 0; i < parameterCount; i++) {
                String name = in.readUTF();
                DataType type = DataType.valueOf(in.readUTF());
                long[] shape = new long[in.readInt()];
                long length = 1;
                for (int axis = 0; axis < shape.length; axis++) {
                    shape[axis] = in.readLong();
                    length *= shape[axis];
                }
                INDArray array;
                if (type == DataType.DOUBLE) {
                    double[] values = new double[Math.toIntExact(length)];
                    for (int j = 0; j < values.length; j++) {
                        values[j] = Double.longBitsToDouble(in.readLong());
                    }
                    array = Nd4j.createFromArray(values).reshape('c', shape);
                } else if (type == DataType.FLOAT) {
                    float[] values = new float[Math.toIntExact(length)];
                    for (int j = 0; j < values.length; j++) {
                        values[j] = Float.intBitsToFloat(in.readInt());
                    }
                    array = Nd4j.createFromArray(values).reshape('c', shape);
                } else {
                    throw new IllegalArgumentException(method + ": " + path + " stores parameter " + name + " as " + type
                            + "; a model file holds DOUBLE or FLOAT only.");
                }
                parameters.add(name, array);
            }
            if (in.read() != -1) {
                throw new IllegalArgumentException(method + ": " + path + " has bytes after its last parameter; it is not a "
                        + "file this library wrote.");
            }
            return new Contents(fileKind, settings, parameters);
        } catch (EOFException e) {
            throw new IllegalArgumentException(method + ": " + path + " ends too early; it is truncated or not a model file.", e);
        } catch (IOException e) {
            throw new UncheckedIOException(method + ": could not read " + path, e);
        }
    }

    /**
     * Rebuilds a saved model: its configuration, then its parameters, bit-identical to those saved.
     *
     * @param method the public method called, for the messages, e.g. {@code "SequenceTagger.load"}
     * @param path a file written by {@link #write}
     * @param kind the model's class name, which the file must hold
     * @param build the model's constructor
     * @param <M> the model's type
     * @return the model
     */
    static <M extends RecurrentModel> M load(String method, Path path, String kind, Function<ModelConfiguration, M> build) {
        Contents contents = read(method, path, kind);
        M model = build.apply(configuration(method, path, contents));
        assign(method, path, contents, model.parameters);
        return model;
    }

    private static int readMagic(DataInputStream in) throws IOException {
        byte[] start = in.readNBytes(4);
        return start.length < 4 ? 0 : ((start[0] & 0xFF) << 24) | ((start[1] & 0xFF) << 16) | ((start[2] & 0xFF) << 8)
                | (start[3] & 0xFF);
    }

    /**
     * @param method the public method, for messages
     * @param path the file
     * @param contents what it holds
     * @return the configuration the file was saved with
     * @throws IllegalArgumentException naming the file if its settings cannot be read
     */
    static ModelConfiguration configuration(String method, Path path, Contents contents) {
        try {
            return ModelConfiguration.fromSettings(contents.settings());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(method + ": " + path + " holds settings this library cannot read: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Checks that a file was saved from a model of exactly this configuration.
     *
     * @param method the public method, for messages
     * @param path the file
     * @param contents what it holds
     * @param configuration the configuration of the model being loaded into
     * @throws IllegalArgumentException naming every setting that differs
     */
    static void requireConfiguration(String method, Path path, Contents contents, ModelConfiguration configuration) {
        Map<String, String> expected = configuration.settings();
        if (contents.settings().equals(expected)) {
            return;
        }
        StringBuilder differences = new StringBuilder();
        for (String name : union(contents.settings(), expected)) {
            String inFile = contents.settings().get(name);
            String inModel = expected.get(name);
            if (!Objects.equals(inFile, inModel)) {
                differences.append(differences.length() == 0 ? "" : "; ").append(name).append(" is ")
                        .append(inFile == null ? "missing" : inFile).append(" in the file but ")
                        .append(inModel == null ? "absent" : inModel).append(" in this model");
            }
        }
        throw new IllegalArgumentException(method + ": " + path + " was saved from a model with another configuration: "
                + differences + ".");
    }

    /**
     * Overwrites a model's live parameters with a file's, after checking names, order, shapes and types.
     *
     * @param method the public method, for messages
     * @param path the file
     * @param contents what it holds
     * @param parameters the model's live parameters
     * @throws IllegalArgumentException if the names differ, or a parameter's shape or data type differs
     */
    static void assign(String method, Path path, Contents contents, Parameters parameters) {
        Parameters stored = contents.parameters();
        if (!stored.names().stream().toList().equals(parameters.names().stream().toList())) {
            throw new IllegalArgumentException(method + ": " + path + " holds the parameters " + stored.names()
                    + ", but this model has " + parameters.names() + ".");
        }
        for (Map.Entry<String, INDArray> entry : parameters) {
            INDArray from = stored.get(entry.getKey());
            INDArray to = entry.getValue();
            if (!Arrays.equals(from.shape(), to.shape()) || from.dataType() != to.dataType()) {
                throw new IllegalArgumentException(method + ": " + path + " holds " + entry.getKey() + " as "
                        + Shapes.of(from) + " " + from.dataType() + ", but this model has it as " + Shapes.of(to) + " "
                        + to.dataType() + ".");
            }
        }
        for (Map.Entry<String, INDArray> entry : parameters) {
            entry.getValue().assign(stored.get(entry.getKey()));
        }
    }

    private static Set<String> union(Map<String, String> a, Map<String, String> b) {
        Set<String> names = new LinkedHashSet<>(a.keySet());
        names.addAll(b.keySet());
        return names;
    }
}

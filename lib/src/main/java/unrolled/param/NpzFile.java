package unrolled.param;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Named arrays in NumPy's {@code .npz} format: a zip archive with one {@code name.npy} entry per array, the file
 * {@code numpy.savez} writes and {@code numpy.load} reads. It is how weights travel between this library and Python:
 *
 * <pre>
 *   Java:    NpzFile.write(path, TorchWeights.export(layer));
 *   Python:  lstm.load_state_dict({k: torch.from_numpy(v) for k, v in numpy.load(path).items()})
 *
 *   Python:  numpy.savez(path, **{k: v.detach().numpy() for k, v in lstm.state_dict().items()})
 *   Java:    TorchWeights.load(layer, NpzFile.read(path));
 * </pre>
 *
 * <p>Each {@code .npy} entry is a magic string, a version, a header (a Python dict literal with the element type, the
 * memory order and the shape) padded to a multiple of 64 bytes, then the entries in row-major order. Written: version
 * 1.0, little-endian {@code <f8} (DOUBLE), {@code <f4} (FLOAT), {@code <i8} (LONG) or {@code <i4} (INT), C order.
 * Read: the same four types, C order, versions 1.0 to 3.0 (what NumPy writes); anything else is refused with a message
 * that names the entry and what it holds. Values keep their exact bits in both directions.
 */
public final class NpzFile {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpzFile() {
    }

    /**
     * Writes every array under its name; an existing file is replaced.
     *
     * @param path where to write, usually ending in {@code .npz}
     * @param arrays the arrays by name, any shapes, of type DOUBLE, FLOAT, LONG or INT; read, not modified
     */
    public static void write(Path path, NamedArrays arrays) {
        Objects.requireNonNull(path, "NpzFile.write: path must not be null");
        Objects.requireNonNull(arrays, "NpzFile.write: arrays must not be null");
        for (Map.Entry<String, INDArray> entry : arrays) {
            descriptor("NpzFile.write", entry.getKey(), entry.getValue().dataType());
        }
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(path))) {
            for (Map.Entry<String, INDArray> entry : arrays) {
                zip.putNextEntry(new ZipEntry(entry.getKey() + ".npy"));
                writeNpy(zip, entry.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("NpzFile.write: cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads every array of a {@code .npz} file, in the archive's order.
     *
     * @param path a file written by {@code numpy.savez} or {@link #write}
     * @return the arrays by name (the entry names without {@code .npy}), each with the file's shape and type
     */
    public static Parameters read(Path path) {
        Objects.requireNonNull(path, "NpzFile.read: path must not be null");
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("NpzFile.read: " + path + " is not a file.");
        }
        Parameters arrays = new Parameters();
        try (ZipFile zip = new ZipFile(path.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (!name.endsWith(".npy")) {
                    throw new IllegalArgumentException("NpzFile.read: every entry of " + path
                            + " must be an array ending in .npy, but it holds " + name + ".");
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    String key = name.substring(0, name.length() - ".npy".length());
                    arrays.add(key, readNpy(path + ", entry " + name, in.readAllBytes()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("NpzFile.read: cannot read " + path + " as a .npz archive: " + e.getMessage(), e);
        }
        return arrays;
    }

    private static String descriptor(String method, String name, DataType type) {
        return switch (type) {
            case DOUBLE -> "<f8";
            case FLOAT -> "<f4";
            case LONG -> "<i8";
            case INT -> "<i4";
            default -> throw new IllegalArgumentException(method + ": " + name
                    + " must be of type DOUBLE, FLOAT, LONG or INT, but is " + type + ".");
        };
    }

    private static void writeNpy(OutputStream out, INDArray array) throws IOException {
        long[] shape = array.shape();
        // a Python tuple: (3,) for one axis, (2, 3) for two, () for a scalar
        StringJoiner dims = new StringJoiner(", ", "(", shape.length == 1 ? ",)" : ")");
        for (long size : shape) {
            dims.add(Long.toString(size));
        }
        String tuple = dims.toString();
        String header = "{'descr': '" + descriptor("NpzFile.write", "array", array.dataType())
                + "', 'fortran_order': False, 'shape': " + tuple + ", }";
        // magic (6) + version (2) + header length (2) + header + '\n', padded with spaces to a multiple of 64
        int unpadded = 10 + header.length() + 1;
        header = header + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(MAGIC);
        bytes.write(new byte[] {1, 0, (byte) (header.length() & 0xFF), (byte) (header.length() >> 8)});
        bytes.write(header.getBytes(StandardCharsets.US_ASCII));
        INDArray values = array.dup('c');  // a fresh row-major buffer, read from its start
        int width = array.dataType().width();
        ByteBuffer data = ByteBuffer.allocate((int) (array.length() * width)).order(ByteOrder.LITTLE_ENDIAN);
        for (long k = 0; k < array.length(); k++) {
            switch (array.dataType()) {
                case DOUBLE -> data.putDouble(values.data().getDouble(k));
                case FLOAT -> data.putFloat(values.data().getFloat(k));
                case LONG -> data.putLong(values.data().getLong(k));
                default -> data.putInt(values.data().getInt(k));
            }
        }
        bytes.write(data.array());
        bytes.writeTo(out);
    }

    private static INDArray readNpy(String where, byte[] bytes) {
        for (int k = 0; k < MAGIC.length; k++) {
            if (bytes.length < 10 || bytes[k] != MAGIC[k]) {
                throw new IllegalArgumentException("NpzFile.read: " + where + " is not a .npy array (no \\x93NUMPY magic).");
            }
        }
        int major = bytes[6];
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength;
        int start;
        if (major == 1) {
            headerLength = Short.toUnsignedInt(buffer.getShort(8));
            start = 10;
        } else if (major == 2 || major == 3) {
            headerLength = buffer.getInt(8);
            start = 12;
        } else {
            throw new IllegalArgumentException("NpzFile.read: " + where + " has .npy version " + major
                    + ", but only versions 1 to 3 are read.");
        }
        String header = new String(bytes, start, headerLength, StandardCharsets.ISO_8859_1);
        String descr = group(where, header, DESCR, "descr");
        if (group(where, header, FORTRAN, "fortran_order").equals("True")) {
            throw new IllegalArgumentException("NpzFile.read: " + where
                    + " is stored in Fortran (column-major) order; save a C-ordered array (numpy.ascontiguousarray).");
        }
        List<Long> sizes = new ArrayList<>();
        for (String size : group(where, header, SHAPE, "shape").split(",")) {
            if (!size.isBlank()) {
                sizes.add(Long.parseLong(size.trim()));
            }
        }
        long[] shape = sizes.stream().mapToLong(Long::longValue).toArray();
        long length = 1;
        for (long size : shape) {
            length *= size;
        }
        DataType type = switch (descr) {
            case "<f8" -> DataType.DOUBLE;
            case "<f4" -> DataType.FLOAT;
            case "<i8" -> DataType.LONG;
            case "<i4" -> DataType.INT;
            default -> throw new IllegalArgumentException("NpzFile.read: " + where + " holds elements of type '" + descr
                    + "', but only little-endian <f8, <f4, <i8 and <i4 are read.");
        };
        buffer.position(start + headerLength);
        if (buffer.remaining() != length * type.width()) {
            throw new IllegalArgumentException("NpzFile.read: " + where + " declares shape " + sizes + " of " + descr
                    + " (" + length * type.width() + " bytes), but holds " + buffer.remaining() + " bytes of data.");
        }
        INDArray flat = Nd4j.create(type, length);
        for (long k = 0; k < length; k++) {
            switch (type) {
                case DOUBLE -> flat.putScalar(k, buffer.getDouble());
                case FLOAT -> flat.putScalar(k, buffer.getFloat());
                case LONG -> flat.putScalar(k, (double) buffer.getLong());  // exact below 2^53
                default -> flat.putScalar(k, buffer.getInt());
            }
        }
        return flat.reshape('c', shape);
    }

    private static String group(String where, String header, Pattern pattern, String key) {
        Matcher matcher = pattern.matcher(header);
        if (!matcher.find()) {
            throw new IllegalArgumentException("NpzFile.read: the header of " + where + " has no '" + key + "': "
                    + header.strip());
        }
        return matcher.group(1);
    }
}

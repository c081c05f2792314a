package unrolled.param;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The .npz format, Java side; tools/tests/test_pytorch.py reads and writes the same files with NumPy. */
class NpzFileTest {

    @Test
    void writtenArraysAreReadBackWithTheirNamesShapesTypesAndBits(@TempDir Path dir) {
        Parameters arrays = new Parameters()
                .add("weight_ih_l0", Nd4j.rand(DataType.DOUBLE, 8, 3).subi(0.5).divi(3))
                .add("vector", Nd4j.rand(DataType.FLOAT, 5))
                .add("tokens", Nd4j.createFromArray(new long[][] {{1, 2, 3}, {4, 5, -6}}))
                .add("counts", Nd4j.createFromArray(new int[] {7, 8}))
                .add("cube", Nd4j.rand(DataType.DOUBLE, 2, 3, 4).permute(2, 0, 1));
        Path path = dir.resolve("weights.npz");
        NpzFile.write(path, arrays);
        Parameters read = NpzFile.read(path);
        assertEquals(List.copyOf(arrays.names()), List.copyOf(read.names()));
        for (String name : arrays.names()) {
            assertEquals(arrays.get(name).dataType(), read.get(name).dataType(), name);
            assertArrayEquals(arrays.get(name).shape(), read.get(name).shape(), name);
            assertEquals(arrays.get(name), read.get(name), name);
        }
    }

    @Test
    void aFortranOrderedOrUnsupportedEntryIsRefusedByName(@TempDir Path dir) throws IOException {
        Path fortran = dir.resolve("fortran.npz");
        writeRawNpy(fortran, "w", "{'descr': '<f8', 'fortran_order': True, 'shape': (1,), }", new byte[8]);
        IllegalArgumentException column = assertThrows(IllegalArgumentException.class, () -> NpzFile.read(fortran));
        assertTrue(column.getMessage().contains("entry w.npy is stored in Fortran (column-major) order"), column.getMessage());
        Path complex = dir.resolve("complex.npz");
        writeRawNpy(complex, "z", "{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", new byte[16]);
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> NpzFile.read(complex));
        assertTrue(type.getMessage().contains("holds elements of type '<c16'"), type.getMessage());
        Path shortData = dir.resolve("short.npz");
        writeRawNpy(shortData, "s", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", new byte[20]);
        IllegalArgumentException truncated = assertThrows(IllegalArgumentException.class, () -> NpzFile.read(shortData));
        assertTrue(truncated.getMessage().contains("(24 bytes), but holds 20 bytes"), truncated.getMessage());
    }

    @Test
    void anArrayOfAnotherTypeIsRefusedBeforeTheFileIsWritten(@TempDir Path dir) {
        Path path = dir.resolve("bool.npz");
        Parameters arrays = new Parameters().add("mask", Nd4j.createFromArray(true, false));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> NpzFile.write(path, arrays));
        assertEquals("NpzFile.write: mask must be of type DOUBLE, FLOAT, LONG or INT, but is BOOL.", refused.getMessage());
        assertTrue(Files.notExists(path));
    }

    private static void writeRawNpy(Path path, String name, String header, byte[] data) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(path))) {
            zip.putNextEntry(new ZipEntry(name + ".npy"));
            byte[] text = (header + "\n").getBytes(StandardCharsets.US_ASCII);
            zip.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) text.length, 0});
            zip.write(text);
            zip.write(data);
            zip.closeEntry();
        }
    }
}

package unrolled.fast;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A contiguous row-major ND4J array seen as flat memory: element k of the array is {@code get(k)}, read and written
 * from plain Java loops (through a direct NIO buffer over ND4J's off-heap memory), and handed to BLAS gemm by raw
 * pointer with an element offset and a leading dimension — no ND4J op is dispatched.
 *
 * <p>Values are read and written as {@code double}; a FLOAT slab rounds on write. The pointers handed to gemm are
 * allocated once per slab (one per operand position, so one slab may be A and C of the same call at different
 * offsets) and only re-positioned per call: a gemm through a slab allocates nothing.
 *
 * <p>The slab keeps its array reachable, so ND4J cannot free the memory while the slab is in use.
 */
abstract sealed class Slab permits Slab.Floats, Slab.Doubles {

    /** CBLAS constants: row-major storage, no transpose, transpose. */
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;

    /** The array whose memory this is. */
    final INDArray array;
    /** The number of elements. */
    final int length;

    private Slab(INDArray array) {
        this.array = array;
        this.length = Math.toIntExact(array.length());
    }

    /**
     * @param array any array of FLOAT or DOUBLE; used as it is when it is plain ({@link #isPlain}), else copied once
     *     into plain memory (read-only use of the copy then does not reach the original)
     * @return a slab over the array's memory
     */
    static Slab of(INDArray array) {
        INDArray owned = isPlain(array) ? array : array.dup('c');
        return owned.dataType() == DataType.FLOAT ? new Floats(owned) : new Doubles(owned);
    }

    /**
     * @param type FLOAT or DOUBLE
     * @param shape the shape
     * @return a slab over a new all-zero array
     */
    static Slab zeros(DataType type, long... shape) {
        return of(Nd4j.zeros(type, shape));
    }

    /**
     * True if element k of the array is at memory position k of its buffer, and the buffer holds nothing else: c order,
     * standard strides, no offset, the buffer's length. A reshape of a whole array (as {@code create(values).reshape(…)}
     * gives) is such an array although ND4J calls it a view; a sub-array, a transpose or a permutation is not.
     */
    static boolean isPlain(INDArray array) {
        return array.ordering() == 'c' && array.offset() == 0 && array.data().length() == array.length()
                && (array.dataType() == DataType.FLOAT || array.dataType() == DataType.DOUBLE)
                && array.elementWiseStride() == 1 && hasContiguousStrides(array.shape(), array.stride());
    }

    /**
     * @return true if the strides are those of a c-ordered array of this shape without gaps; the stride of a dimension
     *     of size 1 is never used to step, and ND4J gives (1, V) rows a stride of 1 there, so it is not compared
     */
    private static boolean hasContiguousStrides(long[] shape, long[] strides) {
        if (strides.length != shape.length) {
            return false;
        }
        long stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != stride) {
                return false;
            }
            stride *= shape[d];
        }
        return true;
    }

    /** @return element k */
    abstract double get(int k);

    /** Sets element k to v (rounded to float in a FLOAT slab). */
    abstract void set(int k, double v);

    /** Sets elements [from, from + count) to v. */
    abstract void fill(int from, int count, double v);

    /**
     * Copies elements [from, from + count) of this slab to [to, to + count) of target, in one bulk move.
     *
     * @param target a slab of the same data type (it may be this one, for ranges that do not overlap)
     */
    abstract void copyTo(int from, Slab target, int to, int count);

    /**
     * @return a slab over the same memory with its own gemm pointers, for products run on another thread at the same
     *     time (a slab's pointers are re-positioned by every gemm, so two threads must not share them)
     */
    abstract Slab twin();

    /**
     * C[c0 ..] = α·op(A)·op(B) + β·C on the slabs' memory, all row-major: op(A) is (m, k), op(B) is (k, n), C is
     * (m, n). Each operand starts at an element offset and has its own leading dimension (the distance between
     * consecutive rows in memory), so a strided set of rows, such as step t of every sequence in an (N, T, F) array,
     * is one operand with offset t·F and leading dimension T·F.
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
            Slab a, int aOffset, int lda, Slab b, int bOffset, int ldb, double beta, Slab c, int cOffset, int ldc) {
        int ta = transA ? TRANS : NO_TRANS;
        int tb = transB ? TRANS : NO_TRANS;
        if (c instanceof Floats fc) {
            openblas_nolapack.cblas_sgemm(ROW_MAJOR, ta, tb, m, n, k, (float) alpha,
                    ((Floats) a).pointerA.position(aOffset), lda, ((Floats) b).pointerB.position(bOffset), ldb,
                    (float) beta, fc.pointerC.position(cOffset), ldc);
        } else {
            Doubles dc = (Doubles) c;
            openblas_nolapack.cblas_dgemm(ROW_MAJOR, ta, tb, m, n, k, alpha,
                    ((Doubles) a).pointerA.position(aOffset), lda, ((Doubles) b).pointerB.position(bOffset), ldb,
                    beta, dc.pointerC.position(cOffset), ldc);
        }
    }

    /**
     * A typed pointer over the whole slab: position 0, limit and capacity its length. Each slab keeps one per gemm
     * operand (A, B, C), because gemm sets a pointer's position to the operand's offset.
     */
    private static <P extends Pointer> P whole(P pointer, int length) {
        pointer.position(0).limit(length).capacity(length);
        return pointer;
    }

    /** A FLOAT slab. */
    static final class Floats extends Slab {
        private final FloatBuffer buffer;
        private final FloatPointer pointerA;
        private final FloatPointer pointerB;
        private final FloatPointer pointerC;

        Floats(INDArray array) {
            super(array);
            Pointer address = array.data().addressPointer();
            this.pointerA = whole(new FloatPointer(address), length);
            this.pointerB = whole(new FloatPointer(address), length);
            this.pointerC = whole(new FloatPointer(address), length);
            this.buffer = whole(new FloatPointer(address), length).asBuffer();
        }

        @Override
        double get(int k) {
            return buffer.get(k);
        }

        @Override
        void set(int k, double v) {
            buffer.put(k, (float) v);
        }

        @Override
        void fill(int from, int count, double v) {
            float value = (float) v;
            for (int k = from; k < from + count; k++) {
                buffer.put(k, value);
            }
        }

        @Override
        void copyTo(int from, Slab target, int to, int count) {
            ((Floats) target).buffer.put(to, buffer, from, count);
        }

        /** Copies elements [k, k + count) into into[0 .. count). */
        void read(int k, float[] into, int count) {
            buffer.get(k, into, 0, count);
        }

        /** Copies from[0 .. count) into elements [k, k + count). */
        void write(int k, float[] from, int count) {
            buffer.put(k, from, 0, count);
        }

        @Override
        Slab twin() {
            return new Floats(array);
        }
    }

    /** A DOUBLE slab. */
    static final class Doubles extends Slab {
        private final DoubleBuffer buffer;
        private final DoublePointer pointerA;
        private final DoublePointer pointerB;
        private final DoublePointer pointerC;

        Doubles(INDArray array) {
            super(array);
            Pointer address = array.data().addressPointer();
            this.pointerA = whole(new DoublePointer(address), length);
            this.pointerB = whole(new DoublePointer(address), length);
            this.pointerC = whole(new DoublePointer(address), length);
            this.buffer = whole(new DoublePointer(address), length).asBuffer();
        }

        @Override
        double get(int k) {
            return buffer.get(k);
        }

        @Override
        void set(int k, double v) {
            buffer.put(k, v);
        }

        @Override
        void fill(int from, int count, double v) {
            for (int k = from; k < from + count; k++) {
                buffer.put(k, v);
            }
        }

        @Override
        void copyTo(int from, Slab target, int to, int count) {
            ((Doubles) target).buffer.put(to, buffer, from, count);
        }

        @Override
        Slab twin() {
            return new Doubles(array);
        }
    }
}

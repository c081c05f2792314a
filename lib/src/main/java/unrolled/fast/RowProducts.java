package unrolled.fast;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The matrix products of a batched decoder step, C += A·B on row-major double arrays, on the vector units: four rows
 * of A at a time against two vectors' width of B's columns, so that every B vector loaded feeds four fused
 * multiply-adds and every broadcast of an A entry feeds two. The sizes are a decoder's (k and n from 12 to a few
 * hundred, m the batch), far below what a BLAS call's overhead would pay for.
 */
final class RowProducts {

    /** The JVM's widest vector of doubles (8 lanes with AVX-512, 4 with AVX2). */
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final int L = DOUBLES.length();

    private RowProducts() {
    }

    /**
     * Row i of C (m rows) starts as the bias row: C[i, j] = bias[j].
     *
     * @param bias the row, n entries from {@code biasOffset}
     */
    static void fillRows(double[] c, int cOffset, int m, int n, double[] bias, int biasOffset) {
        for (int i = 0; i < m; i++) {
            System.arraycopy(bias, biasOffset, c, cOffset + i * n, n);
        }
    }

    /** Row i of C (m rows of n) = row ids[i] of a table (n columns), a gather. */
    static void gatherRows(double[] table, int[] ids, int m, int n, double[] c, int cOffset) {
        for (int i = 0; i < m; i++) {
            System.arraycopy(table, ids[i] * n, c, cOffset + i * n, n);
        }
    }

    /**
     * C (m × n) += A (m × k) · B (k × n), all row-major: A's rows {@code lda} apart from {@code aOffset}, B's rows n
     * apart from {@code bOffset} (a block of rows of a larger matrix with n columns), C's rows {@code ldc} apart.
     */
    static void multiplyAdd(double[] a, int aOffset, int lda, int m, int k, double[] b, int bOffset, int n,
            double[] c, int cOffset, int ldc) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            fourRows(a, aOffset + i * lda, lda, k, b, bOffset, n, c, cOffset + i * ldc, ldc);
        }
        for (; i < m; i++) {
            oneRow(a, aOffset + i * lda, k, b, bOffset, n, c, cOffset + i * ldc);
        }
    }

    /** Four rows of C += A·B. */
    private static void fourRows(double[] a, int a0, int lda, int k, double[] b, int bOffset, int n, double[] c, int c0,
            int ldc) {
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        int j = 0;
        for (; j + 2 * L <= n; j += 2 * L) {
            DoubleVector s00 = DoubleVector.fromArray(DOUBLES, c, c0 + j);
            DoubleVector s01 = DoubleVector.fromArray(DOUBLES, c, c0 + j + L);
            DoubleVector s10 = DoubleVector.fromArray(DOUBLES, c, c1 + j);
            DoubleVector s11 = DoubleVector.fromArray(DOUBLES, c, c1 + j + L);
            DoubleVector s20 = DoubleVector.fromArray(DOUBLES, c, c2 + j);
            DoubleVector s21 = DoubleVector.fromArray(DOUBLES, c, c2 + j + L);
            DoubleVector s30 = DoubleVector.fromArray(DOUBLES, c, c3 + j);
            DoubleVector s31 = DoubleVector.fromArray(DOUBLES, c, c3 + j + L);
            for (int p = 0; p < k; p++) {
                int row = bOffset + p * n + j;
                DoubleVector b0 = DoubleVector.fromArray(DOUBLES, b, row);
                DoubleVector b1 = DoubleVector.fromArray(DOUBLES, b, row + L);
                DoubleVector x0 = DoubleVector.broadcast(DOUBLES, a[a0 + p]);
                DoubleVector x1 = DoubleVector.broadcast(DOUBLES, a[a1 + p]);
                DoubleVector x2 = DoubleVector.broadcast(DOUBLES, a[a2 + p]);
                DoubleVector x3 = DoubleVector.broadcast(DOUBLES, a[a3 + p]);
                s00 = b0.fma(x0, s00);
                s01 = b1.fma(x0, s01);
                s10 = b0.fma(x1, s10);
                s11 = b1.fma(x1, s11);
                s20 = b0.fma(x2, s20);
                s21 = b1.fma(x2, s21);
                s30 = b0.fma(x3, s30);
                s31 = b1.fma(x3, s31);
            }
            s00.intoArray(c, c0 + j);
            s01.intoArray(c, c0 + j + L);
            s10.intoArray(c, c1 + j);
            s11.intoArray(c, c1 + j + L);
            s20.intoArray(c, c2 + j);
            s21.intoArray(c, c2 + j + L);
            s30.intoArray(c, c3 + j);
            s31.intoArray(c, c3 + j + L);
        }
        for (; j + L <= n; j += L) {
            DoubleVector s0 = DoubleVector.fromArray(DOUBLES, c, c0 + j);
            DoubleVector s1 = DoubleVector.fromArray(DOUBLES, c, c1 + j);
            DoubleVector s2 = DoubleVector.fromArray(DOUBLES, c, c2 + j);
            DoubleVector s3 = DoubleVector.fromArray(DOUBLES, c, c3 + j);
            for (int p = 0; p < k; p++) {
                DoubleVector b0 = DoubleVector.fromArray(DOUBLES, b, bOffset + p * n + j);
                s0 = b0.fma(DoubleVector.broadcast(DOUBLES, a[a0 + p]), s0);
                s1 = b0.fma(DoubleVector.broadcast(DOUBLES, a[a1 + p]), s1);
                s2 = b0.fma(DoubleVector.broadcast(DOUBLES, a[a2 + p]), s2);
                s3 = b0.fma(DoubleVector.broadcast(DOUBLES, a[a3 + p]), s3);
            }
            s0.intoArray(c, c0 + j);
            s1.intoArray(c, c1 + j);
            s2.intoArray(c, c2 + j);
            s3.intoArray(c, c3 + j);
        }
        if (j < n) {
            // the last n − j columns (fewer than a vector), one row at a time
            int width = n - j;
            tail(a, a0, k, b, bOffset + j, n, width, c, c0 + j);
            tail(a, a1, k, b, bOffset + j, n, width, c, c1 + j);
            tail(a, a2, k, b, bOffset + j, n, width, c, c2 + j);
            tail(a, a3, k, b, bOffset + j, n, width, c, c3 + j);
        }
    }

    /** One row of C += A·B. */
    private static void oneRow(double[] a, int a0, int k, double[] b, int bOffset, int n, double[] c, int c0) {
        int j = 0;
        for (; j + L <= n; j += L) {
            DoubleVector s = DoubleVector.fromArray(DOUBLES, c, c0 + j);
            for (int p = 0; p < k; p++) {
                s = DoubleVector.fromArray(DOUBLES, b, bOffset + p * n + j).fma(DoubleVector.broadcast(DOUBLES, a[a0 + p]), s);
            }
            s.intoArray(c, c0 + j);
        }
        if (j < n) {
            tail(a, a0, k, b, bOffset + j, n, n - j, c, c0 + j);
        }
    }

    /** c[c0 + q] += Σ_p a[a0 + p]·b[b0 + p·n + q], q &lt; width: a few columns, in scalar fused multiply-adds. */
    private static void tail(double[] a, int a0, int k, double[] b, int b0, int n, int width, double[] c, int c0) {
        for (int q = 0; q < width; q++) {
            double sum = c[c0 + q];
            for (int p = 0; p < k; p++) {
                sum = Math.fma(a[a0 + p], b[b0 + p * n + q], sum);
            }
            c[c0 + q] = sum;
        }
    }

    /** @return Σ_q x[x0 + q]·y[y0 + q], count entries, on the vector units */
    static double dot(double[] x, int x0, double[] y, int y0, int count) {
        DoubleVector sum = DoubleVector.zero(DOUBLES);
        int q = 0;
        for (; q + L <= count; q += L) {
            sum = DoubleVector.fromArray(DOUBLES, x, x0 + q).fma(DoubleVector.fromArray(DOUBLES, y, y0 + q), sum);
        }
        double total = sum.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        for (; q < count; q++) {
            total = Math.fma(x[x0 + q], y[y0 + q], total);
        }
        return total;
    }

    /** y[y0 + q] += α·x[x0 + q], count entries, on the vector units. */
    static void axpy(double alpha, double[] x, int x0, double[] y, int y0, int count) {
        DoubleVector scale = DoubleVector.broadcast(DOUBLES, alpha);
        int q = 0;
        for (; q + L <= count; q += L) {
            DoubleVector.fromArray(DOUBLES, x, x0 + q).fma(scale, DoubleVector.fromArray(DOUBLES, y, y0 + q))
                    .intoArray(y, y0 + q);
        }
        for (; q < count; q++) {
            y[y0 + q] = Math.fma(alpha, x[x0 + q], y[y0 + q]);
        }
    }

    /**
     * α = softmax(e) in place over values[from, from + count): α_j = exp(e_j − max e) / Σ_k exp(e_k − max e); an entry
     * of −∞ (a masked position) gets 0, and a row of nothing but −∞ becomes all zeros.
     */
    static void softmax(double[] values, int from, int count) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < count; j++) {
            max = Math.max(max, values[from + j]);
        }
        double sum = 0;
        for (int j = 0; j < count; j++) {
            double p = values[from + j] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(values[from + j] - max);
            values[from + j] = p;
            sum += p;
        }
        double scale = sum == 0 ? 0 : 1 / sum;
        for (int j = 0; j < count; j++) {
            values[from + j] *= scale;
        }
    }

    /** @return the index of the largest of the {@code count} entries at {@code at} (the first on a tie) */
    static int argmax(double[] z, int at, int count) {
        int best = 0;
        for (int k = 1; k < count; k++) {
            if (z[at + k] > z[at + best]) {
                best = k;
            }
        }
        return best;
    }

    /** @return the buffer if it holds size entries, else a new, larger one */
    static double[] grow(double[] buffer, int size) {
        return buffer.length >= size ? buffer : new double[Math.max(size, buffer.length + buffer.length / 2)];
    }

    /** @return the buffer if it holds size entries, else a new, larger one */
    static int[] grow(int[] buffer, int size) {
        return buffer.length >= size ? buffer : new int[Math.max(size, buffer.length + buffer.length / 2)];
    }

    /** Sets count entries from {@code from} to zero. */
    static void clear(double[] values, int from, int count) {
        Arrays.fill(values, from, from + count, 0);
    }
}

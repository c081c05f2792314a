package unrolled.bench;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Exactly the matrix products of one LSTM forward + backward pass of a configuration, with the fast path's shapes,
 * strides and call pattern, and nothing else: the BLAS floor under the fast path on this machine.
 *
 * <pre>
 *   forward:  (N·T, D)·(D, 4H) once;  (N, H)·(H, 4H) T times
 *   backward: (N, 4H)·(4H, H) T times;  (D, N·T)·(N·T, 4H), (H, N·T)·(N·T, 4H), (N·T, 4H)·(4H, D) once each
 * </pre>
 */
final class GateGemms {

    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;

    private final Config c;
    private final INDArray[] keep;
    private final FloatPointer x;
    private final FloatPointer wx;
    private final FloatPointer wh;
    private final FloatPointer a;
    private final FloatPointer hPrev;
    private final FloatPointer da;
    private final FloatPointer gh;
    private final FloatPointer dwx;
    private final FloatPointer dwh;
    private final FloatPointer dx;

    GateGemms(Config c) {
        this.c = c;
        int n = c.batch();
        int t = c.steps();
        int d = c.input();
        int h = c.hidden();
        keep = new INDArray[] {
                Inputs.gaussian(1, 1, n, t, d), Inputs.gaussian(2, 0.1, d, 4 * h), Inputs.gaussian(3, 0.1, h, 4 * h),
                Nd4j.zeros(DataType.FLOAT, n, t, 4 * h), Inputs.gaussian(4, 0.5, n, t, h), Inputs.gaussian(5, 0.1, n, t, 4 * h),
                Nd4j.zeros(DataType.FLOAT, n, h), Nd4j.zeros(DataType.FLOAT, d, 4 * h), Nd4j.zeros(DataType.FLOAT, h, 4 * h),
                Nd4j.zeros(DataType.FLOAT, n, t, d)};
        x = pointer(keep[0]);
        wx = pointer(keep[1]);
        wh = pointer(keep[2]);
        a = pointer(keep[3]);
        hPrev = pointer(keep[4]);
        da = pointer(keep[5]);
        gh = pointer(keep[6]);
        dwx = pointer(keep[7]);
        dwh = pointer(keep[8]);
        dx = pointer(keep[9]);
    }

    private static FloatPointer pointer(INDArray array) {
        FloatPointer p = new FloatPointer(array.data().addressPointer());
        p.position(0).limit(array.length()).capacity(array.length());
        return p;
    }

    /** The forward pass's products. */
    void forward() {
        int n = c.batch();
        int t = c.steps();
        int d = c.input();
        int h = c.hidden();
        int g = 4 * h;
        openblas_nolapack.cblas_sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, n * t, g, d, 1f, x.position(0), d, wx.position(0), g, 0f,
                a.position(0), g);
        for (int s = 0; s < t; s++) {
            openblas_nolapack.cblas_sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, n, g, h, 1f, hPrev.position((long) s * h), t * h,
                    wh.position(0), g, 1f, a.position((long) s * g), t * g);
        }
    }

    /** The backward pass's products. */
    void backward() {
        int n = c.batch();
        int t = c.steps();
        int d = c.input();
        int h = c.hidden();
        int g = 4 * h;
        for (int s = t - 1; s >= 0; s--) {
            openblas_nolapack.cblas_sgemm(ROW_MAJOR, NO_TRANS, TRANS, n, h, g, 1f, da.position((long) s * g), t * g,
                    wh.position(0), g, 1f, gh.position(0), h);
        }
        openblas_nolapack.cblas_sgemm(ROW_MAJOR, TRANS, NO_TRANS, d, g, n * t, 1f, x.position(0), d, da.position(0), g, 0f,
                dwx.position(0), g);
        openblas_nolapack.cblas_sgemm(ROW_MAJOR, TRANS, NO_TRANS, h, g, n * t, 1f, hPrev.position(0), h, da.position(0), g, 0f,
                dwh.position(0), g);
        openblas_nolapack.cblas_sgemm(ROW_MAJOR, NO_TRANS, TRANS, n * t, d, g, 1f, da.position(0), g, wx.position(0), g, 0f,
                dx.position(0), d);
    }
}

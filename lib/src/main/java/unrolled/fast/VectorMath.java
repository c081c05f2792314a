package unrolled.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector pieces the FLOAT row calculators share: the species (the widest vector of floats this CPU has), the
 * activations on whole vectors, and row buffers padded to a whole number of vectors. Loaded only when
 * {@link Simd} has found the {@code jdk.incubator.vector} module.
 */
final class VectorMath {

    /**
     * The float vector the row calculators use: the widest the CPU supports (16 lanes with AVX-512, 8 with AVX2), or a
     * narrower one asked for with the system property {@code unrolled.vectorBits} (128, 256 or 512, read once when the
     * class loads); a width above the CPU's widest is not emulated: the widest is used instead.
     */
    static final VectorSpecies<Float> SPECIES = species(Integer.getInteger("unrolled.vectorBits", 0));
    /** Floats per vector. */
    static final int LANES = SPECIES.length();

    private VectorMath() {
    }

    /**
     * @param bits the width asked for: 128, 256 or 512; 0 for the CPU's widest
     * @return the species of that width, or the CPU's widest if it is narrower than asked or the width is not one of these
     */
    static VectorSpecies<Float> species(int bits) {
        VectorSpecies<Float> widest = FloatVector.SPECIES_PREFERRED;
        VectorSpecies<Float> asked = switch (bits) {
            case 128 -> FloatVector.SPECIES_128;
            case 256 -> FloatVector.SPECIES_256;
            case 512 -> FloatVector.SPECIES_512;
            default -> widest;
        };
        return asked.vectorBitSize() <= widest.vectorBitSize() ? asked : widest;
    }

    /** @return e.g. "Vector API, 16 floats per instruction (512-bit)" */
    static String describe() {
        return "Vector API, " + LANES + " floats per instruction (" + SPECIES.vectorBitSize() + "-bit)";
    }

    /**
     * @param width the number of values a row holds, e.g. H
     * @return a new array of width rounded up to a whole number of vectors: the loops then need no tail, and the
     *     values past width are computed and never copied back
     */
    static float[] row(int width) {
        return new float[(width + LANES - 1) / LANES * LANES];
    }

    /**
     * @param count how many blocks, e.g. the 4 gates of an LSTM
     * @param width the number of values of each, H
     * @return count new row arrays (see {@link #row})
     */
    static float[][] rows(int count, int width) {
        float[][] rows = new float[count][];
        for (int k = 0; k < count; k++) {
            rows[k] = row(width);
        }
        return rows;
    }

    /** Copies the blocks of one row, block k from elements [at + k·width, at + (k + 1)·width), into blocks[k]. */
    static void read(Slab.Floats from, int at, float[][] blocks, int width) {
        for (int k = 0; k < blocks.length; k++) {
            from.read(at + k * width, blocks[k], width);
        }
    }

    /** Copies blocks[k] back to elements [at + k·width, at + (k + 1)·width): the inverse of {@link #read}. */
    static void write(Slab.Floats to, int at, float[][] blocks, int width) {
        for (int k = 0; k < blocks.length; k++) {
            to.write(at + k * width, blocks[k], width);
        }
    }

    /**
     * @param lanes the lanes of a vector, stored with {@code intoArray(lanes, 0)}, (LANES,)
     * @return their sum, added in lane order. The Vector API's {@code reduceLanes(ADD)} leaves the order open, and its
     *     compiled and interpreted forms need not agree; this sum gives the same bits on every run.
     */
    static float sum(float[] lanes) {
        float total = 0;
        for (int k = 0; k < LANES; k++) {
            total += lanes[k];
        }
        return total;
    }

    /**
     * dh = ∂L/∂h_t = dy_t + g_h for one row, the first line of every backward step: g_h and dy_t are read from their
     * buffers, their sum is left in dh and written to dH.
     *
     * @param dh receives the sum (a row array)
     * @param scratch a row array the dy_t values pass through
     */
    static void stateGradient(Slab.Floats gh, int q, Slab.Floats dy, int s, Slab.Floats dH, float[] dh, float[] scratch,
            int width) {
        gh.read(q, dh, width);
        dy.read(s, scratch, width);
        for (int j = 0; j < width; j += LANES) {
            FloatVector.fromArray(SPECIES, dh, j).add(FloatVector.fromArray(SPECIES, scratch, j)).intoArray(dh, j);
        }
        dH.write(s, dh, width);
    }

    /** v[j] = σ(v[j]) for j in [0, width), in place (see {@link VectorActivations}: the same bits on every run). */
    static void sigmoid(float[] v, int width) {
        VectorActivations.sigmoid(v, 0, v, 0, width);
    }

    /** to[j] = tanh(from[j]) for j in [0, width) (see {@link VectorActivations}: the same bits on every run). */
    static void tanh(float[] from, float[] to, int width) {
        VectorActivations.tanh(from, 0, to, 0, width);
    }
}

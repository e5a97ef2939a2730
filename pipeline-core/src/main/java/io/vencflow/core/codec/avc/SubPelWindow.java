package io.vencflow.core.codec.avc;

/**
 * The reference luma (a {@link PaddedLuma}) and its half-sample planes ({@link HalfPlanes}), seen
 * through one window at a time: the 18x18 samples around a whole-sample vector of a macroblock, from
 * which the motion search forms any quarter-sample prediction within 3 quarter samples of it by one
 * rounding average, exactly as the decoder's interpolation gives it. Laying a window computes the b
 * and h tiles under it that no earlier window of this reference computed; the centre plane j waits
 * until a position needs it. Samples are (value - 128). One per thread; the planes are shared.
 */
final class SubPelWindow {
    private static final int N = 18;
    /**
     * How far outside the picture a macroblock's whole-sample prediction may lie: its window and
     * the window's filter taps then stay inside the {@link PaddedLuma}.
     */
    static final int REACH = PaddedLuma.PAD - 4;

    /** The padded reference luma, its row length and the index of the picture's sample (0, 0). */
    byte[] full;
    int fullStride;
    private int fullOrigin;
    /** The picture's size. */
    int width;
    int height;
    private HalfPlanes planes;
    /** The planes predictions read: g is the padded luma itself. All rows {@link #fullStride} long. */
    private byte[] b;
    private byte[] h;
    private byte[] j;
    private byte[] g;
    /** The current window's top-left sample, in the padded picture; {@code -1} before the first. */
    private int windowX = -1;
    private int windowY;
    /** Whether j is computed under the current window. */
    private boolean centreReady;
    /** Tiles of the half-sample planes this window computed so far (the others were computed already). */
    long tilesComputed;

    /** Sets the reference luma and its planes, whose tiles are computed as windows need them. */
    void reference(PaddedLuma luma, HalfPlanes planes) {
        this.full = luma.data;
        this.fullStride = luma.stride;
        this.fullOrigin = luma.origin;
        this.width = luma.width;
        this.height = luma.height;
        this.planes = planes;
        b = planes.b;
        h = planes.h;
        j = planes.j;
        g = luma.data;
        windowX = -1;
    }

    /** Whether a 16x16 block whose whole-sample position is (x, y) lies within {@link #REACH}. */
    boolean reaches(int x, int y) {
        return x >= -REACH && y >= -REACH && x <= width - 16 + REACH && y <= height - 16 + REACH;
    }

    /** The index in {@link #full} (and in the planes) of picture sample (x, y). */
    int index(int x, int y) {
        return fullOrigin + y * fullStride + x;
    }

    /**
     * Lays the window for quarter-sample vectors within 3 quarter samples of the whole-sample block
     * position (x, y) of a macroblock, which must {@link #reaches reach}.
     */
    void around(int x, int y) {
        if (!reaches(x, y)) {
            throw new IllegalArgumentException("block position (" + x + ", " + y + ") is more than " + REACH
                    + " samples outside the " + width + "x" + height + " picture");
        }
        int wx = x - 1 + PaddedLuma.PAD;
        int wy = y - 1 + PaddedLuma.PAD;
        if (wx == windowX && wy == windowY) {
            return;
        }
        windowX = wx;
        windowY = wy;
        tilesComputed += planes.ensure(full, wx, wy, wx + N, wy + N, false);
        centreReady = false;
    }

    /** Computes the centre plane j under the current window, once. */
    private void centre() {
        if (centreReady) {
            return;
        }
        tilesComputed += planes.ensure(full, windowX, windowY, windowX + N, windowY + N, true);
        centreReady = true;
    }

    /** The planes of the last {@link #pick}: one (pickB null) or two to average, at these offsets from the block. */
    private byte[] pickA;
    private byte[] pickB;
    private int pickDa;
    private int pickDb;

    /**
     * Picks the planes that give quarter-sample phase (fx, fy), not both 0: a half-sample position
     * reads one plane, the others average two neighbouring ones (clause 8.4.2.2.1, (8-250)-(8-261)).
     */
    private void pick(int fx, int fy) {
        if (fx == 2 && fy != 0 || fy == 2 && fx != 0) {
            centre(); // every position that reads j: j itself and the quarter samples beside it
        }
        pickB = null;
        pickDa = 0;
        pickDb = 0;
        switch ((fy << 2) | fx) {
            case 2: pickA = b; break;
            case 8: pickA = h; break;
            case 10: pickA = j; break;
            case 1: pickA = g; pickB = b; break;
            case 3: pickA = b; pickB = g; pickDb = 1; break;
            case 4: pickA = g; pickB = h; break;
            case 5: pickA = b; pickB = h; break;
            case 6: pickA = b; pickB = j; break;
            case 7: pickA = b; pickB = h; pickDb = 1; break;
            case 9: pickA = h; pickB = j; break;
            case 11: pickA = j; pickB = h; pickDb = 1; break;
            case 12: pickA = h; pickB = g; pickDb = fullStride; break;
            case 13: pickA = h; pickB = b; pickDb = fullStride; break;
            case 14: pickA = j; pickB = b; pickDb = fullStride; break;
            default: pickA = b; pickDa = fullStride; pickB = h; pickDb = 1; break;
        }
    }

    /** Where the last {@link #locate} found the prediction: in {@link #pickA} at this index, and {@link #pickB}'s. */
    private int atA;
    private int atB;

    /**
     * Finds the samples a prediction at quarter-sample position (qx, qy) is formed from: one plane
     * ({@link #pickB} null), the padded luma itself at whole-sample positions, or two to average.
     */
    private void locate(int qx, int qy) {
        int base = index(qx >> 2, qy >> 2);
        int fx = qx & 3;
        int fy = qy & 3;
        if ((fx | fy) == 0) {
            pickA = full;
            pickB = null;
            atA = base;
            return;
        }
        pick(fx, fy);
        atA = base + pickDa;
        atB = base + pickDb;
    }

    /**
     * The {@code w} x {@code h} prediction at quarter-sample position (qx, qy) of its top-left
     * sample, into {@code out} in rows of 16: whole-sample positions anywhere within the padding,
     * others within the window last computed by {@link #around}.
     */
    void predict(int qx, int qy, byte[] out, int w, int h) {
        locate(qx, qy);
        byte[] pa = pickA;
        byte[] pb = pickB;
        if (pb == null) {
            copy(pa, atA, fullStride, out, w, h);
            return;
        }
        for (int r = 0; r < h; r++) {
            int a = atA + r * fullStride;
            int b = atB + r * fullStride;
            for (int c = 0; c < w; c += 8) { // w is 8 or 16
                Sad.store(out, r * 16 + c, Sad.average(Sad.load(pa, a + c), Sad.load(pb, b + c)));
            }
        }
    }

    /**
     * The SAD between the {@code w} x {@code h} block of {@code src} at {@code srcOff} and its
     * prediction at quarter-sample position (qx, qy), as {@link #predict} would form it, without
     * forming it; {@code w} is 8 or 16. A sum that reaches {@code limit} stops there (see {@link Sad}).
     */
    int sad(int qx, int qy, byte[] src, int srcOff, int srcStride, int w, int h, int limit) {
        locate(qx, qy);
        if (pickB == null) {
            return Sad.sad(src, srcOff, srcStride, pickA, atA, fullStride, w, h, limit);
        }
        return Sad.sadAverage(src, srcOff, srcStride, pickA, atA, pickB, atB, fullStride, w, h, limit);
    }

    /**
     * {@link Sad#blockSads16x16} of the 16x16 block of {@code src} at {@code srcOff} against its
     * prediction at quarter-sample position (qx, qy), as {@link #predict} would form it, without
     * forming it.
     */
    int blockSads(int qx, int qy, byte[] src, int srcOff, int srcStride, int limit, int[] out) {
        locate(qx, qy);
        return Sad.blockSads16x16(src, srcOff, srcStride, pickA, atA, pickB, atB, fullStride, limit, out);
    }

    private static void copy(byte[] plane, int base, int stride, byte[] out, int w, int h) {
        for (int r = 0; r < h; r++) {
            System.arraycopy(plane, base + r * stride, out, r * 16, w);
        }
    }
}

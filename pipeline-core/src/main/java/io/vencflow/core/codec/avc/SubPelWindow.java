package io.vencflow.core.codec.avc;

/**
 * The reference luma (a {@link PaddedLuma}) and, for one 18x18 window at a time, its three
 * half-sample planes (clause 8.4.2.2.1: b to the right, h below, j in the centre), so that the
 * motion search forms any quarter-sample prediction around one whole-sample vector by one rounding
 * average, exactly as the decoder's interpolation gives it. Computing the window only where a
 * macroblock refines its vector spares the skipped macroblocks (most of a camera picture) the 6-tap
 * filters. Where most macroblocks refine, the encoder computes {@link HalfPlanes} for the whole
 * padded picture instead, and the window becomes a view of them: {@link #around} then has nothing
 * to do. Samples are (value - 128). One per thread.
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
    private final byte[] windowB = new byte[N * N];
    private final byte[] windowH = new byte[N * N];
    private final byte[] windowJ = new byte[N * N];
    private final byte[] windowG = new byte[N * N];
    /** The planes predictions read: the window's, or the whole padded picture's. */
    private byte[] b;
    private byte[] h;
    private byte[] j;
    private byte[] g;
    /** Row length of those planes. */
    private int stride;
    /** Whether they are a whole picture's {@link HalfPlanes}. */
    private boolean wholePicture;
    private final int[] mid = new int[(N + 5) * N];
    /** Picture coordinates of the planes' sample 0. */
    private int originX;
    private int originY;
    /** Whether j holds the current window's centre plane. */
    private boolean centreReady;
    /** Work of the filters run so far, in the units of {@link MacroblockInfo#work}. */
    long work;

    /** Sets the reference luma; windows are computed as needed. */
    void reference(PaddedLuma luma) {
        use(luma);
        this.originX = Integer.MIN_VALUE;
        this.wholePicture = false;
        b = windowB;
        h = windowH;
        j = windowJ;
        g = windowG;
        stride = N;
    }

    /** Sets the reference luma and its half-sample planes, computed for the whole padded picture. */
    void reference(PaddedLuma luma, HalfPlanes planes) {
        use(luma);
        this.wholePicture = true;
        originX = -PaddedLuma.PAD;
        originY = -PaddedLuma.PAD;
        b = planes.b;
        h = planes.h;
        j = planes.j;
        g = luma.data;
        stride = luma.stride;
        centreReady = true;
    }

    private void use(PaddedLuma luma) {
        this.full = luma.data;
        this.fullStride = luma.stride;
        this.fullOrigin = luma.origin;
        this.width = luma.width;
        this.height = luma.height;
    }

    /** Whether a 16x16 block whose whole-sample position is (x, y) lies within {@link #REACH}. */
    boolean reaches(int x, int y) {
        return x >= -REACH && y >= -REACH && x <= width - 16 + REACH && y <= height - 16 + REACH;
    }

    /** The index in {@link #full} of picture sample (x, y). */
    int index(int x, int y) {
        return fullOrigin + y * fullStride + x;
    }

    /**
     * Computes the window for quarter-sample vectors within 3 quarter samples of the whole-sample
     * block position (x, y) of a macroblock, which must {@link #reaches reach}.
     */
    void around(int x, int y) {
        if (!reaches(x, y)) {
            throw new IllegalArgumentException("block position (" + x + ", " + y + ") is more than " + REACH
                    + " samples outside the " + width + "x" + height + " picture");
        }
        if (wholePicture) {
            return;
        }
        int ox = x - 1;
        int oy = y - 1;
        if (ox == originX && oy == originY) {
            return;
        }
        originX = ox;
        originY = oy;
        compute();
    }

    /**
     * The window's g, b and h planes at ({@link #originX}, {@link #originY}) of the padded reference,
     * which holds the filters' taps two samples before and three after it. The centre plane j waits
     * for {@link #centre} (a search that stays on whole and horizontal or vertical half samples never
     * needs it).
     */
    private void compute() {
        work += 2;
        int w = fullStride;
        int origin = index(originX, originY);
        for (int r = 0; r < N; r++) {
            int o = origin + r * w;
            int i = r * N;
            System.arraycopy(full, o, windowG, i, N);
            SixTap.filter(full, o - 2, o - 1, o, o + 1, o + 2, o + 3, windowB, i, N);
            SixTap.filter(full, o - 2 * w, o - w, o, o + w, o + 2 * w, o + 3 * w, windowH, i, N);
        }
        centreReady = false;
    }

    /**
     * Unrounded horizontal 6-tap sums of the window's sample rows -2 to N + 2 (row 0 is its top)
     * into mid rows 0 to N + 4.
     */
    private void horizontal() {
        int w = fullStride;
        int origin = index(originX, originY);
        for (int k = 0; k < N + 5; k++) {
            int o = origin + (k - 2) * w;
            int m = k * N;
            for (int c = 0; c < N; c++, o++) {
                mid[m + c] = full[o - 2] - 5 * full[o - 1] + 20 * (full[o] + full[o + 1]) - 5 * full[o + 2]
                        + full[o + 3];
            }
        }
    }

    /** Computes the centre plane j of the window from the horizontal intermediates, once. */
    private void centre() {
        if (centreReady) {
            return;
        }
        work += 5;
        horizontal();
        byte[] j = windowJ;
        for (int r = 0; r < N; r++) {
            int i = r * N;
            int m = (r + 2) * N;
            for (int c = 0; c < N; c++, i++, m++) {
                int jv = mid[m - 2 * N] - 5 * mid[m - N] + 20 * (mid[m] + mid[m + N]) - 5 * mid[m + 2 * N]
                        + mid[m + 3 * N];
                j[i] = clip((jv + 512) >> 10);
            }
        }
        centreReady = true;
    }

    private static byte clip(int v) {
        return HalfPlanes.clip(v);
    }

    /** The planes of the last {@link #pick}: one (pickB null) or two to average, at these offsets. */
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
            case 12: pickA = h; pickB = g; pickDb = stride; break;
            case 13: pickA = h; pickB = b; pickDb = stride; break;
            case 14: pickA = j; pickB = b; pickDb = stride; break;
            default: pickA = b; pickDa = stride; pickB = h; pickDb = 1; break;
        }
    }

    /**
     * The {@code w} x {@code h} prediction at quarter-sample position (qx, qy) of its top-left
     * sample, into {@code out} in rows of 16: whole-sample positions anywhere within the padding,
     * others within the window last computed by {@link #around}.
     */
    void predict(int qx, int qy, int[] out, int w, int h) {
        int x = qx >> 2;
        int y = qy >> 2;
        int fx = qx & 3;
        int fy = qy & 3;
        if ((fx | fy) == 0) {
            for (int r = 0; r < h; r++) {
                int o = index(x, y + r);
                for (int c = 0; c < w; c++) {
                    out[r * 16 + c] = full[o + c];
                }
            }
            return;
        }
        int base = (y - originY) * stride + (x - originX);
        pick(fx, fy);
        byte[] pa = pickA;
        byte[] pb = pickB;
        if (pb == null) {
            copy(pa, base, stride, out, w, h);
            return;
        }
        int da = pickDa;
        int db = pickDb;
        for (int r = 0; r < h; r++) {
            int o = base + r * stride;
            int po = r * 16;
            int oa = o + da;
            int ob = o + db;
            for (int c = 0; c < w; c++) {
                out[po + c] = (pa[oa + c] + pb[ob + c] + 1) >> 1;
            }
        }
    }

    /**
     * The SAD between the {@code w} x {@code h} block of {@code src} at {@code srcOff} and its
     * prediction at quarter-sample position (qx, qy), as {@link #predict} would form it, without
     * forming it; {@code w} is 8 or 16. A sum that reaches {@code limit} stops there (see {@link Sad}).
     */
    int sad(int qx, int qy, byte[] src, int srcOff, int srcStride, int w, int h, int limit) {
        int x = qx >> 2;
        int y = qy >> 2;
        int fx = qx & 3;
        int fy = qy & 3;
        if ((fx | fy) == 0) {
            return Sad.sad(src, srcOff, srcStride, full, index(x, y), fullStride, w, h, limit);
        }
        int base = (y - originY) * stride + (x - originX);
        pick(fx, fy);
        if (pickB == null) {
            return Sad.sad(src, srcOff, srcStride, pickA, base, stride, w, h, limit);
        }
        return Sad.sadAverage(src, srcOff, srcStride, pickA, base + pickDa, pickB, base + pickDb, stride, w, h, limit);
    }

    private static void copy(byte[] plane, int base, int stride, int[] out, int w, int h) {
        for (int r = 0; r < h; r++) {
            int o = base + r * stride;
            int po = r * 16;
            for (int c = 0; c < w; c++) {
                out[po + c] = plane[o + c];
            }
        }
    }
}

package io.vencflow.core.codec.avc;

/**
 * The reference luma and, for one 18x18 window at a time, its three half-sample planes (clause
 * 8.4.2.2.1: b to the right, h below, j in the centre), so that the motion search forms any
 * quarter-sample prediction around one whole-sample vector by one rounding average, exactly as the
 * decoder's interpolation gives it. Computing the window only where a macroblock refines its vector
 * spares the skipped macroblocks (most of a camera picture) the 6-tap filters. Where most
 * macroblocks refine, the encoder computes {@link HalfPlanes} for the whole picture instead, and the
 * window becomes a view of them: {@link #around} then has nothing to do. Samples are (value - 128).
 * One per thread.
 */
final class SubPelWindow {
    private static final int N = 18;

    byte[] full;
    int width;
    int height;
    private final byte[] windowB = new byte[N * N];
    private final byte[] windowH = new byte[N * N];
    private final byte[] windowJ = new byte[N * N];
    private final byte[] windowG = new byte[N * N];
    /** The planes predictions read: the window's, or the whole picture's. */
    private byte[] b;
    private byte[] h;
    private byte[] j;
    private byte[] g;
    /** Row length of those planes. */
    private int stride;
    /** Whether they are a whole picture's {@link HalfPlanes}. */
    private boolean wholePicture;
    private final int[] mid = new int[(N + 5) * N];
    /** Side of the block of reference samples a window's taps read. */
    private static final int P = N + 5;
    /** Those samples, clamped to the picture, for a window near its edge. */
    private final byte[] pad = new byte[P * P];
    private int originX;
    private int originY;
    /** Whether j holds the current window's centre plane. */
    private boolean centreReady;

    /** Sets the reference luma plane ({@code width} x {@code height}, MB-aligned); windows are computed as needed. */
    void reference(byte[] luma, int width, int height) {
        this.full = luma;
        this.width = width;
        this.height = height;
        this.originX = Integer.MIN_VALUE;
        this.wholePicture = false;
        b = windowB;
        h = windowH;
        j = windowJ;
        g = windowG;
        stride = N;
    }

    /** Sets the reference luma plane and its half-sample planes, computed for the whole picture. */
    void reference(byte[] luma, HalfPlanes planes) {
        this.full = luma;
        this.width = planes.width;
        this.height = planes.height;
        this.wholePicture = true;
        originX = 0;
        originY = 0;
        b = planes.b;
        h = planes.h;
        j = planes.j;
        g = luma;
        stride = planes.width;
        centreReady = true;
    }

    /**
     * Computes the window for quarter-sample vectors within 3 quarter samples of the whole-sample
     * block position (x, y), which must lie at least one sample inside the picture.
     */
    void around(int x, int y) {
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
        if (ox >= 2 && ox + N + 3 <= width && oy >= 2 && oy + N + 3 <= height) {
            compute(full, oy * width + ox, width);
            return;
        }
        // Near the edge: the taps' samples, each from the nearest sample inside the picture.
        for (int r = 0; r < P; r++) {
            int row = cy(oy - 2 + r) * width;
            for (int c = 0; c < P; c++) {
                pad[r * P + c] = full[row + cx(ox - 2 + c)];
            }
        }
        compute(pad, 2 * P + 2, P);
    }

    /**
     * The window's g, b and h planes (and j's intermediates) from {@code luma}, whose sample at
     * {@code origin} is the window's top-left and whose rows are {@code stride} apart; two samples
     * before and three after the window in each direction must be readable. The centre plane j waits
     * for {@link #centre} (a search that stays on whole and horizontal or vertical half samples never
     * needs it).
     */
    private void compute(byte[] luma, int origin, int lumaStride) {
        int w = lumaStride;
        // Horizontal intermediates of the window's own rows (b needs them); the rows above and below
        // that only j needs wait for centre().
        horizontal(luma, origin, w, 2, N + 2);
        for (int r = 0; r < N; r++) {
            int o = origin + r * w;
            int i = r * N;
            System.arraycopy(luma, o, windowG, i, N);
            int m = (r + 2) * N;
            for (int c = 0; c < N; c++) {
                windowB[i + c] = clip((mid[m + c] + 16) >> 5);
            }
            for (int c = 0; c < N; c++, o++) {
                int v = luma[o - 2 * w] - 5 * luma[o - w] + 20 * (luma[o] + luma[o + w]) - 5 * luma[o + 2 * w]
                        + luma[o + 3 * w];
                windowH[i + c] = clip((v + 16) >> 5);
            }
        }
        centreLuma = luma;
        centreOrigin = origin;
        centreStride = w;
        centreReady = false;
    }

    /**
     * Unrounded horizontal 6-tap sums of the sample rows {@code from - 2} to {@code to - 3} of the
     * window (row 0 is the window's top) into mid rows {@code from} to {@code to - 1}.
     */
    private void horizontal(byte[] luma, int origin, int w, int from, int to) {
        for (int k = from; k < to; k++) {
            int o = origin + (k - 2) * w;
            int m = k * N;
            for (int c = 0; c < N; c++, o++) {
                mid[m + c] = luma[o - 2] - 5 * luma[o - 1] + 20 * (luma[o] + luma[o + 1]) - 5 * luma[o + 2]
                        + luma[o + 3];
            }
        }
    }

    /** Where the current window's samples came from, for {@link #centre}. */
    private byte[] centreLuma;
    private int centreOrigin;
    private int centreStride;

    /** Computes the centre plane j of the window from the horizontal intermediates, once. */
    private void centre() {
        if (centreReady) {
            return;
        }
        horizontal(centreLuma, centreOrigin, centreStride, 0, 2);
        horizontal(centreLuma, centreOrigin, centreStride, N + 2, N + 5);
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

    private int cx(int x) {
        return x < 0 ? 0 : Math.min(x, width - 1);
    }

    private int cy(int y) {
        return y < 0 ? 0 : Math.min(y, height - 1);
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
     * sample, into {@code out} in rows of 16: whole-sample positions anywhere the block lies inside
     * the picture, others within the window last computed by {@link #around}.
     */
    void predict(int qx, int qy, int[] out, int w, int h) {
        int x = qx >> 2;
        int y = qy >> 2;
        int fx = qx & 3;
        int fy = qy & 3;
        if ((fx | fy) == 0) {
            for (int r = 0; r < h; r++) {
                int o = (y + r) * width + x;
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
            return Sad.sad(src, srcOff, srcStride, full, y * width + x, width, w, h, limit);
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

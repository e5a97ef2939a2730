package io.vencflow.core.codec.avc;

/**
 * The three half-sample planes of a whole reference luma picture (clause 8.4.2.2.1: b between
 * horizontal neighbours, h between vertical ones, j in the centre), with samples beyond the picture
 * taken from its nearest edge. Where most macroblocks of a picture refine their vectors, computing
 * the planes once, on all threads, costs less than a {@link SubPelWindow} per macroblock and
 * partition; the samples are the same either way. Samples are (value - 128).
 */
final class HalfPlanes {
    final int width;
    final int height;
    final byte[] b;
    final byte[] h;
    final byte[] j;
    private final ThreadLocal<int[]> scratch;

    HalfPlanes(int width, int height) {
        this.width = width;
        this.height = height;
        this.b = new byte[width * height];
        this.h = new byte[width * height];
        this.j = new byte[width * height];
        this.scratch = ThreadLocal.withInitial(() -> new int[(16 + 5) * width]);
    }

    /** Computes rows {@code 16 * mbRow} to {@code 16 * mbRow + 15} of the planes of {@code luma}. */
    void computeRow(byte[] luma, int mbRow) {
        int w = width;
        int y0 = mbRow * 16;
        int[] mid = scratch.get();
        // Unrounded horizontal 6-tap sums of rows y0-2 .. y0+18 (clamped to the picture).
        for (int k = 0; k < 16 + 5; k++) {
            int row = clampRow(y0 - 2 + k) * w;
            int m = k * w;
            for (int x = 0; x < 2; x++) {
                mid[m + x] = horizontalClamped(luma, row, x);
            }
            for (int x = 2, o = row + 2; x < w - 3; x++, o++) {
                mid[m + x] = luma[o - 2] - 5 * luma[o - 1] + 20 * luma[o] + 20 * luma[o + 1] - 5 * luma[o + 2]
                        + luma[o + 3];
            }
            for (int x = Math.max(2, w - 3); x < w; x++) {
                mid[m + x] = horizontalClamped(luma, row, x);
            }
        }
        // One plane at a time, row by row: b and h eight samples at a time (SixTap), j from the
        // intermediates.
        for (int r = 0; r < 16; r++) {
            int y = y0 + r;
            int out = y * w;
            int m = (r + 2) * w;
            // b: columns 0, 1 and the last three read clamped columns; those between read the row.
            for (int x = 0; x < 2; x++) {
                b[out + x] = clip((mid[m + x] + 16) >> 5);
            }
            SixTap.filter(luma, out, out + 1, out + 2, out + 3, out + 4, out + 5, b, out + 2, w - 5);
            for (int x = w - 3; x < w; x++) {
                b[out + x] = clip((mid[m + x] + 16) >> 5);
            }
            SixTap.filter(luma, clampRow(y - 2) * w, clampRow(y - 1) * w, y * w, clampRow(y + 1) * w,
                    clampRow(y + 2) * w, clampRow(y + 3) * w, h, out, w);
            int m0 = m - 2 * w;
            int m1 = m - w;
            int m3 = m + w;
            int m4 = m + 2 * w;
            int m5 = m + 3 * w;
            for (int x = 0; x < w; x++) {
                int v = mid[m0 + x] - 5 * mid[m1 + x] + 20 * (mid[m + x] + mid[m3 + x]) - 5 * mid[m4 + x] + mid[m5 + x];
                j[out + x] = clip((v + 512) >> 10);
            }
        }
    }

    private int horizontalClamped(byte[] luma, int row, int x) {
        return luma[row + clampCol(x - 2)] - 5 * luma[row + clampCol(x - 1)] + 20 * luma[row + clampCol(x)]
                + 20 * luma[row + clampCol(x + 1)] - 5 * luma[row + clampCol(x + 2)] + luma[row + clampCol(x + 3)];
    }

    private int clampCol(int x) {
        return x < 0 ? 0 : Math.min(x, width - 1);
    }

    private int clampRow(int y) {
        return y < 0 ? 0 : Math.min(y, height - 1);
    }

    /** A filtered value clipped to the sample range, as (value - 128). */
    static byte clip(int v) {
        return (byte) Math.max(-128, Math.min(v, 127));
    }
}

package io.vencflow.core.codec.avc;

/**
 * The reference luma and its three half-sample planes (clause 8.4.2.2.1: b to the right, h below,
 * j in the centre), computed once per reference picture, so that the motion search can form any
 * quarter-sample prediction by one rounding average, exactly as the decoder's interpolation gives
 * it. Samples are (value - 128); rows are {@code width} long. Not thread-safe to {@link #update};
 * {@link #predict} may run on many threads at once.
 */
final class HalfPelPlanes {
    final int width;
    final int height;
    byte[] full;
    final byte[] b;
    final byte[] h;
    final byte[] j;
    private final int[] column;

    HalfPelPlanes(int width, int height) {
        this.width = width;
        this.height = height;
        this.b = new byte[width * height];
        this.h = new byte[width * height];
        this.j = new byte[width * height];
        this.column = new int[height + 5];
    }

    /** Recomputes the half-sample planes for a new reference luma plane. */
    void update(byte[] luma) {
        this.full = luma;
        int w = width;
        int hgt = height;
        // b: horizontal 6-tap; h: vertical 6-tap (edges repeat the border sample).
        for (int y = 0; y < hgt; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                int v = tap(luma[row + cx(x - 2)], luma[row + cx(x - 1)], luma[row + x], luma[row + cx(x + 1)],
                        luma[row + cx(x + 2)], luma[row + cx(x + 3)]);
                b[row + x] = clip((v + 16) >> 5);
            }
        }
        for (int y = 0; y < hgt; y++) {
            for (int x = 0; x < w; x++) {
                int v = tap(luma[cy(y - 2) * w + x], luma[cy(y - 1) * w + x], luma[y * w + x], luma[cy(y + 1) * w + x],
                        luma[cy(y + 2) * w + x], luma[cy(y + 3) * w + x]);
                h[y * w + x] = clip((v + 16) >> 5);
            }
        }
        // j: vertical 6-tap over the unrounded horizontal intermediates.
        for (int x = 0; x < w; x++) {
            for (int k = 0; k < hgt + 5; k++) {
                int y = cy(k - 2);
                int row = y * w;
                column[k] = tap(luma[row + cx(x - 2)], luma[row + cx(x - 1)], luma[row + x], luma[row + cx(x + 1)],
                        luma[row + cx(x + 2)], luma[row + cx(x + 3)]);
            }
            for (int y = 0; y < hgt; y++) {
                int v = tap(column[y], column[y + 1], column[y + 2], column[y + 3], column[y + 4], column[y + 5]);
                j[y * w + x] = clip((v + 512) >> 10);
            }
        }
    }

    private int cx(int x) {
        return x < 0 ? 0 : Math.min(x, width - 1);
    }

    private int cy(int y) {
        return y < 0 ? 0 : Math.min(y, height - 1);
    }

    private static int tap(int e, int f, int g, int hh, int i, int jj) {
        return e - 5 * f + 20 * g + 20 * hh - 5 * i + jj;
    }

    private static byte clip(int v) {
        return (byte) (v < -128 ? -128 : Math.min(v, 127));
    }

    /**
     * The 16x16 prediction at quarter-sample position (qx, qy) of its top-left sample, row-major
     * into {@code out}. The block and its neighbours one sample out must lie inside the picture.
     */
    void predict(int qx, int qy, int[] out) {
        int x = qx >> 2;
        int y = qy >> 2;
        int fx = qx & 3;
        int fy = qy & 3;
        int w = width;
        for (int r = 0; r < 16; r++) {
            int o = (y + r) * w + x;
            int po = r * 16;
            for (int c = 0; c < 16; c++, o++) {
                out[po + c] = sample(o, fx, fy, w);
            }
        }
    }

    private int sample(int o, int fx, int fy, int w) {
        byte[] g = full;
        switch ((fy << 2) | fx) {
            case 0: return g[o];
            case 1: return (g[o] + b[o] + 1) >> 1;
            case 2: return b[o];
            case 3: return (b[o] + g[o + 1] + 1) >> 1;
            case 4: return (g[o] + h[o] + 1) >> 1;
            case 5: return (b[o] + h[o] + 1) >> 1;
            case 6: return (b[o] + j[o] + 1) >> 1;
            case 7: return (b[o] + h[o + 1] + 1) >> 1;
            case 8: return h[o];
            case 9: return (h[o] + j[o] + 1) >> 1;
            case 10: return j[o];
            case 11: return (j[o] + h[o + 1] + 1) >> 1;
            case 12: return (h[o] + g[o + w] + 1) >> 1;
            case 13: return (h[o] + b[o + w] + 1) >> 1;
            case 14: return (j[o] + b[o + w] + 1) >> 1;
            default: return (b[o + w] + h[o + 1] + 1) >> 1;
        }
    }
}

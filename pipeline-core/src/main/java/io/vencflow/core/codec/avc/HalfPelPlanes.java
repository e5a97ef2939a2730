package io.vencflow.core.codec.avc;

/**
 * The reference luma and its three half-sample planes (clause 8.4.2.2.1: b to the right, h below,
 * j in the centre), computed once per reference picture, so that the motion search can form any
 * quarter-sample prediction by one rounding average, exactly as the decoder's interpolation gives
 * it. Samples are (value - 128); rows are {@code width} long. Bands of rows are updated on several
 * threads at once; {@link #predict} may run on many threads once the update is complete.
 */
final class HalfPelPlanes {
    final int width;
    final int height;
    byte[] full;
    final byte[] b;
    final byte[] h;
    final byte[] j;

    HalfPelPlanes(int width, int height) {
        this.width = width;
        this.height = height;
        this.b = new byte[width * height];
        this.h = new byte[width * height];
        this.j = new byte[width * height];
    }

    /** Sets the reference luma plane; then {@link #updateRows} computes its half-sample planes. */
    void reference(byte[] luma) {
        this.full = luma;
    }

    /** Scratch {@link #updateRows} needs: one per thread. */
    int[] newScratch() {
        return new int[width * 6];
    }

    /**
     * Recomputes rows {@code [from, to)} of the half-sample planes from {@link #full}; bands of rows
     * may be computed on several threads at once.
     */
    void updateRows(int from, int to, int[] mid) {
        byte[] luma = full;
        int w = width;
        // Horizontal 6-tap intermediates, each source row once, in a ring of the six rows j needs.
        int next = cy(from - 2);
        for (int y = from; y < to; y++) {
            for (int need = cy(y + 3); next <= need; next++) {
                intermediate(luma, next * w, mid, (next % 6) * w, w);
            }
            int row = y * w;
            int m0 = (cy(y - 2) % 6) * w;
            int m1 = (cy(y - 1) % 6) * w;
            int m2 = (y % 6) * w;
            int m3 = (cy(y + 1) % 6) * w;
            int m4 = (cy(y + 2) % 6) * w;
            int m5 = (cy(y + 3) % 6) * w;
            int r0 = cy(y - 2) * w;
            int r1 = cy(y - 1) * w;
            int r3 = cy(y + 1) * w;
            int r4 = cy(y + 2) * w;
            int r5 = cy(y + 3) * w;
            for (int x = 0; x < w; x++) {
                b[row + x] = clip((mid[m2 + x] + 16) >> 5);
            }
            for (int x = 0; x < w; x++) {
                int v = luma[r0 + x] - 5 * luma[r1 + x] + 20 * luma[row + x] + 20 * luma[r3 + x] - 5 * luma[r4 + x]
                        + luma[r5 + x];
                h[row + x] = clip((v + 16) >> 5);
            }
            for (int x = 0; x < w; x++) {
                int jv = mid[m0 + x] - 5 * mid[m1 + x] + 20 * mid[m2 + x] + 20 * mid[m3 + x] - 5 * mid[m4 + x]
                        + mid[m5 + x];
                j[row + x] = clip((jv + 512) >> 10);
            }
        }
    }

    private void intermediate(byte[] luma, int row, int[] out, int outOff, int w) {
        // The border columns repeat the edge sample; the interior runs without a branch.
        for (int x = 0; x < 2; x++) {
            out[outOff + x] = tapClamped(luma, row, x);
        }
        for (int x = Math.max(2, w - 3); x < w; x++) {
            out[outOff + x] = tapClamped(luma, row, x);
        }
        int o = row;
        for (int x = 2; x < w - 3; x++) {
            out[outOff + x] = luma[o + x - 2] - 5 * luma[o + x - 1] + 20 * luma[o + x] + 20 * luma[o + x + 1]
                    - 5 * luma[o + x + 2] + luma[o + x + 3];
        }
    }

    private int tapClamped(byte[] luma, int row, int x) {
        return tap(luma[row + cx(x - 2)], luma[row + cx(x - 1)], luma[row + cx(x)], luma[row + cx(x + 1)],
                luma[row + cx(x + 2)], luma[row + cx(x + 3)]);
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
        return (byte) Math.max(-128, Math.min(v, 127));
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
        int base = y * w + x;
        byte[] g = full;
        byte[] pa;
        byte[] pb;
        int da = 0;
        int db = 0;
        switch ((fy << 2) | fx) {
            case 0: copy(g, base, out); return;
            case 2: copy(b, base, out); return;
            case 8: copy(h, base, out); return;
            case 10: copy(j, base, out); return;
            case 1: pa = g; pb = b; break;
            case 3: pa = b; pb = g; db = 1; break;
            case 4: pa = g; pb = h; break;
            case 5: pa = b; pb = h; break;
            case 6: pa = b; pb = j; break;
            case 7: pa = b; pb = h; db = 1; break;
            case 9: pa = h; pb = j; break;
            case 11: pa = j; pb = h; db = 1; break;
            case 12: pa = h; pb = g; db = w; break;
            case 13: pa = h; pb = b; db = w; break;
            case 14: pa = j; pb = b; db = w; break;
            default: pa = b; da = w; pb = h; db = 1; break;
        }
        for (int r = 0; r < 16; r++) {
            int o = base + r * w;
            int po = r * 16;
            int oa = o + da;
            int ob = o + db;
            for (int c = 0; c < 16; c++) {
                out[po + c] = (pa[oa + c] + pb[ob + c] + 1) >> 1;
            }
        }
    }

    private void copy(byte[] plane, int base, int[] out) {
        for (int r = 0; r < 16; r++) {
            int o = base + r * width;
            int po = r * 16;
            for (int c = 0; c < 16; c++) {
                out[po + c] = plane[o + c];
            }
        }
    }
}

package io.vencflow.core.codec.avc;

/** Sum of absolute 4x4 Hadamard-transformed differences: the distortion mode decisions compare. */
final class Satd {
    private Satd() {
    }

    /** SATD of {@code src} (16x16 at {@code off}) against a row-major 16x16 prediction. */
    static int satd16x16(byte[] src, int off, int stride, byte[] pred) {
        int sum = 0;
        for (int by = 0; by < 16; by += 4) {
            for (int bx = 0; bx < 16; bx += 4) {
                sum += satd4x4(src, off + by * stride + bx, stride, pred, by * 16 + bx, 16);
            }
        }
        return sum;
    }

    /** SATD of an 8x8 chroma block of {@code src} at {@code off} against a row-major 8x8 prediction. */
    static int satd8x8(byte[] src, int off, int stride, byte[] pred) {
        int sum = 0;
        for (int by = 0; by < 8; by += 4) {
            for (int bx = 0; bx < 8; bx += 4) {
                sum += satd4x4(src, off + by * stride + bx, stride, pred, by * 8 + bx, 8);
            }
        }
        return sum;
    }

    static int satd4x4(byte[] src, int off, int stride, byte[] pred, int pOff, int pStride) {
        int s = 0;
        int t0;
        int t1;
        int t2;
        int t3;
        int r00, r01, r02, r03, r10, r11, r12, r13, r20, r21, r22, r23, r30, r31, r32, r33;
        // rows: horizontal butterflies of the differences
        int a = off;
        int p = pOff;
        int d0 = src[a] - pred[p];
        int d1 = src[a + 1] - pred[p + 1];
        int d2 = src[a + 2] - pred[p + 2];
        int d3 = src[a + 3] - pred[p + 3];
        t0 = d0 + d1; t1 = d0 - d1; t2 = d2 + d3; t3 = d2 - d3;
        r00 = t0 + t2; r01 = t1 + t3; r02 = t0 - t2; r03 = t1 - t3;
        a += stride; p += pStride;
        d0 = src[a] - pred[p]; d1 = src[a + 1] - pred[p + 1]; d2 = src[a + 2] - pred[p + 2]; d3 = src[a + 3] - pred[p + 3];
        t0 = d0 + d1; t1 = d0 - d1; t2 = d2 + d3; t3 = d2 - d3;
        r10 = t0 + t2; r11 = t1 + t3; r12 = t0 - t2; r13 = t1 - t3;
        a += stride; p += pStride;
        d0 = src[a] - pred[p]; d1 = src[a + 1] - pred[p + 1]; d2 = src[a + 2] - pred[p + 2]; d3 = src[a + 3] - pred[p + 3];
        t0 = d0 + d1; t1 = d0 - d1; t2 = d2 + d3; t3 = d2 - d3;
        r20 = t0 + t2; r21 = t1 + t3; r22 = t0 - t2; r23 = t1 - t3;
        a += stride; p += pStride;
        d0 = src[a] - pred[p]; d1 = src[a + 1] - pred[p + 1]; d2 = src[a + 2] - pred[p + 2]; d3 = src[a + 3] - pred[p + 3];
        t0 = d0 + d1; t1 = d0 - d1; t2 = d2 + d3; t3 = d2 - d3;
        r30 = t0 + t2; r31 = t1 + t3; r32 = t0 - t2; r33 = t1 - t3;
        s += col(r00, r10, r20, r30) + col(r01, r11, r21, r31) + col(r02, r12, r22, r32) + col(r03, r13, r23, r33);
        return s >> 1;
    }

    /**
     * The 4x4 Hadamard transform of a source block, as {@link #satd4x4} transforms the differences,
     * into {@code h} at {@code hOff} (16 values, horizontal frequency major); returns the sum of their
     * magnitudes. The transform is linear, so the SATD against a prediction is the sum of
     * |{@code h} - the prediction's transform|, halved. A prediction flat along a direction has a
     * transform of one row, one column or one value: {@link #vertical}, {@link #horizontal} and
     * {@link #flat} price it from {@code h} with a few operations instead of a transform.
     */
    static int transform(byte[] src, int off, int stride, int[] h, int hOff) {
        for (int j = 0; j < 4; j++) {
            int a = off + j * stride;
            int t0 = src[a] + src[a + 1];
            int t1 = src[a] - src[a + 1];
            int t2 = src[a + 2] + src[a + 3];
            int t3 = src[a + 2] - src[a + 3];
            h[hOff + j] = t0 + t2;
            h[hOff + 4 + j] = t1 + t3;
            h[hOff + 8 + j] = t0 - t2;
            h[hOff + 12 + j] = t1 - t3;
        }
        // h now holds each row's transform, horizontal frequency major: transform the columns.
        int sum = 0;
        for (int k = 0; k < 4; k++) {
            int c = hOff + k * 4;
            int t0 = h[c] + h[c + 1];
            int t1 = h[c] - h[c + 1];
            int t2 = h[c + 2] + h[c + 3];
            int t3 = h[c + 2] - h[c + 3];
            h[c] = t0 + t2;
            h[c + 1] = t1 + t3;
            h[c + 2] = t0 - t2;
            h[c + 3] = t1 - t3;
            sum += Math.abs(h[c]) + Math.abs(h[c + 1]) + Math.abs(h[c + 2]) + Math.abs(h[c + 3]);
        }
        return sum;
    }

    /**
     * SATD against a prediction whose every row is {@code t0..t3} (vertical prediction): its
     * transform is 4 times the row's, at vertical frequency 0. {@code h} and {@code sum} from
     * {@link #transform}.
     */
    static int vertical(int[] h, int hOff, int sum, int t0, int t1, int t2, int t3) {
        return (sum + lineChange(h, hOff, 4, t0, t1, t2, t3)) >> 1;
    }

    /** SATD against a prediction whose every column is {@code l0..l3} (horizontal prediction). */
    static int horizontal(int[] h, int hOff, int sum, int l0, int l1, int l2, int l3) {
        return (sum + lineChange(h, hOff, 1, l0, l1, l2, l3)) >> 1;
    }

    /** SATD against a prediction of one value throughout (DC prediction): 16 times it, in the first value. */
    static int flat(int[] h, int hOff, int sum, int value) {
        return (sum - Math.abs(h[hOff]) + Math.abs(h[hOff] - 16 * value)) >> 1;
    }

    /** How the magnitudes change when 4 times the transform of {@code x0..x3} leaves the line at {@code step}. */
    private static int lineChange(int[] h, int o, int step, int x0, int x1, int x2, int x3) {
        int t0 = x0 + x1;
        int t1 = x0 - x1;
        int t2 = x2 + x3;
        int t3 = x2 - x3;
        int a = h[o];
        int b = h[o + step];
        int c = h[o + 2 * step];
        int d = h[o + 3 * step];
        return Math.abs(a - 4 * (t0 + t2)) + Math.abs(b - 4 * (t1 + t3)) + Math.abs(c - 4 * (t0 - t2))
                + Math.abs(d - 4 * (t1 - t3)) - Math.abs(a) - Math.abs(b) - Math.abs(c) - Math.abs(d);
    }

    private static int col(int a, int b, int c, int d) {
        int t0 = a + b;
        int t1 = a - b;
        int t2 = c + d;
        int t3 = c - d;
        return Math.abs(t0 + t2) + Math.abs(t1 + t3) + Math.abs(t0 - t2) + Math.abs(t1 - t3);
    }
}

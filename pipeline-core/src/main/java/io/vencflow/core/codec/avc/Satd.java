package io.vencflow.core.codec.avc;

/** Sum of absolute 4x4 Hadamard-transformed differences: the distortion mode decisions compare. */
final class Satd {
    private Satd() {
    }

    /** SATD of {@code src} (16x16 at {@code off}) against a row-major 16x16 prediction. */
    static int satd16x16(byte[] src, int off, int stride, int[] pred) {
        int sum = 0;
        for (int by = 0; by < 16; by += 4) {
            for (int bx = 0; bx < 16; bx += 4) {
                sum += satd4x4(src, off + by * stride + bx, stride, pred, by * 16 + bx, 16);
            }
        }
        return sum;
    }

    /** SATD of an 8x8 chroma block of {@code src} at {@code off} against a row-major 8x8 prediction. */
    static int satd8x8(byte[] src, int off, int stride, int[] pred) {
        int sum = 0;
        for (int by = 0; by < 8; by += 4) {
            for (int bx = 0; bx < 8; bx += 4) {
                sum += satd4x4(src, off + by * stride + bx, stride, pred, by * 8 + bx, 8);
            }
        }
        return sum;
    }

    static int satd4x4(byte[] src, int off, int stride, int[] pred, int pOff, int pStride) {
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

    private static int col(int a, int b, int c, int d) {
        int t0 = a + b;
        int t1 = a - b;
        int t2 = c + d;
        int t3 = c - d;
        return Math.abs(t0 + t2) + Math.abs(t1 + t3) + Math.abs(t0 - t2) + Math.abs(t1 - t3);
    }
}

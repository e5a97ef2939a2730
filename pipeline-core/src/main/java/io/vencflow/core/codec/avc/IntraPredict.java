package io.vencflow.core.codec.avc;

/**
 * Intra prediction of Intra16x16 luma (vertical, horizontal, DC, plane) and 4:2:0 chroma (DC,
 * horizontal, vertical, plane) from the unfiltered reconstruction of the neighbouring macroblocks,
 * as clause 8.3 gives it. Samples are stored as (value - 128) in signed bytes, the layout JCodec's
 * pictures use; every formula below holds unchanged in that domain because the offsets cancel or
 * are multiples of the divisor.
 */
final class IntraPredict {
    static final int V = 0;
    static final int H = 1;
    static final int DC = 2;
    static final int PLANE = 3;

    static final int C_DC = 0;
    static final int C_H = 1;
    static final int C_V = 2;
    static final int C_PLANE = 3;

    private IntraPredict() {
    }

    /** Whether Intra16x16 mode {@code mode} can be used with these neighbours. */
    static boolean lumaModeAvailable(int mode, boolean left, boolean top, boolean topLeft) {
        return switch (mode) {
            case V -> top;
            case H -> left;
            case DC -> true;
            default -> left && top && topLeft;
        };
    }

    /** Whether chroma mode {@code mode} can be used with these neighbours. */
    static boolean chromaModeAvailable(int mode, boolean left, boolean top, boolean topLeft) {
        return switch (mode) {
            case C_DC -> true;
            case C_H -> left;
            case C_V -> top;
            default -> left && top && topLeft;
        };
    }

    /**
     * Predicts an {@code n}x{@code n} block ({@code n} 16 for luma, 8 for chroma) at {@code (x, y)}
     * into {@code pred} (row-major, stride n).
     */
    static void predict(byte[] plane, int stride, int x, int y, int n, boolean chroma, int mode,
            boolean left, boolean top, boolean topLeft, byte[] pred) {
        int base = y * stride + x;
        if (chroma) {
            switch (mode) {
                case C_DC -> chromaDc(plane, stride, base, left, top, pred);
                case C_H -> horizontal(plane, stride, base, n, pred);
                case C_V -> vertical(plane, stride, base, n, pred);
                default -> plane(plane, stride, base, n, pred);
            }
        } else {
            switch (mode) {
                case V -> vertical(plane, stride, base, n, pred);
                case H -> horizontal(plane, stride, base, n, pred);
                case DC -> lumaDc(plane, stride, base, left, top, pred);
                default -> plane(plane, stride, base, n, pred);
            }
        }
    }

    private static void vertical(byte[] p, int stride, int base, int n, byte[] pred) {
        int above = base - stride;
        for (int j = 0; j < n; j++) {
            System.arraycopy(p, above, pred, j * n, n);
        }
    }

    private static void horizontal(byte[] p, int stride, int base, int n, byte[] pred) {
        for (int j = 0; j < n; j++) {
            java.util.Arrays.fill(pred, j * n, j * n + n, p[base + j * stride - 1]);
        }
    }

    private static void lumaDc(byte[] p, int stride, int base, boolean left, boolean top, byte[] pred) {
        int dc;
        if (left && top) {
            dc = (sumTop(p, stride, base, 0, 16) + sumLeft(p, stride, base, 0, 16) + 16) >> 5;
        } else if (left) {
            dc = (sumLeft(p, stride, base, 0, 16) + 8) >> 4;
        } else if (top) {
            dc = (sumTop(p, stride, base, 0, 16) + 8) >> 4;
        } else {
            dc = 0; // 128 in the unsigned domain
        }
        java.util.Arrays.fill(pred, 0, 256, (byte) dc);
    }

    /** Chroma DC is predicted per 4x4 block, each from the neighbours nearest to it (8.3.4.1-3). */
    private static void chromaDc(byte[] p, int stride, int base, boolean left, boolean top, byte[] pred) {
        for (int by = 0; by < 2; by++) {
            for (int bx = 0; bx < 2; bx++) {
                int sTop = top ? sumTop(p, stride, base, bx * 4, 4) : 0;
                int sLeft = left ? sumLeft(p, stride, base, by * 4, 4) : 0;
                int dc;
                boolean corner = bx == by; // blocks (0,0) and (1,1) use both edges
                if (corner) {
                    if (left && top) {
                        dc = (sTop + sLeft + 4) >> 3;
                    } else if (left) {
                        dc = (sLeft + 2) >> 2;
                    } else if (top) {
                        dc = (sTop + 2) >> 2;
                    } else {
                        dc = 0;
                    }
                } else if (bx == 1) { // top-right block prefers the samples above it
                    dc = top ? (sTop + 2) >> 2 : left ? (sLeft + 2) >> 2 : 0;
                } else { // bottom-left block prefers the samples left of it
                    dc = left ? (sLeft + 2) >> 2 : top ? (sTop + 2) >> 2 : 0;
                }
                for (int j = 0; j < 4; j++) {
                    for (int i = 0; i < 4; i++) {
                        pred[(by * 4 + j) * 8 + bx * 4 + i] = (byte) dc;
                    }
                }
            }
        }
    }

    private static void plane(byte[] p, int stride, int base, int n, byte[] pred) {
        int half = n / 2; // 8 for luma, 4 for chroma
        int above = base - stride;
        int hSum = 0;
        int vSum = 0;
        for (int k = 0; k < half; k++) {
            hSum += (k + 1) * (p[above + half + k] - p[above + half - 2 - k]);
            vSum += (k + 1) * (p[base + (half + k) * stride - 1] - p[base + (half - 2 - k) * stride - 1]);
        }
        int b;
        int c;
        if (n == 16) {
            b = (5 * hSum + 32) >> 6;
            c = (5 * vSum + 32) >> 6;
        } else {
            b = (34 * hSum + 32) >> 6;
            c = (34 * vSum + 32) >> 6;
        }
        int a = 16 * (p[base + (n - 1) * stride - 1] + p[above + n - 1]);
        int centre = half - 1;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int v = (a + b * (x - centre) + c * (y - centre) + 16) >> 5;
                pred[y * n + x] = (byte) (v < -128 ? -128 : Math.min(v, 127));
            }
        }
    }

    private static int sumTop(byte[] p, int stride, int base, int from, int count) {
        int s = 0;
        int above = base - stride + from;
        for (int i = 0; i < count; i++) {
            s += p[above + i];
        }
        return s;
    }

    private static int sumLeft(byte[] p, int stride, int base, int from, int count) {
        int s = 0;
        for (int j = 0; j < count; j++) {
            s += p[base + (from + j) * stride - 1];
        }
        return s;
    }
}

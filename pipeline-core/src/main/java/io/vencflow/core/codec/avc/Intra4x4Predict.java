package io.vencflow.core.codec.avc;

/**
 * Intra 4x4 luma prediction, the nine modes of clause 8.3.1.2, from the unfiltered reconstruction.
 * Neighbours are gathered once per block into {@code edge}: index 0..3 the samples above, 4..7
 * above-right (the last one above repeated when those are not available), 8 the corner, 9..12 the
 * samples to the left. Samples are (value - 128); every formula is an average whose weights sum
 * to a power of two, so it holds unchanged in that domain.
 */
final class Intra4x4Predict {
    static final int VERTICAL = 0;
    static final int HORIZONTAL = 1;
    static final int DC = 2;
    static final int DIAGONAL_DOWN_LEFT = 3;
    static final int DIAGONAL_DOWN_RIGHT = 4;
    static final int VERTICAL_RIGHT = 5;
    static final int HORIZONTAL_DOWN = 6;
    static final int VERTICAL_LEFT = 7;
    static final int HORIZONTAL_UP = 8;

    private static final int TOP = 0;
    private static final int CORNER = 8;
    private static final int LEFT = 9;

    private Intra4x4Predict() {
    }

    /** Whether mode {@code mode} can be used with these neighbours. */
    static boolean available(int mode, boolean left, boolean top, boolean topLeft) {
        return switch (mode) {
            case VERTICAL, DIAGONAL_DOWN_LEFT, VERTICAL_LEFT -> top;
            case HORIZONTAL, HORIZONTAL_UP -> left;
            case DC -> true;
            default -> left && top && topLeft;
        };
    }

    /** Gathers the neighbours of the 4x4 block at (x, y) of {@code plane} into {@code edge}. */
    static void gather(byte[] plane, int stride, int x, int y, boolean left, boolean top, boolean topLeft,
            boolean topRight, int[] edge) {
        int base = y * stride + x;
        if (top) {
            for (int i = 0; i < 4; i++) {
                edge[TOP + i] = plane[base - stride + i];
            }
            for (int i = 4; i < 8; i++) {
                edge[TOP + i] = topRight ? plane[base - stride + i] : edge[TOP + 3];
            }
        }
        if (topLeft) {
            edge[CORNER] = plane[base - stride - 1];
        }
        if (left) {
            for (int j = 0; j < 4; j++) {
                edge[LEFT + j] = plane[base + j * stride - 1];
            }
        }
    }

    /** The DC prediction's value from gathered neighbours. */
    private static int dc(int[] e, boolean left, boolean top) {
        if (left && top) {
            return (e[0] + e[1] + e[2] + e[3] + e[9] + e[10] + e[11] + e[12] + 4) >> 3;
        } else if (left) {
            return (e[9] + e[10] + e[11] + e[12] + 2) >> 2;
        } else if (top) {
            return (e[0] + e[1] + e[2] + e[3] + 2) >> 2;
        }
        return 0;
    }

    /**
     * The SATD of a flat mode (vertical, horizontal or DC), priced from the neighbours and the
     * source block's {@link Satd#transform} ({@code h} and {@code sum}) without forming the prediction.
     */
    static int flatSatd(int mode, int[] e, boolean left, boolean top, int[] h, int hOff, int sum) {
        return switch (mode) {
            case VERTICAL -> Satd.vertical(h, hOff, sum, e[TOP], e[TOP + 1], e[TOP + 2], e[TOP + 3]);
            case HORIZONTAL -> Satd.horizontal(h, hOff, sum, e[LEFT], e[LEFT + 1], e[LEFT + 2], e[LEFT + 3]);
            case DC -> Satd.flat(h, hOff, sum, dc(e, left, top));
            default -> throw new IllegalArgumentException("mode " + mode + " is not flat; expected 0, 1 or 2");
        };
    }

    /*
     * Every sample of the six directional modes is a neighbour, the rounded mean of two adjacent
     * neighbours, or a (1, 2, 1) filter centred on one, along the line of neighbours that runs from
     * the bottom left up to the corner and along the top to the right. So {@link #filter} computes
     * those values once a block, and each mode takes its 16 samples from them by a table. The line
     * (LINE_* positions): L3 repeated, L3, L2, L1, L0, corner, T0..T7, T7 repeated (the repeats give
     * the formulas at its ends). Filtered values: RAW + position, PAIR + position (the mean with
     * the next), TAP3 + position.
     */
    private static final int LINE = 15;
    private static final int RAW = 0;
    private static final int PAIR = LINE;
    private static final int TAP3 = 2 * LINE;
    /** The size of the array {@link #filter} fills. */
    static final int FILTERED = 3 * LINE;
    private static final int LINE_CORNER = 5;

    /** Position on the line of p[i, -1] (i from -1, the corner, to 7). */
    private static int topAt(int i) {
        return LINE_CORNER + 1 + i;
    }

    /** Position on the line of p[-1, j] (j from -1, the corner, to 3). */
    private static int leftAt(int j) {
        return LINE_CORNER - 1 - j;
    }

    /** Per directional mode (3..8), the index into the filtered values of each sample (row-major). */
    private static final int[][] SAMPLES = new int[9][16];

    static {
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                int k = y * 4 + x;
                SAMPLES[DIAGONAL_DOWN_LEFT][k] = TAP3 + (x == 3 && y == 3 ? topAt(7) : topAt(x + y + 1));
                SAMPLES[DIAGONAL_DOWN_RIGHT][k] = TAP3 + (x > y ? topAt(x - y - 1) : x < y ? leftAt(y - x - 1)
                        : LINE_CORNER);
                int zvr = 2 * x - y;
                SAMPLES[VERTICAL_RIGHT][k] = zvr >= 0 && (zvr & 1) == 0 ? PAIR + topAt(x - (y >> 1) - 1)
                        : zvr >= 0 ? TAP3 + topAt(x - (y >> 1) - 1)
                        : zvr == -1 ? TAP3 + LINE_CORNER
                        : TAP3 + leftAt(y - 2);
                int zhd = 2 * y - x;
                SAMPLES[HORIZONTAL_DOWN][k] = zhd >= 0 && (zhd & 1) == 0 ? PAIR + leftAt(y - (x >> 1))
                        : zhd >= 0 ? TAP3 + leftAt(y - (x >> 1) - 1)
                        : zhd == -1 ? TAP3 + LINE_CORNER
                        : TAP3 + topAt(x - 2);
                int i = x + (y >> 1);
                SAMPLES[VERTICAL_LEFT][k] = (y & 1) == 0 ? PAIR + topAt(i) : TAP3 + topAt(i + 1);
                int zhu = x + 2 * y;
                int j = y + (x >> 1);
                SAMPLES[HORIZONTAL_UP][k] = zhu > 5 ? RAW + leftAt(3)
                        : zhu == 5 ? TAP3 + leftAt(3)
                        : (zhu & 1) == 0 ? PAIR + leftAt(j + 1)
                        : TAP3 + leftAt(j + 1);
            }
        }
    }

    /**
     * Fills {@code filtered} ({@link #FILTERED} values) from gathered neighbours for
     * {@link #predict}. Neighbours that are not available hold what they held before; the modes
     * that would read them are not available either.
     */
    static void filter(int[] e, int[] filtered) {
        int[] f = filtered;
        f[RAW] = e[LEFT + 3];
        for (int j = 0; j < 4; j++) {
            f[RAW + leftAt(j)] = e[LEFT + j];
        }
        f[RAW + LINE_CORNER] = e[CORNER];
        for (int i = 0; i < 8; i++) {
            f[RAW + topAt(i)] = e[TOP + i];
        }
        f[RAW + LINE - 1] = e[TOP + 7];
        for (int p = 0; p < LINE - 1; p++) {
            f[PAIR + p] = (f[p] + f[p + 1] + 1) >> 1;
        }
        for (int p = 1; p < LINE - 1; p++) {
            f[TAP3 + p] = (f[p - 1] + 2 * f[p] + f[p + 1] + 2) >> 2;
        }
    }

    /**
     * Predicts into {@code pred} (16 values, row-major): from gathered neighbours {@code e}, and for
     * the directional modes from their {@link #filter filtered} values.
     */
    static void predict(int mode, int[] e, int[] filtered, boolean left, boolean top, byte[] pred) {
        switch (mode) {
            case VERTICAL -> {
                for (int k = 0; k < 16; k++) {
                    pred[k] = (byte) e[TOP + (k & 3)];
                }
            }
            case HORIZONTAL -> {
                for (int k = 0; k < 16; k++) {
                    pred[k] = (byte) e[LEFT + (k >> 2)];
                }
            }
            case DC -> java.util.Arrays.fill(pred, 0, 16, (byte) dc(e, left, top));
            default -> {
                int[] samples = SAMPLES[mode];
                for (int k = 0; k < 16; k++) {
                    pred[k] = (byte) filtered[samples[k]];
                }
            }
        }
    }
}

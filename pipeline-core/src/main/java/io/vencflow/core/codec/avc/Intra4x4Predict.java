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

    /** Predicts into {@code pred} (16 values, row-major) from gathered neighbours. */
    static void predict(int mode, int[] e, boolean left, boolean top, int[] pred) {
        switch (mode) {
            case VERTICAL -> {
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 4; x++) {
                        pred[y * 4 + x] = e[TOP + x];
                    }
                }
            }
            case HORIZONTAL -> {
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 4; x++) {
                        pred[y * 4 + x] = e[LEFT + y];
                    }
                }
            }
            case DC -> {
                int dc;
                if (left && top) {
                    dc = (e[0] + e[1] + e[2] + e[3] + e[9] + e[10] + e[11] + e[12] + 4) >> 3;
                } else if (left) {
                    dc = (e[9] + e[10] + e[11] + e[12] + 2) >> 2;
                } else if (top) {
                    dc = (e[0] + e[1] + e[2] + e[3] + 2) >> 2;
                } else {
                    dc = 0;
                }
                java.util.Arrays.fill(pred, 0, 16, dc);
            }
            case DIAGONAL_DOWN_LEFT -> {
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 4; x++) {
                        pred[y * 4 + x] = x == 3 && y == 3 ? (e[6] + 3 * e[7] + 2) >> 2
                                : (e[x + y] + 2 * e[x + y + 1] + e[x + y + 2] + 2) >> 2;
                    }
                }
            }
            case DIAGONAL_DOWN_RIGHT -> {
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 4; x++) {
                        int v;
                        if (x > y) {
                            v = (top(e, x - y - 2) + 2 * top(e, x - y - 1) + top(e, x - y) + 2) >> 2;
                        } else if (x < y) {
                            v = (left(e, y - x - 2) + 2 * left(e, y - x - 1) + left(e, y - x) + 2) >> 2;
                        } else {
                            v = (top(e, 0) + 2 * e[CORNER] + left(e, 0) + 2) >> 2;
                        }
                        pred[y * 4 + x] = v;
                    }
                }
            }
            case VERTICAL_RIGHT -> {
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 4; x++) {
                        int z = 2 * x - y;
                        int v;
                        if (z >= 0 && (z & 1) == 0) {
                            v = (top(e, x - (y >> 1) - 1) + top(e, x - (y >> 1)) + 1) >> 1;
                        } else if (z >= 0) {
                            v = (top(e, x - (y >> 1) - 2) + 2 * top(e, x - (y >> 1) - 1) + top(e, x - (y >> 1)) + 2) >> 2;
                        } else if (z == -1) {
                            v = (left(e, 0) + 2 * e[CORNER] + top(e, 0) + 2) >> 2;
                        } else {
                            v = (left(e, y - 1) + 2 * left(e, y - 2) + left(e, y - 3) + 2) >> 2;
                        }
                        pred[y * 4 + x] = v;
                    }
                }
            }
            case HORIZONTAL_DOWN -> {
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 4; x++) {
                        int z = 2 * y - x;
                        int v;
                        if (z >= 0 && (z & 1) == 0) {
                            v = (left(e, y - (x >> 1) - 1) + left(e, y - (x >> 1)) + 1) >> 1;
                        } else if (z >= 0) {
                            v = (left(e, y - (x >> 1) - 2) + 2 * left(e, y - (x >> 1) - 1) + left(e, y - (x >> 1)) + 2)
                                    >> 2;
                        } else if (z == -1) {
                            v = (left(e, 0) + 2 * e[CORNER] + top(e, 0) + 2) >> 2;
                        } else {
                            v = (top(e, x - 1) + 2 * top(e, x - 2) + top(e, x - 3) + 2) >> 2;
                        }
                        pred[y * 4 + x] = v;
                    }
                }
            }
            case VERTICAL_LEFT -> {
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 4; x++) {
                        int i = x + (y >> 1);
                        pred[y * 4 + x] = (y & 1) == 0 ? (e[i] + e[i + 1] + 1) >> 1
                                : (e[i] + 2 * e[i + 1] + e[i + 2] + 2) >> 2;
                    }
                }
            }
            default -> { // HORIZONTAL_UP
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 4; x++) {
                        int z = x + 2 * y;
                        int i = y + (x >> 1);
                        int v;
                        if (z > 5) {
                            v = e[LEFT + 3];
                        } else if (z == 5) {
                            v = (e[LEFT + 2] + 3 * e[LEFT + 3] + 2) >> 2;
                        } else if ((z & 1) == 0) {
                            v = (e[LEFT + i] + e[LEFT + i + 1] + 1) >> 1;
                        } else {
                            v = (e[LEFT + i] + 2 * e[LEFT + i + 1] + e[LEFT + i + 2] + 2) >> 2;
                        }
                        pred[y * 4 + x] = v;
                    }
                }
            }
        }
    }

    /** p[i, -1], with p[-1, -1] (the corner) for i = -1. */
    private static int top(int[] e, int i) {
        return i < 0 ? e[CORNER] : e[TOP + i];
    }

    /** p[-1, j], with the corner for j = -1. */
    private static int left(int[] e, int j) {
        return j < 0 ? e[CORNER] : e[LEFT + j];
    }
}

package io.vencflow.core.codec.avc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The table-driven Intra4x4 prediction against the formulas of clause 8.3.1.2, sample by sample, and
 * the flat modes' pricing against the SATD of their predictions.
 */
class Intra4x4PredictTest {
    private static final int CORNER = 8;
    private static final int LEFT = 9;

    @Test
    void everyModeFromTheFilteredNeighboursEqualsTheStandardsFormulas() {
        Random rnd = new Random(31);
        int[] e = new int[13];
        int[] filtered = new int[Intra4x4Predict.FILTERED];
        byte[] pred = new byte[16];
        int[] expected = new int[16];
        byte[] expectedSamples = new byte[16];
        byte[] src = new byte[16];
        int[] h = new int[16];
        int checked = 0;
        for (int trial = 0; trial < 20_000; trial++) {
            for (int i = 0; i < 13; i++) {
                e[i] = trial % 7 == 0 ? (rnd.nextBoolean() ? 127 : -128) : rnd.nextInt(256) - 128;
            }
            boolean left = trial % 4 != 1;
            boolean top = trial % 4 != 2;
            Intra4x4Predict.filter(e, filtered);
            rnd.nextBytes(src);
            int sum = Satd.transform(src, 0, 4, h, 0);
            for (int mode = 0; mode < 9; mode++) {
                if (!Intra4x4Predict.available(mode, left, top, left && top)) {
                    continue;
                }
                reference(mode, e, left, top, expected);
                Intra4x4Predict.predict(mode, e, filtered, left, top, pred);
                for (int k = 0; k < 16; k++) {
                    expectedSamples[k] = (byte) expected[k]; // samples lie in -128..127
                }
                assertArrayEquals(expectedSamples, pred, "mode " + mode + ", trial " + trial);
                if (mode <= Intra4x4Predict.DC) {
                    assertEquals(Satd.satd4x4(src, 0, 4, expectedSamples, 0, 4),
                            Intra4x4Predict.flatSatd(mode, e, left, top, h, 0, sum), "SATD of mode " + mode);
                }
                checked++;
            }
        }
        // Both neighbours: 9 modes; without the left: 4 (V, DC, DDL, VL); without the top: 3 (H, DC, HU).
        assertEquals(5_000 * (9 + 4 + 3 + 9), checked);
    }

    /** The formulas of clause 8.3.1.2 as the standard writes them, one sample at a time. */
    private static void reference(int mode, int[] e, boolean left, boolean top, int[] pred) {
        switch (mode) {
            case 0 -> {
                for (int k = 0; k < 16; k++) {
                    pred[k] = e[k & 3];
                }
            }
            case 1 -> {
                for (int k = 0; k < 16; k++) {
                    pred[k] = e[LEFT + (k >> 2)];
                }
            }
            case 2 -> {
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
                java.util.Arrays.fill(pred, dc);
            }
            case 3 -> {
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 4; x++) {
                        pred[y * 4 + x] = x == 3 && y == 3 ? (e[6] + 3 * e[7] + 2) >> 2
                                : (e[x + y] + 2 * e[x + y + 1] + e[x + y + 2] + 2) >> 2;
                    }
                }
            }
            case 4 -> {
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
            case 5 -> {
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
            case 6 -> {
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
            case 7 -> {
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
        return i < 0 ? e[CORNER] : e[i];
    }

    /** p[-1, j], with the corner for j = -1. */
    private static int left(int[] e, int j) {
        return j < 0 ? e[CORNER] : e[LEFT + j];
    }
}

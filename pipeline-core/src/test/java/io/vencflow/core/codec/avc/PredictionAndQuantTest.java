package io.vencflow.core.codec.avc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.jcodec.codecs.h264.decode.BlockInterpolator;
import org.jcodec.codecs.h264.decode.CoeffTransformer;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;
import org.junit.jupiter.api.Test;

/** The encoder's own building blocks against JCodec's decoder-side ones and against exhaustive checks. */
class PredictionAndQuantTest {

    @Test
    void chromaPredictionEqualsJcodecsInterpolatorEverywhereIncludingOutsideThePicture() {
        Random rnd = new Random(7);
        int width = 40;
        int height = 24;
        byte[] plane = new byte[width * height];
        rnd.nextBytes(plane);
        int checked = assertChromaPredictionAsJcodecs(plane, width, height);
        // Only the extremes, which drive the packed filter's lanes to their limits.
        for (int i = 0; i < plane.length; i++) {
            plane[i] = rnd.nextBoolean() ? (byte) -128 : (byte) 127;
        }
        checked += assertChromaPredictionAsJcodecs(plane, width, height);
        assertTrue(checked > 10000, "positions checked: " + checked);
    }

    /** Compares 8x8, 8x4 and 4x8 blocks at eighth-sample positions in and around the plane; returns how many. */
    private static int assertChromaPredictionAsJcodecs(byte[] plane, int width, int height) {
        byte[] ours = new byte[64];
        byte[] theirs = new byte[64];
        int checked = 0;
        int[][] sizes = {{8, 8}, {8, 4}, {4, 8}};
        for (int y8 = -80; y8 <= (height + 4) * 8; y8 += 3) {
            for (int x8 = -80; x8 <= (width + 4) * 8; x8 += 5) {
                int[] wh = sizes[checked % 3];
                ChromaPredict.predict(plane, width, height, x8, y8, wh[0], wh[1], ours, 0, 8);
                BlockInterpolator.getBlockChroma(plane, width, height, theirs, 0, 8, x8, y8, wh[0], wh[1]);
                for (int r = 0; r < wh[1]; r++) {
                    for (int c = 0; c < wh[0]; c++) {
                        assertEquals(theirs[r * 8 + c], ours[r * 8 + c],
                                "sample (" + c + ", " + r + ") of the block at eighth-sample (" + x8 + ", " + y8 + ")");
                    }
                }
                checked++;
            }
        }
        return checked;
    }

    @Test
    void windowsOverLazyHalfSamplePlanesPredictWhatTheDecoderInterpolatesInsideAndOutsideThePicture() {
        Random rnd = new Random(3);
        int width = 64;
        int height = 48;
        Picture reference = Picture.create(width, height, ColorSpace.YUV420J);
        PaddedLuma padded = new PaddedLuma(width, height);
        HalfPlanes planes = new HalfPlanes(padded.stride, padded.rows);
        for (int pass = 0; pass < 2; pass++) {
            // The second pass is a new reference in the same planes: no tile of the first may survive.
            newReference(reference, padded, planes, rnd);
            assertWindowsPredictAsTheDecoder(reference, padded, planes, rnd);
        }
    }

    @Test
    void prefetchComputesTheTilesTheLastReferencesSearchReadAndNoOthers() {
        Random rnd = new Random(5);
        int width = 128;
        int height = 96;
        Picture reference = Picture.create(width, height, ColorSpace.YUV420J);
        PaddedLuma padded = new PaddedLuma(width, height);
        // Two planes take turns, as in the encoder: each prefetches what the other's search read.
        HalfPlanes planes = new HalfPlanes(padded.stride, padded.rows);
        HalfPlanes other = new HalfPlanes(padded.stride, padded.rows);
        // Reference 1 reads the tiles under all the windows; reference 2 finds them prefetched and
        // reads only some; reference 3 prefetches only those.
        long underAll = tilesUnder(padded, new HalfPlanes(padded.stride, padded.rows), all);
        long underSome = tilesUnder(padded, new HalfPlanes(padded.stride, padded.rows), some);
        assertTrue(underSome > 0 && underSome < underAll, underSome + " of " + underAll + " tiles");
        newReference(reference, padded, planes, rnd);
        assertEquals(0, planes.prefetch(padded.data, 0, planes.tiles(), other), "a first reference has nothing to go by");
        assertEquals(underAll, tilesUnder(padded, planes, all));

        newReference(reference, padded, other, rnd);
        assertEquals(underAll, other.prefetch(padded.data, 0, other.tiles(), planes));
        assertEquals(0, tilesUnder(padded, other, some), "tiles computed after the prefetch");

        newReference(reference, padded, planes, rnd);
        int first = planes.firstTileOfRow(48);
        long prefetched = planes.prefetch(padded.data, 0, first, other) + planes.prefetch(padded.data, first, planes.tiles(), other);
        assertEquals(underSome, prefetched, "prefetched in two parts");
        // The prefetched samples are this reference's: every prediction equals the decoder's.
        assertWindowsPredictAsTheDecoder(reference, padded, planes, rnd);
        assertThrows(IllegalArgumentException.class, () -> planes.prefetch(padded.data, 0, 1, planes));
    }

    @Test
    void prefetchNextComputesFromTheFinalRowsOfThePictureBeingCodedTheTilesThisSearchRead() {
        Random rnd = new Random(7);
        int width = 128;
        int height = 96;
        Picture reference = Picture.create(width, height, ColorSpace.YUV420J);
        PaddedLuma current = new PaddedLuma(width, height);
        PaddedLuma next = new PaddedLuma(width, height);
        HalfPlanes planes = new HalfPlanes(current.stride, current.rows);
        HalfPlanes nextPlanes = new HalfPlanes(next.stride, next.rows);
        newReference(reference, current, planes, rnd);
        long underAll = tilesUnder(current, planes, all);
        // The picture being coded: the padded luma still holds an older picture below its final rows.
        newReference(reference, next, nextPlanes, rnd);
        byte[] luma = reference.getPlaneData(0);
        rnd.nextBytes(luma);
        int finalRows = 3;
        for (int row = 0; row < finalRows; row++) {
            next.fillRow(luma, row);
        }
        int within = nextPlanes.tilesWithin(PaddedLuma.PAD + finalRows * 16);
        assertEquals(0, nextPlanes.tilesWithin(10));
        assertEquals(nextPlanes.tiles(), nextPlanes.tilesWithin(next.rows));
        long ahead = nextPlanes.prefetchNext(next.data, 0, within, planes);
        assertTrue(ahead > 0 && ahead < underAll, ahead + " of " + underAll + " tiles ahead");
        assertEquals(0, nextPlanes.prefetchNext(next.data, 0, within, planes), "computed once");
        for (int row = finalRows; row < height / 16; row++) {
            next.fillRow(luma, row);
        }
        // Becoming the reference makes them valid: a search reads them instead of computing them ...
        nextPlanes.newReference();
        assertEquals(underAll - ahead, tilesUnder(next, nextPlanes, all));
        // ... and they are this reference's samples, reaching into no row that was not final.
        assertWindowsPredictAsTheDecoder(reference, next, nextPlanes, rnd);
        // The reference after forgets them.
        nextPlanes.newReference();
        assertEquals(underAll, tilesUnder(next, nextPlanes, all));
    }

    private static final int[][] all = {{0, 0}, {40, 8}, {-20, 70}, {100, 30}, {64, 64}, {5, -12}};
    private static final int[][] some = {{40, 8}, {64, 64}};

    private static void newReference(Picture reference, PaddedLuma padded, HalfPlanes planes, Random rnd) {
        byte[] luma = reference.getPlaneData(0);
        rnd.nextBytes(luma);
        for (int row = 0; row < padded.height / 16; row++) {
            padded.fillRow(luma, row);
        }
        planes.newReference();
    }

    /** Lays a window at each whole-sample block position; returns the tiles this computed. */
    private static long tilesUnder(PaddedLuma padded, HalfPlanes planes, int[][] positions) {
        SubPelWindow window = new SubPelWindow();
        window.reference(padded, planes);
        for (int[] p : positions) {
            window.around(p[0], p[1]);
        }
        return window.tilesComputed;
    }

    /**
     * Lays windows of two searches over the same planes at whole-sample block positions as far
     * outside the picture as the search reaches (the first computes the tiles, the second mostly
     * reads them) and compares every quarter-sample prediction and SAD with JCodec's interpolation.
     */
    private static void assertWindowsPredictAsTheDecoder(Picture reference, PaddedLuma padded, HalfPlanes planes,
            Random rnd) {
        int width = padded.width;
        int height = padded.height;
        SubPelWindow first = new SubPelWindow();
        first.reference(padded, planes);
        SubPelWindow second = new SubPelWindow();
        second.reference(padded, planes);
        BlockInterpolator interpolator = new BlockInterpolator();
        Picture block = Picture.create(16, 16, ColorSpace.YUV420J);
        byte[] a = new byte[256];
        byte[] b = new byte[256];
        byte[] src = new byte[256];
        rnd.nextBytes(src);
        int checked = 0;
        int outside = 0;
        int reach = SubPelWindow.REACH;
        for (int y = -reach; y <= height - 16 + reach; y += 3) {
            for (int x = -reach; x <= width - 16 + reach; x += 3) {
                first.around(x, y);
                second.around(x, y);
                for (int dy = -3; dy <= 3; dy++) {
                    for (int dx = -3; dx <= 3; dx++) {
                        int qx = 4 * x + dx;
                        int qy = 4 * y + dy;
                        first.predict(qx, qy, a, 16, 16);
                        second.predict(qx, qy, b, 16, 16);
                        interpolator.getBlockLuma(reference, block, 0, qx, qy, 16, 16);
                        byte[] decoded = block.getPlaneData(0);
                        int sad = 0;
                        for (int i = 0; i < 256; i++) {
                            assertEquals(decoded[i], a[i], "sample " + i + " at quarter-sample position (" + qx + ", " + qy
                                    + ")");
                            sad += Math.abs(src[i] - a[i]);
                        }
                        assertArrayEquals(a, b, "quarter-sample position (" + qx + ", " + qy + ")");
                        assertEquals(sad, first.sad(qx, qy, src, 0, 16, 16, 16, Integer.MAX_VALUE));
                        assertEquals(sad, second.sad(qx, qy, src, 0, 16, 16, 16, Integer.MAX_VALUE));
                        checked++;
                        outside += x < 0 || y < 0 || x > width - 16 || y > height - 16 ? 1 : 0;
                    }
                }
            }
        }
        assertTrue(checked > 30000 && outside > checked / 2, "positions checked: " + checked + ", outside: " + outside);
        assertTrue(first.tilesComputed > 0 && second.tilesComputed < first.tilesComputed, "tiles computed: first "
                + first.tilesComputed + ", second " + second.tilesComputed);
        IllegalArgumentException tooFar = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> first.around(width - 16 + reach + 1, 0));
        assertTrue(tooFar.getMessage().contains("(" + (width - 16 + reach + 1) + ", 0)"), tooFar.getMessage());
    }

    @Test
    void thePackedSixTapFilterEqualsTheScalarOneOnEverySample() {
        Random rnd = new Random(19);
        int n = 37; // four packed groups and a scalar tail
        byte[] src = new byte[6 * 64];
        byte[] packed = new byte[n];
        int clipped = 0;
        for (int trial = 0; trial < 3000; trial++) {
            if (trial % 5 == 0) {
                // extremes, which drive the filter to both clips
                for (int i = 0; i < src.length; i++) {
                    src[i] = rnd.nextBoolean() ? (byte) 127 : (byte) -128;
                }
            } else {
                rnd.nextBytes(src);
            }
            SixTap.filter(src, 0, 64, 128, 192, 256, 320, packed, 0, n);
            for (int i = 0; i < n; i++) {
                byte expected = SixTap.one(src[i], src[64 + i], src[128 + i], src[192 + i], src[256 + i], src[320 + i]);
                assertEquals(expected, packed[i], "trial " + trial + ", sample " + i);
                clipped += expected == 127 || expected == -128 ? 1 : 0;
            }
        }
        assertTrue(clipped > 10_000, "clipped samples: " + clipped);
    }

    @Test
    void packedSadsEqualTheScalarSumsAndStopOnlyAtTheirLimit() {
        Random rnd = new Random(5);
        int stride = 40;
        byte[] a = new byte[stride * 20];
        byte[] b = new byte[stride * 20];
        byte[] c = new byte[stride * 20];
        int[] stopped = new int[2];
        for (int trial = 0; trial < 4000; trial++) {
            switch (trial % 4) {
                case 0: // the extremes: every difference 255
                    java.util.Arrays.fill(a, (byte) -128);
                    java.util.Arrays.fill(b, (byte) 127);
                    java.util.Arrays.fill(c, (byte) 127);
                    break;
                case 1: // small differences, as between neighbouring pictures
                    rnd.nextBytes(a);
                    for (int i = 0; i < a.length; i++) {
                        b[i] = (byte) Math.max(-128, Math.min(127, a[i] + rnd.nextInt(9) - 4));
                        c[i] = (byte) Math.max(-128, Math.min(127, a[i] + rnd.nextInt(9) - 4));
                    }
                    break;
                default:
                    rnd.nextBytes(a);
                    rnd.nextBytes(b);
                    rnd.nextBytes(c);
            }
            int w = trial % 3 == 0 ? 8 : 16;
            int h = 8 << (trial / 3 % 2);
            int aOff = rnd.nextInt(stride - 16 + 1) + stride * rnd.nextInt(20 - h + 1);
            int bOff = rnd.nextInt(stride - 16 + 1) + stride * rnd.nextInt(20 - h + 1);
            int sad = 0;
            int sadAverage = 0;
            for (int r = 0; r < h; r++) {
                for (int i = 0; i < w; i++) {
                    int s = a[aOff + r * stride + i];
                    sad += Math.abs(s - b[bOff + r * stride + i]);
                    sadAverage += Math.abs(s - ((b[bOff + r * stride + i] + c[bOff + r * stride + i] + 1) >> 1));
                }
            }
            assertEquals(sadAverage, Sad.sadAverage(a, aOff, stride, b, bOff, c, bOff, stride, w, h, Integer.MAX_VALUE),
                    "averaged, trial " + trial + ", " + w + "x" + h);
            for (boolean vector : new boolean[] {false, true}) {
                String where = (vector ? "vector" : "packed") + ", trial " + trial + ", " + w + "x" + h;
                SadKernel k = vector ? VectorKernels::sad : Sad::sadPacked;
                assertEquals(sad, k.sad(a, aOff, stride, b, bOff, stride, w, h, Integer.MAX_VALUE), where);
                int limit = rnd.nextInt(sad + 1);
                int partial = k.sad(a, aOff, stride, b, bOff, stride, w, h, limit);
                assertTrue(partial >= limit && partial <= sad, where + ": " + partial + " against limit " + limit);
                assertEquals(sad, k.sad(a, aOff, stride, b, bOff, stride, w, h, sad + 1), where);
                stopped[vector ? 1 : 0] += partial < sad ? 1 : 0;
            }
        }
        assertTrue(stopped[0] > 1000 && stopped[1] > 1000, "sums that stopped early: " + stopped[0] + " packed, "
                + stopped[1] + " vector");
    }

    @Test
    void chromaBlockSadsAndSumsEqualTheScalarOnes() {
        Random rnd = new Random(13);
        int stride = 24;
        byte[] src = new byte[stride * 8];
        byte[] pred = new byte[64];
        int[] sads = new int[4];
        int[] sums = new int[4];
        for (int trial = 0; trial < 4000; trial++) {
            if (trial % 3 == 0) { // the extremes, both ways
                boolean up = trial % 2 == 0;
                java.util.Arrays.fill(src, up ? (byte) 127 : (byte) -128);
                java.util.Arrays.fill(pred, up ? (byte) -128 : (byte) 127);
            } else {
                rnd.nextBytes(src);
                rnd.nextBytes(pred);
            }
            int off = rnd.nextInt(stride - 8 + 1);
            Sad.blocks8x8(src, off, stride, pred, sads, sums);
            for (int b = 0; b < 4; b++) {
                int sad = 0;
                int sum = 0;
                for (int r = 0; r < 4; r++) {
                    for (int i = 0; i < 4; i++) {
                        int d = src[off + ((b >> 1) * 4 + r) * stride + (b & 1) * 4 + i]
                                - pred[((b >> 1) * 4 + r) * 8 + (b & 1) * 4 + i];
                        sad += Math.abs(d);
                        sum += d;
                    }
                }
                assertEquals(sad, sads[b], "SAD of block " + b + ", trial " + trial);
                assertEquals(sum, sums[b], "sum of block " + b + ", trial " + trial);
            }
        }
    }

    @Test
    void blockSadsEqualTheScalarSumsOfEach4x4BlockAndStopOnlyAtTheirLimit() {
        Random rnd = new Random(9);
        int stride = 40;
        byte[] a = new byte[stride * 20];
        byte[] b = new byte[stride * 20];
        byte[] c = new byte[stride * 20];
        int[] expected = new int[16];
        int[] out = new int[16];
        int stopped = 0;
        for (int trial = 0; trial < 4000; trial++) {
            if (trial % 4 == 0) { // the extremes: every difference 255, the largest block sum 4080
                java.util.Arrays.fill(a, (byte) -128);
                java.util.Arrays.fill(b, (byte) 127);
                java.util.Arrays.fill(c, (byte) 127);
            } else {
                rnd.nextBytes(a);
                for (int i = 0; i < a.length; i++) {
                    int spread = trial % 4 == 1 ? 9 : 256;
                    b[i] = (byte) Math.max(-128, Math.min(127, a[i] + rnd.nextInt(spread) - spread / 2));
                    c[i] = (byte) Math.max(-128, Math.min(127, a[i] + rnd.nextInt(spread) - spread / 2));
                }
            }
            boolean averaged = trial % 2 == 0;
            int aOff = rnd.nextInt(stride - 16 + 1) + stride * rnd.nextInt(4 + 1);
            int bOff = rnd.nextInt(stride - 16 + 1) + stride * rnd.nextInt(4 + 1);
            int total = 0;
            for (int blk = 0; blk < 16; blk++) {
                int sum = 0;
                for (int r = 0; r < 4; r++) {
                    for (int i = 0; i < 4; i++) {
                        int at = ((blk >> 2) * 4 + r) * stride + (blk & 3) * 4 + i;
                        int p = averaged ? (b[bOff + at] + c[bOff + at] + 1) >> 1 : b[bOff + at];
                        sum += Math.abs(a[aOff + at] - p);
                    }
                }
                expected[blk] = sum;
                total += sum;
            }
            byte[] q = averaged ? c : null;
            String where = "trial " + trial + (averaged ? ", averaged" : "");
            assertEquals(total, Sad.blockSads16x16(a, aOff, stride, b, bOff, q, bOff, stride, total + 1, out), where);
            assertArrayEquals(expected, out, where);
            int limit = rnd.nextInt(total + 1);
            int partial = Sad.blockSads16x16(a, aOff, stride, b, bOff, q, bOff, stride, limit, out);
            assertTrue(partial >= limit && partial <= total, where + ": " + partial + " against limit " + limit);
            stopped += partial < total ? 1 : 0;
        }
        assertTrue(stopped > 1000, "sums that stopped early: " + stopped);
    }

    @Test
    void flatPredictionsPricedFromTheSourcesTransformCostWhatTheirSatdDoes() {
        Random rnd = new Random(23);
        int stride = 12;
        byte[] src = new byte[stride * 4];
        int[] h = new int[16];
        byte[] pred = new byte[16];
        int[] line = new int[4];
        for (int trial = 0; trial < 20_000; trial++) {
            if (trial % 5 == 0) { // the extremes, where the transform's sums are largest
                for (int i = 0; i < src.length; i++) {
                    src[i] = rnd.nextBoolean() ? (byte) 127 : (byte) -128;
                }
            } else {
                rnd.nextBytes(src);
            }
            int off = rnd.nextInt(stride - 4 + 1);
            for (int i = 0; i < 4; i++) {
                line[i] = trial % 5 == 0 ? (rnd.nextBoolean() ? 127 : -128) : rnd.nextInt(256) - 128;
            }
            int sum = Satd.transform(src, off, stride, h, 0);
            for (int k = 0; k < 16; k++) {
                pred[k] = (byte) line[k & 3];
            }
            assertEquals(Satd.satd4x4(src, off, stride, pred, 0, 4),
                    Satd.vertical(h, 0, sum, line[0], line[1], line[2], line[3]), "vertical, trial " + trial);
            for (int k = 0; k < 16; k++) {
                pred[k] = (byte) line[k >> 2];
            }
            assertEquals(Satd.satd4x4(src, off, stride, pred, 0, 4),
                    Satd.horizontal(h, 0, sum, line[0], line[1], line[2], line[3]), "horizontal, trial " + trial);
            java.util.Arrays.fill(pred, (byte) line[0]);
            assertEquals(Satd.satd4x4(src, off, stride, pred, 0, 4), Satd.flat(h, 0, sum, line[0]),
                    "flat, trial " + trial);
        }
    }

    @Test
    void theFusedForwardTransformAndTheQuantizerAgreeWithTheTextbookFormulas() {
        Random rnd = new Random(17);
        byte[] src = new byte[8 * 4];
        byte[] pred = new byte[6 * 4];
        int[] ours = new int[16];
        int[] theirs = new int[16];
        int zero = 0;
        int nonZero = 0;
        for (int trial = 0; trial < 20_000; trial++) {
            rnd.nextBytes(src);
            int spread = 1 + trial % 256;
            for (int i = 0; i < pred.length; i++) {
                int s = src[(i / 6) * 8 + i % 6];
                pred[i] = (byte) Math.max(-128, Math.min(127, s + rnd.nextInt(spread) - spread / 2));
            }
            Quant.forward4x4(src, 1, 8, pred, 1, 6, ours);
            for (int r = 0; r < 4; r++) {
                for (int c = 0; c < 4; c++) {
                    theirs[r * 4 + c] = src[1 + r * 8 + c] - pred[1 + r * 6 + c];
                }
            }
            CoeffTransformer.fdct4x4(theirs);
            assertArrayEquals(theirs, ours, "trial " + trial);
            int qp = trial % 52;
            boolean intra = trial % 3 == 0;
            int first = trial % 4 == 0 ? 1 : 0;
            int expectedNonZero = 0;
            for (int i = first; i < 16; i++) {
                // Level = (|c| * MF + f) >> (15 + qp / 6), f = 2^qbits / 3 intra or / 6 inter (Richardson, 2010).
                int qbits = 15 + qp / 6;
                int level = (Math.abs(theirs[i]) * TEXTBOOK_MF[qp % 6][textbookClass(i)]
                        + (1 << qbits) / (intra ? 3 : 6)) >> qbits;
                theirs[i] = theirs[i] < 0 ? -level : level;
                expectedNonZero += level != 0 ? 1 : 0;
            }
            String where = "trial " + trial + ", qp " + qp + (intra ? ", intra" : ", inter") + ", from " + first;
            assertEquals(expectedNonZero, Quant.quantize4x4(ours, qp, intra, first), where);
            assertArrayEquals(theirs, ours, where);
            zero += expectedNonZero == 0 ? 1 : 0;
            nonZero += expectedNonZero == 0 ? 0 : 1;
        }
        assertTrue(zero > 2000 && nonZero > 2000, "all-zero blocks " + zero + ", others " + nonZero);
    }

    /** The forward scaling factors by qp % 6: positions (0,0), (0,2), (2,0), (2,2); (1,1), (1,3), (3,1), (3,3); the rest. */
    private static final int[][] TEXTBOOK_MF = {
            {13107, 5243, 8066}, {11916, 4660, 7490}, {10082, 4194, 6554},
            {9362, 3647, 5825}, {8192, 3355, 5243}, {7282, 2893, 4559}};

    private static int textbookClass(int rasterIndex) {
        int row = rasterIndex >> 2;
        int column = rasterIndex & 3;
        return row % 2 == 0 && column % 2 == 0 ? 0 : row % 2 == 1 && column % 2 == 1 ? 1 : 2;
    }

    @Test
    void aResidualWithinTheZeroBoundQuantizesToNothingAndOneSampleMoreCanSurvive() {
        Random rnd = new Random(11);
        int[] block = new int[16];
        int tight = 0;
        for (int qp = 0; qp < 52; qp++) {
            for (boolean intra : new boolean[] {false, true}) {
                int bound = Quant.zeroSad4x4(qp, intra);
                for (int trial = 0; trial < 400; trial++) {
                    fillWithSum(block, bound, rnd, trial % 2 == 0);
                    CoeffTransformer.fdct4x4(block);
                    assertEquals(0, Quant.quantize4x4(block, qp, intra, 0),
                            "qp " + qp + (intra ? " intra" : " inter") + ", absolute sum " + bound);
                }
                // The whole sum in a corner sample meets the bound's worst case exactly.
                if (bound < 255) {
                    java.util.Arrays.fill(block, 0);
                    block[0] = bound + 1;
                    CoeffTransformer.fdct4x4(block);
                    assertTrue(Quant.quantize4x4(block, qp, intra, 0) > 0, "qp " + qp + ": bound " + bound + " is loose");
                    tight++;
                }
            }
        }
        assertTrue(tight > 40, "qps where the bound was shown tight: " + tight);
    }

    /** A residual block of samples within ±255 whose absolute values sum to {@code sum}, of one sign when {@code sameSign}. */
    private static void fillWithSum(int[] block, int sum, Random rnd, boolean sameSign) {
        java.util.Arrays.fill(block, 0);
        int sign = rnd.nextBoolean() ? 1 : -1;
        int left = Math.min(sum, 16 * 255);
        while (left > 0) {
            int i = rnd.nextInt(16);
            int step = Math.min(Math.min(left, 255 - Math.abs(block[i])), 1 + rnd.nextInt(sum / 2 + 1));
            if (step <= 0) {
                continue;
            }
            int s = block[i] != 0 ? Integer.signum(block[i]) : sameSign ? sign : (rnd.nextBoolean() ? 1 : -1);
            block[i] += s * step;
            left -= step;
        }
    }

    /** Sad.sad's shape, for running one check on both kernels. */
    private interface SadKernel {
        int sad(byte[] a, int aOff, int aStride, byte[] b, int bOff, int bStride, int w, int h, int limit);
    }

    @Test
    void theBuildsTestsRunTheVectorKernels() {
        // The build starts test JVMs with --add-modules jdk.incubator.vector; the encoder then uses
        // the vector kernels wherever the CPU has 256-bit vectors.
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "module not resolved");
        assertEquals(VectorKernels.preferredBits() >= 256, Simd.ENABLED, "preferred vector bits "
                + VectorKernels.preferredBits());
    }
}

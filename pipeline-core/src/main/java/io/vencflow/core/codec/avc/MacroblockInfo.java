package io.vencflow.core.codec.avc;

import java.util.Arrays;

/**
 * What one picture's encode leaves behind per macroblock and per 4x4 luma block: the facts that
 * neighbouring macroblocks predict from (types, motion vectors, slices) and that the deblocking
 * filter reads (QP, non-zero coefficient counts). Slice encoders write disjoint rows of it.
 */
final class MacroblockInfo {
    static final byte NONE = 0;
    static final byte I16X16 = 1;
    static final byte P16X16 = 2;
    static final byte P_SKIP = 3;
    static final byte I4X4 = 4;

    final int mbWidth;
    final int mbHeight;
    final byte[] type;
    final int[] qp;
    /** Quarter-pel motion vector of each 4x4 luma block, (mbHeight*4) rows of (mbWidth*4); 0 in intra. */
    final int[] mvx;
    final int[] mvy;
    /** Slice index of each macroblock: neighbours in another slice are not available. */
    final int[] slice;
    /** total_coeff of each 4x4 luma block, (mbHeight*4) rows of (mbWidth*4). */
    final int[] nonZero;
    /** Intra 4x4 prediction mode of each 4x4 luma block; 2 (DC) in macroblocks not coded Intra4x4. */
    final int[] intra4x4Mode;

    /**
     * The motion vector of each macroblock (its top-left 4x4 block's) in the last P picture, for the
     * motion search of the next: moving objects keep moving. Kept across I pictures.
     */
    final int[] previousMvx;
    final int[] previousMvy;
    /**
     * The encode work each macroblock of the last picture took, in about half microseconds, counted
     * from what its encode did (see SliceEncoder): the slice bands of the next of its kind follow it.
     */
    final int[] work;
    /** Whether a P picture has been coded since the encoder started: only then are those vectors set. */
    boolean hasPrevious;

    MacroblockInfo(int mbWidth, int mbHeight) {
        this.mbWidth = mbWidth;
        this.mbHeight = mbHeight;
        int n = mbWidth * mbHeight;
        this.type = new byte[n];
        this.qp = new int[n];
        this.mvx = new int[n * 16];
        this.mvy = new int[n * 16];
        this.slice = new int[n];
        this.nonZero = new int[n * 16];
        this.intra4x4Mode = new int[n * 16];
        this.work = new int[n];
        this.previousMvx = new int[n];
        this.previousMvy = new int[n];
    }

    /** Keeps the vectors of the P picture just coded as {@link #previousMvx}/{@link #previousMvy}. */
    void keepMotion() {
        int w4 = mbWidth * 4;
        for (int mbY = 0; mbY < mbHeight; mbY++) {
            for (int mbX = 0; mbX < mbWidth; mbX++) {
                int block = (mbY << 2) * w4 + (mbX << 2);
                previousMvx[mbY * mbWidth + mbX] = mvx[block];
                previousMvy[mbY * mbWidth + mbX] = mvy[block];
            }
        }
        hasPrevious = true;
    }

    /** Lays the picture out in {@code slices} bands of whole macroblock rows; returns each band's first row. */
    int[] layOutSlices(int slices) {
        int[] firstRow = new int[slices + 1];
        for (int s = 0; s <= slices; s++) {
            firstRow[s] = s * mbHeight / slices;
        }
        for (int s = 0; s < slices; s++) {
            Arrays.fill(slice, firstRow[s] * mbWidth, firstRow[s + 1] * mbWidth, s);
        }
        return firstRow;
    }

    /** Lays the picture out in the bands {@code firstRow[s] .. firstRow[s + 1]}. */
    void layOutSlices(int[] firstRow) {
        for (int s = 0; s + 1 < firstRow.length; s++) {
            Arrays.fill(slice, firstRow[s] * mbWidth, firstRow[s + 1] * mbWidth, s);
        }
    }

    /**
     * Moves the slice boundaries so that each band holds about the same {@link #work} as the last
     * picture spent on it: deterministic, so the same input gives the same stream.
     */
    void balanceSlices(int[] firstRow) {
        int slices = firstRow.length - 1;
        long[] rowCost = new long[mbHeight];
        long total = 0;
        for (int y = 0; y < mbHeight; y++) {
            long c = 0;
            for (int x = 0; x < mbWidth; x++) {
                c += work[y * mbWidth + x];
            }
            rowCost[y] = c;
            total += c;
        }
        long acc = 0;
        int s = 1;
        for (int y = 0; y < mbHeight && s < slices; y++) {
            long before = acc;
            acc += rowCost[y];
            // Close band s-1 before or after row y, whichever lands nearer its share, leaving a row
            // for each band after.
            while (s < slices && acc * slices >= total * s) {
                long target = total * s;
                int end = target - before * slices < acc * slices - target ? y : y + 1;
                firstRow[s] = Math.max(firstRow[s - 1] + 1, Math.min(end, mbHeight - (slices - s)));
                s++;
            }
        }
        for (; s < slices; s++) {
            firstRow[s] = Math.max(firstRow[s - 1] + 1, mbHeight - (slices - s));
        }
        firstRow[slices] = mbHeight;
        layOutSlices(firstRow);
    }

    boolean isIntra(int mb) {
        return type[mb] == I16X16 || type[mb] == I4X4;
    }

    /** Whether macroblock (x, y) exists and lies in slice {@code s} (so is coded before the current one). */
    boolean available(int x, int y, int s) {
        return x >= 0 && y >= 0 && x < mbWidth && y < mbHeight && slice[y * mbWidth + x] == s;
    }
}

package io.vencflow.core.codec.avc;

import org.jcodec.codecs.h264.H264Const;
import org.jcodec.common.io.BitWriter;
import org.jcodec.common.io.VLC;

/**
 * CAVLC residual blocks (clause 7.3.5.3.2, coded as clause 9.2 reads them) with the coefficient-token
 * tables of JCodec's {@link H264Const}, keeping the TotalCoeff of every 4x4 block that later blocks
 * take their table from (nC, 9.2.1). Allocates nothing per block. One per slice encoder (thread);
 * blocks are written in decoding order within a row.
 */
final class ResidualWriter {
    /**
     * TotalCoeff of the last block written in each 4x4 column of the picture, luma and chroma, laid
     * out as {@link Tops} says: shared by the writers of all rows (a row reads a column after the row
     * above wrote it, and writes it before the row below reads it: the wavefront's order).
     */
    private final int[] tops;
    /** TotalCoeff of the last block written in each 4x4 row of the macroblock. */
    private final int[] lumaLeft = new int[4];
    private final int[][] chromaLeft = new int[2][2];
    private final int[] levels = new int[16];
    private final int[] runs = new int[16];

    /** A writer over the picture-wide column counts {@code tops}. */
    ResidualWriter(Tops tops) {
        this.tops = tops.counts;
    }

    /**
     * The TotalCoeff of the last block in each 4x4 column, luma and chroma, for one picture's writers:
     * a cache line ({@link #STRIDE} ints) per macroblock column, its four luma columns, then two of U
     * and two of V. Two rows of the wavefront, two macroblocks apart, then never write one line.
     */
    static final class Tops {
        static final int STRIDE = 16;
        final int[] counts;

        Tops(int mbWidth) {
            counts = new int[mbWidth * STRIDE];
        }
    }

    private static int lumaTop(int blkX) {
        return (blkX >> 2) * Tops.STRIDE + (blkX & 3);
    }

    private static int chromaTop(int c, int blkX) {
        return (blkX >> 1) * Tops.STRIDE + 4 + 2 * c + (blkX & 1);
    }

    /**
     * Writes the luma 4x4 block in column {@code blkX} of the picture and row {@code by} of its
     * macroblock: {@code count} levels from scan position {@code first} of {@code coef} (raster order).
     * {@code left}/{@code top}: whether the neighbouring block on that side is available.
     */
    void luma(BitWriter out, int blkX, int by, boolean left, boolean top, int[] coef, int first, int count,
            int[] scan) {
        int total = block(out, coef, first, count, scan, tokenTable(left, lumaLeft[by], top, tops[lumaTop(blkX)]),
                H264Const.totalZeros16);
        lumaLeft[by] = total;
        tops[lumaTop(blkX)] = total;
    }

    /** The blocks of an I_PCM macroblock in macroblock column {@code mbX}: 16 coefficients each, to their neighbours (9.2.1). */
    void pcm(int mbX) {
        for (int i = 0; i < 4; i++) {
            lumaLeft[i] = 16;
            tops[lumaTop((mbX << 2) + i)] = 16;
        }
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 2; i++) {
                chromaLeft[c][i] = 16;
                tops[chromaTop(c, (mbX << 1) + i)] = 16;
            }
        }
    }

    /** A luma 4x4 block with no coefficients (not coded, or in a skipped macroblock). */
    void lumaZero(int blkX, int by) {
        lumaLeft[by] = 0;
        tops[lumaTop(blkX)] = 0;
    }

    /** The 16 DC levels of an Intra16x16 macroblock whose first 4x4 column is {@code blkX}; nC as its block 0's. */
    void lumaDc(BitWriter out, int blkX, boolean left, boolean top, int[] coef, int[] scan) {
        block(out, coef, 0, 16, scan, tokenTable(left, lumaLeft[0], top, tops[lumaTop(blkX)]), H264Const.totalZeros16);
    }

    /** The four 2x2 DC levels of one chroma plane (nC = -1). */
    void chromaDc(BitWriter out, int[] dc) {
        block(out, dc, 0, 4, IDENTITY4, H264Const.coeffTokenChromaDCY420, H264Const.totalZeros4);
    }

    /** The 15 AC levels of chroma plane {@code c}'s 4x4 block in column {@code blkX}, row {@code by} of its MB. */
    void chromaAc(BitWriter out, int c, int blkX, int by, boolean left, boolean top, int[] coef, int[] scan) {
        int total = block(out, coef, 1, 15, scan, tokenTable(left, chromaLeft[c][by], top, tops[chromaTop(c, blkX)]),
                H264Const.totalZeros16);
        chromaLeft[c][by] = total;
        tops[chromaTop(c, blkX)] = total;
    }

    void chromaZero(int c, int blkX, int by) {
        chromaLeft[c][by] = 0;
        tops[chromaTop(c, blkX)] = 0;
    }

    private static final int[] IDENTITY4 = {0, 1, 2, 3};

    private static VLC tokenTable(boolean left, int nA, boolean top, int nB) {
        int nC = left && top ? (nA + nB + 1) >> 1 : left ? nA : top ? nB : 0;
        return H264Const.CoeffToken[Math.min(nC, 8)];
    }

    /** Writes one residual block; returns its TotalCoeff. */
    int block(BitWriter out, int[] coef, int first, int count, int[] scan, VLC tokenTable, VLC[] zerosTable) {
        // Levels from the highest frequency down, and the zeros below each; total_zeros counts every
        // zero below the highest-frequency level.
        int total = 0;
        int last = -1;
        for (int i = count - 1; i >= 0; i--) {
            if (coef[scan[first + i]] != 0) {
                last = i;
                break;
            }
        }
        int totalZeros = 0;
        for (int i = last; i >= 0; i--) {
            int v = coef[scan[first + i]];
            if (v != 0) {
                levels[total] = v;
                runs[total] = 0;
                total++;
            } else {
                runs[total - 1]++;
                totalZeros++;
            }
        }
        int trailingOnes = 0;
        while (trailingOnes < total && trailingOnes < 3 && (levels[trailingOnes] == 1 || levels[trailingOnes] == -1)) {
            trailingOnes++;
        }
        tokenTable.writeVLC(out, H264Const.coeffToken(total, trailingOnes));
        if (total == 0) {
            return 0;
        }
        for (int i = 0; i < trailingOnes; i++) {
            out.write1Bit(levels[i] < 0 ? 1 : 0);
        }
        writeLevels(out, total, trailingOnes);
        if (total < count) {
            zerosTable[total - 1].writeVLC(out, totalZeros);
            int zerosLeft = totalZeros;
            for (int i = 0; i < total - 1 && zerosLeft > 0; i++) {
                H264Const.run[Math.min(zerosLeft, 7) - 1].writeVLC(out, runs[i]);
                zerosLeft -= runs[i];
            }
        }
        return total;
    }

    /** level_prefix and level_suffix of the levels after the trailing ones (9.2.2.1, inverted). */
    private void writeLevels(BitWriter out, int total, int trailingOnes) {
        int suffixLength = total > 10 && trailingOnes < 3 ? 1 : 0;
        for (int i = trailingOnes; i < total; i++) {
            int level = levels[i];
            int code = level > 0 ? 2 * level - 2 : -2 * level - 1;
            if (i == trailingOnes && trailingOnes < 3) {
                code -= 2;
            }
            if (suffixLength == 0) {
                if (code < 14) {
                    out.writeNBit(1, code + 1);
                } else if (code < 30) {
                    out.writeNBit(1, 15);
                    out.writeNBit(code - 14, 4);
                } else {
                    out.writeNBit(1, 16);
                    out.writeNBit(code - 30, 12);
                }
            } else if (code < (15 << suffixLength)) {
                out.writeNBit(1, (code >> suffixLength) + 1);
                out.writeNBit(code & ((1 << suffixLength) - 1), suffixLength);
            } else {
                out.writeNBit(1, 16);
                out.writeNBit(code - (15 << suffixLength), 12);
            }
            if (suffixLength == 0) {
                suffixLength = 1;
            }
            if (Math.abs(level) > (3 << (suffixLength - 1)) && suffixLength < 6) {
                suffixLength++;
            }
        }
    }
}

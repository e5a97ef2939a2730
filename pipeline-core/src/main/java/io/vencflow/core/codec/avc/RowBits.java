package io.vencflow.core.codec.avc;

import static org.jcodec.codecs.h264.io.write.CAVLCWriter.writeSE;
import static org.jcodec.codecs.h264.io.write.CAVLCWriter.writeUE;

import java.nio.ByteBuffer;
import org.jcodec.common.io.BitWriter;

/**
 * The coded bits of one macroblock row, kept apart until the slice is put together, so that rows
 * can be coded at the same time (a wavefront). Two syntax elements of a row depend on the rows
 * before it and are left to {@link #appendTo}: the {@code mb_skip_run} in front of its first coded
 * macroblock (it counts the skipped macroblocks at the end of the row above too) and its first
 * {@code mb_qp_delta} (relative to the QP the rows before it left). Buffers are allocated once.
 */
final class RowBits {
    /** The QP of a macroblock that keeps the QP from before its row, until that is known. */
    static final int QP_FROM_ROW_ABOVE = -1;

    private final ByteBuffer buffer;
    private BitWriter out;
    /** Whether the row holds a coded (not skipped) macroblock. */
    private boolean coded;
    private int leadingSkips;
    private int trailingSkips;
    private int bits;
    /** Bit offset of the row's first mb_qp_delta, or -1 when none is coded. */
    private int deltaAt;
    private int deltaQp;
    private int firstDeltaMbX;
    private int endQp;
    /** The QP the row's macroblocks were quantized with. */
    int qp;
    /** Bit offset of the current macroblock's macroblock_layer(): after the skip run in front of it. */
    private int macroblockAt;
    /**
     * Bit offsets of the I_PCM macroblocks' pcm_alignment_zero_bits: how many depends on where the
     * row lands in the slice, so {@link #appendTo} writes them.
     */
    private final int[] pcmAt;
    private int pcmCount;

    RowBits(int mbWidth) {
        // Worst case of a row: its raw samples and then some (I_PCM would be 384 bytes a macroblock).
        buffer = ByteBuffer.allocate(mbWidth * 800 + 64);
        pcmAt = new int[mbWidth];
    }

    /** Starts the row over; returns the writer of its bits. */
    BitWriter start() {
        buffer.clear();
        out = new BitWriter(buffer);
        coded = false;
        leadingSkips = 0;
        trailingSkips = 0;
        bits = 0;
        deltaAt = -1;
        pcmCount = 0;
        return out;
    }

    /**
     * Starts a coded macroblock: writes the skip run in front of it ({@code skipRun} -1 in an I slice:
     * none), unless it is the row's first: that run is kept for {@link #appendTo}.
     */
    void beginMacroblock(int skipRun) {
        if (skipRun >= 0) {
            if (coded) {
                writeUE(out, skipRun);
            } else {
                leadingSkips = skipRun;
            }
        }
        coded = true;
        macroblockAt = out.position();
    }

    /**
     * The bits of the current macroblock's macroblock_layer() so far; its first mb_qp_delta in the
     * row, written by {@link #appendTo}, not counted.
     */
    int macroblockBits() {
        return out.position() - macroblockAt;
    }

    /**
     * Drops the current macroblock's macroblock_layer() (the skip run in front of it stays), to code
     * it again; returns the writer to go on with. Copies the row's bits before it: for the rare
     * macroblock too large to keep.
     */
    BitWriter dropMacroblock() {
        out.flush();
        byte[] kept = java.util.Arrays.copyOf(buffer.array(), (macroblockAt + 7) >> 3);
        buffer.clear();
        out = new BitWriter(buffer);
        copyBits(kept, 0, macroblockAt, out);
        if (deltaAt >= macroblockAt) {
            deltaAt = -1; // the dropped macroblock held the row's first mb_qp_delta
        }
        while (pcmCount > 0 && pcmAt[pcmCount - 1] >= macroblockAt) {
            pcmCount--;
        }
        return out;
    }

    /** Marks where an I_PCM macroblock's pcm_alignment_zero_bits go (see {@link #appendTo}). */
    void pcmAlignment() {
        pcmAt[pcmCount++] = out.position();
    }

    /** I_PCM macroblocks in the row: for tests. */
    int pcmMacroblocks() {
        return pcmCount;
    }

    /**
     * Writes {@code mb_qp_delta} for {@code qp} after {@code qpPrev}, or, while the QP from before the
     * row is not known ({@link #QP_FROM_ROW_ABOVE}), marks where it goes.
     */
    void qpDelta(int qp, int qpPrev, int mbX) {
        if (qpPrev != QP_FROM_ROW_ABOVE) {
            writeSE(out, qp - qpPrev);
        } else {
            deltaAt = out.position();
            deltaQp = qp;
            firstDeltaMbX = mbX;
        }
    }

    /** Ends the row: {@code skipRun} skipped macroblocks close it, {@code qpPrev} is the QP it leaves. */
    void finish(int skipRun, int qpPrev) {
        trailingSkips = skipRun;
        endQp = qpPrev;
        bits = out.position();
        out.flush();
    }

    int bits() {
        return bits;
    }

    /** The QP after the row, given the QP before it. */
    int qpAfter(int qpBefore) {
        return deltaAt >= 0 ? endQp : qpBefore;
    }

    /**
     * The macroblocks of the row that keep the QP from before it (those before its first
     * mb_qp_delta): 0 to this, exclusive.
     */
    int inheritingMacroblocks(int mbWidth) {
        return deltaAt >= 0 ? firstDeltaMbX : mbWidth;
    }

    /**
     * Appends the row to a slice: the skip run in front of its first coded macroblock (after
     * {@code pendingSkips} from the rows before), its bits with its first mb_qp_delta relative to
     * {@code qpBefore}. Returns the skipped macroblocks still pending after the row.
     */
    int appendTo(BitWriter slice, int pendingSkips, int qpBefore, int mbWidth, boolean intraSlice) {
        if (!coded && !intraSlice) {
            return pendingSkips + mbWidth;
        }
        if (!intraSlice) {
            writeUE(slice, pendingSkips + leadingSkips);
        }
        byte[] data = buffer.array();
        int from = 0;
        boolean deltaLeft = deltaAt >= 0;
        for (int p = 0; p <= pcmCount; p++) {
            int pcm = p < pcmCount ? pcmAt[p] : bits;
            if (deltaLeft && deltaAt <= pcm) {
                copyBits(data, from, deltaAt, slice);
                writeSE(slice, deltaQp - qpBefore);
                from = deltaAt;
                deltaLeft = false;
            }
            copyBits(data, from, pcm, slice);
            from = pcm;
            if (p < pcmCount) {
                while ((slice.position() & 7) != 0) {
                    slice.write1Bit(0); // pcm_alignment_zero_bit
                }
            }
        }
        return trailingSkips;
    }

    /** Writes bits {@code from} to {@code to} (exclusive) of {@code data}, most significant first. */
    static void copyBits(byte[] data, int from, int to, BitWriter out) {
        int bit = from;
        // Up to the next byte boundary, then whole bytes four at a time, then the rest.
        while (bit < to && (bit & 7) != 0) {
            out.write1Bit((data[bit >> 3] >> (7 - (bit & 7))) & 1);
            bit++;
        }
        while (to - bit >= 32) {
            int i = bit >> 3;
            out.writeNBit((data[i] & 0xff) << 24 | (data[i + 1] & 0xff) << 16 | (data[i + 2] & 0xff) << 8
                    | (data[i + 3] & 0xff), 32);
            bit += 32;
        }
        while (to - bit >= 8) {
            out.writeNBit(data[bit >> 3] & 0xff, 8);
            bit += 8;
        }
        while (bit < to) {
            out.write1Bit((data[bit >> 3] >> (7 - (bit & 7))) & 1);
            bit++;
        }
    }
}

package io.vencflow.core.codec.avc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Random;
import org.jcodec.codecs.h264.io.write.CAVLCWriter;
import org.jcodec.common.io.BitReader;
import org.jcodec.common.io.BitWriter;
import org.junit.jupiter.api.Test;

/** Rows put together into a slice read back as if the slice had been written in one go. */
class RowBitsTest {

    @Test
    void bitsCopiedFromAnyOffsetToAnyOffsetReadBackUnchanged() {
        Random rnd = new Random(11);
        byte[] data = new byte[64];
        rnd.nextBytes(data);
        for (int trial = 0; trial < 2_000; trial++) {
            int from = rnd.nextInt(8 * data.length);
            int to = from + rnd.nextInt(8 * data.length - from + 1);
            int lead = rnd.nextInt(40);
            ByteBuffer buf = ByteBuffer.allocate(128);
            BitWriter out = new BitWriter(buf);
            for (int i = 0; i < lead; i++) {
                out.write1Bit(i & 1);
            }
            RowBits.copyBits(data, from, to, out);
            assertEquals(lead + to - from, out.position(), "bits written, trial " + trial);
            out.flush();
            buf.flip();
            BitReader in = BitReader.createBitReader(buf);
            for (int i = 0; i < lead; i++) {
                assertEquals(i & 1, in.read1Bit());
            }
            for (int bit = from; bit < to; bit++) {
                assertEquals((data[bit >> 3] >> (7 - (bit & 7))) & 1, in.read1Bit(), "bit " + bit + ", trial " + trial);
            }
        }
    }

    @Test
    void theFirstSkipRunAndQpDeltaOfARowAreWrittenByTheSliceAfterTheRowsBefore() {
        int mbWidth = 4;
        // Row 0: two skipped macroblocks, then one coding QP 30 first (the slice's QP 26 before it),
        // then one skipped. Row 1: all skipped. Row 2: a macroblock coding QP 29, then one that
        // keeps it, two skipped.
        RowBits[] rows = {new RowBits(mbWidth), new RowBits(mbWidth), new RowBits(mbWidth)};
        BitWriter w = rows[0].start();
        rows[0].beginMacroblock(2);
        CAVLCWriter.writeUE(w, 0); // mb_type
        rows[0].qpDelta(30, RowBits.QP_FROM_ROW_ABOVE, 2);
        w.writeNBit(0b101, 3); // residual
        rows[0].finish(1, 30);
        rows[1].start();
        rows[1].finish(mbWidth, RowBits.QP_FROM_ROW_ABOVE);
        w = rows[2].start();
        rows[2].beginMacroblock(0);
        CAVLCWriter.writeUE(w, 1);
        rows[2].qpDelta(29, RowBits.QP_FROM_ROW_ABOVE, 0);
        rows[2].beginMacroblock(0);
        CAVLCWriter.writeUE(w, 2);
        rows[2].finish(2, 29);

        assertEquals(2, rows[0].inheritingMacroblocks(mbWidth), "before the row's first mb_qp_delta");
        assertEquals(mbWidth, rows[1].inheritingMacroblocks(mbWidth));
        assertEquals(30, rows[0].qpAfter(26));
        assertEquals(30, rows[1].qpAfter(30));
        ByteBuffer buf = ByteBuffer.allocate(256);
        BitWriter slice = new BitWriter(buf);
        int pending = rows[0].appendTo(slice, 0, 26, mbWidth, false);
        pending = rows[1].appendTo(slice, pending, 30, mbWidth, false);
        pending = rows[2].appendTo(slice, pending, 30, mbWidth, false);
        assertEquals(2, pending);
        slice.flush();
        buf.flip();

        BitReader in = BitReader.createBitReader(buf);
        assertEquals(2, ue(in), "skip run in front of row 0's first coded macroblock");
        assertEquals(0, ue(in));
        assertEquals(4, se(in), "QP 30 after the slice's 26");
        assertEquals(0b101, in.readNBit(3));
        assertEquals(1 + mbWidth, ue(in), "row 0's last skipped macroblock and all of row 1");
        assertEquals(1, ue(in));
        assertEquals(-1, se(in), "QP 29 after the 30 rows 0 and 1 left");
        assertEquals(0, ue(in));
        assertEquals(2, ue(in));
    }

    @Test
    void aDroppedMacroblockLeavesNoBitsAndPcmSamplesLandByteAlignedWhereverTheRowDoes() {
        int mbWidth = 3;
        for (int lead = 0; lead < 8; lead++) {
            RowBits row = new RowBits(mbWidth);
            BitWriter w = row.start();
            // Macroblock 0 codes QP 30 first in the row, macroblock 1 too large is dropped and sent as
            // I_PCM (two samples here), macroblock 2 after a skipped one.
            row.beginMacroblock(0);
            CAVLCWriter.writeUE(w, 0);
            row.qpDelta(30, RowBits.QP_FROM_ROW_ABOVE, 0);
            w.writeNBit(0b11, 2);
            row.beginMacroblock(0);
            CAVLCWriter.writeUE(w, 3);
            w.writeNBit(0x2aaaaaa, 26);
            assertEquals(5 + 26, row.macroblockBits(), "ue(3) and 26 bits");
            w = row.dropMacroblock();
            assertEquals(0, row.macroblockBits(), "the dropped macroblock's bits are gone");
            CAVLCWriter.writeUE(w, 30); // I_PCM in a P slice
            row.pcmAlignment();
            w.writeNBit(0xa5, 8);
            w.writeNBit(0x3c, 8);
            row.beginMacroblock(1);
            CAVLCWriter.writeUE(w, 1);
            row.finish(0, 30);
            assertEquals(1, row.pcmMacroblocks());

            ByteBuffer buf = ByteBuffer.allocate(64);
            BitWriter slice = new BitWriter(buf);
            for (int i = 0; i < lead; i++) {
                slice.write1Bit(1);
            }
            row.appendTo(slice, 0, 26, mbWidth, false);
            slice.flush();
            buf.flip();
            BitReader in = BitReader.createBitReader(buf);
            for (int i = 0; i < lead; i++) {
                assertEquals(1, in.read1Bit());
            }
            assertEquals(0, ue(in), "skip run");
            assertEquals(0, ue(in), "mb_type");
            assertEquals(4, se(in), "QP 30 after the slice's 26");
            assertEquals(0b11, in.readNBit(2));
            assertEquals(0, ue(in), "skip run");
            assertEquals(30, ue(in), "I_PCM");
            while (in.position() % 8 != 0) {
                assertEquals(0, in.read1Bit(), "pcm_alignment_zero_bit, slice lead " + lead);
            }
            assertEquals(0xa5, in.readNBit(8), "first sample, slice lead " + lead);
            assertEquals(0x3c, in.readNBit(8));
            assertEquals(1, ue(in), "skip run");
            assertEquals(1, ue(in), "mb_type");
        }
    }

    @Test
    void droppingTheMacroblockThatHeldTheRowsFirstQpDeltaLeavesTheQpToTheNextOne() {
        RowBits row = new RowBits(2);
        BitWriter w = row.start();
        row.beginMacroblock(-1);
        CAVLCWriter.writeUE(w, 1);
        row.qpDelta(20, RowBits.QP_FROM_ROW_ABOVE, 0);
        w = row.dropMacroblock();
        CAVLCWriter.writeUE(w, 25);
        row.pcmAlignment();
        row.beginMacroblock(-1);
        CAVLCWriter.writeUE(w, 1);
        row.qpDelta(22, RowBits.QP_FROM_ROW_ABOVE, 1);
        row.finish(0, 22);
        assertEquals(1, row.inheritingMacroblocks(2), "the I_PCM macroblock keeps the QP from before the row");
        assertEquals(22, row.qpAfter(26));
    }

    private static int ue(BitReader in) {
        int zeros = 0;
        while (in.read1Bit() == 0) {
            zeros++;
        }
        return (1 << zeros) - 1 + (zeros == 0 ? 0 : in.readNBit(zeros));
    }

    private static int se(BitReader in) {
        int k = ue(in);
        return (k & 1) != 0 ? (k + 1) / 2 : -(k / 2);
    }
}

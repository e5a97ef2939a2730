package io.vencflow.core.codec.avc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Random;
import org.jcodec.codecs.h264.H264Const;
import org.jcodec.codecs.h264.decode.CoeffTransformer;
import org.jcodec.codecs.h264.io.CAVLC;
import org.jcodec.codecs.h264.io.model.PictureParameterSet;
import org.jcodec.codecs.h264.io.model.SeqParameterSet;
import org.jcodec.common.io.BitReader;
import org.jcodec.common.io.BitWriter;
import org.jcodec.common.io.VLC;
import org.junit.jupiter.api.Test;

/** Our CAVLC residual blocks read back by JCodec's decoder-side CAVLC reader, level for level. */
class ResidualWriterTest {
    private static final int[] ZIGZAG = CoeffTransformer.zigzag4x4;

    @Test
    void blocksOfEveryShapeAndLevelSizeReadBackUnchangedWithEveryTable() {
        Random rnd = new Random(5);
        SeqParameterSet sps = new SeqParameterSet();
        sps.picWidthInMbsMinus1 = 0;
        sps.chromaFormatIdc = org.jcodec.common.model.ColorSpace.YUV420J;
        CAVLC reader = new CAVLC(sps, new PictureParameterSet(), 2, 2);
        ResidualWriter writer = new ResidualWriter(new ResidualWriter.Tops(1));
        VLC[] tables = {H264Const.CoeffToken[0], H264Const.CoeffToken[2], H264Const.CoeffToken[4],
            H264Const.CoeffToken[8]};
        int blocks = 0;
        for (int trial = 0; trial < 20_000; trial++) {
            boolean chromaDc = trial % 5 == 4;
            int first = chromaDc ? 0 : trial % 3 == 0 ? 1 : 0;
            int count = chromaDc ? 4 : 16 - first;
            int[] coef = new int[chromaDc ? 4 : 16];
            int density = rnd.nextInt(17);
            int big = rnd.nextInt(4) == 0 ? Quant.MAX_LEVEL : rnd.nextInt(3) == 0 ? 40 : 3;
            int[] scan = chromaDc ? new int[] {0, 1, 2, 3} : ZIGZAG;
            for (int i = 0; i < count; i++) {
                if (rnd.nextInt(16) < density) {
                    int v = 1 + rnd.nextInt(big);
                    coef[scan[first + i]] = rnd.nextBoolean() ? v : -v;
                }
            }
            VLC table = chromaDc ? H264Const.coeffTokenChromaDCY420 : tables[trial % 4];
            VLC[] zeros = chromaDc ? H264Const.totalZeros4 : H264Const.totalZeros16;
            ByteBuffer buf = ByteBuffer.allocate(1024);
            BitWriter out = new BitWriter(buf);
            int total = writer.block(out, coef, first, count, scan, table, zeros);
            out.write1Bit(1);
            out.flush();
            buf.flip();
            int[] read = new int[coef.length]; // the reader picks the total_zeros table by this length
            reader.readCoeffs(BitReader.createBitReader(buf), table, zeros, read, first, count, scan);
            int expectedTotal = 0;
            for (int i = 0; i < count; i++) {
                expectedTotal += coef[scan[first + i]] != 0 ? 1 : 0;
            }
            assertEquals(expectedTotal, total, "TotalCoeff of block " + trial);
            assertArrayEquals(coef, read, java.util.Arrays.toString(coef) + " read as " + java.util.Arrays.toString(read) + ": block " + trial + " (table " + trial % 4 + ", first " + first + ")");
            blocks++;
        }
        assertEquals(20_000, blocks);
    }
}

package io.vencflow.core.codec.avc;

import org.jcodec.codecs.h264.H264Utils;
import org.jcodec.codecs.h264.decode.DeblockerInput;
import org.jcodec.codecs.h264.decode.deblock.DeblockingFilter;
import org.jcodec.codecs.h264.io.model.Frame;
import org.jcodec.codecs.h264.io.model.MBType;
import org.jcodec.codecs.h264.io.model.SeqParameterSet;
import org.jcodec.codecs.h264.io.model.SliceHeader;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;

/**
 * The in-loop deblocking filter over a reconstructed picture, through JCodec's public
 * {@link DeblockingFilter} (the one its decoder runs), fed from {@link MacroblockInfo}. Allocated
 * once per encoder; filtering a picture allocates nothing of its size.
 */
final class Deblock {
    private final DeblockerInput input;
    private final DeblockingFilter filter;
    private final Frame[][] refs;
    private final MacroblockInfo info;

    Deblock(SeqParameterSet sps, MacroblockInfo info) {
        this.info = info;
        this.input = new DeblockerInput(sps);
        this.filter = new DeblockingFilter(8, 8, input);
        // Only the identity of the reference matters to the filter: one reference picture.
        Frame reference = new Frame(16, 16, new byte[][] {new byte[256], new byte[64], new byte[64]},
                ColorSpace.YUV420J, null, 0, null, null, null, 0);
        this.refs = new Frame[][] {{reference}, {}};
    }

    /** Filters {@code picture} in place; {@code headers[mb]} is the slice header of each macroblock. */
    void filter(Picture picture, SliceHeader[] headers) {
        int w4 = info.mbWidth * 4;
        H264Utils.MvList2D mvs = input.mvs;
        for (int mb = 0; mb < info.type.length; mb++) {
            int mbX = mb % info.mbWidth;
            int mbY = mb / info.mbWidth;
            boolean intra = info.isIntra(mb);
            input.mbTypes[mb] = intra ? MBType.I_16x16 : MBType.P_16x16;
            input.mbQps[0][mb] = info.deblockingQp(mb);
            int qpc = Quant.chromaQp(info.deblockingQp(mb));
            input.mbQps[1][mb] = qpc;
            input.mbQps[2][mb] = qpc;
            input.shs[mb] = headers[mb];
            input.refsUsed[mb] = refs;
            input.tr8x8Used[mb] = false;
            int na = H264Utils.Mv.packMv(0, 0, -1);
            for (int by = 0; by < 4; by++) {
                int[] row = input.nCoeff[mbY * 4 + by];
                for (int bx = 0; bx < 4; bx++) {
                    int x = mbX * 4 + bx;
                    int b4 = (mbY * 4 + by) * w4 + x;
                    row[x] = info.nonZero[b4];
                    mvs.setMv(x, mbY * 4 + by, 0, intra ? H264Utils.Mv.packMv(0, 0, -1)
                            : H264Utils.Mv.packMv(info.mvx[b4], info.mvy[b4], 0));
                    mvs.setMv(x, mbY * 4 + by, 1, na);
                }
            }
        }
        filter.deblockFrame(picture);
    }
}

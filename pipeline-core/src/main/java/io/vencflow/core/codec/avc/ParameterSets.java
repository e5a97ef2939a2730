package io.vencflow.core.codec.avc;

import io.vencflow.core.bitstream.AnnexB;
import io.vencflow.core.bitstream.H264Level;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.RateControlMode;
import java.nio.ByteBuffer;
import org.jcodec.codecs.h264.io.model.HRDParameters;
import org.jcodec.codecs.h264.io.model.PictureParameterSet;
import org.jcodec.codecs.h264.io.model.RefPicMarkingIDR;
import org.jcodec.codecs.h264.io.model.SeqParameterSet;
import org.jcodec.codecs.h264.io.model.SliceHeader;
import org.jcodec.codecs.h264.io.model.SliceType;
import org.jcodec.codecs.h264.io.model.VUIParameters;
import org.jcodec.codecs.h264.io.write.CAVLCWriter;
import org.jcodec.common.io.BitWriter;
import org.jcodec.common.model.ColorSpace;

/**
 * SPS, PPS and slice headers of a Constrained Baseline stream, written through JCodec's models:
 * level computed from size, rate and bitrate; VUI with timing, BT.601 limited-range colour, no
 * reordering and, for CBR, NAL HRD parameters, with the timing SEI and filler data they call for;
 * picture order from frame_num (type 2), one reference frame, deblocking control in the slice header.
 */
public final class ParameterSets {
    static final int NAL_SLICE = 1;
    static final int NAL_IDR = 5;
    static final int NAL_SEI = 6;
    static final int NAL_SPS = 7;
    static final int NAL_PPS = 8;
    static final int NAL_FILLER = 12;
    /** frame_num counts modulo 2^8; with one reference frame nothing needs more. */
    static final int LOG2_MAX_FRAME_NUM = 8;

    private final H264Level level;
    private final SeqParameterSet sps;
    private final PictureParameterSet pps;
    private byte[] spsNal;
    private final byte[] ppsNal;

    ParameterSets(EncoderConfig config, int mbWidth, int mbHeight) {
        this.level = levelFor(config, config.rateControl() == RateControlMode.CQP ? 0 : config.effectiveBitrateBps());
        this.sps = buildSps(config, level, mbWidth, mbHeight);
        this.pps = buildPps();
        ByteBuffer buf = ByteBuffer.allocate(512);
        sps.write(buf);
        this.spsNal = nal(NAL_SPS, buf);
        buf.clear();
        pps.write(buf);
        this.ppsNal = nal(NAL_PPS, buf);
    }

    /**
     * The lowest level that holds the config's size and rate at {@code bitrateBps} (0: none, constant
     * QP); refuses, naming the figure, what no level holds.
     */
    static H264Level levelFor(EncoderConfig config, long bitrateBps) {
        return H264Level.select(config.width(), config.height(), config.fps(), bitrateBps, false, 1);
    }

    /** The level the stream keeps to (level_idc in the SPS): its limits bind the motion vectors too. */
    H264Level level() {
        return level;
    }

    SeqParameterSet sps() {
        return sps;
    }

    PictureParameterSet pps() {
        return pps;
    }

    byte[] spsNal() {
        return spsNal;
    }

    byte[] ppsNal() {
        return ppsNal;
    }

    /** A slice header for the picture; the caller sets first_mb_in_slice. */
    SliceHeader sliceHeader(boolean idr, int frameNum, int idrPicId, int qp, boolean deblock) {
        SliceHeader sh = new SliceHeader();
        sh.sps = sps;
        sh.pps = pps;
        sh.sliceType = idr ? SliceType.I : SliceType.P;
        sh.frameNum = frameNum;
        sh.idrPicId = idrPicId;
        sh.refPicMarkingIDR = new RefPicMarkingIDR(false, false);
        sh.sliceQpDelta = qp - 26;
        sh.disableDeblockingFilterIdc = deblock ? 0 : 1;
        return sh;
    }

    private static SeqParameterSet buildSps(EncoderConfig config, H264Level level, int mbWidth, int mbHeight) {
        SeqParameterSet sps = new SeqParameterSet();
        sps.profileIdc = 66;
        sps.constraintSet0Flag = true; // Baseline
        sps.constraintSet1Flag = true; // and Main: Constrained Baseline
        sps.levelIdc = level.levelIdc();
        sps.seqParameterSetId = 0;
        sps.chromaFormatIdc = ColorSpace.YUV420J;
        sps.log2MaxFrameNumMinus4 = LOG2_MAX_FRAME_NUM - 4;
        sps.picOrderCntType = 2;
        sps.numRefFrames = 1;
        sps.gapsInFrameNumValueAllowedFlag = false;
        sps.picWidthInMbsMinus1 = mbWidth - 1;
        sps.picHeightInMapUnitsMinus1 = mbHeight - 1;
        sps.frameMbsOnlyFlag = true;
        sps.direct8x8InferenceFlag = true;
        int cropRight = mbWidth * 16 - config.width();
        int cropBottom = mbHeight * 16 - config.height();
        if (cropRight != 0 || cropBottom != 0) {
            sps.frameCroppingFlag = true;
            sps.frameCropRightOffset = cropRight / 2; // in chroma samples for 4:2:0
            sps.frameCropBottomOffset = cropBottom / 2;
        }
        VUIParameters vui = standardVui(config.fps());
        if (config.rateControl() == RateControlMode.CBR) {
            long rate = config.effectiveBitrateBps();
            vui.nalHRDParams = hrd(rate, RateControl.vbvSizeBits(rate), config.fillerData());
        }
        sps.vuiParams = vui;
        return sps;
    }

    private static PictureParameterSet buildPps() {
        PictureParameterSet pps = new PictureParameterSet();
        pps.picParameterSetId = 0;
        pps.seqParameterSetId = 0;
        pps.entropyCodingModeFlag = false;
        pps.numRefIdxActiveMinus1 = new int[] {0, 0};
        pps.picInitQpMinus26 = 0;
        pps.chromaQpIndexOffset = 0;
        pps.deblockingFilterControlPresentFlag = true;
        pps.constrainedIntraPredFlag = false;
        pps.redundantPicCntPresentFlag = false;
        return pps;
    }

    /**
     * VUI for every H.264 stream we write: timing at {@code fps} (two fields a frame), BT.601
     * limited-range colour, no picture reordering so decoders output each picture once decoded.
     */
    public static VUIParameters standardVui(int fps) {
        VUIParameters vui = new VUIParameters();
        vui.timingInfoPresentFlag = true;
        vui.numUnitsInTick = 1;
        vui.timeScale = 2 * fps;
        vui.fixedFrameRateFlag = true;
        vui.videoSignalTypePresentFlag = true;
        vui.videoFormat = 5; // unspecified
        vui.videoFullRangeFlag = false;
        vui.colourDescriptionPresentFlag = true;
        vui.colourPrimaries = 6; // SMPTE 170M (BT.601 525)
        vui.transferCharacteristics = 6;
        vui.matrixCoefficients = 6;
        VUIParameters.BitstreamRestriction restriction = new VUIParameters.BitstreamRestriction();
        restriction.motionVectorsOverPicBoundariesFlag = true;
        restriction.log2MaxMvLengthHorizontal = 16;
        restriction.log2MaxMvLengthVertical = 16;
        restriction.numReorderFrames = 0;
        restriction.maxDecFrameBuffering = 1;
        vui.bitstreamRestriction = restriction;
        return vui;
    }

    /** One CPB at {@code bitrateBps} with a buffer of {@code cpbBits} (E.2.2). */
    static HRDParameters hrd(long bitrateBps, long cpbBits, boolean cbr) {
        HRDParameters hrd = new HRDParameters();
        hrd.cpbCntMinus1 = 0;
        // Scales keep the values short: some readers (JCodec's among them) mis-read long Exp-Golomb codes.
        hrd.bitRateScale = scale(bitrateBps, 6);
        hrd.cpbSizeScale = scale(cpbBits, 4);
        hrd.bitRateValueMinus1 = new int[] {(int) Math.max(0, (bitrateBps >> (6 + hrd.bitRateScale)) - 1)};
        hrd.cpbSizeValueMinus1 = new int[] {(int) Math.max(0, (cpbBits >> (4 + hrd.cpbSizeScale)) - 1)};
        hrd.cbrFlag = new boolean[] {cbr};
        hrd.initialCpbRemovalDelayLengthMinus1 = 23;
        hrd.cpbRemovalDelayLengthMinus1 = 23;
        hrd.dpbOutputDelayLengthMinus1 = 23;
        hrd.timeOffsetLength = 24;
        return hrd;
    }

    private static int scale(long value, int base) {
        int scale = 0;
        while (scale < 15 && (value >> (base + scale)) > 0x7fff) {
            scale++;
        }
        return scale;
    }

    /**
     * Declares a CBR stream's new rate (and a CPB of one second of it) in the SPS, and the level that
     * rate needs, for the next IDR. The vectors keep the first level's range, which no higher level
     * narrows.
     */
    void declareBitrate(EncoderConfig config, long bitrateBps) {
        sps.levelIdc = Math.max(level.levelIdc(), levelFor(config, bitrateBps).levelIdc());
        sps.vuiParams.nalHRDParams = hrd(bitrateBps, RateControl.vbvSizeBits(bitrateBps),
                sps.vuiParams.nalHRDParams.cbrFlag[0]);
        ByteBuffer buf = ByteBuffer.allocate(512);
        sps.write(buf);
        spsNal = nal(NAL_SPS, buf);
    }

    /**
     * The CPB the SPS declares for a CBR stream (its NAL HRD's rate and size, as rounded to their
     * scales), or null when it declares none.
     */
    Hrd declaredHrd(int fps) {
        HRDParameters hrd = sps.vuiParams.nalHRDParams;
        if (hrd == null) {
            return null;
        }
        long rate = (hrd.bitRateValueMinus1[0] + 1L) << (6 + hrd.bitRateScale);
        long size = (hrd.cpbSizeValueMinus1[0] + 1L) << (4 + hrd.cpbSizeScale);
        return new Hrd(rate, size, fps, hrd.cbrFlag[0]);
    }

    /**
     * The SEI NAL unit in front of each picture of a stream with NAL HRD parameters (D.1.2, D.1.3):
     * with an IDR, a buffering period (its initial removal delay and offset at 90 kHz, from {@code
     * hrd}); always a picture timing with {@code cpbRemovalDelay} clock ticks (two a frame) since the
     * last buffering period's picture, and a DPB output delay of 0 (each picture is output as it is
     * decoded).
     */
    byte[] timingSei(boolean bufferingPeriod, Hrd hrd, long cpbRemovalDelay) {
        long initialCpbRemovalDelay = hrd.initialCpbRemovalDelay();
        long initialCpbRemovalDelayOffset = hrd.initialCpbRemovalDelayOffset();
        HRDParameters params = sps.vuiParams.nalHRDParams;
        ByteBuffer buf = ByteBuffer.allocate(64);
        BitWriter w = new BitWriter(buf);
        if (bufferingPeriod) {
            int delayBits = params.initialCpbRemovalDelayLengthMinus1 + 1;
            int bits = 1 + 2 * delayBits; // sps id 0 as ue(v), then the delay and its offset
            w.writeNBit(0, 8); // payloadType 0: buffering period
            w.writeNBit((bits + 7) / 8, 8); // payloadSize
            CAVLCWriter.writeUE(w, sps.seqParameterSetId);
            writeLong(w, initialCpbRemovalDelay, delayBits);
            writeLong(w, initialCpbRemovalDelayOffset, delayBits);
            alignPayload(w);
        }
        int removalBits = params.cpbRemovalDelayLengthMinus1 + 1;
        int outputBits = params.dpbOutputDelayLengthMinus1 + 1;
        w.writeNBit(1, 8); // payloadType 1: picture timing
        w.writeNBit((removalBits + outputBits + 7) / 8, 8);
        writeLong(w, cpbRemovalDelay & ((1L << removalBits) - 1), removalBits);
        writeLong(w, 0, outputBits);
        alignPayload(w);
        w.write1Bit(1); // rbsp_trailing_bits
        w.flush();
        return AnnexB.nalUnit(NAL_SEI, buf.array(), 0, buf.position());
    }

    /**
     * A filler data NAL unit (7.3.2.7) of at least {@code bits} bits behind its 4-byte start code:
     * 0xFF bytes, then the trailing bits.
     */
    static byte[] fillerNal(long bits) {
        long bytes = Math.max(0, (bits + 7) / 8 - START_CODE_BYTES - 2);
        byte[] nal = new byte[(int) bytes + 2];
        nal[0] = NAL_FILLER;
        java.util.Arrays.fill(nal, 1, nal.length - 1, (byte) 0xff);
        nal[nal.length - 1] = (byte) 0x80;
        return nal;
    }

    /** The start code in front of each NAL unit of our Annex-B streams, counted by the HRD. */
    static final int START_CODE_BYTES = 4;

    private static void writeLong(BitWriter w, long value, int bits) {
        for (int b = bits - 1; b >= 0; b--) {
            w.write1Bit((int) (value >>> b) & 1);
        }
    }

    /** A payload that ends within a byte ends with a one bit, then zeros (D.1). */
    private static void alignPayload(BitWriter w) {
        if (w.curBit() != 0) {
            w.write1Bit(1);
            while (w.curBit() != 0) {
                w.write1Bit(0);
            }
        }
    }

    /** A NAL unit (nal_ref_idc 3) of the RBSP between position 0 and the buffer's position. */
    static byte[] nal(int type, ByteBuffer rbsp) {
        return AnnexB.nalUnit(0x60 | type, rbsp.array(), 0, rbsp.position());
    }
}

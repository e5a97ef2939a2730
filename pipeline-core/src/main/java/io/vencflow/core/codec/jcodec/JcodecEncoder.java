package io.vencflow.core.codec.jcodec;

import io.vencflow.core.bitstream.AnnexB;
import io.vencflow.core.bitstream.H264Level;
import io.vencflow.core.bitstream.NalUnit;
import io.vencflow.core.codec.AbstractVideoEncoder;
import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.Pack;
import io.vencflow.core.codec.Profile;
import io.vencflow.core.codec.RateControlMode;
import io.vencflow.core.codec.RateModel;
import io.vencflow.core.frame.ColorConversion;
import io.vencflow.core.frame.Frame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jcodec.codecs.h264.H264Encoder;
import org.jcodec.codecs.h264.encode.RateControl;
import org.jcodec.codecs.h264.io.model.SeqParameterSet;
import org.jcodec.codecs.h264.io.model.SliceType;
import org.jcodec.codecs.h264.io.model.VUIParameters;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;
import org.jcodec.common.model.Size;

/**
 * The {@code jcodec} backend: JCodec 0.2.5's H.264 encoder (Constrained Baseline, CAVLC, I16x16 and
 * P16x16 macroblocks only), driven picture by picture so that the stream has SPS/PPS in front of
 * every IDR and only there, a level computed from size, rate and bitrate, and VUI timing.
 *
 * <p>JCodec's encoder is not conformant: its reconstruction drifts from the decoder's. The part of it
 * this wrapper can mend is chroma QP: JCodec quantizes chroma with the luma QP, which matches the
 * decoder's chroma QP table only below 30, so this backend never uses a QP above 29. The rest (intra
 * prediction from deblocked samples, its deblocker) only our own encoder cures.
 */
public final class JcodecEncoder extends AbstractVideoEncoder {
    /** Above this QP the decoder's chroma QP differs from the luma QP JCodec quantizes chroma with. */
    public static final int MAX_CONFORMANT_QP = 29;

    private final H264Encoder encoder;
    private final RateModel rateModel;
    private final PictureRate pictureRate = new PictureRate();
    private final Picture picture;
    private final byte[] i420;
    private final ByteBuffer out;
    private final int levelIdc;
    private int frameNum;

    public JcodecEncoder(EncoderConfig config) {
        super(config);
        if (config.codec() != Codec.H264) {
            throw new IllegalArgumentException("the jcodec backend encodes H.264 only; " + config.codec()
                    + " needs the ffmpeg backend");
        }
        if (config.profile() != Profile.BASELINE) {
            throw new IllegalArgumentException("the jcodec backend encodes H.264 Constrained Baseline only; profile "
                    + config.profile().id() + " needs the ffmpeg backend");
        }
        if (config.fillerData()) {
            throw new IllegalArgumentException("the jcodec backend writes no HRD and no filler data; strict CBR needs the"
                    + " java or ffmpeg backend (expected filler off)");
        }
        if (config.aqStrength() > 0) {
            throw new IllegalArgumentException("the jcodec backend has no adaptive quantization; aq strength "
                    + config.aqStrength() + " needs the java or ffmpeg backend (expected 0)");
        }
        this.rateModel = new RateModel(config, MAX_CONFORMANT_QP);
        this.encoder = new H264Encoder(pictureRate);
        // The keyframe schedule is ours; JCodec only sizes frame_num after it.
        this.encoder.setKeyInterval(config.effectiveGop());
        this.picture = Picture.create(config.width(), config.height(), ColorSpace.YUV420J);
        this.i420 = new byte[ColorConversion.i420Size(config.width(), config.height())];
        this.out = ByteBuffer.allocate(config.width() * config.height() * 3 + 4096);
        long levelBitrate = config.rateControl() == RateControlMode.CQP ? 0 : config.effectiveBitrateBps();
        this.levelIdc = H264Level.select(config.width(), config.height(), config.fps(), levelBitrate, false, 1)
                .levelIdc();
    }

    @Override
    public Backend backend() {
        return Backend.JCODEC;
    }

    @Override
    public void setBitrate(long bitrateBps) {
        checkOpen();
        rateModel.setBitrate(io.vencflow.core.codec.EncoderConfig.checkBitrate(bitrateBps));
    }

    @Override
    protected List<Pack> encodePicture(Frame frame, boolean idr) {
        toJcodecPicture(frame);
        if (idr) {
            frameNum = 0;
        }
        int qp = rateModel.nextQp(idr);
        pictureRate.qp = qp;
        out.clear();
        ByteBuffer annexB = encoder.doEncodeFrame(picture, out, idr, frameNum, idr ? SliceType.I : SliceType.P);
        frameNum++;
        byte[] bytes = new byte[annexB.remaining()];
        annexB.get(bytes);
        rateModel.pictureDone(qp, 8L * bytes.length);

        List<Pack> packs = new ArrayList<>(3);
        for (AnnexB.Range r : AnnexB.scan(bytes)) {
            int type = NalUnit.type(Codec.H264, bytes[r.offset()]);
            if (type == NalUnit.H264_SPS) {
                packs.add(Pack.of(Codec.H264, rewriteSps(bytes, r)));
            } else {
                packs.add(Pack.of(Codec.H264, bytes, r.offset(), r.length()));
            }
        }
        return packs;
    }

    /** JCodec takes YUV420J planes with samples stored as (value - 128). */
    private void toJcodecPicture(Frame frame) {
        ColorConversion.toI420(frame, i420);
        int lumaSize = config.width() * config.height();
        int chromaSize = lumaSize / 4;
        byte[] y = picture.getPlaneData(0);
        byte[] u = picture.getPlaneData(1);
        byte[] v = picture.getPlaneData(2);
        for (int i = 0; i < lumaSize; i++) {
            y[i] = (byte) ((i420[i] & 0xff) - 128);
        }
        for (int i = 0; i < chromaSize; i++) {
            u[i] = (byte) ((i420[lumaSize + i] & 0xff) - 128);
            v[i] = (byte) ((i420[lumaSize + chromaSize + i] & 0xff) - 128);
        }
    }

    /**
     * JCodec writes level 4.0 and no VUI. Rewrites its SPS through JCodec's own model: the level for
     * this size, rate and bitrate; constraint_set0/1 (the stream is Constrained Baseline); VUI with
     * timing, BT.601 limited-range colour, and no picture reordering, so decoders output each picture
     * as soon as it is decoded. Fields the slice headers depend on are left alone.
     */
    private byte[] rewriteSps(byte[] bytes, AnnexB.Range r) {
        byte header = bytes[r.offset()];
        byte[] rbsp = AnnexB.unescape(bytes, r.offset() + 1, r.offset() + r.length());
        SeqParameterSet sps = SeqParameterSet.read(ByteBuffer.wrap(rbsp));
        sps.levelIdc = levelIdc;
        sps.constraintSet0Flag = true;
        sps.constraintSet1Flag = true;
        VUIParameters vui = io.vencflow.core.codec.avc.ParameterSets.standardVui(config.fps());
        sps.vuiParams = vui;

        ByteBuffer written = ByteBuffer.allocate(rbsp.length + 64);
        sps.write(written);
        written.flip();
        byte[] payload = new byte[written.remaining()];
        written.get(payload);
        return AnnexB.nalUnit(header, payload, 0, payload.length);
    }

    @Override
    protected void release() {
        // Heap only: nothing native to free.
    }

    /** Hands JCodec the picture QP we chose and never asks it to re-encode a macroblock. */
    private static final class PictureRate implements RateControl {
        int qp = 26;

        @Override
        public int startPicture(Size sz, int maxSize, SliceType sliceType) {
            return qp;
        }

        @Override
        public int initialQpDelta() {
            return 0;
        }

        @Override
        public int accept(int bits) {
            return 0;
        }
    }
}

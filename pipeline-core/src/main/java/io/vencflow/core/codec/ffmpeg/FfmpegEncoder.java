package io.vencflow.core.codec.ffmpeg;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_PRI_SMPTE170M;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_MPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_SMPTE170M;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_TRC_SMPTE170M;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NV12;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NV21;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU601;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;

import io.vencflow.core.bitstream.AnnexB;
import io.vencflow.core.codec.AbstractVideoEncoder;
import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.Pack;
import io.vencflow.core.codec.RateControlMode;
import io.vencflow.core.frame.ColorConversion;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The {@code ffmpeg} backend: libx264 (H.264 baseline/main/high) and libx265 (H.265 main) through
 * FFmpeg's libavcodec, tuned for live video: zero latency (no B-frames, no lookahead: one frame in,
 * one access unit out), IDRs only where vencflow asks for them (closed GOPs, no scene cuts), parameter
 * sets repeated in front of every IDR, no access unit delimiters, VUI timing and BT.601 colour.
 *
 * <p>Input: I420 is copied plane by plane into the encoder's frame; NV12/NV21 go to libx264 as they
 * are (libx265 gets them de-interleaved straight into its planes); RGB888/BGR888 are converted by
 * libswscale (BT.601, limited range); RGB565 and GRAY8 through {@link ColorConversion}, so they mean
 * the same on every backend. Natives, contexts and frames are freed on {@link #close()}.
 */
public final class FfmpegEncoder extends AbstractVideoEncoder {
    private final Codec codec;
    private final int width;
    private final int height;
    private final int encoderPixFmt;
    private AVCodecContext context;
    private AVFrame frame;
    private AVPacket packet;
    private SwsContext sws;
    private AVFrame staging;
    private byte[] i420Scratch;
    private long bitrateBps;
    private boolean reopenDue;
    private long pts;

    public FfmpegEncoder(EncoderConfig config) {
        super(config);
        FfmpegNatives.require();
        this.codec = config.codec();
        this.width = config.width();
        this.height = config.height();
        this.bitrateBps = config.effectiveBitrateBps();
        PixelFormat in = config.inputFormat();
        // libx264 takes semi-planar chroma itself; everything else is fed as planar 4:2:0.
        this.encoderPixFmt = codec == Codec.H264 && in == PixelFormat.NV12 ? AV_PIX_FMT_NV12
                : codec == Codec.H264 && in == PixelFormat.NV21 ? AV_PIX_FMT_NV21 : AV_PIX_FMT_YUV420P;
        open();
        frame = av_frame_alloc();
        frame.format(encoderPixFmt).width(width).height(height);
        check(av_frame_get_buffer(frame, 32), "allocate the input frame");
        packet = av_packet_alloc();
        int swsSource = switch (in) {
            case RGB888 -> AV_PIX_FMT_RGB24;
            case BGR888 -> AV_PIX_FMT_BGR24;
            default -> -1;
        };
        if (swsSource >= 0) {
            sws = sws_getContext(width, height, swsSource, width, height, AV_PIX_FMT_YUV420P, SWS_BILINEAR, null, null,
                    (DoublePointer) null);
            // Full-range RGB in, BT.601 limited-range YUV out: the same matrix as ColorConversion.
            sws_setColorspaceDetails(sws, sws_getCoefficients(SWS_CS_ITU601), 1, sws_getCoefficients(SWS_CS_ITU601), 0,
                    0, 1 << 16, 1 << 16);
            staging = av_frame_alloc();
            staging.format(swsSource).width(width).height(height);
            check(av_frame_get_buffer(staging, 32), "allocate the RGB staging frame");
        } else if (in == PixelFormat.GRAY8 || in == PixelFormat.RGB565) {
            i420Scratch = new byte[ColorConversion.i420Size(width, height)];
        }
    }

    /** Whether libavcodec here has the encoder this codec needs (libx264 / libx265). */
    public static boolean supports(Codec codec) {
        return FfmpegNatives.available() && avcodec_find_encoder_by_name(encoderName(codec)) != null;
    }

    private static String encoderName(Codec codec) {
        return codec == Codec.H264 ? "libx264" : "libx265";
    }

    private void open() {
        context = openCodecContext(config, bitrateBps, encoderPixFmt);
    }

    /**
     * Opens a libavcodec encoder context with the settings this backend uses for {@code config}: the one
     * place they are written down, shared with the benchmark's bare libavcodec loop.
     *
     * @param pixFmt the AVPixelFormat frames will be sent in
     */
    public static AVCodecContext openCodecContext(EncoderConfig config, long bitrateBps, int pixFmt) {
        FfmpegNatives.require();
        Codec codec = config.codec();
        AVCodec encoder = avcodec_find_encoder_by_name(encoderName(codec));
        if (encoder == null) {
            throw new IllegalStateException("this FFmpeg build has no " + encoderName(codec) + " encoder");
        }
        AVCodecContext ctx = avcodec_alloc_context3(encoder);
        ctx.width(config.width()).height(config.height()).pix_fmt(pixFmt);
        ctx.time_base(av_make_q(1, config.fps())).framerate(av_make_q(config.fps(), 1));
        ctx.max_b_frames(0);
        ctx.thread_count(config.threads());
        ctx.color_range(AVCOL_RANGE_MPEG).colorspace(AVCOL_SPC_SMPTE170M).color_primaries(AVCOL_PRI_SMPTE170M)
                .color_trc(AVCOL_TRC_SMPTE170M);
        ctx.qmin(config.qpMin()).qmax(config.qpMax());
        int vbvBits = (int) Math.min(Integer.MAX_VALUE, bitrateBps);
        AVDictionary options = new AVDictionary(null);
        av_dict_set(options, "preset", config.preset().id(), 0);
        av_dict_set(options, "tune", "zerolatency", 0);
        av_dict_set(options, "forced-idr", "1", 0);
        switch (config.rateControl()) {
            case CBR -> ctx.bit_rate(bitrateBps).rc_max_rate(bitrateBps).rc_buffer_size(vbvBits);
            case VBR -> {
                av_dict_set(options, "crf", Integer.toString(config.qp()), 0);
                ctx.rc_max_rate(bitrateBps).rc_buffer_size(vbvBits);
            }
            case CQP -> av_dict_set(options, "qp", Integer.toString(config.qp()), 0);
        }
        // Variance AQ at the strength asked for; at 0, the encoders' own default for the preset.
        String aq = config.aqStrength() > 0 ? ":aq-mode=1:aq-strength=" + config.aqStrength() : "";
        if (codec == Codec.H264) {
            av_dict_set(options, "profile", config.profile().id(), 0);
            // Main and High ask for CABAC (and High for the 8x8 transform) even on presets that turn them
            // off, so the stream carries the profile asked for rather than x264's downgrade to Baseline.
            String tools = switch (config.profile()) {
                case BASELINE -> "";
                case MAIN -> ":cabac=1";
                case HIGH -> ":cabac=1:8x8dct=1";
            };
            // Keyframes are vencflow's: no automatic IDRs, no scene cuts; headers before every IDR.
            // Strict CBR: x264's constant-rate NAL HRD, with its timing SEI and filler data.
            String hrd = config.fillerData() ? ":nal-hrd=cbr" : "";
            av_dict_set(options, "x264-params", "keyint=infinite:min-keyint=1:scenecut=0:repeat-headers=1:aud=0" + tools
                    + hrd + aq, 0);
        } else {
            av_dict_set(options, "profile", "main", 0);
            // FFmpeg hands thread_count to x265 as frame threads, and more than one frame thread holds
            // frames back; keep one and spend the threads on wavefront rows instead (pools).
            String pools = config.threads() == 0 ? "+" : Integer.toString(config.threads());
            av_dict_set(options, "x265-params", "keyint=-1:min-keyint=1:scenecut=0:open-gop=0:repeat-headers=1"
                    + ":frame-threads=1:pools=" + pools
                    + ":aud=0:info=0:log-level=error:bframes=0:qpmin=" + config.qpMin() + ":qpmax=" + config.qpMax()
                    + (config.rateControl() == RateControlMode.CQP ? "" : ":vbv-init=0.9")
                    + (config.rateControl() == RateControlMode.CBR ? ":strict-cbr=1" : "") + aq, 0);
        }
        int ret = avcodec_open2(ctx, encoder, options);
        av_dict_free(options);
        if (ret < 0) {
            avcodec_free_context(ctx);
            throw new IllegalArgumentException("cannot open " + encoderName(codec) + " for " + config + ": "
                    + FfmpegNatives.errorText(ret));
        }
        return ctx;
    }

    @Override
    public Backend backend() {
        return Backend.FFMPEG;
    }

    @Override
    public void setBitrate(long newBitrateBps) {
        checkOpen();
        bitrateBps = EncoderConfig.checkBitrate(newBitrateBps);
        if (config.rateControl() == RateControlMode.CQP) {
            return;
        }
        if (codec == Codec.H264) {
            // libx264 picks these up on the next frame (x264_encoder_reconfig): no new IDR.
            if (config.rateControl() == RateControlMode.CBR) {
                context.bit_rate(bitrateBps);
            }
            context.rc_max_rate(bitrateBps).rc_buffer_size((int) Math.min(Integer.MAX_VALUE, bitrateBps));
        } else {
            // FFmpeg's libx265 wrapper cannot change the rate of an open encoder: reopen at the next
            // frame, which therefore is an IDR.
            reopenDue = true;
            requestKeyframe();
        }
    }

    /** The target (CBR) or cap (VBR) in force now, after any {@link #setBitrate}. */
    public long bitrateBps() {
        return bitrateBps;
    }

    @Override
    protected List<Pack> encodePicture(Frame input, boolean idr) {
        if (reopenDue) {
            avcodec_free_context(context);
            context = null;
            open();
            reopenDue = false;
        }
        check(av_frame_make_writable(frame), "make the input frame writable");
        fill(input);
        frame.pts(pts++);
        frame.pict_type(idr ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
        check(avcodec_send_frame(context, frame), "send frame #" + input.sequence());
        int ret = avcodec_receive_packet(context, packet);
        if (ret == FfmpegNatives.AVERROR_EAGAIN) {
            throw new IllegalStateException(encoderName(codec) + " held frame #" + input.sequence()
                    + " back; zero-latency tuning should give one access unit per frame");
        }
        check(ret, "receive the packet of frame #" + input.sequence());
        try {
            int size = packet.size();
            byte[] bytes = new byte[size];
            packet.data().capacity(size).asByteBuffer().get(bytes);
            if (((packet.flags() & AV_PKT_FLAG_KEY) != 0) != idr) {
                throw new IllegalStateException(encoderName(codec) + " made frame #" + input.sequence()
                        + (idr ? " not a keyframe where an IDR was asked for" : " a keyframe where none was asked for"));
            }
            List<Pack> packs = new ArrayList<>(4);
            for (AnnexB.Range r : AnnexB.scan(bytes)) {
                packs.add(Pack.of(codec, bytes, r.offset(), r.length()));
            }
            return packs;
        } finally {
            av_packet_unref(packet);
        }
    }

    private void fill(Frame input) {
        ByteBuffer src = input.pixels();
        int luma = width * height;
        int chroma = (width / 2) * (height / 2);
        switch (input.format()) {
            case I420 -> {
                copyPlane(src, 0, width, height, frame, 0);
                copyPlane(src, luma, width / 2, height / 2, frame, 1);
                copyPlane(src, luma + chroma, width / 2, height / 2, frame, 2);
            }
            case NV12, NV21 -> {
                copyPlane(src, 0, width, height, frame, 0);
                if (encoderPixFmt == AV_PIX_FMT_YUV420P) {
                    boolean uFirst = input.format() == PixelFormat.NV12;
                    deinterleave(src, luma, frame, uFirst ? 1 : 2, uFirst ? 2 : 1);
                } else {
                    copyPlane(src, luma, width, height / 2, frame, 1);
                }
            }
            case GRAY8, RGB565 -> {
                // libswscale widens 5- and 6-bit channels without replicating their high bits (31 -> 248,
                // not 255) and treats grey as limited range: ColorConversion keeps every backend alike.
                ColorConversion.toI420(input, i420Scratch);
                ByteBuffer i420 = ByteBuffer.wrap(i420Scratch);
                copyPlane(i420, 0, width, height, frame, 0);
                copyPlane(i420, luma, width / 2, height / 2, frame, 1);
                copyPlane(i420, luma + chroma, width / 2, height / 2, frame, 2);
            }
            case RGB888, BGR888 -> {
                check(av_frame_make_writable(staging), "make the staging frame writable");
                copyPlane(src, 0, width * 3, height, staging, 0);
                sws_scale(sws, new PointerPointer<>(staging.data(0), staging.data(1), staging.data(2), staging.data(3)),
                        staging.linesize(), 0, height,
                        new PointerPointer<>(frame.data(0), frame.data(1), frame.data(2), frame.data(3)),
                        frame.linesize());
            }
        }
    }

    /** Copies {@code rows} rows of {@code rowBytes} from a tightly packed buffer into a plane of {@code dst}. */
    private static void copyPlane(ByteBuffer src, int srcOffset, int rowBytes, int rows, AVFrame dst, int plane) {
        int stride = dst.linesize(plane);
        ByteBuffer out = dst.data(plane).capacity((long) stride * rows).asByteBuffer();
        if (stride == rowBytes) {
            out.put(src.slice(srcOffset, rowBytes * rows));
            return;
        }
        for (int row = 0; row < rows; row++) {
            out.position(row * stride);
            out.put(src.slice(srcOffset + row * rowBytes, rowBytes));
        }
    }

    private void deinterleave(ByteBuffer src, int offset, AVFrame dst, int firstPlane, int secondPlane) {
        int cw = width / 2;
        int ch = height / 2;
        int s1 = dst.linesize(firstPlane);
        int s2 = dst.linesize(secondPlane);
        ByteBuffer a = dst.data(firstPlane).capacity((long) s1 * ch).asByteBuffer();
        ByteBuffer b = dst.data(secondPlane).capacity((long) s2 * ch).asByteBuffer();
        for (int y = 0; y < ch; y++) {
            int p = offset + y * width;
            for (int x = 0; x < cw; x++, p += 2) {
                a.put(y * s1 + x, src.get(p));
                b.put(y * s2 + x, src.get(p + 1));
            }
        }
    }

    private void check(int ret, String what) {
        if (ret < 0) {
            throw new IllegalStateException(encoderName(codec) + ": cannot " + what + ": " + FfmpegNatives.errorText(ret));
        }
    }

    @Override
    protected void release() {
        if (context != null) {
            avcodec_free_context(context);
            context = null;
        }
        av_frame_free(frame);
        av_packet_free(packet);
        if (staging != null) {
            av_frame_free(staging);
        }
        if (sws != null) {
            sws_freeContext(sws);
        }
        frame = null;
        packet = null;
        staging = null;
        sws = null;
    }
}

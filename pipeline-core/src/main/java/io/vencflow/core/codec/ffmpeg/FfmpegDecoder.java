package io.vencflow.core.codec.ffmpeg;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_EF_BITSTREAM;
import static org.bytedeco.ffmpeg.global.avcodec.AV_EF_BUFFER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_EF_EXPLODE;
import static org.bytedeco.ffmpeg.global.avcodec.FF_COMPLIANCE_STRICT;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.VideoDecoder;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The {@code ffmpeg} decoder: libavcodec's H.264 and H.265 decoders, strict about errors
 * ({@code AV_EF_EXPLODE}), one thread, output in display order as I420.
 */
public final class FfmpegDecoder implements VideoDecoder {
    /** AV_FRAME_FLAG_CORRUPT: libavcodec concealed errors in this frame. */
    private static final int FRAME_FLAG_CORRUPT = 1;

    private final Codec codec;
    private AVCodecContext context;
    private AVPacket packet;
    private AVFrame frame;
    private SwsContext sws;
    private AVFrame converted;
    private final Map<Long, EncodedFrame> pending = new HashMap<>();
    private long errors;
    private String channel = "decoded";

    public FfmpegDecoder(Codec codec) {
        FfmpegNatives.require();
        this.codec = codec;
        AVCodec decoder = avcodec_find_decoder(codec == Codec.H264 ? AV_CODEC_ID_H264 : AV_CODEC_ID_HEVC);
        if (decoder == null) {
            throw new IllegalStateException("libavcodec has no " + codec + " decoder");
        }
        context = avcodec_alloc_context3(decoder);
        context.thread_count(1);
        context.err_recognition(AV_EF_EXPLODE | AV_EF_BITSTREAM | AV_EF_BUFFER);
        // libavcodec rounds an unaligned left/top crop down; we crop exactly ourselves.
        context.apply_cropping(0);
        // Without a VUI reorder depth, a lenient decoder guesses it and drops B-frames that come out
        // late; strict compliance holds pictures back instead, so every picture comes out.
        context.strict_std_compliance(FF_COMPLIANCE_STRICT);
        int ret = avcodec_open2(context, decoder, (AVDictionary) null);
        if (ret < 0) {
            avcodec_free_context(context);
            throw new IllegalStateException("cannot open the " + codec + " decoder: " + FfmpegNatives.errorText(ret));
        }
        packet = av_packet_alloc();
        frame = av_frame_alloc();
    }

    @Override
    public Backend backend() {
        return Backend.FFMPEG;
    }

    @Override
    public List<Frame> decode(EncodedFrame accessUnit) {
        checkOpen();
        if (accessUnit.codec() != codec) {
            throw new IllegalArgumentException("access unit #" + accessUnit.sequence() + " is " + accessUnit.codec()
                    + "; this decoder decodes " + codec);
        }
        channel = accessUnit.channel();
        int size = accessUnit.annexBSize();
        if (av_new_packet(packet, size) < 0) {
            throw new OutOfMemoryError("av_new_packet of " + size + " bytes failed");
        }
        byte[] annexB = accessUnit.toAnnexB();
        packet.data().put(annexB, 0, annexB.length);
        packet.pts(accessUnit.sequence());
        packet.dts(AV_NOPTS_VALUE);
        pending.put(accessUnit.sequence(), accessUnit);
        int ret = avcodec_send_packet(context, packet);
        av_packet_unref(packet);
        List<Frame> out = new ArrayList<>(1);
        if (ret < 0 && ret != FfmpegNatives.AVERROR_EAGAIN) {
            errors++;
            pending.remove(accessUnit.sequence());
        }
        drain(out);
        return out;
    }

    @Override
    public List<Frame> flush() {
        checkOpen();
        avcodec_send_packet(context, null);
        List<Frame> out = new ArrayList<>();
        drain(out);
        pending.clear();
        return out;
    }

    private void drain(List<Frame> out) {
        while (true) {
            int ret = avcodec_receive_frame(context, frame);
            if (ret == FfmpegNatives.AVERROR_EAGAIN || ret == AVERROR_EOF) {
                return;
            }
            if (ret < 0) {
                errors++;
                return;
            }
            if ((frame.flags() & FRAME_FLAG_CORRUPT) != 0 || frame.decode_error_flags() != 0) {
                errors++;
            }
            out.add(toFrame(frame));
            av_frame_unref(frame);
        }
    }

    private Frame toFrame(AVFrame f) {
        int left = (int) f.crop_left();
        int top = (int) f.crop_top();
        int w = f.width() - left - (int) f.crop_right();
        int h = f.height() - top - (int) f.crop_bottom();
        long seq = f.best_effort_timestamp();
        EncodedFrame source = seq == AV_NOPTS_VALUE ? null : pending.remove(seq);
        AVFrame planes = f;
        if (f.format() != AV_PIX_FMT_YUV420P && f.format() != AV_PIX_FMT_YUVJ420P) {
            planes = convert(f);
        }
        byte[] i420 = new byte[w * h + 2 * (w / 2) * (h / 2)];
        copyPlane(planes, 0, left, top, w, h, i420, 0);
        copyPlane(planes, 1, left / 2, top / 2, w / 2, h / 2, i420, w * h);
        copyPlane(planes, 2, left / 2, top / 2, w / 2, h / 2, i420, w * h + (w / 2) * (h / 2));
        long sequence = source != null ? source.sequence() : Math.max(0, seq);
        long pts = source != null ? source.ptsMicros() : 0;
        return new Frame(channel, sequence, pts, w, h, PixelFormat.I420, i420);
    }

    private static void copyPlane(AVFrame f, int plane, int x0, int y0, int w, int h, byte[] dst, int dstOff) {
        int stride = f.linesize(plane);
        ByteBuffer src = f.data(plane).capacity((long) stride * (y0 + h)).asByteBuffer();
        for (int row = 0; row < h; row++) {
            src.position((y0 + row) * stride + x0);
            src.get(dst, dstOff + row * w, w);
        }
    }

    private AVFrame convert(AVFrame f) {
        sws = sws_getCachedContext(sws, f.width(), f.height(), f.format(), f.width(), f.height(), AV_PIX_FMT_YUV420P,
                SWS_BILINEAR, null, null, (DoublePointer) null);
        if (converted == null) {
            converted = av_frame_alloc();
        }
        av_frame_unref(converted);
        converted.format(AV_PIX_FMT_YUV420P).width(f.width()).height(f.height());
        org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer(converted, 32);
        sws_scale(sws, new PointerPointer<>(f.data(0), f.data(1), f.data(2), f.data(3)),
                new IntPointer(f.linesize(0), f.linesize(1), f.linesize(2), f.linesize(3)), 0, f.height(),
                new PointerPointer<>(converted.data(0), converted.data(1), converted.data(2), converted.data(3)),
                new IntPointer(converted.linesize(0), converted.linesize(1), converted.linesize(2),
                        converted.linesize(3)));
        return converted;
    }

    @Override
    public long errors() {
        return errors;
    }

    private void checkOpen() {
        if (context == null) {
            throw new IllegalStateException("ffmpeg " + codec + " decoder is closed");
        }
    }

    @Override
    public void close() {
        if (context == null) {
            return;
        }
        avcodec_free_context(context);
        av_packet_free(packet);
        av_frame_free(frame);
        if (converted != null) {
            av_frame_free(converted);
        }
        if (sws != null) {
            sws_freeContext(sws);
        }
        context = null;
        packet = null;
        frame = null;
    }
}

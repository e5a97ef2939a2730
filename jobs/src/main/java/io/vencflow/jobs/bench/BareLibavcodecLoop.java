package io.vencflow.jobs.bench;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;

import io.vencflow.core.bitstream.AnnexB;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.Pack;
import io.vencflow.core.codec.ffmpeg.FfmpegEncoder;
import io.vencflow.core.frame.Frame;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

/**
 * libx264/libx265 driven directly through libavcodec with the same settings as the ffmpeg backend:
 * what any Java program must do at least (copy each I420 frame from the heap into the encoder's frame,
 * send it, take the packet's bytes back), and nothing more. Only the frame loop is timed; the access
 * units are built after the clock stops, for the quality figures.
 */
final class BareLibavcodecLoop {
    private BareLibavcodecLoop() {
    }

    static BenchRow run(String name, EncoderConfig config, List<Frame> source, int warmup) {
        loop(config, source.subList(0, warmup), null);
        List<byte[]> packets = new ArrayList<>(source.size() - warmup);
        Elapsed elapsed = loop(config, source.subList(warmup, source.size()), packets);
        List<Frame> timed = source.subList(warmup, source.size());
        List<EncodedFrame> units = new ArrayList<>(packets.size());
        for (int i = 0; i < packets.size(); i++) {
            byte[] bytes = packets.get(i);
            List<Pack> packs = new ArrayList<>();
            for (AnnexB.Range r : AnnexB.scan(bytes)) {
                packs.add(Pack.of(config.codec(), bytes, r.offset(), r.length()));
            }
            Frame f = timed.get(i);
            int gop = config.effectiveGop();
            units.add(new EncodedFrame(f.channel(), f.sequence(), f.ptsMicros(), config.codec(), f.width(), f.height(),
                    i % gop == 0, i / gop, i % gop, packs));
        }
        return BenchRow.measure(name, "libavcodec send_frame/receive_packet, same settings", units, timed, elapsed);
    }

    /** Encodes {@code frames} with a fresh context; returns the time the loop took. */
    private static Elapsed loop(EncoderConfig config, List<Frame> frames, List<byte[]> packets) {
        if (frames.isEmpty()) {
            return new Elapsed(0, 0, 0);
        }
        int w = config.width();
        int h = config.height();
        AVCodecContext ctx = FfmpegEncoder.openCodecContext(config, config.effectiveBitrateBps(), AV_PIX_FMT_YUV420P);
        AVFrame frame = av_frame_alloc();
        frame.format(AV_PIX_FMT_YUV420P).width(w).height(h);
        av_frame_get_buffer(frame, 32);
        AVPacket packet = av_packet_alloc();
        int luma = w * h;
        int chroma = luma / 4;
        int gop = config.effectiveGop();
        byte[] row = new byte[w];
        try {
            Elapsed.Clock clock = Elapsed.start();
            for (int i = 0; i < frames.size(); i++) {
                Frame f = frames.get(i);
                av_frame_make_writable(frame);
                copyPlane(f, 0, w, h, frame.data(0), frame.linesize(0), row);
                copyPlane(f, luma, w / 2, h / 2, frame.data(1), frame.linesize(1), row);
                copyPlane(f, luma + chroma, w / 2, h / 2, frame.data(2), frame.linesize(2), row);
                frame.pts(i);
                frame.pict_type(i % gop == 0 ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
                avcodec_send_frame(ctx, frame);
                if (avcodec_receive_packet(ctx, packet) >= 0) {
                    byte[] bytes = new byte[packet.size()];
                    packet.data().get(bytes);
                    if (packets != null) {
                        packets.add(bytes);
                    }
                    if (i % gop == 0 && (packet.flags() & AV_PKT_FLAG_KEY) == 0) {
                        throw new IllegalStateException("frame " + i + " did not come out as a keyframe");
                    }
                    av_packet_unref(packet);
                }
            }
            return clock.stop();
        } finally {
            av_packet_free(packet);
            av_frame_free(frame);
            avcodec_free_context(ctx);
        }
    }

    private static void copyPlane(Frame f, int offset, int w, int h, BytePointer dst, int stride, byte[] row) {
        for (int y = 0; y < h; y++) {
            f.copyPixels(offset + y * w, row, 0, w);
            dst.position((long) y * stride).put(row, 0, w);
        }
        dst.position(0);
    }
}

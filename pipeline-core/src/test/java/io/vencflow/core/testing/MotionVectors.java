package io.vencflow.core.testing;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG2_EXPORT_MVS;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_EF_EXPLODE;
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
import static org.bytedeco.ffmpeg.global.avutil.AV_FRAME_DATA_MOTION_VECTORS;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_side_data;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.ffmpeg.FfmpegNatives;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVFrameSideData;
import org.bytedeco.ffmpeg.avutil.AVMotionVector;

/**
 * The motion vectors of an H.264 stream as libavcodec decodes them ({@code AV_CODEC_FLAG2_EXPORT_MVS}):
 * for each decoded frame, each predicted block's vector in quarter luma samples.
 */
public final class MotionVectors {
    /** One block's vector: its size, where it lands (dst) and the vector, in quarter samples. */
    public record Vector(int w, int h, int dstX, int dstY, int quarterX, int quarterY) {}

    private MotionVectors() {}

    /** Decodes the access units in order; one list a decoded frame, empty for intra frames. */
    public static List<List<Vector>> of(List<EncodedFrame> accessUnits) {
        FfmpegNatives.require();
        AVCodecContext context = avcodec_alloc_context3(avcodec_find_decoder(AV_CODEC_ID_H264));
        context.thread_count(1);
        context.err_recognition(AV_EF_EXPLODE);
        context.flags2(context.flags2() | AV_CODEC_FLAG2_EXPORT_MVS);
        if (avcodec_open2(context, context.codec(), (org.bytedeco.ffmpeg.avutil.AVDictionary) null) < 0) {
            avcodec_free_context(context);
            throw new IllegalStateException("libavcodec's H.264 decoder failed to open");
        }
        AVPacket packet = av_packet_alloc();
        AVFrame frame = av_frame_alloc();
        List<List<Vector>> frames = new ArrayList<>();
        try {
            for (EncodedFrame au : accessUnits) {
                byte[] bytes = au.toAnnexB();
                if (av_new_packet(packet, bytes.length) < 0) {
                    throw new OutOfMemoryError("av_new_packet of " + bytes.length + " bytes failed");
                }
                packet.data().put(bytes, 0, bytes.length);
                int sent = avcodec_send_packet(context, packet);
                av_packet_unref(packet);
                if (sent < 0) {
                    throw new IllegalStateException("libavcodec rejected access unit " + au.sequence() + ": " + sent);
                }
                receive(context, frame, frames);
            }
            avcodec_send_packet(context, null);
            receive(context, frame, frames);
        } finally {
            av_frame_free(frame);
            av_packet_free(packet);
            avcodec_free_context(context);
        }
        return frames;
    }

    private static void receive(AVCodecContext context, AVFrame frame, List<List<Vector>> frames) {
        while (avcodec_receive_frame(context, frame) == 0) {
            List<Vector> vectors = new ArrayList<>();
            AVFrameSideData side = av_frame_get_side_data(frame, AV_FRAME_DATA_MOTION_VECTORS);
            if (side != null) {
                AVMotionVector mv = new AVMotionVector(side.data());
                long count = side.size() / mv.sizeof();
                for (long i = 0; i < count; i++) {
                    AVMotionVector v = mv.getPointer(i);
                    int scale = v.motion_scale();
                    vectors.add(new Vector(v.w() & 0xff, v.h() & 0xff, v.dst_x(), v.dst_y(),
                            v.motion_x() * 4 / scale, v.motion_y() * 4 / scale));
                }
            }
            frames.add(vectors);
            av_frame_unref(frame);
        }
    }
}

package io.vencflow.connectors.testing;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;

/**
 * What FFmpeg's libavformat (the demuxer ffprobe and ffplay use) makes of a file: its format, its video
 * stream (codec, size, frame count from the index), its duration, and how many pictures libavcodec
 * decodes from it and with how many errors.
 */
public record Mp4Probe(String format, int streams, boolean h264, int width, int height, long indexedFrames,
        double durationSeconds, double streamDurationSeconds, int decodedFrames, int decodeErrors) {

    public static Mp4Probe of(Path file) {
        AVFormatContext fmt = new AVFormatContext(null);
        int ret = avformat_open_input(fmt, file.toString(), (AVInputFormat) null, (AVDictionary) null);
        if (ret < 0) {
            throw new AssertionError("libavformat cannot open " + file + ": error " + ret);
        }
        try {
            if (avformat_find_stream_info(fmt, (AVDictionary) null) < 0) {
                throw new AssertionError("libavformat finds no stream info in " + file);
            }
            AVStream video = fmt.streams(0);
            var par = video.codecpar();
            double streamDuration = video.duration() * video.time_base().num() / (double) video.time_base().den();
            int decoded = 0;
            int errors = 0;
            AVCodecContext ctx = avcodec_alloc_context3(avcodec_find_decoder(par.codec_id()));
            avcodec_parameters_to_context(ctx, par);
            avcodec_open2(ctx, avcodec_find_decoder(par.codec_id()), (AVDictionary) null);
            AVPacket pkt = av_packet_alloc();
            AVFrame frame = av_frame_alloc();
            try {
                while (av_read_frame(fmt, pkt) >= 0) {
                    if (pkt.stream_index() == 0 && avcodec_send_packet(ctx, pkt) < 0) {
                        errors++;
                    }
                    av_packet_unref(pkt);
                    while (avcodec_receive_frame(ctx, frame) >= 0) {
                        decoded++;
                        errors += frame.decode_error_flags() != 0 ? 1 : 0;
                        av_frame_unref(frame);
                    }
                }
                avcodec_send_packet(ctx, (AVPacket) null);
                while (avcodec_receive_frame(ctx, frame) >= 0) {
                    decoded++;
                    av_frame_unref(frame);
                }
            } finally {
                av_frame_free(frame);
                av_packet_free(pkt);
                avcodec_free_context(ctx);
            }
            return new Mp4Probe(fmt.iformat().name().getString(), fmt.nb_streams(), par.codec_id() == AV_CODEC_ID_H264,
                    par.width(), par.height(), video.nb_frames(), fmt.duration() / (double) AV_TIME_BASE,
                    streamDuration, decoded, errors);
        } finally {
            avformat_close_input(fmt);
        }
    }
}

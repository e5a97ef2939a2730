package io.vencflow.connectors.testing;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_network_init;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import io.vencflow.core.bitstream.AnnexB;
import io.vencflow.core.bitstream.NalUnit;
import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.Pack;
import io.vencflow.core.codec.VideoDecoder;
import io.vencflow.core.codec.ffmpeg.FfmpegNatives;
import io.vencflow.core.frame.Frame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

/**
 * FFmpeg's own RTSP client (libavformat through the bytedeco presets) as the tests' player: opens an
 * {@code rtsp://} URL over TCP (interleaved) or UDP, reads access units, and decodes them with
 * libavcodec. Every blocking call is bounded by a deadline (an interrupt callback) besides FFmpeg's
 * socket timeout. Not thread-safe; one player per instance.
 */
public final class FfmpegRtspClient implements AutoCloseable {
    /** The lower transport asked for with {@code rtsp_transport}. */
    public enum Transport {
        TCP, UDP
    }

    /**
     * What a player got: frames decoded in display order, decode errors, access units read, whether the
     * first access unit held an IDR (and that access unit), and when each decoded frame came out
     * (System.nanoTime()).
     */
    public record Playback(List<Frame> frames, long errors, int accessUnits, boolean startedAtIdr,
            EncodedFrame firstAccessUnit, List<Long> frameNanos, Codec codec) {
        /** Frames per second between the first and last decoded frame. */
        public double fps() {
            if (frameNanos.size() < 2) {
                return 0;
            }
            return (frameNanos.size() - 1) * 1e9 / (frameNanos.get(frameNanos.size() - 1) - frameNanos.get(0));
        }
    }

    private static final Object INIT = new Object();
    private static boolean initialized;

    private final String url;
    private final Interrupt interrupt = new Interrupt();
    private AVFormatContext context;
    private AVPacket packet;
    private int streamIndex = -1;
    private Codec codec;
    private long sequence;

    private FfmpegRtspClient(String url) {
        this.url = url;
    }

    /** Loads libavformat and initializes its network layer once per JVM. */
    public static void init() {
        synchronized (INIT) {
            if (!initialized) {
                FfmpegNatives.require();
                Loader.load(avformat.class);
                avformat_network_init();
                initialized = true;
            }
        }
    }

    /**
     * Connects and plays (OPTIONS, DESCRIBE, SETUP, PLAY happen here). Throws {@link RtspClientException}
     * with FFmpeg's error text when it fails (e.g. 401, 404), or when {@code timeout} passes.
     */
    public static FfmpegRtspClient open(String url, Transport transport, Duration timeout) {
        init();
        FfmpegRtspClient c = new FfmpegRtspClient(url);
        try {
            c.connect(transport, timeout);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void connect(Transport transport, Duration timeout) {
        context = avformat_alloc_context();
        AVIOInterruptCB cb = new AVIOInterruptCB();
        cb.callback(interrupt);
        context.interrupt_callback(cb);
        interrupt.deadline(timeout);
        AVDictionary options = new AVDictionary(null);
        av_dict_set(options, "rtsp_transport", transport == Transport.TCP ? "tcp" : "udp", 0);
        av_dict_set(options, "timeout", Long.toString(timeout.toNanos() / 1000), 0);
        try {
            int ret = avformat_open_input(context, url, null, options);
            if (ret < 0) {
                context = null; // freed by avformat_open_input on failure
                throw new RtspClientException("FFmpeg could not open " + url + " over " + transport + ": " + errorText(ret), ret);
            }
        } finally {
            av_dict_free(options);
        }
        for (int i = 0; i < context.nb_streams(); i++) {
            AVCodecParameters par = context.streams(i).codecpar();
            if (par.codec_type() == AVMEDIA_TYPE_VIDEO) {
                streamIndex = i;
                codec = par.codec_id() == AV_CODEC_ID_H264 ? Codec.H264 : par.codec_id() == AV_CODEC_ID_HEVC ? Codec.H265 : null;
            }
        }
        if (codec == null) {
            throw new RtspClientException("FFmpeg found no H.264/H.265 video stream at " + url, 0);
        }
        packet = av_packet_alloc();
    }

    public Codec codec() {
        return codec;
    }

    /**
     * The next access unit (the demuxer's parser gathers RTP payloads into whole pictures), as an
     * EncodedFrame of 16x16 (sizes are not known here; decoders do not need them). Throws
     * {@link RtspClientException} at end of stream, on errors and after {@code timeout}.
     */
    public EncodedFrame next(Duration timeout) {
        interrupt.deadline(timeout);
        while (true) {
            int ret = av_read_frame(context, packet);
            if (ret < 0) {
                throw new RtspClientException("reading " + url + " failed after " + sequence + " access units: "
                        + errorText(ret), ret);
            }
            try {
                if (packet.stream_index() != streamIndex || packet.size() <= 0) {
                    continue;
                }
                byte[] data = new byte[packet.size()];
                packet.data().capacity(packet.size()).get(data);
                List<Pack> packs = new ArrayList<>();
                for (AnnexB.Range r : AnnexB.scan(data)) {
                    packs.add(Pack.of(codec, data, r.offset(), r.length()));
                }
                if (packs.isEmpty()) {
                    continue;
                }
                boolean key = (packet.flags() & AV_PKT_FLAG_KEY) != 0;
                return new EncodedFrame("rtsp", sequence++, packet.pts(), codec, 16, 16, key, 0, 0,
                        packs.size() > 64 ? packs.subList(0, 64) : packs);
            } finally {
                av_packet_unref(packet);
            }
        }
    }

    /**
     * Reads and decodes until {@code frames} pictures came out, or throws when {@code timeout} passes
     * first (saying how far it got).
     */
    public Playback play(int frames, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Frame> decoded = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        int accessUnits = 0;
        boolean startedAtIdr = false;
        EncodedFrame first = null;
        try (VideoDecoder decoder = VideoDecoder.open(codec, Backend.FFMPEG)) {
            while (decoded.size() < frames) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new RtspClientException("decoded " + decoded.size() + " of " + frames + " frames from " + url
                            + " within " + timeout.toMillis() + " ms (" + accessUnits + " access units, "
                            + decoder.errors() + " errors)", 0);
                }
                EncodedFrame au = next(Duration.ofNanos(left));
                if (accessUnits == 0) {
                    first = au;
                    startedAtIdr = au.packs().stream().anyMatch(p -> NalUnit.isIdr(codec, p.nalType()));
                }
                accessUnits++;
                for (Frame f : decoder.decode(au)) {
                    decoded.add(f);
                    times.add(System.nanoTime());
                }
            }
            return new Playback(decoded, decoder.errors(), accessUnits, startedAtIdr, first, times, codec);
        }
    }

    @Override
    public void close() {
        interrupt.deadline(Duration.ofSeconds(3)); // TEARDOWN may take a round trip
        if (packet != null) {
            av_packet_free(packet);
            packet = null;
        }
        if (context != null) {
            avformat_close_input(context);
            context = null;
        }
    }

    private static String errorText(int code) {
        byte[] buf = new byte[256];
        av_strerror(code, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8) + " (" + code + ")";
    }

    /** An FFmpeg failure, with its error code (0 when the client itself gave up). */
    public static final class RtspClientException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int code;

        RtspClientException(String message, int code) {
            super(message);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** FFmpeg polls this during blocking calls; non-zero aborts them. */
    private static final class Interrupt extends AVIOInterruptCB.Callback_Pointer {
        private volatile long deadlineNanos = Long.MAX_VALUE;

        void deadline(Duration timeout) {
            deadlineNanos = System.nanoTime() + timeout.toNanos();
        }

        @Override
        public int call(Pointer opaque) {
            return System.nanoTime() - deadlineNanos > 0 ? 1 : 0;
        }
    }
}

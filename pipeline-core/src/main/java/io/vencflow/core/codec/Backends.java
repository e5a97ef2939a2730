package io.vencflow.core.codec;

import io.vencflow.core.codec.ffmpeg.FfmpegDecoder;
import io.vencflow.core.codec.ffmpeg.FfmpegNatives;
import io.vencflow.core.codec.jcodec.JcodecDecoder;
import io.vencflow.core.codec.jcodec.JcodecEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens encoders and decoders on the backend a config names; {@code auto} prefers the native one. */
final class Backends {
    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);
    private static volatile boolean fallbackLogged;

    private Backends() {
    }

    static VideoEncoder openEncoder(EncoderConfig config) {
        return switch (config.backend()) {
            case JCODEC, AUTO -> new JcodecEncoder(config);
            case FFMPEG -> throw new IllegalArgumentException("the ffmpeg encoder backend is not available in this build");
        };
    }

    static VideoDecoder openDecoder(Codec codec, Backend backend) {
        return switch (backend) {
            case FFMPEG -> new FfmpegDecoder(codec);
            case JCODEC -> new JcodecDecoder(codec);
            case AUTO -> {
                if (FfmpegNatives.available()) {
                    yield new FfmpegDecoder(codec);
                }
                logFallback();
                yield new JcodecDecoder(codec);
            }
        };
    }

    private static void logFallback() {
        if (!fallbackLogged) {
            fallbackLogged = true;
            LOG.warn("backend auto: FFmpeg natives did not load ({}); using the pure-Java jcodec backend",
                    FfmpegNatives.failure());
        }
    }
}

package io.vencflow.core.codec;

import io.vencflow.core.codec.ffmpeg.FfmpegDecoder;
import io.vencflow.core.codec.ffmpeg.FfmpegEncoder;
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
            case JCODEC -> new JcodecEncoder(config);
            case JAVA -> new io.vencflow.core.codec.avc.AvcEncoder(config);
            case FFMPEG -> new FfmpegEncoder(config);
            case AUTO -> {
                if (FfmpegEncoder.supports(config.codec())) {
                    yield new FfmpegEncoder(config);
                }
                logFallback(FfmpegNatives.available() ? "this FFmpeg build has no encoder for " + config.codec()
                        : "FFmpeg natives did not load: " + FfmpegNatives.failure());
                yield new io.vencflow.core.codec.avc.AvcEncoder(config);
            }
        };
    }

    static VideoDecoder openDecoder(Codec codec, Backend backend) {
        return switch (backend) {
            case FFMPEG -> new FfmpegDecoder(codec);
            case JCODEC, JAVA -> new JcodecDecoder(codec);
            case AUTO -> {
                if (FfmpegNatives.available()) {
                    yield new FfmpegDecoder(codec);
                }
                logFallback("FFmpeg natives did not load: " + FfmpegNatives.failure());
                yield new JcodecDecoder(codec);
            }
        };
    }

    private static void logFallback(String why) {
        if (!fallbackLogged) {
            fallbackLogged = true;
            LOG.warn("backend auto: {}; using the pure-Java backends (java to encode H.264, jcodec to decode)", why);
        }
    }
}

package io.vencflow.core.codec.ffmpeg;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacpp.Loader;

/**
 * Loads FFmpeg's native libraries (from the bytedeco jars) once per JVM and remembers why they did
 * not load, so {@code auto} can fall back and say why.
 */
public final class FfmpegNatives {
    /** AVERROR(EAGAIN) on Linux: the codec wants more input or output to be drained first. */
    static final int AVERROR_EAGAIN = -11;

    private static volatile Boolean loaded;
    private static volatile String failure;

    private FfmpegNatives() {
    }

    /** Whether the natives load on this machine. */
    public static boolean available() {
        if (loaded == null) {
            load();
        }
        return loaded;
    }

    /** Why the natives did not load, or null when they did. */
    public static String failure() {
        available();
        return failure;
    }

    /** Loads the natives or throws {@link IllegalStateException} saying why they cannot be. */
    public static void require() {
        if (!available()) {
            throw new IllegalStateException("FFmpeg natives did not load: " + failure);
        }
    }

    private static synchronized void load() {
        if (loaded != null) {
            return;
        }
        if (Boolean.getBoolean("vencflow.ffmpeg.disable")) {
            failure = "disabled by -Dvencflow.ffmpeg.disable=true";
            loaded = false;
            return;
        }
        try {
            Loader.load(avutil.class);
            Loader.load(avcodec.class);
            Loader.load(swscale.class);
            // x264/x265 report at INFO on every close; keep FFmpeg's own log to errors.
            av_log_set_level(Integer.getInteger("vencflow.ffmpeg.loglevel", AV_LOG_ERROR));
            loaded = true;
        } catch (Throwable t) {
            failure = t.getClass().getSimpleName() + ": " + t.getMessage();
            loaded = false;
        }
    }

    /** FFmpeg's text for an error code. */
    static String errorText(int code) {
        byte[] buf = new byte[256];
        av_strerror(code, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8) + " (" + code + ")";
    }
}

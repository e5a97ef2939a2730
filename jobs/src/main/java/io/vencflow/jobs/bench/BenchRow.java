package io.vencflow.jobs.bench;

import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.quality.PlaneStats;
import java.util.List;

/** One line of the bench table: speed, size and quality of one encoder on the timed frames. */
final class BenchRow {
    private final String name;
    private final String settings;
    private final int frames;
    private final double fps;
    private final double cpuFps;
    private final long bytes;
    private final PlaneStats quality;
    private final long decodeErrors;
    private String ratio = "";

    private BenchRow(String name, String settings, int frames, double fps, double cpuFps, long bytes,
            PlaneStats quality, long decodeErrors) {
        this.name = name;
        this.settings = settings;
        this.frames = frames;
        this.fps = fps;
        this.cpuFps = cpuFps;
        this.bytes = bytes;
        this.quality = quality;
        this.decodeErrors = decodeErrors;
    }

    /** Decodes the output with libavcodec and compares it with the source frames. */
    static BenchRow measure(String name, String settings, List<EncodedFrame> encoded, List<Frame> source,
            Elapsed elapsed) {
        DecodedStream stream = DecodedStream.of(encoded, source);
        return new BenchRow(name, settings, encoded.size(), encoded.size() / (elapsed.wallNanos() / 1e9),
                encoded.size() / (elapsed.cpuNanos() / 1e9), stream.bytes(), stream.quality(), stream.decodeErrors());
    }

    double fps() {
        return fps;
    }

    /**
     * Marks this row as the bare loop of {@code wrapped} and shows the wrapped row's speed over the bare
     * one's: frames per CPU-second of the encoding thread when the encoders run on it alone
     * ({@code byCpu}), else wall-clock fps.
     */
    void compareTo(BenchRow wrapped, boolean byCpu) {
        wrapped.ratio = byCpu ? String.format("%.3f cpu", wrapped.cpuFps / cpuFps)
                : String.format("%.2f", wrapped.fps / fps);
        this.ratio = "(bare)";
    }

    static String header() {
        return String.format("%-30s %8s %8s %10s %7s %7s %7s %6s %10s  %s", "encoder", "fps", "cpu fps", "bytes", "Y dB",
                "U dB", "V dB", "errors", "vs bare", "settings");
    }

    String format() {
        return String.format("%-30s %8.1f %8.1f %10d %7.2f %7.2f %7.2f %6d %10s  %s", name, fps, cpuFps, bytes,
                quality.psnr(0), quality.psnr(1), quality.psnr(2), decodeErrors, ratio, settings);
    }
}

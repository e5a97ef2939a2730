package io.vencflow.jobs.bench;

import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.VideoDecoder;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.quality.PlaneStats;
import java.util.ArrayList;
import java.util.List;

/** One line of the bench table: speed, size and quality of one encoder on the timed frames. */
final class BenchRow {
    private final String name;
    private final String settings;
    private final int frames;
    private final double fps;
    private final long bytes;
    private final PlaneStats quality;
    private final long decodeErrors;
    private String ratio = "";

    private BenchRow(String name, String settings, int frames, double fps, long bytes, PlaneStats quality,
            long decodeErrors) {
        this.name = name;
        this.settings = settings;
        this.frames = frames;
        this.fps = fps;
        this.bytes = bytes;
        this.quality = quality;
        this.decodeErrors = decodeErrors;
    }

    /** Decodes the output with libavcodec and compares it with the source frames. */
    static BenchRow measure(String name, String settings, List<EncodedFrame> encoded, List<Frame> source, long nanos) {
        long bytes = 0;
        List<Frame> decoded = new ArrayList<>();
        long errors;
        try (VideoDecoder decoder = VideoDecoder.open(encoded.get(0).codec())) {
            for (EncodedFrame e : encoded) {
                bytes += e.annexBSize();
                decoded.addAll(decoder.decode(e));
            }
            decoded.addAll(decoder.flush());
            errors = decoder.errors();
        }
        PlaneStats stats = new PlaneStats();
        for (int i = 0; i < Math.min(decoded.size(), source.size()); i++) {
            stats.add(source.get(i), decoded.get(i));
        }
        if (decoded.size() != source.size()) {
            errors += Math.abs(source.size() - decoded.size());
        }
        return new BenchRow(name, settings, encoded.size(), encoded.size() / (nanos / 1e9), bytes, stats, errors);
    }

    double fps() {
        return fps;
    }

    /** Marks this row as the bare loop of {@code wrapped} and shows wrapped fps / bare fps on the wrapped row. */
    void compareTo(BenchRow wrapped) {
        wrapped.ratio = String.format("%.2f", wrapped.fps / fps);
        this.ratio = "(bare)";
    }

    static String header() {
        return String.format("%-34s %9s %11s %8s %8s %8s %7s %8s  %s", "encoder", "fps", "bytes", "Y dB", "U dB", "V dB",
                "errors", "vs bare", "settings");
    }

    String format() {
        return String.format("%-34s %9.1f %11d %8.2f %8.2f %8.2f %7d %8s  %s", name, fps, bytes, quality.psnr(0),
                quality.psnr(1), quality.psnr(2), decodeErrors, ratio, settings);
    }
}

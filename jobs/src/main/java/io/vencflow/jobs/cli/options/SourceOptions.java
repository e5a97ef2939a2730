package io.vencflow.jobs.cli.options;

import io.vencflow.core.frame.PixelFormat;
import io.vencflow.jobs.cli.Converters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Where frames come from: generated cameras, clip files, or a Kafka frame topic. */
public final class SourceOptions {
    /** The kinds of frame source. */
    public enum Kind { SENSOR, FILE, KAFKA }

    @Option(names = "--source", defaultValue = "sensor",
            description = "sensor (generated cameras), file (--input clips) or kafka (--input-topic) (default: ${DEFAULT-VALUE})")
    public String source;

    @Option(names = {"-i", "--input"}, description = "a raw planar or .y4m clip to replay (repeat for several)")
    public List<Path> inputs = new ArrayList<>();

    @Option(names = "--channels", defaultValue = "4",
            description = "cameras of the sensor, or channels each clip is replayed as (default: ${DEFAULT-VALUE})")
    public int channels;

    @Option(names = "--size", converter = Converters.SizeConverter.class, defaultValue = "640x360",
            description = "camera size, or the size of raw clips (default: ${DEFAULT-VALUE})")
    public Converters.Size size;

    @Option(names = "--pix-fmt", converter = Converters.PixelFormatConverter.class, defaultValue = "i420",
            description = "camera pixel format, or that of raw clips: i420, nv12, nv21, rgb565, rgb888, bgr888, gray8 "
                    + "(default: ${DEFAULT-VALUE})")
    public PixelFormat pixelFormat;

    @Option(names = "--fps", description = "frame rate (default: 30, or a Y4M clip's own)")
    public Integer fps;

    @Option(names = "--frames", description = "stop each channel after N frames (default: endless)")
    public Long frames;

    @Option(names = "--seconds", description = "stop each channel after S seconds of capture time (default: endless)")
    public Double seconds;

    @Option(names = "--unpaced", description = "as fast as possible instead of real time")
    public boolean unpaced;

    @Option(names = "--loop", description = "replay clips from the start when they end (with --source file)")
    public boolean loop;

    /** The source kind, or a clear error naming the value. */
    public Kind kind() {
        return switch (source.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "sensor" -> Kind.SENSOR;
            case "file" -> Kind.FILE;
            case "kafka" -> Kind.KAFKA;
            default -> throw new IllegalArgumentException("--source '" + source + "' is not sensor, file or kafka");
        };
    }

    /** Checks the combination of flags, naming what is missing or out of range. */
    public void check() {
        Kind k = kind();
        if (channels < 1 || channels > 256) {
            throw new IllegalArgumentException("--channels " + channels + " is out of range; expected 1..256");
        }
        if (fps != null && (fps < 1 || fps > 240)) {
            throw new IllegalArgumentException("--fps " + fps + " is out of range; expected 1..240");
        }
        if (frames != null && frames < 1) {
            throw new IllegalArgumentException("--frames " + frames + " is out of range; expected 1 or more");
        }
        if (seconds != null && !(seconds > 0)) {
            throw new IllegalArgumentException("--seconds " + seconds + " is out of range; expected more than 0");
        }
        if (frames != null && seconds != null) {
            throw new IllegalArgumentException("--frames and --seconds both bound the run; give one of them");
        }
        if (k == Kind.FILE && inputs.isEmpty()) {
            throw new IllegalArgumentException("--source file needs --input FILE (a raw planar or .y4m clip)");
        }
        if (k != Kind.FILE && !inputs.isEmpty()) {
            throw new IllegalArgumentException("--input is for --source file; the source is " + source);
        }
    }

    /** The frame rate of a sensor or raw clip. */
    public int fpsOrDefault() {
        return fps != null ? fps : 30;
    }
}

package io.vencflow.jobs.cli;

import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.VideoEncoder;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.io.FrameReader;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import io.vencflow.jobs.cli.options.EncoderOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vencflow encode}: a raw or Y4M clip in, an Annex-B elementary stream out. */
@Command(name = "encode", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Encode a raw planar or Y4M clip into an H.264/H.265 Annex-B elementary stream.",
            "Raw input needs --size and --pix-fmt; Y4M gives size and rate in its header."})
public final class EncodeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--source", defaultValue = "file",
            description = "file (a raw or Y4M clip, --input) or sensor (a generated moving scene) (default: ${DEFAULT-VALUE})")
    String source;

    @Option(names = {"-i", "--input"}, description = "input clip for --source file: raw planar frames or .y4m")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, description = "output Annex-B file (.264 / .265)")
    Path output;

    @Option(names = "--size", converter = Converters.SizeConverter.class,
            description = "WIDTHxHEIGHT of raw input or of the sensor (default 1280x720), e.g. 1280x720")
    Converters.Size size;

    @Option(names = "--pix-fmt", converter = Converters.PixelFormatConverter.class, defaultValue = "i420",
            description = "raw input pixel format: i420, nv12, nv21, rgb565, rgb888, bgr888, gray8 (default: ${DEFAULT-VALUE})")
    PixelFormat pixFmt;

    @Option(names = "--fps", description = "frame rate (default: the Y4M header's, else 30)")
    Integer fps;

    @Option(names = "--frames", description = "encode at most N frames (default: all of a file, 300 from the sensor)")
    Long maxFrames;

    @Mixin
    EncoderOptions encoder;

    private FrameReader openSource(int rate) throws java.io.IOException {
        switch (source.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "file":
                if (input == null) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                            "--source file needs --input FILE (a raw planar or .y4m clip)");
                }
                int[] rawSize = size == null ? null : new int[] {size.width(), size.height()};
                return FrameReader.open(input, "input", rawSize, pixFmt, rate, 0);
            case "sensor":
                Converters.Size s = size != null ? size : new Converters.Size(1280, 720);
                long frames = maxFrames != null ? maxFrames : 300;
                return FrameReader.synthetic("sensor", s.width(), s.height(), pixFmt, rate == 0 ? 30 : rate, frames, 0);
            default:
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--source '" + source + "' is not file or sensor");
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        int rate = fps != null ? fps : 0;
        try (FrameReader reader = openSource(rate)) {
            EncoderConfig config = encoder.toConfig(reader.width(), reader.height(), reader.fps(), reader.format());
            if (encoder.threads == 0) {
                config = config.toBuilder().threads(Runtime.getRuntime().availableProcessors()).build();
            }
            long frames = 0;
            long keyframes = 0;
            long bytes = 0;
            long encodeNanos = 0;
            String backendName;
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (VideoEncoder videoEncoder = VideoEncoder.open(config);
                    OutputStream os = new BufferedOutputStream(Files.newOutputStream(output), 1 << 20)) {
                backendName = videoEncoder.backend().id();
                long limit = maxFrames != null ? maxFrames : Long.MAX_VALUE;
                for (Frame f = reader.next(); f != null && frames < limit; f = reader.next()) {
                    long t0 = System.nanoTime();
                    EncodedFrame e = videoEncoder.encode(f);
                    encodeNanos += System.nanoTime() - t0;
                    os.write(e.toAnnexB());
                    frames++;
                    keyframes += e.keyframe() ? 1 : 0;
                    bytes += e.annexBSize();
                }
            }
            if (frames == 0) {
                throw new IllegalArgumentException((input != null ? input : source) + " holds no frames");
            }
            double seconds = frames / (double) config.fps();
            out.printf("%s: %d frames, %d keyframes, %d bytes, %.1f kbit/s at %d fps, encoded at %.1f fps "
                    + "(%s %s %s %dx%d)%n", output, frames, keyframes, bytes, bytes * 8 / seconds / 1000, config.fps(),
                    frames / (encodeNanos / 1e9), config.codec().id(), config.profile().id(), backendName,
                    config.width(), config.height());
            out.flush();
            return 0;
        }
    }
}

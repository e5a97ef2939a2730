package io.vencflow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.core.codec.Codec;
import io.vencflow.core.testing.Decoded;
import io.vencflow.core.testing.TestData;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EncodeCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Vencflow.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void aRawClipEncodesToAStreamThatDecodesFrameForFrameAndTheSummaryCountsIt() {
        TestData.RawClip clip = TestData.RAW_CLIPS.get(3);
        Path output = dir.resolve("foreman.264");
        int code = run("encode", "--input", clip.path().toString(), "--size", "176x144", "--output", output.toString(),
                "--backend", "jcodec", "--gop", "5");
        assertEquals(0, code, err.toString());
        Decoded decoded = Decoded.ofAnnexB(Codec.H264, TestData.readAll(output));
        assertEquals(0, decoded.errors());
        assertEquals(10, decoded.frames().size());
        String summary = out.toString();
        assertTrue(summary.contains(": 10 frames, 2 keyframes, " + size(output) + " bytes"), summary);
    }

    @Test
    void aY4mClipTakesSizeAndRateFromItsHeader() throws IOException {
        TestData.RawClip clip = TestData.RAW_CLIPS.get(3);
        Path y4m = dir.resolve("foreman.y4m");
        byte[] raw = Files.readAllBytes(clip.path());
        int frameSize = 176 * 144 * 3 / 2;
        try (OutputStream os = Files.newOutputStream(y4m)) {
            os.write("YUV4MPEG2 W176 H144 F15:1 Ip A1:1 C420jpeg\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 4; i++) {
                os.write("FRAME\n".getBytes(StandardCharsets.US_ASCII));
                os.write(raw, i * frameSize, frameSize);
            }
        }
        Path output = dir.resolve("y4m.264");
        assertEquals(0, run("encode", "-i", y4m.toString(), "-o", output.toString(), "--backend", "jcodec"), err.toString());
        assertTrue(out.toString().contains("4 frames") && out.toString().contains("at 15 fps"), out.toString());
        assertEquals(4, Decoded.ofAnnexB(Codec.H264, TestData.readAll(output)).frames().size());

        // The same file cut inside its last frame.
        Path cut = dir.resolve("cut.y4m");
        byte[] whole = Files.readAllBytes(y4m);
        Files.write(cut, Arrays.copyOf(whole, whole.length - 1000));
        assertEquals(1, run("encode", "-i", cut.toString(), "-o", dir.resolve("cut.264").toString(), "--backend", "jcodec"));
        assertTrue(err.toString().contains("frame 3 is truncated at 37016 of 38016 bytes"), err.toString());
    }

    @Test
    void aRawFileWithATruncatedLastFrameIsRefusedBeforeEncoding() throws IOException {
        TestData.RawClip clip = TestData.RAW_CLIPS.get(3);
        Path cut = dir.resolve("cut.yuv");
        byte[] raw = Files.readAllBytes(clip.path());
        Files.write(cut, Arrays.copyOf(raw, raw.length - 100));
        Path output = dir.resolve("never.264");
        assertEquals(1, run("encode", "-i", cut.toString(), "--size", "176x144", "-o", output.toString()));
        assertTrue(err.toString().contains("has 380060 bytes, not a whole number of 176x144 i420 frames of 38016 bytes: "
                + "9 frames and 37916 bytes left over"), err.toString());
        assertFalse(Files.exists(output), "nothing written for a refused input");
    }

    @Test
    void aSizeThatDoesNotDivideTheFileIsNamed() {
        TestData.RawClip clip = TestData.RAW_CLIPS.get(0);
        assertEquals(1, run("encode", "-i", clip.path().toString(), "--size", "640x480", "-o", dir.resolve("x.264").toString()));
        assertTrue(err.toString().contains("has 3456000 bytes, not a whole number of 640x480 i420 frames of 460800 bytes"),
                err.toString());
    }

    @Test
    void anOddWidthIsRefusedWithTheValue() {
        TestData.RawClip clip = TestData.RAW_CLIPS.get(0);
        assertEquals(1, run("encode", "-i", clip.path().toString(), "--size", "321x240", "-o", dir.resolve("x.264").toString()));
        assertTrue(err.toString().contains("width 321 is odd"), err.toString());
    }

    @Test
    void anUnknownPixelFormatIsAUsageErrorNamingTheAcceptedOnes() {
        TestData.RawClip clip = TestData.RAW_CLIPS.get(0);
        assertEquals(2, run("encode", "-i", clip.path().toString(), "--size", "320x240", "--pix-fmt", "yuyv", "-o",
                dir.resolve("x.264").toString()));
        assertTrue(err.toString().contains("unknown pixel format 'yuyv'; expected one of i420, nv12, nv21, rgb565, "
                + "rgb888, bgr888, gray8"), err.toString());
    }

    @Test
    void badSizesBitratesAndMissingFilesAreNamed() {
        assertEquals(2, run("encode", "-i", "x.yuv", "--size", "big", "-o", "y.264"));
        assertTrue(err.toString().contains("'big' is not a size; expected WIDTHxHEIGHT"), err.toString());
        assertEquals(2, run("encode", "-i", "x.yuv", "--size", "64x64", "--bitrate", "fast", "-o", "y.264"));
        assertTrue(err.toString().contains("'fast' is not a bitrate"), err.toString());
        assertEquals(1, run("encode", "-i", dir.resolve("missing.yuv").toString(), "--size", "64x64", "-o", "y.264"));
        assertTrue(err.toString().contains("missing.yuv"), err.toString());
        assertEquals(2, run("encode", "-o", "y.264"));
        assertTrue(err.toString().contains("--source file needs --input FILE"), err.toString());
    }

    @Test
    void theSensorSourceEncodesAGeneratedClipWithoutAnyFile() {
        Path output = dir.resolve("sensor.264");
        assertEquals(0, run("encode", "--source", "sensor", "--size", "320x240", "--frames", "12", "--gop", "6", "-o",
                output.toString(), "--backend", "jcodec"), err.toString());
        Decoded decoded = Decoded.ofAnnexB(Codec.H264, TestData.readAll(output));
        assertEquals(0, decoded.errors());
        assertEquals(12, decoded.frames().size());
        assertTrue(out.toString().contains("12 frames, 2 keyframes"), out.toString());
    }

    /**
     * {@code --filler}: the java backend's strict CBR pads a cheap clip to the rate with filler data
     * (NAL type 12); without it the same clip costs far less. Both decode frame for frame.
     */
    @Test
    void fillerPadsAJavaCbrStreamToItsRate() {
        long[] bytes = new long[2];
        for (int i = 0; i < 2; i++) {
            Path output = dir.resolve("cbr" + i + ".264");
            String[] args = {"encode", "--source", "sensor", "--size", "160x128", "--frames", "60", "--fps", "30",
                "--backend", "java", "--rc", "cbr", "--bitrate", "2M", "--qp-min", "30", "-o", output.toString()};
            if (i == 1) {
                args = Arrays.copyOf(args, args.length + 1);
                args[args.length - 1] = "--filler";
            }
            assertEquals(0, run(args), err.toString());
            byte[] stream = TestData.readAll(output);
            bytes[i] = stream.length;
            long fillerUnits = io.vencflow.core.bitstream.AnnexB.split(stream).stream()
                    .filter(nal -> (nal[0] & 0x1f) == 12).count();
            assertEquals(i == 1, fillerUnits > 0, fillerUnits + " filler NAL units, --filler " + (i == 1));
            Decoded decoded = Decoded.ofAnnexB(Codec.H264, stream);
            assertEquals(0, decoded.errors());
            assertEquals(60, decoded.frames().size());
        }
        System.out.printf("java CBR 2 Mbit/s, 60 frames 160x128: %d bytes, with --filler %d%n", bytes[0], bytes[1]);
        // Two seconds at 2 Mbit/s: 500 KB padded (less what the first removal leaves in the buffer); a
        // 160x128 scene at QP 30 or coarser costs a small part of it.
        assertTrue(bytes[1] > 400_000 && bytes[0] < bytes[1] / 4, "without --filler " + bytes[0] + " bytes, with "
                + bytes[1]);
    }

    /**
     * {@code --aq}: adaptive quantization reaches the java encoder (the stream changes and still
     * decodes frame for frame); a strength out of range is refused by value.
     */
    @Test
    void aqReachesTheJavaEncoderAndAStrengthOutOfRangeIsNamed() {
        long[] bytes = new long[2];
        String[] strengths = {"0", "1.5"};
        for (int i = 0; i < 2; i++) {
            Path output = dir.resolve("aq" + i + ".264");
            assertEquals(0, run("encode", "--source", "sensor", "--size", "160x128", "--frames", "30", "--fps", "30",
                    "--backend", "java", "--rc", "cqp", "--qp", "30", "--aq", strengths[i], "-o", output.toString()),
                    err.toString());
            byte[] stream = TestData.readAll(output);
            bytes[i] = stream.length;
            Decoded decoded = Decoded.ofAnnexB(Codec.H264, stream);
            assertEquals(0, decoded.errors());
            assertEquals(30, decoded.frames().size());
        }
        System.out.printf("java CQP 30, 30 frames 160x128: %d bytes, with --aq 1.5 %d%n", bytes[0], bytes[1]);
        assertTrue(bytes[0] != bytes[1], "--aq 1.5 changed nothing: " + bytes[0] + " bytes");
        assertTrue(run("encode", "--source", "sensor", "--size", "160x128", "--frames", "3", "--backend", "java",
                "--aq", "4", "-o", dir.resolve("bad.264").toString()) != 0);
        assertTrue(err.toString().contains("aq strength 4.0 is out of range; expected 0 (off)..3.0"), err.toString());
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

}

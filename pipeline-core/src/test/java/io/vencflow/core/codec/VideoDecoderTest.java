package io.vencflow.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.frame.SyntheticScene;
import io.vencflow.core.quality.PlaneStats;
import io.vencflow.core.testing.Decoded;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VideoDecoderTest {

    private static List<EncodedFrame> encode(Codec codec, Backend backend, int frames) {
        SyntheticScene scene = new SyntheticScene("dec", 320, 240, PixelFormat.I420);
        EncoderConfig config = EncoderConfig.builder().codec(codec).size(320, 240).gop(10).backend(backend).build();
        List<EncodedFrame> out = new ArrayList<>();
        try (VideoEncoder encoder = VideoEncoder.open(config)) {
            for (int i = 0; i < frames; i++) {
                out.add(encoder.encode(scene.render(i, 1_000_000L + i * 33_333L)));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Codec.class)
    void libavcodecGivesOneI420FramePerAccessUnitCarryingItsChannelSequenceAndTime(Codec codec) {
        List<EncodedFrame> stream = encode(codec, Backend.FFMPEG, 25);
        Decoded decoded = Decoded.of(stream);
        assertEquals(0, decoded.errors());
        assertEquals(25, decoded.frames().size());
        for (int i = 0; i < 25; i++) {
            Frame f = decoded.frames().get(i);
            assertEquals("dec", f.channel());
            assertEquals(i, f.sequence());
            assertEquals(1_000_000L + i * 33_333L, f.ptsMicros());
            assertEquals(PixelFormat.I420, f.format());
            assertEquals(320, f.width());
        }
    }

    @Test
    void jcodecsDecoderAgreesWithLibavcodecOnBaselineStreams() {
        for (Backend encoderBackend : new Backend[] {Backend.FFMPEG, Backend.JCODEC}) {
            List<EncodedFrame> stream = encode(Codec.H264, encoderBackend, 20);
            Decoded reference = Decoded.of(stream, Backend.FFMPEG);
            Decoded pureJava = Decoded.of(stream, Backend.JCODEC);
            assertEquals(0, pureJava.errors(), encoderBackend + " stream");
            assertEquals(20, pureJava.frames().size());
            PlaneStats stats = new PlaneStats();
            for (int i = 0; i < 20; i++) {
                stats.add(reference.frames().get(i), pureJava.frames().get(i));
            }
            assertTrue(stats.psnr(0) >= 45, encoderBackend + " stream: " + stats);
        }
    }

    @Test
    void jcodecsDecoderRefusesH265NamingTheAlternative() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VideoDecoder.open(Codec.H265, Backend.JCODEC));
        assertEquals("the jcodec decoder decodes H.264 only; H265 needs the ffmpeg backend", e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Codec.class)
    void aCorruptAccessUnitIsCountedAndDecodingResumesAtTheNextIdr(Codec codec) {
        List<EncodedFrame> stream = encode(codec, Backend.FFMPEG, 25);
        EncodedFrame victim = stream.get(5);
        byte[] garbage = new byte[200];
        new java.util.Random(1).nextBytes(garbage);
        garbage[0] = codec == Codec.H264 ? (byte) 0x41 : (byte) 0x02; // a non-IDR slice header byte
        if (codec == Codec.H265) {
            garbage[1] = 0x01;
        }
        EncodedFrame corrupt = new EncodedFrame(victim.channel(), victim.sequence(), victim.ptsMicros(), codec,
                victim.width(), victim.height(), false, victim.gopIndex(), victim.gopPosition(),
                List.of(Pack.of(codec, garbage)));
        List<EncodedFrame> damaged = new ArrayList<>(stream);
        damaged.set(5, corrupt);
        List<Frame> frames = new ArrayList<>();
        long errors;
        try (VideoDecoder decoder = VideoDecoder.open(codec, Backend.FFMPEG)) {
            for (EncodedFrame au : damaged) {
                frames.addAll(decoder.decode(au));
            }
            frames.addAll(decoder.flush());
            errors = decoder.errors();
        }
        assertTrue(errors >= 1, "the corrupt unit is counted");
        // Everything from the next IDR (frame 10) on decodes.
        assertTrue(frames.stream().anyMatch(f -> f.sequence() == 10), "frame 10 (IDR) decoded");
        assertEquals(15, frames.stream().filter(f -> f.sequence() >= 10).count());
    }

    @Test
    void useAfterCloseThrows() {
        VideoDecoder decoder = VideoDecoder.open(Codec.H264, Backend.FFMPEG);
        decoder.close();
        decoder.close();
        assertThrows(IllegalStateException.class, decoder::flush);
        EncodedFrame first = encode(Codec.H264, Backend.FFMPEG, 1).get(0);
        assertThrows(IllegalStateException.class, () -> decoder.decode(first));
    }
}

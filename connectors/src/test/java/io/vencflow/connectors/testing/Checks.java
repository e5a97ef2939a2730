package io.vencflow.connectors.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.frame.SyntheticScene;
import io.vencflow.core.quality.PlaneStats;
import io.vencflow.core.testing.Decoded;
import io.vencflow.core.wire.MalformedRecordException;
import io.vencflow.core.wire.NalRecords;
import io.vencflow.core.wire.WireRecord;
import io.vencflow.connectors.archive.ArchiveSegments.Segment;
import io.vencflow.core.bitstream.NalUnit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Checks on what a job wrote. */
public final class Checks {
    private Checks() {
    }

    /** NAL records decoded per channel (key), in offset order; every record must be valid wire format. */
    public static Map<String, List<EncodedFrame>> nalByChannel(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, List<EncodedFrame>> out = new TreeMap<>();
        Map<String, Integer> partitionOf = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            Map<String, byte[]> headers = new LinkedHashMap<>();
            for (Header h : r.headers()) {
                headers.put(h.key(), h.value());
            }
            EncodedFrame au;
            try {
                au = NalRecords.decode(new WireRecord(r.key(), r.value(), headers));
            } catch (MalformedRecordException e) {
                throw new AssertionError("record " + r.topic() + "-" + r.partition() + "@" + r.offset() + ": " + e.getMessage());
            }
            Integer p = partitionOf.putIfAbsent(au.channel(), r.partition());
            assertTrue(p == null || p == r.partition(), au.channel() + " is in partitions " + p + " and " + r.partition());
            out.computeIfAbsent(au.channel(), k -> new ArrayList<>()).add(au);
        }
        return out;
    }

    /** Sequences 0..frames-1, each once, in order. */
    public static void assertEveryFrameOnce(String channel, List<Long> sequences, long frames) {
        assertEquals(LongStream.range(0, frames).boxed().toList(), sequences, channel + ": every frame once, in order");
    }

    /** The Annex-B values appended, as a consumer writing a .264/.265 file would. */
    public static byte[] appended(List<EncodedFrame> stream) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (EncodedFrame au : stream) {
            out.writeBytes(au.toAnnexB());
        }
        return out.toByteArray();
    }

    /**
     * The luma PSNR of decoded pictures against the camera's own scene at the same sequences (through the
     * camera's pixel format, as the encoder saw it): proves each channel holds its own pictures in order.
     */
    public static double lumaPsnrAgainstScene(String channel, List<Frame> decoded, PixelFormat format, int noise) {
        Frame first = decoded.get(0);
        SyntheticScene scene = new SyntheticScene(channel, first.width(), first.height(), format, noise);
        PlaneStats stats = new PlaneStats();
        for (Frame d : decoded) {
            stats.add(scene.render(d.sequence(), 0), d);
        }
        return stats.psnr(0);
    }

    /** Decodes an elementary stream with libavcodec; requires no errors and {@code frames} pictures. */
    public static Decoded assertDecodesCompletely(String what, Codec codec, byte[] stream, int frames) {
        Decoded d = Decoded.ofAnnexB(codec, stream);
        assertEquals(0, d.errors(), what + ": decode errors");
        assertEquals(frames, d.frames().size(), what + ": pictures decoded");
        return d;
    }

    /**
     * Committed archive segments of one channel: each starts with an IDR carrying its parameter sets and
     * decodes on its own without errors; together, in name order, they hold pictures 0..frames-1 once each
     * (checked against the camera's own scene), and they decode as one stream.
     */
    public static void assertSegmentsHoldEveryFrameOnce(String channel, Codec codec, PixelFormat format,
            List<Segment> segments, int frames) throws IOException {
        assertTrue(!segments.isEmpty(), channel + ": no segments");
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        long expectedStart = 0;
        for (Segment s : segments) {
            byte[] bytes = Files.readAllBytes(s.path());
            List<EncodedFrame> aus = Decoded.accessUnits(codec, bytes, channel);
            assertTrue(aus.get(0).keyframe(), s + " starts with an IDR");
            List<Integer> firstTypes = aus.get(0).packs().stream().map(p -> p.nalType()).toList();
            assertTrue(firstTypes.stream().anyMatch(t -> NalUnit.isParameterSet(codec, t)),
                    s + " carries its parameter sets: " + firstTypes);
            Decoded d = Decoded.of(aus);
            assertEquals(0, d.errors(), s + " decodes on its own");
            assertEquals(aus.size(), d.frames().size(), s + ": one picture per access unit");
            assertEquals(expectedStart, s.startSequence(), channel + ": segments follow each other without gap or overlap");
            expectedStart += aus.size();
            all.writeBytes(bytes);
        }
        assertEquals(frames, expectedStart, channel + ": frames in all segments");
        Decoded whole = assertDecodesCompletely(channel + " segments", codec, all.toByteArray(), frames);
        double psnr = lumaPsnrAgainstScene(channel, whole.frames(), format, 2);
        assertTrue(psnr > 28, channel + ": the segments hold the camera's pictures in order (" + psnr + " dB)");
    }
}

package io.vencflow.connectors.archive.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.connectors.archive.ArchiveSegments;
import io.vencflow.connectors.archive.ArchiveSegments.Segment;
import io.vencflow.connectors.archive.SegmentFormat;
import io.vencflow.connectors.testing.Checks;
import io.vencflow.connectors.testing.Encoded;
import io.vencflow.core.bitstream.AccessUnitAssembler;
import io.vencflow.core.bitstream.NalUnit;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.testing.Decoded;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.connector.sink2.Committer.CommitRequest;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer and committer driven directly, as Flink drives them around checkpoints and failures. */
class ArchiveWriterTest {
    private static final long SECOND = 1_000_000;
    private static final long START = 1_700_000_000L * SECOND;

    @TempDir
    Path dir;

    private ArchiveWriter writer(long maxDurationMicros, long maxBytes, Collection<SegmentState> restored)
            throws IOException {
        return new ArchiveWriter(new ArchiveLayout(dir), SegmentFormat.ANNEX_B, maxDurationMicros, maxBytes,
                UnregisteredMetricsGroup.createSinkWriterMetricGroup(), restored);
    }

    private SegmentCommitter committer(Retention retention) {
        return new SegmentCommitter(new ArchiveLayout(dir), retention, UnregisteredMetricsGroup.createOperatorMetricGroup());
    }

    @Test
    void segmentsRollAtTheFirstIdrAfterTheDurationAndAreVisibleOnlyOnceCommitted() throws Exception {
        List<EncodedFrame> aus = Encoded.camera("cam", Codec.H264, 75, 10, START);
        ArchiveWriter w = writer(SECOND, 0, List.of());
        for (EncodedFrame au : aus.subList(0, 45)) {
            w.write(au, null);
        }
        w.flush(false);
        Collection<SegmentCommittable> first = w.prepareCommit();
        assertEquals(1, first.size(), "the segment 0..29 was sealed at the IDR of frame 30");
        assertEquals(List.of(), ArchiveSegments.list(dir, "cam"), "nothing visible before the commit");
        commit(committer(new Retention(0, 0)), first);
        assertEquals(List.of(0L), starts(ArchiveSegments.list(dir, "cam")));

        for (EncodedFrame au : aus.subList(45, 75)) {
            w.write(au, null);
        }
        w.flush(true);
        commit(committer(new Retention(0, 0)), w.prepareCommit());
        w.close();

        List<Segment> segments = ArchiveSegments.list(dir, "cam");
        assertEquals(List.of(0L, 30L, 60L), starts(segments));
        assertEquals(ArchiveLayout.baseName(START + SECOND, 30) + ".h264", segments.get(1).path().getFileName().toString());
        assertEquals(List.of(30, 30, 15), frameCounts(Codec.H264, segments));
        checkEachStartsWithIdrAndParameterSets(Codec.H264, segments);
        Checks.assertDecodesCompletely("cam", Codec.H264, concatenated(segments), 75);
        assertEquals(List.of(), inProgressFiles("cam"), "no leftovers once everything is committed");
    }

    @Test
    void aRestoredWriterCutsTheOpenSegmentBackToTheCheckpointAndTheReplayStartsANewOne() throws Exception {
        List<EncodedFrame> aus = Encoded.camera("door", Codec.H265, 40, 10, START);
        ArchiveWriter w = writer(0, 10_000_000, List.of());
        for (EncodedFrame au : aus.subList(0, 17)) {
            w.write(au, null);
        }
        w.flush(false);
        assertEquals(List.of(), List.copyOf(w.prepareCommit()));
        List<SegmentState> checkpoint = w.snapshotState(1);
        assertEquals(17, checkpoint.get(0).frames());
        // After the checkpoint: more frames reach the file, then the task fails (files stay as they are).
        for (EncodedFrame au : aus.subList(17, 26)) {
            w.write(au, null);
        }
        w.close();
        Path part = inProgressFiles("door").stream().filter(f -> f.toString().endsWith(".part")).findFirst().orElseThrow();
        assertTrue(Files.size(part) > checkpoint.get(0).dataLength(), "frames after the checkpoint reached the file");

        // Restore: the job replays frames 17.. through a rebuilt encoder, which starts with an IDR.
        ArchiveWriter restored = writer(0, 10_000_000, checkpoint);
        for (EncodedFrame au : Encoded.camera("door", Codec.H265, 17, 23, 10, START)) {
            restored.write(au, null);
        }
        restored.flush(true);
        commit(committer(new Retention(0, 0)), restored.prepareCommit());
        restored.close();

        List<Segment> segments = ArchiveSegments.list(dir, "door");
        assertEquals(List.of(0L, 17L), starts(segments));
        assertEquals(List.of(17, 23), frameCounts(Codec.H265, segments), "every frame once across the restore");
        checkEachStartsWithIdrAndParameterSets(Codec.H265, segments);
        Decoded d = Checks.assertDecodesCompletely("door", Codec.H265, concatenated(segments), 40);
        // Decoded pictures are numbered 0, 1, ... in stream order: their capture sequences, as the stream starts at 0.
        double psnr = Checks.lumaPsnrAgainstScene("door", d.frames(), PixelFormat.I420, 2);
        assertTrue(psnr > 30, "pictures in capture order: " + psnr + " dB");
    }

    @Test
    void committingTwiceIsRecognisedAndDoesNotDuplicate() throws Exception {
        ArchiveWriter w = writer(SECOND, 0, List.of());
        for (EncodedFrame au : Encoded.camera("cam", Codec.H264, 12, 6, START)) {
            w.write(au, null);
        }
        w.flush(true);
        Collection<SegmentCommittable> c = w.prepareCommit();
        w.close();
        commit(committer(new Retention(0, 0)), c);
        List<TestRequest> again = commit(committer(new Retention(0, 0)), c);
        assertTrue(again.get(0).alreadyCommitted, "second commit is recognised");
        assertEquals(1, ArchiveSegments.list(dir, "cam").size());
    }

    @Test
    void accessUnitsBeforeTheFirstIdrCannotStartASegmentAndAreDropped() throws Exception {
        List<EncodedFrame> aus = Encoded.camera("late", Codec.H264, 20, 10, START);
        ArchiveWriter w = writer(SECOND, 0, List.of());
        for (EncodedFrame au : aus.subList(3, 20)) {
            w.write(au, null);
        }
        w.flush(true);
        commit(committer(new Retention(0, 0)), w.prepareCommit());
        w.close();
        List<Segment> segments = ArchiveSegments.list(dir, "late");
        assertEquals(List.of(10L), starts(segments), "the first segment starts at the first IDR (frame 10)");
        assertEquals(List.of(10), frameCounts(Codec.H264, segments));
    }

    @Test
    void segmentsRollBySizeOnlyAtIdrs() throws Exception {
        List<EncodedFrame> aus = Encoded.camera("big", Codec.H264, 60, 5, START);
        ArchiveWriter w = writer(0, 20_000, List.of());
        for (EncodedFrame au : aus) {
            w.write(au, null);
        }
        w.flush(true);
        commit(committer(new Retention(0, 0)), w.prepareCommit());
        w.close();
        List<Segment> segments = ArchiveSegments.list(dir, "big");
        assertTrue(segments.size() >= 2, "rolled by size: " + segments.size());
        checkEachStartsWithIdrAndParameterSets(Codec.H264, segments);
        for (Segment s : segments) {
            assertEquals(0, s.startSequence() % 5, "starts at an IDR: " + s);
        }
        for (Segment s : segments.subList(0, segments.size() - 1)) {
            assertTrue(Files.size(s.path()) >= 20_000, "only full segments are rolled: " + Files.size(s.path()));
        }
        assertEquals(60, frameCounts(Codec.H264, segments).stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void retentionDeletesTheOldestSegmentsBeyondTheAgeOrTheSizeAndKeepsTheNewest() throws Exception {
        ArchiveWriter w = writer(SECOND, 0, List.of());
        for (EncodedFrame au : Encoded.camera("cam", Codec.H264, 150, 30, START)) {
            w.write(au, null);
        }
        w.flush(true);
        Collection<SegmentCommittable> c = w.prepareCommit();
        w.close();
        assertEquals(5, c.size());
        commit(committer(new Retention(2 * SECOND, 0)), c);
        assertEquals(List.of(60L, 90L, 120L), starts(ArchiveSegments.list(dir, "cam")),
                "segments starting more than 2 s before the newest (at 4 s) are gone");

        List<Segment> left = ArchiveSegments.list(dir, "cam");
        long newest = Files.size(left.get(2).path());
        long keepTwo = newest + Files.size(left.get(1).path());
        assertEquals(List.of(left.get(0)), new Retention(0, keepTwo).expired(left));
        assertEquals(List.of(left.get(0), left.get(1)), new Retention(0, 1).expired(left), "the newest always stays");
        assertEquals(List.of(), new Retention(0, 0).expired(left));
    }

    static List<Long> starts(List<Segment> segments) {
        return segments.stream().map(Segment::startSequence).toList();
    }

    static List<Integer> frameCounts(Codec codec, List<Segment> segments) throws IOException {
        List<Integer> out = new ArrayList<>();
        for (Segment s : segments) {
            Decoded d = Decoded.ofAnnexB(codec, Files.readAllBytes(s.path()));
            assertEquals(0, d.errors(), s + " decodes on its own");
            out.add(d.frames().size());
        }
        return out;
    }

    static void checkEachStartsWithIdrAndParameterSets(Codec codec, List<Segment> segments) throws IOException {
        for (Segment s : segments) {
            List<byte[]> firstAu = AccessUnitAssembler.split(codec, Files.readAllBytes(s.path())).get(0);
            List<Integer> types = firstAu.stream().map(n -> NalUnit.type(codec, n[0])).toList();
            assertTrue(types.stream().anyMatch(t -> NalUnit.isIdr(codec, t)), s + " starts with an IDR: " + types);
            int sps = codec == Codec.H264 ? NalUnit.H264_SPS : NalUnit.H265_SPS;
            int pps = codec == Codec.H264 ? NalUnit.H264_PPS : NalUnit.H265_PPS;
            assertTrue(types.contains(sps) && types.contains(pps), s + " carries SPS and PPS: " + types);
            if (codec == Codec.H265) {
                assertTrue(types.contains(NalUnit.H265_VPS), s + " carries a VPS: " + types);
            }
        }
    }

    static byte[] concatenated(List<Segment> segments) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Segment s : segments) {
            out.write(Files.readAllBytes(s.path()));
        }
        return out.toByteArray();
    }

    private List<Path> inProgressFiles(String channel) throws IOException {
        Path p = dir.resolve(channel).resolve(ArchiveLayout.IN_PROGRESS);
        if (!Files.isDirectory(p)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.sorted().toList();
        }
    }

    static List<TestRequest> commit(SegmentCommitter committer, Collection<SegmentCommittable> committables)
            throws IOException {
        List<TestRequest> requests = committables.stream().map(TestRequest::new).toList();
        committer.commit(new ArrayList<>(requests));
        for (TestRequest r : requests) {
            assertFalse(r.failed != null, "commit of " + r.committable + " failed: " + r.failed);
        }
        return requests;
    }

    static final class TestRequest implements CommitRequest<SegmentCommittable> {
        final SegmentCommittable committable;
        boolean alreadyCommitted;
        Throwable failed;

        TestRequest(SegmentCommittable committable) {
            this.committable = committable;
        }

        @Override
        public SegmentCommittable getCommittable() {
            return committable;
        }

        @Override
        public int getNumberOfRetries() {
            return 0;
        }

        @Override
        public void signalFailedWithKnownReason(Throwable t) {
            failed = t;
        }

        @Override
        public void signalFailedWithUnknownReason(Throwable t) {
            failed = t;
        }

        @Override
        public void retryLater() {
        }

        @Override
        public void updateAndRetryLater(SegmentCommittable committable) {
        }

        @Override
        public void signalAlreadyCommitted() {
            alreadyCommitted = true;
        }
    }
}

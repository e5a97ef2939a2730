package io.vencflow.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.connectors.testing.Checks;
import io.vencflow.connectors.testing.KafkaTopics;
import io.vencflow.core.bitstream.NalUnit;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.testing.Decoded;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What an encode-stream run left in its NAL topic, checked as the issue states it. */
final class NalTopicChecks {
    private NalTopicChecks() {
    }

    /**
     * Reads {@code topic} from the beginning as a plain {@code read_committed} consumer and requires,
     * per channel, sequences 0..frames-1 each exactly once in offset order, and the values appended in
     * offset order to decode with libavcodec into {@code frames} pictures without an error.
     *
     * @return each channel's access units in offset order
     */
    static Map<String, List<EncodedFrame>> assertEveryFrameOnceAndDecodable(String bootstrapServers, String topic,
            List<String> channels, int frames) {
        Map<String, List<EncodedFrame>> nal = Checks.nalByChannel(KafkaTopics.readCommitted(bootstrapServers, topic));
        assertEquals(channels, List.copyOf(nal.keySet()), "channels in " + topic);
        for (String c : channels) {
            List<EncodedFrame> stream = nal.get(c);
            Checks.assertEveryFrameOnce(c, stream.stream().map(EncodedFrame::sequence).toList(), frames);
            Decoded d = Decoded.ofAnnexB(Codec.H264, Checks.appended(stream));
            assertEquals(0, d.errors(), c + ": libavcodec decode errors in the appended values");
            assertEquals(frames, d.frames().size(), c + ": pictures decoded from the appended values");
        }
        return nal;
    }

    /**
     * The sequences where a restored encoder took over a channel: with a GOP longer than the stream, the
     * only IDRs are the first frame's and those of encoders rebuilt from a checkpoint. Requires at least
     * one such restart, each an IDR with its parameter sets in front, inside the stream, with the GOP
     * index counting on from the restored state, the first at or after {@code committedBeforeKill} (the
     * records a reader had seen before the kill came from checkpoints the restore is not older than).
     */
    static List<Long> assertRestoredEncoderStartsWithAnIdr(String channel, List<EncodedFrame> stream,
            int committedBeforeKill, int frames) {
        List<EncodedFrame> idrs = stream.stream().filter(EncodedFrame::keyframe).toList();
        assertTrue(!idrs.isEmpty() && idrs.get(0).sequence() == 0, channel + ": the stream starts with an IDR");
        assertTrue(idrs.size() >= 2, channel + ": an IDR where the restored encoder took over; IDRs: " + idrs);
        List<Long> resumes = new ArrayList<>();
        for (int i = 1; i < idrs.size(); i++) {
            EncodedFrame idr = idrs.get(i);
            assertTrue(idr.sequence() > 0 && idr.sequence() < frames, channel + ": restart inside the stream at "
                    + idr.sequence());
            assertEquals(i, idr.gopIndex(), channel + ": GOP index of the IDR at " + idr.sequence()
                    + " counts on from the restored state");
            assertTrue(idr.packs().stream().anyMatch(p -> NalUnit.isParameterSet(Codec.H264, p.nalType())),
                    channel + ": the IDR at " + idr.sequence() + " carries its SPS/PPS");
            resumes.add(idr.sequence());
        }
        assertTrue(resumes.get(0) >= committedBeforeKill, channel + ": resumed at " + resumes.get(0)
                + ", not before the " + committedBeforeKill + " records committed before the kill");
        return resumes;
    }
}

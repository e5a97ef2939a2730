package io.vencflow.operators.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.testing.Decoded;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks on the encoded output of a job. */
public final class Streams {
    private Streams() {
    }

    /** Access units per channel, in the order they came out. */
    public static Map<String, List<EncodedFrame>> byChannel(List<EncodedFrame> all) {
        Map<String, List<EncodedFrame>> out = new LinkedHashMap<>();
        for (EncodedFrame f : all) {
            out.computeIfAbsent(f.channel(), k -> new ArrayList<>()).add(f);
        }
        return out;
    }

    public static List<Long> sequences(List<EncodedFrame> stream) {
        return stream.stream().map(EncodedFrame::sequence).toList();
    }

    public static List<Long> frameSequences(List<Frame> frames) {
        return frames.stream().map(Frame::sequence).toList();
    }

    /**
     * Checks one channel's stream: sequences strictly increasing, an IDR first, every IDR at GOP
     * position 0 with the GOP index one up, every other frame one position further in the same GOP;
     * then decodes it with libavcodec and requires zero errors and one picture per access unit.
     *
     * @return what libavcodec decoded
     */
    public static Decoded checkDecodable(String channel, List<EncodedFrame> stream) {
        assertTrue(!stream.isEmpty(), channel + ": no output");
        assertTrue(stream.get(0).keyframe(), channel + ": first access unit is not an IDR: " + stream.get(0));
        for (int i = 1; i < stream.size(); i++) {
            EncodedFrame prev = stream.get(i - 1);
            EncodedFrame cur = stream.get(i);
            assertTrue(cur.sequence() > prev.sequence(), channel + ": sequence " + cur.sequence() + " after "
                    + prev.sequence());
            if (cur.keyframe()) {
                assertEquals(prev.gopIndex() + 1, cur.gopIndex(), channel + ": GOP index of IDR " + cur);
                assertEquals(0, cur.gopPosition(), channel + ": " + cur);
            } else {
                assertEquals(prev.gopIndex(), cur.gopIndex(), channel + ": GOP index of " + cur);
                assertEquals(prev.gopPosition() + 1, cur.gopPosition(), channel + ": GOP position of " + cur);
            }
        }
        Decoded d = Decoded.of(stream);
        assertEquals(0, d.errors(), channel + ": decode errors");
        assertEquals(stream.size(), d.frames().size(), channel + ": pictures decoded");
        return d;
    }
}

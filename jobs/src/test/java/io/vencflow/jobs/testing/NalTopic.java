package io.vencflow.jobs.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.testing.Decoded;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A NAL topic read back per channel, and the checks every end-to-end test makes on it. */
public final class NalTopic {
    private NalTopic() {
    }

    /** Groups access units by channel, in the order they were read. */
    public static Map<String, List<EncodedFrame>> byChannel(List<EncodedFrame> units) {
        Map<String, List<EncodedFrame>> out = new TreeMap<>();
        for (EncodedFrame au : units) {
            out.computeIfAbsent(au.channel(), c -> new ArrayList<>()).add(au);
        }
        return out;
    }

    /**
     * Asserts a channel holds sequences 0..n-1 once each in order, and that libavcodec decodes all n
     * frames without an error. Returns n.
     */
    public static int assertCompleteAndDecodable(String channel, List<EncodedFrame> units) {
        for (int i = 0; i < units.size(); i++) {
            assertEquals(i, units.get(i).sequence(), channel + ": record " + i + " holds sequence "
                    + units.get(i).sequence());
        }
        Decoded decoded = Decoded.of(units);
        assertEquals(0, decoded.errors(), channel + " decode errors");
        assertEquals(units.size(), decoded.frames().size(), channel + " frames decoded");
        return units.size();
    }
}

package io.vencflow.core.testing;

import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.VideoEncoder;
import io.vencflow.core.frame.Frame;
import java.util.ArrayList;
import java.util.List;

/** Encodes frames with a fresh encoder, for tests. */
public final class Encoding {
    private Encoding() {
    }

    /** One access unit per frame, in order, from an encoder opened for {@code config} and closed after. */
    public static List<EncodedFrame> encodeAll(EncoderConfig config, List<Frame> frames) {
        List<EncodedFrame> out = new ArrayList<>(frames.size());
        try (VideoEncoder encoder = VideoEncoder.open(config)) {
            for (Frame f : frames) {
                out.add(encoder.encode(f));
            }
        }
        return out;
    }
}

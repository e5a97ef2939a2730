package io.vencflow.connectors.testing;

import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.Preset;
import io.vencflow.core.codec.Profile;
import io.vencflow.core.codec.VideoEncoder;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.frame.SyntheticScene;
import java.util.ArrayList;
import java.util.List;

/** Access units of a synthetic camera, encoded outside Flink, for sink tests. */
public final class Encoded {
    private Encoded() {
    }

    /**
     * {@code frames} access units of channel {@code channel} (176x144, 30 fps, capture clock from
     * {@code startMicros}), an IDR every {@code gop} frames, GOP index and position stamped.
     */
    public static List<EncodedFrame> camera(String channel, Codec codec, int frames, int gop, long startMicros) {
        return camera(channel, codec, 0, frames, gop, startMicros);
    }

    /** Frames {@code from..from+count-1}; the first is an IDR (a fresh encoder), then one every {@code gop}. */
    public static List<EncodedFrame> camera(String channel, Codec codec, int from, int count, int gop, long startMicros) {
        EncoderConfig config = EncoderConfig.builder().codec(codec).profile(codec == Codec.H264 ? Profile.HIGH
                : Profile.MAIN).size(176, 144).gop(gop).backend(Backend.FFMPEG).preset(Preset.ULTRAFAST).build();
        SyntheticScene scene = new SyntheticScene(channel, 176, 144, PixelFormat.I420);
        List<EncodedFrame> out = new ArrayList<>();
        long gopIndex = -1;
        int position = 0;
        try (VideoEncoder encoder = VideoEncoder.open(config)) {
            for (int i = from; i < from + count; i++) {
                EncodedFrame au = encoder.encode(scene.render(i, startMicros + i * 1_000_000L / 30));
                if (au.keyframe()) {
                    gopIndex++;
                    position = 0;
                } else {
                    position++;
                }
                out.add(au.withGop(Math.max(0, gopIndex), position));
            }
        }
        return out;
    }
}

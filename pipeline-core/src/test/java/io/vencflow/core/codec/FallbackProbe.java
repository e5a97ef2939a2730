package io.vencflow.core.codec;

import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.frame.SyntheticScene;

/**
 * Run in a child JVM by {@link BackendFallbackTest} with the FFmpeg natives disabled: prints what each
 * backend choice gives, one line each.
 */
public final class FallbackProbe {
    private FallbackProbe() {
    }

    public static void main(String[] args) {
        try (VideoEncoder auto = VideoEncoder.open(EncoderConfig.builder().size(64, 64).build())) {
            EncodedFrame f = auto.encode(new SyntheticScene("probe", 64, 64, PixelFormat.I420).render(0, 0));
            System.out.println("auto-h264=" + auto.backend().id() + " keyframe=" + f.keyframe());
        }
        try (VideoDecoder decoder = VideoDecoder.open(Codec.H264)) {
            System.out.println("auto-decoder=" + decoder.backend().id());
        }
        try {
            VideoEncoder.open(EncoderConfig.builder().size(64, 64).backend(Backend.FFMPEG).build());
            System.out.println("ffmpeg=opened");
        } catch (RuntimeException e) {
            System.out.println("ffmpeg-error=" + e.getMessage());
        }
        try {
            VideoEncoder.open(EncoderConfig.builder().codec(Codec.H265).size(64, 64).build());
            System.out.println("auto-h265=opened");
        } catch (RuntimeException e) {
            System.out.println("auto-h265-error=" + e.getMessage());
        }
    }
}

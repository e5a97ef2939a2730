package io.vencflow.core.seed.esp32;

import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.EncoderConfig;
import io.vencflow.core.codec.Profile;
import io.vencflow.core.codec.VideoEncoder;
import io.vencflow.core.frame.ColorConversion;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import java.io.IOException;

/**
 * The ESP32-P4 {@code h264.H264Encoder(width, height, fps=, gop=, bitrate=, qp_min=, qp_max=)} API
 * on vencflow's encoders: {@code encode(image)} returns one frame's Annex-B NAL units,
 * {@code keyframe()} says whether the last frame was an IDR, {@code close()} frees it.
 *
 * <p>As on the device: {@code gop = 0} means one keyframe a second (= fps), {@code bitrate = 0} means
 * width x height x fps bits a second, an image of another size is an error
 * ({@link IllegalArgumentException}, the encoder stays usable), and any use after {@code close()}
 * raises the Java form of OSError, an {@link IOException}. Images may come in any pixel format
 * (sensors give RGB565); they are converted to YUV 4:2:0. Constrained Baseline, like the device's
 * hardware encoder. Not thread-safe.
 */
public final class H264Encoder implements AutoCloseable {
    public static final int DEFAULT_FPS = 30;
    public static final int DEFAULT_GOP = 0;
    public static final int DEFAULT_BITRATE = 0;
    public static final int DEFAULT_QP_MIN = 10;
    public static final int DEFAULT_QP_MAX = 51;

    private final VideoEncoder encoder;
    private final int width;
    private final int height;
    private final int fps;
    private boolean closed;
    private boolean lastKeyframe;
    private long sequence;

    /** An encoder with the documented defaults: 30 fps, gop 0, bitrate 0. */
    public H264Encoder(int width, int height) {
        this(width, height, DEFAULT_FPS, DEFAULT_GOP, DEFAULT_BITRATE, DEFAULT_QP_MIN, DEFAULT_QP_MAX);
    }

    public H264Encoder(int width, int height, int fps, int gop, int bitrate, int qpMin, int qpMax) {
        this(width, height, fps, gop, bitrate, qpMin, qpMax, Backend.AUTO);
    }

    /** As the documented constructor, on a chosen backend. */
    public H264Encoder(int width, int height, int fps, int gop, int bitrate, int qpMin, int qpMax, Backend backend) {
        EncoderConfig config = EncoderConfig.builder().size(width, height).fps(fps).gop(gop).bitrateBps(bitrate)
                .qpRange(qpMin, qpMax).qp(Math.max(qpMin, Math.min(qpMax, 26))).profile(Profile.BASELINE)
                .backend(backend).inputFormat(PixelFormat.I420).build();
        this.encoder = VideoEncoder.open(config);
        this.width = width;
        this.height = height;
        this.fps = fps;
    }

    /**
     * Encodes one image and returns its Annex-B bytes (parameter sets in front of each IDR).
     *
     * @throws IllegalArgumentException when the image is not width x height
     * @throws IOException when the encoder is closed
     */
    public byte[] encode(Frame image) throws IOException {
        checkOpen();
        if (image.width() != width || image.height() != height) {
            throw new IllegalArgumentException("image is " + image.width() + "x" + image.height()
                    + "; this encoder was opened for " + width + "x" + height);
        }
        Frame input = ColorConversion.convert(image, PixelFormat.I420);
        long seq = sequence++;
        EncodedFrame out = encoder.encode(input.withSequence(seq, seq * 1_000_000L / fps));
        lastKeyframe = out.keyframe();
        return out.toAnnexB();
    }

    /**
     * Whether the most recently encoded frame was an IDR.
     *
     * @throws IOException when the encoder is closed
     */
    public boolean keyframe() throws IOException {
        checkOpen();
        return lastKeyframe;
    }

    /** Frees the encoder; closing twice is harmless. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            encoder.close();
        }
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("H264Encoder " + width + "x" + height + " is closed");
        }
    }
}

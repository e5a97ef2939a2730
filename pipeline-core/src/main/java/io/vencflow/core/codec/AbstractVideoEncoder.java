package io.vencflow.core.codec;

import io.vencflow.core.bitstream.NalUnit;
import io.vencflow.core.frame.Frame;
import java.util.List;
import java.util.Objects;

/**
 * What every backend shares: input checks, the use-after-close rule, the keyframe schedule (an IDR
 * every {@link EncoderConfig#effectiveGop()} frames and on request) and the check that parameter
 * sets come in front of every IDR and nowhere else. A backend encodes one picture as told.
 */
public abstract class AbstractVideoEncoder implements VideoEncoder {
    protected final EncoderConfig config;
    private final int gop;
    private boolean closed;
    private boolean keyframeRequested;
    private long framesEncoded;
    private long gopIndex = -1;
    private int gopPosition;

    protected AbstractVideoEncoder(EncoderConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.gop = config.effectiveGop();
    }

    /**
     * Encodes one picture. {@code idr} says whether it must be an IDR (with parameter sets in front);
     * otherwise it must be a P picture without parameter sets.
     *
     * @return the access unit's NAL units in decoding order
     */
    protected abstract List<Pack> encodePicture(Frame frame, boolean idr);

    /** Frees the backend's resources; called once. */
    protected abstract void release();

    @Override
    public final EncodedFrame encode(Frame frame) {
        checkOpen();
        Objects.requireNonNull(frame, "frame");
        if (frame.width() != config.width() || frame.height() != config.height()) {
            throw new IllegalArgumentException("frame #" + frame.sequence() + " of channel " + frame.channel() + " is "
                    + frame.width() + "x" + frame.height() + "; this encoder takes " + config.width() + "x"
                    + config.height());
        }
        if (frame.format() != config.inputFormat()) {
            throw new IllegalArgumentException("frame #" + frame.sequence() + " of channel " + frame.channel() + " is "
                    + frame.format() + "; this encoder takes " + config.inputFormat());
        }
        boolean idr = framesEncoded == 0 || keyframeRequested || gopPosition + 1 >= gop;
        List<Pack> packs = encodePicture(frame, idr);
        checkAccessUnit(packs, idr, frame);
        keyframeRequested = false;
        framesEncoded++;
        if (idr) {
            gopIndex++;
            gopPosition = 0;
        } else {
            gopPosition++;
        }
        return new EncodedFrame(frame.channel(), frame.sequence(), frame.ptsMicros(), config.codec(), config.width(),
                config.height(), idr, gopIndex, gopPosition, packs);
    }

    private void checkAccessUnit(List<Pack> packs, boolean idr, Frame frame) {
        Codec codec = config.codec();
        boolean hasSps = false;
        boolean hasPps = false;
        boolean hasVcl = false;
        for (Pack p : packs) {
            int t = p.nalType();
            if (NalUnit.isParameterSet(codec, t)) {
                if (!idr) {
                    throw new IllegalStateException(backend() + " backend wrote parameter sets into P frame #"
                            + frame.sequence());
                }
                hasSps |= t == (codec == Codec.H264 ? NalUnit.H264_SPS : NalUnit.H265_SPS);
                hasPps |= t == (codec == Codec.H264 ? NalUnit.H264_PPS : NalUnit.H265_PPS);
            } else if (NalUnit.isVcl(codec, t)) {
                hasVcl = true;
                if (NalUnit.isIdr(codec, t) != idr) {
                    throw new IllegalStateException(backend() + " backend wrote " + NalUnit.name(codec, t)
                            + " for frame #" + frame.sequence() + " where " + (idr ? "an IDR" : "a P picture")
                            + " was due");
                }
            }
        }
        if (!hasVcl || (idr && !(hasSps && hasPps))) {
            throw new IllegalStateException(backend() + " backend wrote an incomplete access unit for frame #"
                    + frame.sequence() + ": " + packs);
        }
    }

    @Override
    public final void requestKeyframe() {
        checkOpen();
        keyframeRequested = true;
    }

    @Override
    public EncoderConfig config() {
        return config;
    }

    /** Frames encoded so far. */
    public long framesEncoded() {
        return framesEncoded;
    }

    protected final void checkOpen() {
        if (closed) {
            throw new IllegalStateException(backend().id() + " encoder for " + config.width() + "x" + config.height()
                    + " is closed");
        }
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }
}

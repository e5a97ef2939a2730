package io.vencflow.core.codec;

import io.vencflow.core.frame.ChannelId;
import java.util.List;
import java.util.Objects;

/**
 * One encoded access unit of one channel: its packs (NAL units) in decoding order. Every keyframe
 * is an IDR with its parameter sets in front, so any keyframe is a clean entry point.
 *
 * <p>Immutable. {@code gopIndex} counts IDRs of the channel from 0; {@code gopPosition} is the
 * frame's position after the last IDR (0 for the IDR itself).
 */
public final class EncodedFrame {
    private static final byte[] START_CODE = {0, 0, 0, 1};

    private final String channel;
    private final long sequence;
    private final long ptsMicros;
    private final Codec codec;
    private final int width;
    private final int height;
    private final boolean keyframe;
    private final long gopIndex;
    private final int gopPosition;
    private final List<Pack> packs;

    public EncodedFrame(String channel, long sequence, long ptsMicros, Codec codec, int width, int height,
            boolean keyframe, long gopIndex, int gopPosition, List<Pack> packs) {
        this.channel = ChannelId.check(channel);
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence " + sequence + " is negative; expected 0 or more");
        }
        this.sequence = sequence;
        this.ptsMicros = ptsMicros;
        this.codec = Objects.requireNonNull(codec, "codec");
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("size " + width + "x" + height + " is not positive");
        }
        this.width = width;
        this.height = height;
        this.keyframe = keyframe;
        if (gopIndex < 0 || gopPosition < 0) {
            throw new IllegalArgumentException("gop index " + gopIndex + " / position " + gopPosition
                    + " is negative; expected 0 or more");
        }
        this.gopIndex = gopIndex;
        this.gopPosition = gopPosition;
        this.packs = List.copyOf(packs);
        if (this.packs.isEmpty()) {
            throw new IllegalArgumentException("access unit #" + sequence + " of channel " + channel + " has no packs");
        }
        if (this.packs.size() > 64) {
            throw new IllegalArgumentException("access unit #" + sequence + " has " + this.packs.size()
                    + " packs; at most 64 are expected");
        }
    }

    public String channel() {
        return channel;
    }

    public long sequence() {
        return sequence;
    }

    /** Capture time of the source frame, microseconds since the Unix epoch. */
    public long ptsMicros() {
        return ptsMicros;
    }

    public Codec codec() {
        return codec;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Whether this access unit is an IDR (with its parameter sets in front). */
    public boolean keyframe() {
        return keyframe;
    }

    public long gopIndex() {
        return gopIndex;
    }

    public int gopPosition() {
        return gopPosition;
    }

    /** The NAL units in decoding order. */
    public List<Pack> packs() {
        return packs;
    }

    /** The size of the Annex-B form: payloads plus a 4-byte start code each. */
    public int annexBSize() {
        int n = 0;
        for (Pack p : packs) {
            n += START_CODE.length + p.size();
        }
        return n;
    }

    /** The access unit as an Annex-B byte stream: each pack behind a 4-byte start code. */
    public byte[] toAnnexB() {
        byte[] out = new byte[annexBSize()];
        int off = 0;
        for (Pack p : packs) {
            System.arraycopy(START_CODE, 0, out, off, START_CODE.length);
            off = p.copyTo(out, off + START_CODE.length);
        }
        return out;
    }

    /** This access unit re-stamped with another GOP index and position (the operators keep their own count). */
    public EncodedFrame withGop(long newGopIndex, int newGopPosition) {
        return new EncodedFrame(channel, sequence, ptsMicros, codec, width, height, keyframe, newGopIndex,
                newGopPosition, packs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncodedFrame e && e.sequence == sequence && e.ptsMicros == ptsMicros
                && e.keyframe == keyframe && e.gopIndex == gopIndex && e.gopPosition == gopPosition
                && e.width == width && e.height == height && e.codec == codec && e.channel.equals(channel)
                && e.packs.equals(packs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(channel, sequence, ptsMicros, codec, keyframe, packs);
    }

    @Override
    public String toString() {
        return "EncodedFrame[" + channel + " #" + sequence + " " + codec + " " + width + "x" + height
                + (keyframe ? " IDR" : "") + " gop=" + gopIndex + "/" + gopPosition + " " + packs.size()
                + " packs, " + annexBSize() + "B]";
    }
}

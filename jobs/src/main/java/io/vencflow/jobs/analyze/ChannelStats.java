package io.vencflow.jobs.analyze;

import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.VideoDecoder;
import io.vencflow.core.frame.Frame;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one channel's encoded stream looks like, fed its access units in stream order: frame rate,
 * bitrate second by second, GOP lengths and keyframe interval, frame sizes, sequence gaps, and a
 * decode of every access unit (libavcodec where it loads) with keyframe thumbnails. Not thread-safe.
 */
public final class ChannelStats implements AutoCloseable {
    private static final long MICROS_PER_SECOND = 1_000_000L;

    private final String channel;
    private final int maxThumbnails;
    private Codec codec;
    private int width;
    private int height;
    private VideoDecoder decoder;
    private long frames;
    private long keyframes;
    private long bytes;
    private long keyframeBytes;
    private long minFrameBytes = Long.MAX_VALUE;
    private long maxFrameBytes;
    private long firstPtsMicros = Long.MIN_VALUE;
    private long lastPtsMicros;
    private long lastSequence = -1;
    private long gaps;
    private long missingFrames;
    private long outOfOrder;
    private int framesSinceKeyframe = -1;
    private final List<Integer> gopLengths = new ArrayList<>();
    private final List<Long> keyframePtsMicros = new ArrayList<>();
    private final TreeMap<Long, Long> bitsPerSecond = new TreeMap<>();
    private final Set<Long> keyframeSequences = new HashSet<>();
    private final List<Frame> thumbnails = new ArrayList<>();
    private long decodedFrames;
    private long decodeErrors;

    /** @param maxThumbnails how many keyframes to keep decoded pictures of, for the contact sheet */
    public ChannelStats(String channel, int maxThumbnails) {
        this.channel = channel;
        this.maxThumbnails = maxThumbnails;
    }

    /** Adds the next access unit of the channel. */
    public void add(EncodedFrame au) {
        if (!au.channel().equals(channel)) {
            throw new IllegalArgumentException("access unit of channel " + au.channel() + " given to the stats of "
                    + channel);
        }
        if (codec == null) {
            codec = au.codec();
            width = au.width();
            height = au.height();
            decoder = VideoDecoder.open(codec, Backend.AUTO);
        }
        frames++;
        long size = au.annexBSize();
        bytes += size;
        minFrameBytes = Math.min(minFrameBytes, size);
        maxFrameBytes = Math.max(maxFrameBytes, size);
        if (firstPtsMicros == Long.MIN_VALUE) {
            firstPtsMicros = au.ptsMicros();
        }
        lastPtsMicros = au.ptsMicros();
        bitsPerSecond.merge((au.ptsMicros() - firstPtsMicros) / MICROS_PER_SECOND, 8 * size, Long::sum);
        if (lastSequence >= 0) {
            if (au.sequence() > lastSequence + 1) {
                gaps++;
                missingFrames += au.sequence() - lastSequence - 1;
            } else if (au.sequence() <= lastSequence) {
                outOfOrder++;
            }
        }
        lastSequence = Math.max(lastSequence, au.sequence());
        if (au.keyframe()) {
            keyframes++;
            keyframeBytes += size;
            keyframePtsMicros.add(au.ptsMicros());
            keyframeSequences.add(au.sequence());
            if (framesSinceKeyframe >= 0) {
                gopLengths.add(framesSinceKeyframe);
            }
            framesSinceKeyframe = 1;
        } else if (framesSinceKeyframe >= 0) {
            framesSinceKeyframe++;
        }
        take(decoder.decode(au));
    }

    private void take(List<Frame> decoded) {
        for (Frame f : decoded) {
            decodedFrames++;
            if (keyframeSequences.contains(f.sequence()) && thumbnails.size() < maxThumbnails) {
                thumbnails.add(f);
            }
        }
    }

    /** Drains the decoder; call once after the last access unit. */
    public void finish() {
        if (decoder != null) {
            take(decoder.flush());
            decodeErrors = decoder.errors();
            decoder.close();
            decoder = null;
        }
    }

    @Override
    public void close() {
        finish();
    }

    public String channel() {
        return channel;
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

    public long frames() {
        return frames;
    }

    public long keyframes() {
        return keyframes;
    }

    public long bytes() {
        return bytes;
    }

    public long decodedFrames() {
        return decodedFrames;
    }

    public long decodeErrors() {
        return decodeErrors;
    }

    /** Sequence jumps (each a run of missing frames) and the frames missing in them. */
    public long gaps() {
        return gaps;
    }

    public long missingFrames() {
        return missingFrames;
    }

    /** Access units whose sequence was not above every one before. */
    public long outOfOrder() {
        return outOfOrder;
    }

    /** Seconds from the first capture time to the last plus one frame's worth. */
    public double durationSeconds() {
        if (frames == 0) {
            return 0;
        }
        double span = (lastPtsMicros - firstPtsMicros) / 1e6;
        return frames > 1 ? span * frames / (frames - 1) : 0;
    }

    /** Frames a second, from capture times. */
    public double fps() {
        return frames > 1 ? (frames - 1) / ((lastPtsMicros - firstPtsMicros) / 1e6) : 0;
    }

    public double averageBitrateBps() {
        double d = durationSeconds();
        return d > 0 ? bytes * 8 / d : 0;
    }

    /** The bits of each whole second of capture time, second 0 first. */
    public TreeMap<Long, Long> bitsPerSecond() {
        return bitsPerSecond;
    }

    /** The most bits any one second of capture time held. */
    public long peakBitsPerSecond() {
        return bitsPerSecond.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** Frames from each keyframe to the next (the last, unfinished GOP is not counted). */
    public List<Integer> gopLengths() {
        return gopLengths;
    }

    /** Mean seconds between keyframes, 0 with fewer than two. */
    public double keyframeIntervalSeconds() {
        if (keyframePtsMicros.size() < 2) {
            return 0;
        }
        return (keyframePtsMicros.get(keyframePtsMicros.size() - 1) - keyframePtsMicros.get(0)) / 1e6
                / (keyframePtsMicros.size() - 1);
    }

    public long minFrameBytes() {
        return frames == 0 ? 0 : minFrameBytes;
    }

    public long maxFrameBytes() {
        return maxFrameBytes;
    }

    public double meanKeyframeBytes() {
        return keyframes == 0 ? 0 : keyframeBytes / (double) keyframes;
    }

    public double meanOtherFrameBytes() {
        return frames == keyframes ? 0 : (bytes - keyframeBytes) / (double) (frames - keyframes);
    }

    /** Decoded keyframe pictures (I420), up to the limit given at construction. */
    public List<Frame> thumbnails() {
        return thumbnails;
    }
}

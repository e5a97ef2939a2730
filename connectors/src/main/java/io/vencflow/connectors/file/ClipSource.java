package io.vencflow.connectors.file;

import io.vencflow.connectors.file.internal.ClipSplit;
import io.vencflow.connectors.file.internal.ClipSplitSerializer;
import io.vencflow.connectors.file.internal.ClipStream;
import io.vencflow.connectors.internal.ChannelSplitEnumerator;
import io.vencflow.connectors.internal.PacedChannelReader;
import io.vencflow.connectors.internal.PendingSplits;
import io.vencflow.connectors.internal.PendingSplitsSerializer;
import io.vencflow.core.frame.ChannelId;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.frame.PixelFormat;
import io.vencflow.core.io.FrameReader;
import io.vencflow.operators.VideoTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Replays raw planar or Y4M clips as channels: each (clip, channel) pair is a split, so one clip can
 * feed several channels and parallelism spreads them over subtasks (pair {@code i} in subtask
 * {@code i % p}). Paced at the clip's fps (the default; frames stamped with the wall clock) or as fast
 * as possible (stamped {@code clockStart + sequence / fps}). Looping replays the clip from its start
 * with sequences counting on; a loop without {@link Builder#framesPerChannel} is endless.
 *
 * <p>The position in the clip (frame index and loop count) is checkpointed per channel, so a restored
 * job goes on where it was. The files must be readable from every task manager at the same path.
 * Frames are typed {@link VideoTypes#FRAME}.
 */
public final class ClipSource implements Source<Frame, ClipSplit, PendingSplits<ClipSplit>>, ResultTypeQueryable<Frame> {
    private static final long serialVersionUID = 1L;

    private final List<ClipSplit> splits;
    private final boolean paced;
    private final boolean bounded;

    private ClipSource(List<ClipSplit> splits, boolean paced, boolean bounded) {
        this.splits = List.copyOf(splits);
        this.paced = paced;
        this.bounded = bounded;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The channel ids, in split order. */
    public List<String> channels() {
        return splits.stream().map(ClipSplit::channel).toList();
    }

    @Override
    public Boundedness getBoundedness() {
        return bounded ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SplitEnumerator<ClipSplit, PendingSplits<ClipSplit>> createEnumerator(SplitEnumeratorContext<ClipSplit> context) {
        return new ChannelSplitEnumerator<>(context, splits);
    }

    @Override
    public SplitEnumerator<ClipSplit, PendingSplits<ClipSplit>> restoreEnumerator(
            SplitEnumeratorContext<ClipSplit> context, PendingSplits<ClipSplit> checkpoint) {
        return new ChannelSplitEnumerator<>(context, checkpoint.splits());
    }

    @Override
    public SimpleVersionedSerializer<ClipSplit> getSplitSerializer() {
        return ClipSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<PendingSplits<ClipSplit>> getEnumeratorCheckpointSerializer() {
        return new PendingSplitsSerializer<>(ClipSplitSerializer.INSTANCE);
    }

    @Override
    public SourceReader<Frame, ClipSplit> createReader(SourceReaderContext context) {
        return new PacedChannelReader<>(ClipStream::new, paced);
    }

    @Override
    public TypeInformation<Frame> getProducedType() {
        return VideoTypes.FRAME;
    }

    /** Collects clips and settings; {@link #build()} opens every clip to check it. */
    public static final class Builder {
        private record Clip(Path path, List<String> channels, int[] rawSize, PixelFormat rawFormat) {
        }

        private final List<Clip> clips = new ArrayList<>();
        private int fps;
        private boolean paced = true;
        private boolean loop;
        private long framesPerChannel = -1;
        private Long clockStartMicros;

        private Builder() {
        }

        /** A Y4M clip (size, rate and format from its header) replayed as each of {@code channels}. */
        public Builder y4m(Path path, String... channels) {
            clips.add(new Clip(path, List.of(channels), null, null));
            return this;
        }

        /** A headerless planar clip of {@code width}x{@code height} frames of {@code format}, as each of {@code channels}. */
        public Builder raw(Path path, int width, int height, PixelFormat format, String... channels) {
            clips.add(new Clip(path, List.of(channels), new int[] {width, height}, Objects.requireNonNull(format,
                    "format")));
            return this;
        }

        /** The replay rate of every clip; 0 (default) = the Y4M header's rate, 30 for raw clips. */
        public Builder fps(int fps) {
            this.fps = fps;
            return this;
        }

        /** True (the default): in real time at the clip's fps. False: as fast as the job takes frames. */
        public Builder paced(boolean paced) {
            this.paced = paced;
            return this;
        }

        /** Replays each clip again from its start when it ends, sequences counting on. */
        public Builder loop(boolean loop) {
            this.loop = loop;
            return this;
        }

        /** Each channel stops after this many frames (also when looping). */
        public Builder framesPerChannel(long frames) {
            this.framesPerChannel = frames;
            return this;
        }

        /** Unpaced only: capture time of frame 0, microseconds since the epoch; the build time unless set. */
        public Builder clockStartMicros(long micros) {
            this.clockStartMicros = micros;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the clip, channel or setting that is wrong and why (a file
         *     that does not exist, does not hold whole frames of its size, or is no Y4M)
         */
        public ClipSource build() {
            if (clips.isEmpty()) {
                throw new IllegalArgumentException("no clips: add some with y4m(path, channels...) or raw(...)");
            }
            if (fps < 0 || fps > 240) {
                throw new IllegalArgumentException("fps " + fps + " is out of range; expected 0 (the clip's) or 1..240");
            }
            if (framesPerChannel != -1 && framesPerChannel < 1) {
                throw new IllegalArgumentException("framesPerChannel " + framesPerChannel
                        + " is out of range; expected 1 or more");
            }
            long clockStart = clockStartMicros != null ? clockStartMicros
                    : ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
            Set<String> seen = new HashSet<>();
            List<ClipSplit> splits = new ArrayList<>();
            for (Clip c : clips) {
                if (c.channels().isEmpty()) {
                    throw new IllegalArgumentException("clip " + c.path() + " has no channel; name at least one");
                }
                if (!Files.isRegularFile(c.path())) {
                    throw new IllegalArgumentException("clip " + c.path() + " does not exist or is not a file");
                }
                String path = c.path().toAbsolutePath().normalize().toString();
                int clipFps;
                try (FrameReader r = FrameReader.open(c.path(), c.channels().get(0), c.rawSize(), c.rawFormat(), fps, 0)) {
                    clipFps = r.fps();
                    if (c.rawFormat() == null && r.next() == null) {
                        throw new IllegalArgumentException("clip " + c.path() + " holds no frames");
                    }
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot read clip " + c.path() + ": " + e.getMessage(), e);
                }
                for (String channel : c.channels()) {
                    ChannelId.check(channel);
                    if (!seen.add(channel)) {
                        throw new IllegalArgumentException("channel " + channel + " is given twice; each channel replays"
                                + " one clip");
                    }
                    int[] size = c.rawSize();
                    splits.add(new ClipSplit(splits.size(), channel, path, size == null ? 0 : size[0],
                            size == null ? 0 : size[1], c.rawFormat(), clipFps, loop, framesPerChannel, clockStart, 0, 0,
                            0));
                }
            }
            return new ClipSource(splits, paced, !loop || framesPerChannel > 0);
        }
    }
}

package io.vencflow.connectors.archive;

import io.vencflow.connectors.archive.internal.ArchiveLayout;
import io.vencflow.connectors.archive.internal.ArchiveWriter;
import io.vencflow.connectors.archive.internal.Retention;
import io.vencflow.connectors.archive.internal.SegmentCommittable;
import io.vencflow.connectors.archive.internal.SegmentCommittableSerializer;
import io.vencflow.connectors.archive.internal.SegmentCommitter;
import io.vencflow.connectors.archive.internal.SegmentState;
import io.vencflow.connectors.archive.internal.SegmentStateSerializer;
import io.vencflow.core.codec.EncodedFrame;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreWriteTopology;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * A rolling archive of access units per channel: {@code <dir>/<channel>/<startPtsMicros>-<startSequence>.h264}
 * (or {@code .h265}, or {@code .mp4}), each segment starting with an IDR and its parameter sets, rolled
 * at the first IDR once a segment has reached {@code maxSegmentDuration} or {@code maxSegmentBytes}.
 * Names sort in time order ({@link ArchiveSegments} lists them).
 *
 * <p>Exactly-once, with checkpointing enabled: segments are written under
 * {@code <dir>/<channel>/.inprogress/} and moved to their final name when the checkpoint after their
 * last frame completes, so a reader only ever sees whole segments; after a failure the committed
 * segments hold every frame once (see {@link ArchiveWriter} for how). Without checkpointing, segments
 * become visible only at the end of a bounded job. Retention deletes a channel's oldest committed
 * segments beyond {@code retainFor} (in capture time, counted from the newest segment's start) or beyond
 * {@code retainBytesPerChannel}.
 *
 * <p>The sink keys its input by channel, so each channel is written by one subtask. Channel ids are
 * checked so that none can name a path outside {@code dir}. {@code dir} must be a file system with
 * atomic renames (local disk, NFS); one job per archive folder.
 */
public final class ArchiveSink implements Sink<EncodedFrame>, SupportsWriterState<EncodedFrame, SegmentState>,
        SupportsCommitter<SegmentCommittable>, SupportsPreWriteTopology<EncodedFrame> {
    private static final long serialVersionUID = 1L;

    private final ArchiveLayout layout;
    private final SegmentFormat format;
    private final long maxDurationMicros;
    private final long maxBytes;
    private final Retention retention;

    private ArchiveSink(Builder b) {
        this.layout = new ArchiveLayout(b.dir);
        this.format = b.format;
        this.maxDurationMicros = b.maxSegmentDuration.toNanos() / 1000;
        this.maxBytes = b.maxSegmentBytes;
        this.retention = new Retention(b.retainFor.toNanos() / 1000, b.retainBytesPerChannel);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The archive folder. */
    public Path directory() {
        return layout.dir();
    }

    @Override
    public DataStream<EncodedFrame> addPreWriteTopology(DataStream<EncodedFrame> input) {
        return input.keyBy(new ChannelOf(), Types.STRING);
    }

    @Override
    public StatefulSinkWriter<EncodedFrame, SegmentState> createWriter(WriterInitContext context) throws IOException {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<EncodedFrame, SegmentState> restoreWriter(WriterInitContext context,
            Collection<SegmentState> recoveredState) throws IOException {
        return new ArchiveWriter(layout, format, maxDurationMicros, maxBytes, context.metricGroup(), recoveredState);
    }

    @Override
    public SimpleVersionedSerializer<SegmentState> getWriterStateSerializer() {
        return SegmentStateSerializer.INSTANCE;
    }

    @Override
    public Committer<SegmentCommittable> createCommitter(CommitterInitContext context) {
        return new SegmentCommitter(layout, retention, context.metricGroup());
    }

    @Override
    public SimpleVersionedSerializer<SegmentCommittable> getCommittableSerializer() {
        return SegmentCommittableSerializer.INSTANCE;
    }

    private static final class ChannelOf implements KeySelector<EncodedFrame, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(EncodedFrame au) {
            return au.channel();
        }
    }

    /** Collects settings; {@link #build()} checks them all. */
    public static final class Builder {
        private Path dir;
        private SegmentFormat format = SegmentFormat.ANNEX_B;
        private Duration maxSegmentDuration = Duration.ofMinutes(1);
        private long maxSegmentBytes;
        private Duration retainFor = Duration.ZERO;
        private long retainBytesPerChannel;

        private Builder() {
        }

        /** The archive folder; created when missing. */
        public Builder directory(Path dir) {
            this.dir = dir;
            return this;
        }

        /** Annex-B (default) or MP4 (H.264 only). */
        public Builder format(SegmentFormat format) {
            this.format = format;
            return this;
        }

        /** A segment ends at the first IDR this long (capture time) after its start; 1 minute unless set, 0 = no limit. */
        public Builder maxSegmentDuration(Duration duration) {
            this.maxSegmentDuration = duration;
            return this;
        }

        /** A segment ends at the first IDR once it holds this many bytes; 0 (default) = no limit. */
        public Builder maxSegmentBytes(long bytes) {
            this.maxSegmentBytes = bytes;
            return this;
        }

        /** Deletes committed segments that started more than this before the channel's newest; 0 (default) = keep. */
        public Builder retainFor(Duration age) {
            this.retainFor = age;
            return this;
        }

        /** Deletes a channel's oldest committed segments while it holds more than this; 0 (default) = no limit. */
        public Builder retainBytesPerChannel(long bytes) {
            this.retainBytesPerChannel = bytes;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the setting that is wrong and why
         */
        public ArchiveSink build() {
            if (dir == null) {
                throw new IllegalArgumentException("archive directory is not set");
            }
            Objects.requireNonNull(format, "format");
            if (maxSegmentDuration == null || maxSegmentDuration.isNegative()) {
                throw new IllegalArgumentException("max segment duration " + maxSegmentDuration
                        + " is negative; expected 0 (no limit) or more");
            }
            if (maxSegmentBytes < 0) {
                throw new IllegalArgumentException("max segment size " + maxSegmentBytes
                        + " bytes is negative; expected 0 (no limit) or more");
            }
            if (maxSegmentDuration.isZero() && maxSegmentBytes == 0) {
                throw new IllegalArgumentException("neither a segment duration nor a segment size is set: segments would"
                        + " never roll; set maxSegmentDuration or maxSegmentBytes");
            }
            if (retainFor == null || retainFor.isNegative()) {
                throw new IllegalArgumentException("retention age " + retainFor + " is negative; expected 0 (keep) or more");
            }
            if (retainBytesPerChannel < 0) {
                throw new IllegalArgumentException("retention size " + retainBytesPerChannel
                        + " bytes is negative; expected 0 (no limit) or more");
            }
            return new ArchiveSink(this);
        }
    }
}

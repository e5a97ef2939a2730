package io.vencflow.connectors.archive.internal;

import io.vencflow.connectors.archive.SegmentFormat;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends each channel's access units to its open segment and seals the segment at an IDR once it has
 * reached the duration or size limit; sealed segments are handed to the committer at the next
 * checkpoint, which makes them visible.
 *
 * <p>Exactly-once: at a checkpoint, open segments are synced and their lengths go into the writer
 * state. A restored writer cuts each open segment of its state back to those lengths and seals it
 * there; the frames after the checkpoint are replayed by the job and go into a new segment, which
 * starts with the IDR the restored encoder begins with. So no frame is in two segments and none is
 * missing. Restored segments are sealed rather than continued because after a change of parallelism the
 * state may land in a subtask that no longer receives that channel.
 *
 * <p>A channel's access units before its first IDR cannot start a decodable segment; they are dropped
 * and counted ({@code accessUnitsBeforeFirstIdr}). Task thread only.
 */
public final class ArchiveWriter implements StatefulSinkWriter<EncodedFrame, SegmentState>,
        CommittingSinkWriter<EncodedFrame, SegmentCommittable> {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveWriter.class);

    private final ArchiveLayout layout;
    private final SegmentFormat format;
    private final long maxDurationMicros;
    private final long maxBytes;
    private final Map<String, OpenSegment> open = new HashMap<>();
    private final List<SegmentCommittable> sealed = new ArrayList<>();
    private final Set<String> annexBOnly = new HashSet<>();
    private final Counter beforeFirstIdr;
    private final Counter segmentsSealed;

    public ArchiveWriter(ArchiveLayout layout, SegmentFormat format, long maxDurationMicros, long maxBytes,
            MetricGroup metrics, Collection<SegmentState> restored) throws IOException {
        this.layout = layout;
        this.format = format;
        this.maxDurationMicros = maxDurationMicros;
        this.maxBytes = maxBytes;
        this.beforeFirstIdr = metrics.counter("accessUnitsBeforeFirstIdr");
        this.segmentsSealed = metrics.counter("segmentsSealed");
        for (SegmentState s : restored) {
            try {
                seal(OpenSegment.resume(layout, s));
            } catch (NoSuchFileException e) {
                LOG.warn("archive segment {}/{} of the restored checkpoint is gone ({}); was the job restored from an"
                        + " older checkpoint than its latest? Its frames are not written again", s.channel(),
                        s.baseName(), e.getMessage());
            }
        }
    }

    @Override
    public void write(EncodedFrame au, Context context) throws IOException {
        OpenSegment s = open.get(au.channel());
        if (s == null) {
            if (!au.keyframe()) {
                beforeFirstIdr.inc();
                if (beforeFirstIdr.getCount() <= 3) {
                    LOG.warn("archive: {} is not an IDR and channel {} has no open segment; dropped (a segment must start"
                            + " with an IDR to be decodable)", au, au.channel());
                }
                return;
            }
            s = OpenSegment.start(layout, au);
            open.put(au.channel(), s);
        } else if (au.keyframe() && s.isFull(au, maxDurationMicros, maxBytes)) {
            open.remove(au.channel());
            seal(s);
            s = OpenSegment.start(layout, au);
            open.put(au.channel(), s);
        }
        s.append(au);
    }

    private void seal(OpenSegment s) throws IOException {
        s.close();
        long length = s.dataLength();
        SegmentFormat written = format;
        if (format == SegmentFormat.MP4 && s.codec() != Codec.H264) {
            written = SegmentFormat.ANNEX_B;
            if (annexBOnly.add(s.channel())) {
                LOG.warn("archive: channel {} is {}; MP4 segments hold H.264 only (JCodec's muxer has no HEVC sample"
                        + " entry), so its segments are Annex-B .{}", s.channel(), s.codec(), s.codec().id());
            }
        } else if (format == SegmentFormat.MP4) {
            length = Mp4Segments.mux(s.dataFile(), s.indexFile(), s.codec(),
                    s.dataFile().resolveSibling(s.baseName() + ".mp4.part"));
        }
        sealed.add(new SegmentCommittable(s.channel(), s.baseName(), s.codec(), written, length, s.frames()));
        segmentsSealed.inc();
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
        if (endOfInput) {
            for (OpenSegment s : open.values()) {
                seal(s);
            }
            open.clear();
        } else {
            for (OpenSegment s : open.values()) {
                s.sync();
            }
        }
    }

    @Override
    public Collection<SegmentCommittable> prepareCommit() {
        List<SegmentCommittable> out = new ArrayList<>(sealed);
        sealed.clear();
        return out;
    }

    @Override
    public List<SegmentState> snapshotState(long checkpointId) {
        List<SegmentState> out = new ArrayList<>(open.size());
        for (OpenSegment s : open.values()) {
            out.add(s.state());
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (OpenSegment s : open.values()) {
            try {
                s.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }
}

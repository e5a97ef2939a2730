package io.vencflow.connectors.archive.internal;

import io.vencflow.connectors.archive.ArchiveSegments.Segment;
import io.vencflow.connectors.archive.SegmentFormat;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sealed segments visible once their checkpoint has completed: moves
 * {@code .inprogress/<name>.part} to {@code <name>} in one atomic rename and removes the segment's
 * in-progress leftovers; then applies retention to the channels it touched. Committing again what is
 * committed already (a restore repeats the commits of its checkpoint) is recognised and skipped.
 */
public final class SegmentCommitter implements Committer<SegmentCommittable> {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentCommitter.class);

    private final ArchiveLayout layout;
    private final Retention retention;
    private final Counter committed;
    private final Counter deleted;

    public SegmentCommitter(ArchiveLayout layout, Retention retention, MetricGroup metrics) {
        this.layout = layout;
        this.retention = retention;
        this.committed = metrics.counter("segmentsCommitted");
        this.deleted = metrics.counter("segmentsDeletedByRetention");
    }

    @Override
    public void commit(Collection<CommitRequest<SegmentCommittable>> requests) throws IOException {
        Set<String> channels = new TreeSet<>();
        for (CommitRequest<SegmentCommittable> r : requests) {
            SegmentCommittable c = r.getCommittable();
            Path inProgress = layout.inProgressDir(c.channel());
            Path part = inProgress.resolve(c.partName());
            Path target = layout.channelDir(c.channel()).resolve(c.finalName());
            channels.add(c.channel());
            if (Files.exists(part)) {
                try (FileChannel f = FileChannel.open(part, StandardOpenOption.WRITE)) {
                    if (f.size() > c.length()) {
                        f.truncate(c.length());
                    }
                    f.force(true);
                }
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                syncFolder(target.getParent());
                committed.inc();
            } else if (Files.exists(target) && Files.size(target) == c.length()) {
                r.signalAlreadyCommitted();
            } else {
                r.signalFailedWithKnownReason(new IOException("archive segment " + c.channel() + "/" + c.finalName()
                        + " is neither in progress (" + part + ") nor committed; its " + c.frames() + " frames are lost"));
                LOG.error("archive segment {}/{} is neither in progress nor committed; its {} frames are lost",
                        c.channel(), c.finalName(), c.frames());
                continue;
            }
            // What the committed file was made from is no longer needed.
            String ext = c.codec().id();
            Files.deleteIfExists(inProgress.resolve(c.baseName() + "." + ext + ".idx"));
            if (c.format() == SegmentFormat.MP4) {
                Files.deleteIfExists(inProgress.resolve(c.baseName() + "." + ext + ".part"));
            }
        }
        for (String channel : channels) {
            for (Segment s : retention.expired(layout.committedSegments(channel))) {
                Files.deleteIfExists(s.path());
                deleted.inc();
            }
        }
    }

    private static void syncFolder(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Not every file system lets a folder be opened; the rename itself is atomic regardless.
        }
    }

    @Override
    public void close() {
    }
}

package io.vencflow.connectors.archive.internal;

import io.vencflow.connectors.archive.ArchiveSegments.Segment;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Which committed segments of a channel to delete: oldest first, while a segment started more than
 * {@code maxAgeMicros} before the newest one started, or while the channel's segments together exceed
 * {@code maxBytes}. The newest segment is always kept. 0 turns a limit off. Ages are measured in the
 * archive's own time (capture times), not the wall clock, so a replayed archive keeps what it would
 * have kept live.
 */
public record Retention(long maxAgeMicros, long maxBytes) implements Serializable {

    public List<Segment> expired(List<Segment> oldestFirst) throws IOException {
        List<Segment> out = new ArrayList<>();
        if (oldestFirst.size() < 2 || (maxAgeMicros <= 0 && maxBytes <= 0)) {
            return out;
        }
        long newestStart = oldestFirst.get(oldestFirst.size() - 1).startPtsMicros();
        long total = 0;
        long[] sizes = new long[oldestFirst.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = Files.size(oldestFirst.get(i).path());
            total += sizes[i];
        }
        for (int i = 0; i < oldestFirst.size() - 1; i++) {
            Segment s = oldestFirst.get(i);
            boolean tooOld = maxAgeMicros > 0 && newestStart - s.startPtsMicros() > maxAgeMicros;
            boolean tooBig = maxBytes > 0 && total > maxBytes;
            if (!tooOld && !tooBig) {
                break;
            }
            out.add(s);
            total -= sizes[i];
        }
        return out;
    }
}

package io.vencflow.connectors.archive;

import io.vencflow.connectors.archive.internal.ArchiveLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads an archive's layout: {@code <dir>/<channel>/<startPtsMicros>-<startSequence>.<ext>}, both
 * numbers zero-padded to 20 digits so names sort in time order. Only committed segments are listed;
 * files being written live under {@code <dir>/<channel>/.inprogress/} and are never listed.
 */
public final class ArchiveSegments {
    private ArchiveSegments() {
    }

    /** One committed segment: its file and the start time and sequence read from its name. */
    public record Segment(Path path, String channel, long startPtsMicros, long startSequence, String extension) {
    }

    /** The channels that have a folder in {@code dir}, sorted. */
    public static List<String> channels(Path dir) throws IOException {
        return ArchiveLayout.channels(dir);
    }

    /** The committed segments of {@code channel}, oldest first; empty when the channel has none. */
    public static List<Segment> list(Path dir, String channel) throws IOException {
        return new ArchiveLayout(dir).committedSegments(channel);
    }
}

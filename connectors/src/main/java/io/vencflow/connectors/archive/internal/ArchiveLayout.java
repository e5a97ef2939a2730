package io.vencflow.connectors.archive.internal;

import io.vencflow.connectors.archive.ArchiveSegments.Segment;
import io.vencflow.core.frame.ChannelId;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an archive keeps what: {@code <dir>/<channel>/} holds the committed segments, named
 * {@code <startPtsMicros>-<startSequence>.<ext>} with both numbers zero-padded to 20 digits (lexical
 * order is time order); {@code <dir>/<channel>/.inprogress/} holds segments being written
 * ({@code <name>.part} and its frame index {@code <name>.idx}), and MP4 files being muxed
 * ({@code <name>.mp4.part}). Channel ids are checked so that none can name a path outside
 * {@code <dir>}. Immutable.
 */
public final class ArchiveLayout implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String IN_PROGRESS = ".inprogress";
    private static final Pattern SEGMENT = Pattern.compile("(\\d{20})-(\\d{20})\\.(h264|h265|mp4)");

    private final String dir;

    public ArchiveLayout(Path dir) {
        this.dir = dir.toAbsolutePath().normalize().toString();
    }

    public Path dir() {
        return Path.of(dir);
    }

    /**
     * The folder of {@code channel}: {@code <dir>/<channel>}.
     *
     * @throws IllegalArgumentException when the id is not a channel id, or would resolve (also through a
     *     symbolic link already in place) to a path outside {@code <dir>}
     */
    public Path channelDir(String channel) {
        ChannelId.check(channel);
        Path base = dir();
        Path resolved = base.resolve(channel).normalize();
        if (!resolved.startsWith(base) || resolved.equals(base) || resolved.getNameCount() != base.getNameCount() + 1) {
            throw new IllegalArgumentException("channel id '" + channel + "' would name " + resolved
                    + ", not a folder directly inside the archive " + base);
        }
        if (Files.exists(resolved)) {
            try {
                Path real = resolved.toRealPath();
                Path realBase = base.toRealPath();
                if (!real.startsWith(realBase) || real.equals(realBase)) {
                    throw new IllegalArgumentException("channel folder " + resolved + " leads to " + real
                            + ", outside the archive " + realBase);
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot resolve channel folder " + resolved + ": " + e, e);
            }
        }
        return resolved;
    }

    public Path inProgressDir(String channel) {
        return channelDir(channel).resolve(IN_PROGRESS);
    }

    /** {@code <startPtsMicros>-<startSequence>}, zero-padded; a negative start time is written as 0. */
    public static String baseName(long startPtsMicros, long startSequence) {
        return String.format(Locale.ROOT, "%020d-%020d", Math.max(0, startPtsMicros), startSequence);
    }

    /** The committed segments of a channel, oldest first. */
    public List<Segment> committedSegments(String channel) throws IOException {
        Path d = channelDir(channel);
        List<Segment> out = new ArrayList<>();
        if (!Files.isDirectory(d)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(d)) {
            for (Path f : files) {
                Matcher m = SEGMENT.matcher(f.getFileName().toString());
                if (m.matches() && Files.isRegularFile(f)) {
                    out.add(new Segment(f, channel, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(3)));
                }
            }
        }
        out.sort(Comparator.comparing(s -> s.path().getFileName().toString()));
        return out;
    }

    /** The start sequence in a segment or in-progress file name, or -1 when the name is not one. */
    public static long startSequenceOf(String fileName) {
        int dash = fileName.indexOf('-');
        if (dash != 20 || fileName.length() < 41) {
            return -1;
        }
        try {
            return Long.parseLong(fileName.substring(21, 41));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The channel folders of an archive, sorted; folders whose name is no channel id are left out. */
    public static List<String> channels(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p) && ChannelId.isValid(name)) {
                    out.add(name);
                }
            }
        }
        out.sort(null);
        return out;
    }
}

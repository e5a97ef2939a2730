package io.vencflow.connectors.archive.internal;

import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One channel's segment being written: the access units appended as Annex-B to
 * {@code .inprogress/<base>.<codec>.part}, and per access unit an index entry (pts, size, keyframe:
 * {@value #INDEX_ENTRY_BYTES} bytes) in {@code .inprogress/<base>.<codec>.idx}, which an MP4 muxer
 * reads. Not thread-safe (the writer's task thread).
 */
final class OpenSegment implements Closeable {
    static final int INDEX_ENTRY_BYTES = 16;

    private final String channel;
    private final String baseName;
    private final Codec codec;
    private final long startPtsMicros;
    private final long startSequence;
    private final Path data;
    private final Path index;
    private final FileChannel dataOut;
    private final FileChannel indexOut;
    private final ByteBuffer entry = ByteBuffer.allocate(INDEX_ENTRY_BYTES);
    private long dataLength;
    private long indexLength;
    private int frames;

    private OpenSegment(String channel, String baseName, Codec codec, long startPtsMicros, long startSequence, Path data,
            Path index, long dataLength, long indexLength, int frames) throws IOException {
        this.channel = channel;
        this.baseName = baseName;
        this.codec = codec;
        this.startPtsMicros = startPtsMicros;
        this.startSequence = startSequence;
        this.data = data;
        this.index = index;
        this.dataOut = FileChannel.open(data, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        this.indexOut = FileChannel.open(index, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        this.dataLength = dataLength;
        this.indexLength = indexLength;
        this.frames = frames;
        // Cut back to the checkpointed lengths (new files: to 0); then append from there.
        dataOut.truncate(dataLength);
        indexOut.truncate(indexLength);
        dataOut.position(dataLength);
        indexOut.position(indexLength);
    }

    /**
     * A new segment starting with {@code first} (an IDR). In-progress files of this channel that start at
     * or after its sequence are left over from an attempt that failed after the last checkpoint (the job
     * replays those frames now) and are deleted first.
     */
    static OpenSegment start(ArchiveLayout layout, EncodedFrame first) throws IOException {
        Path dir = layout.inProgressDir(first.channel());
        Files.createDirectories(dir);
        deleteAbandoned(dir, first.sequence());
        String base = ArchiveLayout.baseName(first.ptsMicros(), first.sequence());
        String ext = first.codec().id();
        return new OpenSegment(first.channel(), base, first.codec(), first.ptsMicros(), first.sequence(),
                dir.resolve(base + "." + ext + ".part"), dir.resolve(base + "." + ext + ".idx"), 0, 0, 0);
    }

    /**
     * The segment of a checkpoint, its files cut back to the checkpointed lengths.
     *
     * @throws NoSuchFileException when its data file is gone (committed or deleted since)
     */
    static OpenSegment resume(ArchiveLayout layout, SegmentState s) throws IOException {
        Path dir = layout.inProgressDir(s.channel());
        String ext = s.codec().id();
        Path data = dir.resolve(s.baseName() + "." + ext + ".part");
        Path index = dir.resolve(s.baseName() + "." + ext + ".idx");
        if (!Files.exists(data)) {
            throw new NoSuchFileException(data.toString(), null, "in-progress segment of the checkpoint is gone");
        }
        long have = Files.size(data);
        if (have < s.dataLength()) {
            throw new IOException(data + " has " + have + " bytes, fewer than the " + s.dataLength()
                    + " the checkpoint saw: the file was changed outside the job");
        }
        return new OpenSegment(s.channel(), s.baseName(), s.codec(), s.startPtsMicros(), s.startSequence(), data, index,
                s.dataLength(), s.indexLength(), s.frames());
    }

    private static void deleteAbandoned(Path dir, long fromSequence) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                long seq = ArchiveLayout.startSequenceOf(f.getFileName().toString());
                if (seq >= fromSequence) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    void append(EncodedFrame au) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(au.toAnnexB());
        int size = bytes.remaining();
        while (bytes.hasRemaining()) {
            dataOut.write(bytes);
        }
        entry.clear();
        entry.putLong(au.ptsMicros()).putInt(size).putInt(au.keyframe() ? 1 : 0).flip();
        while (entry.hasRemaining()) {
            indexOut.write(entry);
        }
        dataLength += size;
        indexLength += INDEX_ENTRY_BYTES;
        frames++;
    }

    /** Whether a segment this long should end before {@code next} (an IDR). */
    boolean isFull(EncodedFrame next, long maxDurationMicros, long maxBytes) {
        return (maxDurationMicros > 0 && next.ptsMicros() - startPtsMicros >= maxDurationMicros)
                || (maxBytes > 0 && dataLength >= maxBytes);
    }

    /** Makes what was written durable, so a checkpoint's lengths survive a crash of the machine. */
    void sync() throws IOException {
        dataOut.force(false);
        indexOut.force(false);
    }

    SegmentState state() {
        return new SegmentState(channel, baseName, codec, startPtsMicros, startSequence, dataLength, indexLength, frames);
    }

    String channel() {
        return channel;
    }

    String baseName() {
        return baseName;
    }

    Codec codec() {
        return codec;
    }

    long dataLength() {
        return dataLength;
    }

    int frames() {
        return frames;
    }

    Path dataFile() {
        return data;
    }

    Path indexFile() {
        return index;
    }

    @Override
    public void close() throws IOException {
        try (dataOut; indexOut) {
            sync();
        }
    }
}

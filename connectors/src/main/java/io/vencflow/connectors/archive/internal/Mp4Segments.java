package io.vencflow.connectors.archive.internal;

import io.vencflow.core.bitstream.AnnexB;
import io.vencflow.core.bitstream.NalUnit;
import io.vencflow.core.bitstream.SequenceParameterSet;
import io.vencflow.core.codec.Codec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jcodec.common.MuxerTrack;
import org.jcodec.common.VideoCodecMeta;
import org.jcodec.common.io.FileChannelWrapper;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Packet;
import org.jcodec.common.model.Packet.FrameType;
import org.jcodec.common.model.Size;
import org.jcodec.containers.mp4.muxer.MP4Muxer;

/**
 * Muxes a sealed H.264 segment into an MP4 file with JCodec's muxer: one video track ({@code avc1},
 * its {@code avcC} built from the SPS/PPS in the stream, samples length-prefixed), a 90 kHz timescale,
 * each sample's duration the time to the next capture time (the last one the same as the one before),
 * so the file's duration is the segment's. JCodec has no H.265 sample entry; H.265 segments stay Annex-B.
 */
final class Mp4Segments {
    static final int TIMESCALE = 90_000;
    /** The duration of a segment's only frame: one frame at 30 fps. */
    private static final long SINGLE_FRAME_TICKS = TIMESCALE / 30;

    private Mp4Segments() {
    }

    /**
     * Writes {@code out} from a segment's Annex-B data and its index (pts, size, keyframe per access
     * unit); returns the MP4's length in bytes.
     */
    static long mux(Path annexB, Path index, Codec codec, Path out) throws IOException {
        if (codec != Codec.H264) {
            throw new IllegalArgumentException("MP4 segments hold H.264 only; " + annexB + " is " + codec);
        }
        ByteBuffer entries = readAll(index);
        int count = entries.remaining() / OpenSegment.INDEX_ENTRY_BYTES;
        long[] pts = new long[count];
        int[] sizes = new int[count];
        boolean[] key = new boolean[count];
        for (int i = 0; i < count; i++) {
            pts[i] = entries.getLong();
            sizes[i] = entries.getInt();
            key[i] = entries.getInt() != 0;
        }
        try (FileChannel data = FileChannel.open(annexB, StandardOpenOption.READ);
                FileChannelWrapper file = new FileChannelWrapper(FileChannel.open(out, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))) {
            MP4Muxer muxer = MP4Muxer.createMP4MuxerToChannel(file);
            MuxerTrack track = null;
            long previousTicks = SINGLE_FRAME_TICKS;
            for (int i = 0; i < count; i++) {
                ByteBuffer au = ByteBuffer.allocate(sizes[i]);
                while (au.hasRemaining()) {
                    if (data.read(au) < 0) {
                        throw new IOException(annexB + " ends inside access unit " + i + " of " + count);
                    }
                }
                au.flip();
                if (track == null) {
                    track = muxer.addVideoTrack(org.jcodec.common.Codec.H264, meta(au));
                }
                // Durations from the rounded start times, so that they add up to the segment's span exactly.
                long start = toTicks(pts[i] - pts[0]);
                long ticks = i + 1 < count ? toTicks(pts[i + 1] - pts[0]) - start : previousTicks;
                previousTicks = Math.max(1, ticks);
                track.addFrame(Packet.createPacket(au, start, TIMESCALE, previousTicks, i,
                        key[i] ? FrameType.KEY : FrameType.INTER, null));
            }
            muxer.finish();
            return file.size();
        }
    }

    /** Microseconds to 90 kHz ticks, rounded to the nearest. */
    private static long toTicks(long micros) {
        return Math.floorDiv(micros * 9 + 50, 100);
    }

    /** The picture size from the first access unit's SPS (cropping applied). */
    private static VideoCodecMeta meta(ByteBuffer firstAccessUnit) {
        byte[] bytes = new byte[firstAccessUnit.remaining()];
        firstAccessUnit.duplicate().get(bytes);
        for (AnnexB.Range r : AnnexB.scan(bytes)) {
            if (NalUnit.type(Codec.H264, bytes[r.offset()]) == NalUnit.H264_SPS) {
                SequenceParameterSet sps = SequenceParameterSet.parse(Codec.H264, bytes, r.offset(), r.length());
                return VideoCodecMeta.createSimpleVideoCodecMeta(new Size(sps.width(), sps.height()), ColorSpace.YUV420);
            }
        }
        throw new IllegalArgumentException("the segment's first access unit carries no SPS; it cannot start an MP4");
    }

    private static ByteBuffer readAll(Path p) throws IOException {
        try (FileChannel c = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate((int) c.size());
            while (b.hasRemaining() && c.read(b) >= 0) {
                // read on
            }
            return b.flip();
        }
    }
}

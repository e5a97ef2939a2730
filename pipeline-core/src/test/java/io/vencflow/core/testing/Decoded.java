package io.vencflow.core.testing;

import io.vencflow.core.bitstream.AccessUnitAssembler;
import io.vencflow.core.bitstream.NalUnit;
import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.Codec;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.Pack;
import io.vencflow.core.codec.VideoDecoder;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.quality.PlaneStats;
import java.util.ArrayList;
import java.util.List;

/**
 * A stream decoded by FFmpeg's libavcodec (the reference decoder of the tests): the frames in display
 * order and the number of decode errors.
 */
public record Decoded(List<Frame> frames, long errors) {

    /** Decodes access units in order with libavcodec. */
    public static Decoded of(List<EncodedFrame> accessUnits) {
        return of(accessUnits, Backend.FFMPEG);
    }

    public static Decoded of(List<EncodedFrame> accessUnits, Backend backend) {
        if (accessUnits.isEmpty()) {
            return new Decoded(List.of(), 0);
        }
        List<Frame> frames = new ArrayList<>();
        try (VideoDecoder decoder = VideoDecoder.open(accessUnits.get(0).codec(), backend)) {
            for (EncodedFrame au : accessUnits) {
                frames.addAll(decoder.decode(au));
            }
            frames.addAll(decoder.flush());
            return new Decoded(frames, decoder.errors());
        }
    }

    /** Decodes a whole Annex-B stream: split into access units, then decoded in order. */
    public static Decoded ofAnnexB(Codec codec, byte[] stream) {
        return of(accessUnits(codec, stream, "stream"));
    }

    /** The access units of an Annex-B stream as EncodedFrames with sequences 0, 1, ... */
    public static List<EncodedFrame> accessUnits(Codec codec, byte[] stream, String channel) {
        List<EncodedFrame> out = new ArrayList<>();
        long gop = -1;
        int position = 0;
        for (List<byte[]> au : AccessUnitAssembler.split(codec, stream)) {
            List<Pack> packs = new ArrayList<>();
            boolean key = false;
            for (byte[] nal : au) {
                Pack p = Pack.of(codec, nal);
                packs.add(p);
                key |= NalUnit.isRandomAccess(codec, p.nalType());
            }
            if (key) {
                gop++;
                position = 0;
            } else {
                position++;
            }
            out.add(new EncodedFrame(channel, out.size(), out.size() * 33_333L, codec, 16, 16, key, Math.max(0, gop),
                    position, packs));
        }
        return out;
    }

    /** Per-plane PSNR of the decoded frames against the sources, matched by sequence. */
    public PlaneStats against(List<Frame> sources) {
        if (frames.size() != sources.size()) {
            throw new AssertionError("decoded " + frames.size() + " frames of " + sources.size());
        }
        PlaneStats stats = new PlaneStats();
        for (int i = 0; i < frames.size(); i++) {
            Frame d = frames.get(i);
            Frame s = sources.get(i);
            if (d.sequence() != s.sequence()) {
                throw new AssertionError("decoded frame " + i + " has sequence " + d.sequence() + ", source has "
                        + s.sequence());
            }
            stats.add(s, d);
        }
        return stats;
    }
}

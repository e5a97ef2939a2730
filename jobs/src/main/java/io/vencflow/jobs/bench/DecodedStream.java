package io.vencflow.jobs.bench;

import io.vencflow.core.codec.Backend;
import io.vencflow.core.codec.EncodedFrame;
import io.vencflow.core.codec.VideoDecoder;
import io.vencflow.core.frame.Frame;
import io.vencflow.core.quality.PlaneStats;
import java.util.ArrayList;
import java.util.List;

/**
 * An encoded stream as libavcodec decodes it: its size, its per-plane quality against the source
 * frames, and the decode errors (rejected packets, corrupt frames, and frames missing or extra).
 */
record DecodedStream(long bytes, PlaneStats quality, long decodeErrors) {

    static DecodedStream of(List<EncodedFrame> encoded, List<Frame> source) {
        long bytes = 0;
        List<Frame> decoded = new ArrayList<>();
        long errors;
        try (VideoDecoder decoder = VideoDecoder.open(encoded.get(0).codec(), Backend.FFMPEG)) {
            for (EncodedFrame e : encoded) {
                bytes += e.annexBSize();
                decoded.addAll(decoder.decode(e));
            }
            decoded.addAll(decoder.flush());
            errors = decoder.errors();
        }
        PlaneStats stats = new PlaneStats();
        for (int i = 0; i < Math.min(decoded.size(), source.size()); i++) {
            stats.add(source.get(i), decoded.get(i));
        }
        errors += Math.abs(source.size() - decoded.size());
        return new DecodedStream(bytes, stats, errors);
    }
}

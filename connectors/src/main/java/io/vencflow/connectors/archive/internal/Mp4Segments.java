package io.vencflow.connectors.archive.internal;

import io.vencflow.core.codec.Codec;
import java.io.IOException;
import java.nio.file.Path;

/** Muxes a sealed Annex-B segment into an MP4 file. */
final class Mp4Segments {
    private Mp4Segments() {
    }

    /** Writes {@code out} from the segment's data and index files; returns its length in bytes. */
    static long mux(Path annexB, Path index, Codec codec, Path out) throws IOException {
        throw new UnsupportedOperationException("MP4 segments are not written yet");
    }
}

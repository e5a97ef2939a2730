package io.vencflow.connectors.archive;

import io.vencflow.core.codec.Codec;

/** How archive segments are stored. */
public enum SegmentFormat {
    /** The access units appended as an Annex-B elementary stream: {@code .h264} or {@code .h265}. */
    ANNEX_B,
    /** An MP4 file with one video track ({@code .mp4}); H.264 only. */
    MP4;

    /** The file name extension of a segment of {@code codec}, without the dot. */
    public String extension(Codec codec) {
        return this == MP4 ? "mp4" : codec.id();
    }
}

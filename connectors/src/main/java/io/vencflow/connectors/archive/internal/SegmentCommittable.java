package io.vencflow.connectors.archive.internal;

import io.vencflow.connectors.archive.SegmentFormat;
import io.vencflow.core.codec.Codec;

/**
 * A finished segment waiting for its checkpoint to complete: the committer then moves
 * {@code .inprogress/<baseName>.<ext>.part} to {@code <baseName>.<ext>}, cut to {@code length} bytes.
 */
public record SegmentCommittable(String channel, String baseName, Codec codec, SegmentFormat format, long length,
        int frames) {

    /** The file name extension of the committed segment. */
    public String extension() {
        return format.extension(codec);
    }

    public String finalName() {
        return baseName + "." + extension();
    }

    public String partName() {
        return finalName() + ".part";
    }
}

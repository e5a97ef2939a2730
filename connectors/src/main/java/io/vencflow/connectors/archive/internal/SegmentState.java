package io.vencflow.connectors.archive.internal;

import io.vencflow.core.codec.Codec;

/**
 * An open segment as a checkpoint saw it: its channel, its base name ({@code <startPtsMicros>-<startSequence>}),
 * codec, and the lengths of its in-progress data and index files at the checkpoint. A restored writer
 * cuts both files back to these lengths, which drops whatever was written after the checkpoint (the
 * job replays it), so no frame is in a segment twice.
 */
public record SegmentState(String channel, String baseName, Codec codec, long startPtsMicros, long startSequence,
        long dataLength, long indexLength, int frames) {
}

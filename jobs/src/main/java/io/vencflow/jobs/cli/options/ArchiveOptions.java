package io.vencflow.jobs.cli.options;

import io.vencflow.jobs.cli.Converters;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The rolling file archive: where, how segments roll, and what is kept. */
public final class ArchiveOptions {
    @Option(names = "--out", description = "archive folder: segments under <out>/<channel>/")
    public Path out;

    @Option(names = "--segment-seconds", defaultValue = "10",
            description = "a segment ends at the first IDR this many seconds after its start (default: ${DEFAULT-VALUE})")
    public double segmentSeconds;

    @Option(names = "--segment-bytes", converter = Converters.ByteSizeConverter.class, defaultValue = "0",
            description = "a segment also ends at the first IDR past this size, e.g. 64M; 0 = no limit (default: ${DEFAULT-VALUE})")
    public long segmentBytes;

    @Option(names = "--retention", converter = Converters.DurationConverter.class, defaultValue = "0s",
            description = "delete a channel's segments older than this, e.g. 24h; 0s = keep (default: ${DEFAULT-VALUE})")
    public Duration retention;

    @Option(names = "--retention-bytes", converter = Converters.ByteSizeConverter.class, defaultValue = "0",
            description = "delete a channel's oldest segments beyond this total, e.g. 10G; 0 = no limit (default: ${DEFAULT-VALUE})")
    public long retentionBytes;

    @Option(names = "--mp4", description = "write MP4 segments instead of Annex-B (H.264 channels)")
    public boolean mp4;
}

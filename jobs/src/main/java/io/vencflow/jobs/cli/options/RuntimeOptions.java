package io.vencflow.jobs.cli.options;

import io.vencflow.jobs.cli.Converters;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How the job runs: checkpoints and where they live, parallelism, per-channel encoder overrides. */
public final class RuntimeOptions {
    @Option(names = "--state-dir",
            description = "keeps checkpoints here; a job started again with the same folder resumes from its latest "
                    + "completed checkpoint (default: none, no resume)")
    public Path stateDir;

    @Option(names = "--checkpoint-interval", converter = Converters.DurationConverter.class, defaultValue = "2s",
            description = "checkpoint every this long; exactly-once output becomes visible at each (default: ${DEFAULT-VALUE})")
    public Duration checkpointInterval;

    @Option(names = "--parallelism", defaultValue = "0",
            description = "parallel subtasks; 0 = one per channel up to the cores here (default: ${DEFAULT-VALUE})")
    public int parallelism;

    @Option(names = "--config", description = "per-channel encoder overrides, .yaml/.yml or .properties (see README)")
    public Path configFile;

    /** Checks values, naming the flag. */
    public void check() {
        if (checkpointInterval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("--checkpoint-interval " + checkpointInterval.toMillis()
                    + "ms is too short; expected 100ms or more");
        }
        if (parallelism < 0 || parallelism > 1024) {
            throw new IllegalArgumentException("--parallelism " + parallelism + " is out of range; expected 0..1024");
        }
    }
}

package io.vencflow.jobs.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The checkpoints of a state folder: Flink writes each completed one as
 * {@code <dir>/<job id>/chk-<n>/_metadata} (a checkpoint still in progress has no {@code _metadata},
 * also after the process was killed), and keeps it when the job is cancelled or dies.
 */
public final class CheckpointStore {
    private CheckpointStore() {
    }

    /** The newest completed checkpoint under {@code dir}, across every earlier run's job id. */
    public static Optional<Path> latest(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> jobs = Files.list(dir)) {
            return jobs.filter(Files::isDirectory)
                    .flatMap(CheckpointStore::checkpointsOf)
                    .filter(chk -> Files.isRegularFile(chk.resolve("_metadata")))
                    .max(Comparator.comparing(CheckpointStore::completedAt));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + dir, e);
        }
    }

    /** The newest savepoint under {@code dir} ({@code savepoint-*}/_metadata), as a draining stop leaves. */
    public static Optional<Path> latestSavepoint(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("savepoint-"))
                    .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
                    .max(Comparator.comparing(CheckpointStore::completedAt));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list savepoints in " + dir, e);
        }
    }

    /** Whichever of two completed checkpoints or savepoints was written last. */
    public static Optional<Path> newest(Optional<Path> a, Optional<Path> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return completedAt(a.get()).compareTo(completedAt(b.get())) >= 0 ? a : b;
    }

    private static Stream<Path> checkpointsOf(Path jobDir) {
        try (Stream<Path> s = Files.list(jobDir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("chk-")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + jobDir, e);
        }
    }

    private static FileTime completedAt(Path chk) {
        try {
            return Files.getLastModifiedTime(chk.resolve("_metadata"));
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}

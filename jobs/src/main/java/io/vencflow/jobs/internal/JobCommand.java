package io.vencflow.jobs.internal;

import io.vencflow.jobs.cli.options.RuntimeOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every vencflow job shares: the Flink configuration from the runtime flags (checkpoints, resume
 * from the state folder's latest checkpoint, restarts, parallelism), the choice between a local run
 * (this JVM, a MiniCluster) and a cluster ({@code flink run}), and the run itself: submit, report,
 * and on Ctrl-C or the end of a bounded run stop with a draining savepoint so every sink commits.
 *
 * <p>A job class is a picocli command and has a {@code main} for {@code flink run -c}; on a cluster
 * it only builds and submits the dataflow.
 */
public abstract class JobCommand implements java.util.concurrent.Callable<Integer> {
    /** State kept across parallelism changes: fixed key groups. */
    private static final int MAX_PARALLELISM = 128;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);

    @Spec
    protected CommandSpec spec;

    @Mixin
    protected RuntimeOptions runtime;

    private volatile JobClient client;
    private int resolvedParallelism;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private Path savepointDir;

    /** The job's name in Flink; also names its transactional ids and consumer group. */
    protected abstract String jobName();

    /** How many channels the job has, when known before it runs (for parallelism and partitions). */
    protected abstract int channelCount();

    /** Checks the flags together, naming what is wrong; before anything starts. */
    protected void checkOptions() {
    }

    /** Opens what the dataflow needs outside Flink (a Kafka endpoint, ...); closed after the run. */
    protected AutoCloseable openResources(boolean local, PrintWriter out) throws Exception {
        return () -> { };
    }

    /** Builds the dataflow. */
    protected abstract void define(StreamExecutionEnvironment env, boolean local) throws Exception;

    /** Called once the job runs here: print where its output is. */
    protected void started(PrintWriter out) throws Exception {
    }

    /**
     * Called about once a second while the job runs here; returns true when the job should now be
     * stopped (drained), as a bounded demo does.
     */
    protected boolean tick(PrintWriter out) throws Exception {
        return false;
    }

    /**
     * Called after the job ended here (normally or stopped), before resources close.
     *
     * @param result the job's result with its accumulators (the encoders' totals), when it has one
     */
    protected void finished(PrintWriter out, boolean drained, Optional<JobExecutionResult> result) throws Exception {
    }

    /**
     * Runs {@code job} as a program: what the job classes' {@code main} methods do, so that
     * {@code flink run -c <job class> vencflow.jar <flags>} takes the flags {@code vencflow <command>} takes.
     */
    protected static void main(JobCommand job, String[] args) {
        int code = io.vencflow.jobs.cli.Vencflow.configure(new picocli.CommandLine(job)).execute(args);
        if (code != 0) {
            // Not System.exit: under flink run-application this main runs inside the JobManager.
            throw new IllegalStateException("vencflow " + job.jobName() + " failed (exit code " + code + ")");
        }
    }

    /**
     * Auto parallelism of a local run. Channels go to subtasks by the hash of their id, which spreads a
     * few channels unevenly (4 over 2 subtasks is often 3:1, and the busy subtask falls behind); so up to
     * 4 channels a core, one subtask whose encoders use every core; beyond, a subtask a core.
     */
    private int autoParallelism() {
        int cores = Runtime.getRuntime().availableProcessors();
        return channelCount() < 4 * cores ? 1 : Math.min(cores, channelCount());
    }

    /**
     * Threads per encoder: --threads when given; else every core when the job runs one subtask, and one
     * when parallelism comes from channels.
     */
    protected int encoderThreads(int flagValue) {
        if (given("--threads")) {
            return flagValue;
        }
        return resolvedParallelism == 1 ? 0 : 1;
    }

    /** Whether {@code option} was given on the command line (not left to its default). */
    protected boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Override
    public final Integer call() throws Exception {
        runtime.check();
        checkOptions();
        PrintWriter out = out();
        Configuration conf = configuration(out);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        boolean local = "local".equals(env.getConfiguration().get(DeploymentOptions.TARGET));
        resolvedParallelism = runtime.parallelism > 0 ? runtime.parallelism : local ? autoParallelism() : 0;
        if (resolvedParallelism > 0) {
            env.setParallelism(resolvedParallelism);
        }
        try (AutoCloseable resources = openResources(local, out)) {
            define(env, local);
            client = env.executeAsync(jobName());
            if (!local && !env.getConfiguration().get(DeploymentOptions.ATTACHED)) {
                out.println("submitted job " + client.getJobID());
                out.flush();
                return 0;
            }
            if (local) {
                StopSignals.onInterrupt(this::stopFromSignal);
            }
            started(out);
            out.flush();
            boolean drained = await(out, local);
            finished(out, drained, result());
            out.flush();
            return 0;
        } finally {
            client = null;
        }
    }

    private boolean await(PrintWriter out, boolean local) throws Exception {
        CompletableFuture<JobExecutionResult> result = client.getJobExecutionResult();
        boolean drained = false;
        while (!result.isDone()) {
            try {
                result.get(1, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                if (local && !stopping.get() && tick(out)) {
                    stop(out);
                    drained = true;
                }
                out.flush();
            } catch (java.util.concurrent.ExecutionException e) {
                if (stopping.get()) {
                    break; // stopped with a savepoint: the result reports the stop
                }
                throw new IllegalStateException("job " + jobName() + " failed: " + rootMessage(e), e.getCause());
            }
        }
        return drained || stopping.get();
    }

    private Optional<JobExecutionResult> result() {
        try {
            return Optional.of(client.getJobExecutionResult().get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** Each channel's encoder totals of the run, from the job's accumulators: frames, keyframes, bytes. */
    protected static java.util.Map<String, long[]> encoderTotals(Optional<JobExecutionResult> result) {
        java.util.Map<String, long[]> totals = new java.util.TreeMap<>();
        result.ifPresent(r -> r.getAllAccumulatorResults().forEach((name, value) -> {
            String prefix = io.vencflow.operators.VideoEncoding.ACCUMULATOR_PREFIX;
            if (name.startsWith(prefix) && value instanceof Long v) {
                String rest = name.substring(prefix.length());
                int dot = rest.lastIndexOf('.');
                long[] t = totals.computeIfAbsent(rest.substring(0, dot), k -> new long[3]);
                switch (rest.substring(dot + 1)) {
                    case "frames" -> t[0] = v;
                    case "keyframes" -> t[1] = v;
                    case "bytes" -> t[2] = v;
                    default -> {
                    }
                }
            }
        }));
        return totals;
    }

    private void stopFromSignal() {
        PrintWriter out = out();
        out.println();
        out.println("stopping: draining the sources and committing what was produced...");
        out.flush();
        stop(out);
    }

    /** Stops the job with a draining savepoint: sources end, a last checkpoint commits every sink. */
    private void stop(PrintWriter out) {
        JobClient c = client;
        if (c == null || !stopping.compareAndSet(false, true)) {
            return;
        }
        try {
            String where = c.stopWithSavepoint(true, savepointDir.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            out.println("stopped; savepoint " + where);
        } catch (Exception e) {
            out.println("could not stop with a savepoint (" + rootMessage(e) + "); cancelling");
            c.cancel();
        }
        out.flush();
    }

    private Configuration configuration(PrintWriter out) throws java.io.IOException {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.NAME, jobName());
        conf.set(PipelineOptions.MAX_PARALLELISM, MAX_PARALLELISM);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, runtime.checkpointInterval);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        if (runtime.stateDir != null) {
            Path state = runtime.stateDir.toAbsolutePath();
            Path checkpoints = state.resolve("checkpoints");
            Files.createDirectories(checkpoints);
            savepointDir = state.resolve("savepoints");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
            conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, savepointDir.toUri().toString());
            conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
            Optional<Path> latest = CheckpointStore.latest(checkpoints);
            Optional<Path> savepoint = CheckpointStore.latestSavepoint(savepointDir);
            Optional<Path> resume = CheckpointStore.newest(latest, savepoint);
            if (resume.isPresent()) {
                conf.set(StateRecoveryOptions.SAVEPOINT_PATH, resume.get().toUri().toString());
                out.println("resuming from " + resume.get());
            }
        } else {
            savepointDir = Files.createTempDirectory("vencflow-savepoints-");
        }
        return conf;
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }

    /** Ctrl-C and SIGTERM handling for local runs, through the JVM's signal API where it has one. */
    static final class StopSignals {
        private StopSignals() {
        }

        static void onInterrupt(Runnable action) {
            CountDownLatch once = new CountDownLatch(1);
            Runnable handler = () -> {
                if (once.getCount() > 0) {
                    once.countDown();
                    Thread t = new Thread(action, "vencflow-stop");
                    t.start();
                }
            };
            for (String name : new String[] {"INT", "TERM"}) {
                try {
                    sun.misc.Signal.handle(new sun.misc.Signal(name), s -> handler.run());
                } catch (IllegalArgumentException | UnsupportedOperationException e) {
                    // not on this platform: the JVM's default handling stays
                }
            }
        }
    }
}

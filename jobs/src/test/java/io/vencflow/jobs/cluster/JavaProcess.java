package io.vencflow.jobs.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started by a test: its stdout and stderr go to {@code <dir>/<name>.out}, its log4j output to
 * {@code <dir>/<name>.log} (through {@link #logConfig}). {@link #close()} kills it and its descendants,
 * and so does a shutdown hook when the test JVM exits first: no JVM outlives the tests.
 */
final class JavaProcess implements AutoCloseable {
    /** Every process started here that may still run: killed when this JVM exits, whatever the tests did. */
    private static final Set<Process> STARTED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }), "kill-test-jvms"));
    }

    private final String name;
    private final Process process;
    private final Path out;
    private final Path log;

    private JavaProcess(String name, Process process, Path out, Path log) {
        this.name = name;
        this.process = process;
        this.out = out;
        this.log = log;
    }

    /**
     * Starts {@code mainClass} with {@code args} on {@code classPath} in a new JVM.
     *
     * @param jvmArgs heap sizes and system properties; the log settings are added here
     */
    static JavaProcess start(String name, Path dir, String classPath, List<String> jvmArgs, String mainClass,
            List<String> args) throws IOException {
        return start(name, dir, classPath, jvmArgs, mainClass, args, Map.of());
    }

    /** {@link #start(String, Path, String, List, String, List)} with more environment variables. */
    static JavaProcess start(String name, Path dir, String classPath, List<String> jvmArgs, String mainClass,
            List<String> args, Map<String, String> environment) throws IOException {
        Path out = dir.resolve(name + ".out");
        Path log = dir.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-Dlog4j2.configurationFile=" + logConfig(dir).toUri());
        command.add("-Dlog.file=" + log);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder b = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        b.environment().putAll(environment);
        Process p = b.start();
        STARTED.add(p);
        p.onExit().thenRun(() -> STARTED.remove(p));
        return new JavaProcess(name, p, out, log);
    }

    /** The class path of this test JVM as a command line takes it (surefire/failsafe hide it behind a manifest jar). */
    static String testClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /** A log4j2 configuration writing INFO and above to the file named by the system property {@code log.file}. */
    static Path logConfig(Path dir) throws IOException {
        Path file = dir.resolve("log4j2-process.properties");
        if (!Files.exists(file)) {
            Files.writeString(file, String.join("\n",
                    "rootLogger.level = INFO",
                    "rootLogger.appenderRef.file.ref = file",
                    "appender.file.type = File",
                    "appender.file.name = file",
                    "appender.file.fileName = ${sys:log.file}",
                    "appender.file.layout.type = PatternLayout",
                    "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} [%t] - %m%n",
                    "logger.kafka.name = org.apache.kafka",
                    "logger.kafka.level = WARN",
                    // Kafka's client metrics collide in Flink's metric groups: a warning per metric.
                    "logger.metrics.name = org.apache.flink.runtime.metrics",
                    "logger.metrics.level = ERROR",
                    ""));
        }
        return file;
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** What the process printed so far. */
    String output() {
        return read(out);
    }

    /** Waits for the process to end; -1 when it is still running after {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /**
     * Kills the process and everything it started with SIGKILL (no shutdown hooks, nothing flushed),
     * and returns its exit code: 137 (128 + 9) on Linux.
     */
    int kill() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") did not end 30 s after SIGKILL");
        }
        return process.exitValue();
    }

    /** The last lines of its output and log, for a failure message. */
    String tail(int lines) {
        return "--- " + name + " (pid " + process.pid() + (process.isAlive() ? ", running" : ", exit "
                + process.exitValue()) + ") output:\n" + lastLines(read(out), lines) + "\n--- " + name + " log "
                + log + ":\n" + lastLines(read(log), lines) + "\n";
    }

    private static String lastLines(String text, int lines) {
        String[] all = text.split("\n");
        int from = Math.max(0, all.length - lines);
        return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length));
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? new String(Files.readAllBytes(p), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}

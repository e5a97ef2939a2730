package io.vencflow.jobs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.apache.flink.configuration.BlobServerOptions;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ClusterOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * A standalone Flink session cluster on 127.0.0.1 as separate JVMs: one JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and TaskManagers ({@code TaskManagerRunner}), started the
 * way Flink's {@code jobmanager.sh}/{@code taskmanager.sh} start them: a {@code config.yaml} in a
 * config folder, JVM memory flags and memory settings derived from it, a log file per process.
 *
 * <p>Their class path is what a Flink distribution's {@code lib/} provides: Flink's runtime (the jars
 * vencflow.jar nests as {@code META-INF/vencflow-runtime/} and the few it shares with vencflow, taken from
 * the test's class path) and Log4j with its SLF4J binding. Nothing of vencflow, Kafka or the Kafka
 * connector: a job brings those in its jar. {@link #close()} kills every process.
 */
final class StandaloneCluster implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    /**
     * Jars of Flink's runtime that vencflow.jar does not nest because its own code needs them too (they sit
     * at its top level), and the logging jars: a Flink distribution's lib/ has them all.
     */
    private static final List<String> LIB_JARS = List.of("commons-collections-", "commons-lang3-",
            "flink-connector-datagen-", "lz4-java-", "snappy-java-", "log4j-api-", "log4j-core-", "log4j-slf4j-impl-",
            "slf4j-api-");
    /**
     * The module openings Flink's scripts give every Flink JVM on Java 17 (a distribution's config.yaml sets
     * them as {@code env.java.opts.all}): its client, for one, reflects into {@code java.util} while it
     * builds a job.
     */
    static final List<String> JAVA_17_OPTS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED", "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Path configDir;
    private final String classPath;
    private final int restPort;
    private final JavaProcess jobManager;
    private final Map<String, JavaProcess> taskManagers = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private StandaloneCluster(Path dir, Path configDir, String classPath, int restPort, JavaProcess jobManager) {
        this.dir = dir;
        this.configDir = configDir;
        this.classPath = classPath;
        this.restPort = restPort;
        this.jobManager = jobManager;
    }

    /**
     * Writes the configuration, starts the JobManager and {@code taskManagers} TaskManagers with
     * {@code slots} slots each, and waits until every TaskManager has registered.
     *
     * @param jobJar the vencflow.jar whose nested runtime names the Flink jars of the cluster's class path
     */
    static StandaloneCluster start(Path dir, Path jobJar, int taskManagers, int slots, Duration timeout)
            throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        int rpcPort = freePort();
        int restPort = freePort();
        Map<String, String> settings = new LinkedHashMap<>();
        put(settings, JobManagerOptions.ADDRESS, HOST);
        put(settings, JobManagerOptions.PORT, Integer.toString(rpcPort));
        put(settings, JobManagerOptions.BIND_HOST, HOST);
        put(settings, JobManagerOptions.TOTAL_PROCESS_MEMORY, "768m");
        put(settings, RestOptions.ADDRESS, HOST);
        put(settings, RestOptions.BIND_ADDRESS, HOST);
        put(settings, RestOptions.PORT, Integer.toString(restPort));
        put(settings, TaskManagerOptions.HOST, HOST);
        put(settings, TaskManagerOptions.BIND_HOST, HOST);
        put(settings, TaskManagerOptions.NUM_TASK_SLOTS, Integer.toString(slots));
        put(settings, TaskManagerOptions.TOTAL_PROCESS_MEMORY, "1600m");
        put(settings, TaskManagerOptions.MANAGED_MEMORY_SIZE, "64m");
        // A killed TaskManager is noticed within seconds, not the default 50 s.
        put(settings, HeartbeatManagerOptions.HEARTBEAT_INTERVAL, "1 s");
        put(settings, HeartbeatManagerOptions.HEARTBEAT_TIMEOUT, "5 s");
        put(settings, RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        put(settings, RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, "10");
        put(settings, RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, "1 s");
        put(settings, CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                dir.resolve("cluster-checkpoints").toUri().toString());
        put(settings, CoreOptions.TMP_DIRS, Files.createDirectories(dir.resolve("tmp")).toString());
        put(settings, ClusterOptions.PROCESS_WORKING_DIR_BASE, Files.createDirectories(dir.resolve("work")).toString());
        put(settings, BlobServerOptions.STORAGE_DIRECTORY, Files.createDirectories(dir.resolve("blobs")).toString());
        put(settings, WebOptions.TMP_DIR, Files.createDirectories(dir.resolve("web")).toString());
        put(settings, CoreOptions.FLINK_JVM_OPTIONS, String.join(" ", JAVA_17_OPTS));
        Files.writeString(conf.resolve(GlobalConfiguration.FLINK_CONF_FILENAME), settings.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n", "", "\n")));
        Configuration loaded = GlobalConfiguration.loadConfiguration(conf.toString());

        String classPath = classPath(jobJar);
        JobManagerProcessSpec jm = JobManagerProcessUtils.processSpecFromConfig(loaded);
        List<String> jmArgs = new ArrayList<>(List.of("--configDir", conf.toString()));
        jmArgs.addAll(split(JobManagerProcessUtils.generateDynamicConfigsStr(jm)));
        JavaProcess jobManager = JavaProcess.start("jobmanager", dir, classPath,
                jvmArgs(JobManagerProcessUtils.generateJvmParametersStr(jm, loaded)),
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", jmArgs);
        StandaloneCluster cluster = new StandaloneCluster(dir, conf, classPath, restPort, jobManager);
        try {
            TaskExecutorProcessSpec tm = TaskExecutorProcessUtils.processSpecFromConfig(loaded);
            for (int i = 1; i <= taskManagers; i++) {
                String id = "tm-" + i;
                List<String> tmArgs = new ArrayList<>(List.of("--configDir", conf.toString(),
                        "-D", TaskManagerOptions.TASK_MANAGER_RESOURCE_ID.key() + "=" + id));
                tmArgs.addAll(split(TaskExecutorProcessUtils.generateDynamicConfigsStr(tm)));
                cluster.taskManagers.put(id, JavaProcess.start("taskmanager-" + i, dir, classPath,
                        jvmArgs(ProcessMemoryUtils.generateJvmParametersStr(tm)),
                        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", tmArgs));
            }
            cluster.awaitTaskManagers(taskManagers, timeout);
            return cluster;
        } catch (Exception | AssertionError e) {
            String logs = cluster.logs(40);
            cluster.close();
            throw new AssertionError("the cluster did not start: " + e + "\n" + logs, e);
        }
    }

    /** The client settings of this cluster's REST endpoint. */
    Configuration clientConfiguration() {
        Configuration c = new Configuration();
        c.set(RestOptions.ADDRESS, HOST);
        c.set(RestOptions.PORT, restPort);
        c.set(JobManagerOptions.ADDRESS, HOST);
        return c;
    }

    /** GET on the REST API, e.g. {@code /taskmanagers}. */
    JsonNode rest(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + restPort + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** The registered TaskManagers by resource id: slots in use. */
    Map<String, Integer> slotsInUse() throws IOException, InterruptedException {
        Map<String, Integer> used = new LinkedHashMap<>();
        for (JsonNode tm : rest("/taskmanagers").path("taskmanagers")) {
            used.put(tm.path("id").asText(), tm.path("slotsNumber").asInt() - tm.path("freeSlots").asInt());
        }
        return used;
    }

    JavaProcess taskManager(String resourceId) {
        JavaProcess p = taskManagers.get(resourceId);
        if (p == null) {
            throw new IllegalArgumentException("no TaskManager " + resourceId + "; started: " + taskManagers.keySet());
        }
        return p;
    }

    /** The last lines of every process's output and log. */
    String logs(int lines) {
        StringBuilder b = new StringBuilder(jobManager.tail(lines));
        taskManagers.values().forEach(tm -> b.append(tm.tail(lines)));
        return b.toString();
    }

    Path dir() {
        return dir;
    }

    /** The folder with the cluster's config.yaml: {@code FLINK_CONF_DIR} for a client. */
    Path configDir() {
        return configDir;
    }

    /** The class path of the cluster's processes: a Flink distribution's lib/. */
    String classPath() {
        return classPath;
    }

    private void awaitTaskManagers(int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!jobManager.isAlive()) {
                throw new IllegalStateException("the JobManager exited");
            }
            try {
                Map<String, Integer> registered = slotsInUse();
                if (registered.keySet().containsAll(taskManagers.keySet()) && registered.size() == count) {
                    return;
                }
                last = "registered: " + registered.keySet();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(count + " TaskManagers did not register within " + timeout + " (" + last + ")");
    }

    /**
     * Flink's runtime jars as vencflow.jar names them under META-INF/vencflow-runtime/, found on the
     * test's class path (the same files), and {@link #LIB_JARS}.
     */
    private static String classPath(Path jobJar) throws IOException {
        List<String> runtime;
        try (JarFile jar = new JarFile(jobJar.toFile())) {
            runtime = jar.stream().map(e -> e.getName())
                    .filter(n -> n.startsWith("META-INF/vencflow-runtime/") && n.endsWith(".jar"))
                    .map(n -> n.substring(n.lastIndexOf('/') + 1)).toList();
        }
        if (runtime.isEmpty()) {
            throw new IllegalStateException(jobJar + " nests no Flink runtime under META-INF/vencflow-runtime/");
        }
        List<String> testClassPath = Arrays.asList(JavaProcess.testClassPath().split(File.pathSeparator));
        List<String> entries = new ArrayList<>();
        for (String name : runtime) {
            entries.add(testClassPath.stream().filter(e -> Path.of(e).getFileName().toString().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalStateException(name + " (nested in " + jobJar
                            + ") is not on the test class path")));
        }
        for (String prefix : LIB_JARS) {
            entries.add(testClassPath.stream().filter(e -> Path.of(e).getFileName().toString().startsWith(prefix))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(prefix + "*.jar is not on the test class path")));
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void put(Map<String, String> settings, ConfigOption<?> option, String value) {
        settings.put(option.key(), value);
    }

    /** The memory flags Flink derives from the configuration, and {@link #JAVA_17_OPTS}. */
    private static List<String> jvmArgs(String memoryFlags) {
        List<String> args = new ArrayList<>(split(memoryFlags));
        args.addAll(JAVA_17_OPTS);
        return args;
    }

    private static List<String> split(String args) {
        return Arrays.stream(args.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }

    /** Kills the TaskManagers, then the JobManager (SIGKILL: nothing of theirs is needed afterwards). */
    @Override
    public void close() throws InterruptedException {
        for (JavaProcess tm : taskManagers.values()) {
            tm.close();
        }
        jobManager.close();
    }
}

package io.vencflow.jobs.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Puts Flink on the class path of {@code java -jar vencflow.jar}. The jar carries Flink's own runtime
 * as nested jars under {@value #RUNTIME_DIR} instead of shading it in, so the same jar is a job jar for
 * {@code flink run -c <job class> vencflow.jar} (the cluster provides Flink; the nested jars are
 * ignored) and a standalone program. For the latter the jar's manifest names this class as its
 * {@code Launcher-Agent-Class}: the JVM runs {@link #agentmain} before the main class, and it unpacks
 * the nested jars once into a cache folder and appends them to the system class path (where Flink's
 * local cluster looks for classes; a separate class loader would not do).
 *
 * <p>Deliberately free of any dependency: it runs before Flink is on the class path.
 */
public final class Launcher {
    /** Where the build puts Flink's runtime jars inside vencflow.jar. */
    public static final String RUNTIME_DIR = "META-INF/vencflow-runtime/";
    private static final String PROBE_CLASS = "org.apache.flink.streaming.api.environment.StreamExecutionEnvironment";

    private Launcher() {
    }

    /** Called by the JVM before the main class when started with {@code java -jar vencflow.jar}. */
    public static void agentmain(String agentArgs, Instrumentation inst) throws IOException {
        if (onClassPath()) {
            return;
        }
        for (Path jar : unpackRuntime(ownJar())) {
            inst.appendToSystemClassLoaderSearch(new JarFile(jar.toFile()));
        }
    }

    private static boolean onClassPath() {
        try {
            Class.forName(PROBE_CLASS, false, ClassLoader.getSystemClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static Path ownJar() {
        try {
            Path p = Paths.get(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException("vencflow runs from " + p + ", not from vencflow.jar, and Flink is "
                        + "not on the class path; run java -jar jobs/target/vencflow.jar");
            }
            return p;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot locate vencflow.jar: " + e.getMessage(), e);
        }
    }

    /**
     * Unpacks the nested runtime jars into {@code ~/.cache/vencflow/runtime-<size>-<mtime>} (or the temp
     * folder when home is not writable), once per build of the jar; a marker file says it finished.
     */
    private static List<Path> unpackRuntime(Path self) throws IOException {
        String key = Files.size(self) + "-" + Files.getLastModifiedTime(self).toMillis();
        Path base = cacheBase().resolve("runtime-" + key);
        Path done = base.resolve(".complete");
        List<Path> jars = new ArrayList<>();
        try (JarFile jar = new JarFile(self.toFile())) {
            boolean unpacked = Files.exists(done);
            if (!unpacked) {
                Files.createDirectories(base);
            }
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                String name = e.getName();
                if (!name.startsWith(RUNTIME_DIR) || !name.endsWith(".jar")) {
                    continue;
                }
                Path target = base.resolve(name.substring(RUNTIME_DIR.length()));
                if (!unpacked) {
                    Path part = Files.createTempFile(base, "unpack", ".part");
                    try (InputStream in = jar.getInputStream(e)) {
                        Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                    }
                    Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
                jars.add(target);
            }
            if (jars.isEmpty()) {
                throw new IllegalStateException(self + " holds no Flink runtime under " + RUNTIME_DIR
                        + "; rebuild it with mvn package");
            }
            if (!unpacked) {
                Files.writeString(done, Integer.toString(jars.size()));
            }
        }
        return jars;
    }

    private static Path cacheBase() {
        Path home = Paths.get(System.getProperty("user.home", "."), ".cache", "vencflow");
        try {
            Files.createDirectories(home);
            if (Files.isWritable(home)) {
                return home;
            }
        } catch (IOException e) {
            // fall through to the temp folder
        }
        return Paths.get(System.getProperty("java.io.tmpdir"), "vencflow-" + System.getProperty("user.name", "user"));
    }
}

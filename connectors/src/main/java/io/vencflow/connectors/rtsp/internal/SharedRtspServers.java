package io.vencflow.connectors.rtsp.internal;

import io.vencflow.connectors.rtsp.KeyframeRequester;
import io.vencflow.connectors.rtsp.RtspServer;
import io.vencflow.connectors.rtsp.RtspServerConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded servers of this JVM (a Flink TaskManager), one per bind address and configured port,
 * shared by every sink writer that asks for it and closed when the last one lets go. Thread-safe.
 *
 * <p>The registry lives in the class loader that loaded this class: with the connector in a job's
 * jar, each job has its own (and a second job asking for a port another job serves fails to bind).
 */
public final class SharedRtspServers {
    private static final Logger LOG = LoggerFactory.getLogger(SharedRtspServers.class);

    private record Key(String bindAddress, int port) {
    }

    private static final class Entry {
        final RtspServerConfig config;
        final RtspServer server;
        int references;

        Entry(RtspServerConfig config, RtspServer server) {
            this.config = config;
            this.server = server;
        }
    }

    private static final Map<Key, Entry> SERVERS = new HashMap<>();

    private SharedRtspServers() {
    }

    /** A lease on this JVM's server for {@code config}; the server starts with the first lease. */
    public static final class Lease implements AutoCloseable {
        private final Key key;
        private final RtspServer server;
        private boolean closed;

        private Lease(Key key, RtspServer server) {
            this.key = key;
            this.server = server;
        }

        public RtspServer server() {
            return server;
        }

        /** Gives the lease back; the last one closes the server. */
        @Override
        public void close() {
            synchronized (SharedRtspServers.class) {
                if (closed) {
                    return;
                }
                closed = true;
                Entry e = SERVERS.get(key);
                if (e != null && e.server == server && --e.references == 0) {
                    SERVERS.remove(key);
                    LOG.info("last RTSP sink writer on {}:{} closed; stopping its server", key.bindAddress(), key.port());
                    server.close();
                }
            }
        }
    }

    /**
     * Leases the server of {@code config}, starting it when none runs. A server already running on the
     * same address and port with another config is refused with {@link IllegalStateException} naming
     * both, since one of the two sinks would not get what it configured.
     */
    public static synchronized Lease acquire(RtspServerConfig config, KeyframeRequester keyframeRequester) {
        Key key = new Key(config.bindAddress(), config.port());
        Entry e = SERVERS.get(key);
        if (e != null && !e.config.equals(config)) {
            throw new IllegalStateException("RTSP port " + config.port() + " on " + config.bindAddress()
                    + " is already served in this JVM by a server configured as " + e.config + "; this sink asks for "
                    + config + ". Give each sink its own port, or the same config");
        }
        if (e == null) {
            RtspServer server = RtspServer.builder().config(config).keyframeRequester(keyframeRequester).build().start();
            e = new Entry(config, server);
            SERVERS.put(key, e);
        }
        e.references++;
        return new Lease(key, e.server);
    }

    /** The bound port of this JVM's server for {@code config}, when one runs. */
    public static synchronized OptionalInt boundPort(RtspServerConfig config) {
        Entry e = SERVERS.get(new Key(config.bindAddress(), config.port()));
        return e == null ? OptionalInt.empty() : OptionalInt.of(e.server.port());
    }

    /** The running server of {@code config} in this JVM, or null. */
    public static synchronized RtspServer running(RtspServerConfig config) {
        Entry e = SERVERS.get(new Key(config.bindAddress(), config.port()));
        return e == null ? null : e.server;
    }
}

package io.vencflow.connectors.rtsp;

import io.vencflow.connectors.rtsp.internal.RtpPacketizer;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The settings of an embedded {@link RtspServer}: where it listens, its transports, timeouts, request
 * limits and users. Immutable and serializable (a Flink {@link RtspSink} carries one); made with
 * {@link #builder()}, which checks every setting at {@link Builder#build()}.
 *
 * <p>It binds to 127.0.0.1 unless told otherwise. Passwords of configured users travel with the
 * config (also inside a Flink job graph) and are never printed by {@link #toString()}.
 */
public final class RtspServerConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String bindAddress;
    private final int port;
    private final boolean udpEnabled;
    private final int udpRtpPort;
    private final int sessionTimeoutSeconds;
    private final int maxRtpPayloadBytes;
    private final long maxClientQueueBytes;
    private final long clientStallTimeoutMs;
    private final long describeWaitMs;
    private final long requestTimeoutMs;
    private final long idleTimeoutMs;
    private final int maxRequestLineBytes;
    private final int maxHeaderBytes;
    private final int maxHeaderCount;
    private final int maxContentBytes;
    private final int maxConnections;
    private final int maxSessions;
    private final int ioThreads;
    private final int socketSendBufferBytes;
    private final boolean acceptPublishers;
    private final String realm;
    private final Map<String, String> users;

    private RtspServerConfig(Builder b) {
        this.bindAddress = b.bindAddress;
        this.port = b.port;
        this.udpEnabled = b.udpEnabled;
        this.udpRtpPort = b.udpRtpPort;
        this.sessionTimeoutSeconds = b.sessionTimeoutSeconds;
        this.maxRtpPayloadBytes = b.maxRtpPayloadBytes;
        this.maxClientQueueBytes = b.maxClientQueueBytes;
        this.clientStallTimeoutMs = b.clientStallTimeoutMs;
        this.describeWaitMs = b.describeWaitMs;
        this.requestTimeoutMs = b.requestTimeoutMs;
        this.idleTimeoutMs = b.idleTimeoutMs;
        this.maxRequestLineBytes = b.maxRequestLineBytes;
        this.maxHeaderBytes = b.maxHeaderBytes;
        this.maxHeaderCount = b.maxHeaderCount;
        this.maxContentBytes = b.maxContentBytes;
        this.maxConnections = b.maxConnections;
        this.maxSessions = b.maxSessions;
        this.ioThreads = b.ioThreads;
        this.socketSendBufferBytes = b.socketSendBufferBytes;
        this.acceptPublishers = b.acceptPublishers;
        this.realm = b.realm;
        this.users = Collections.unmodifiableMap(new LinkedHashMap<>(b.users));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to change some. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.bindAddress = bindAddress;
        b.port = port;
        b.udpEnabled = udpEnabled;
        b.udpRtpPort = udpRtpPort;
        b.sessionTimeoutSeconds = sessionTimeoutSeconds;
        b.maxRtpPayloadBytes = maxRtpPayloadBytes;
        b.maxClientQueueBytes = maxClientQueueBytes;
        b.clientStallTimeoutMs = clientStallTimeoutMs;
        b.describeWaitMs = describeWaitMs;
        b.requestTimeoutMs = requestTimeoutMs;
        b.idleTimeoutMs = idleTimeoutMs;
        b.maxRequestLineBytes = maxRequestLineBytes;
        b.maxHeaderBytes = maxHeaderBytes;
        b.maxHeaderCount = maxHeaderCount;
        b.maxContentBytes = maxContentBytes;
        b.maxConnections = maxConnections;
        b.maxSessions = maxSessions;
        b.ioThreads = ioThreads;
        b.socketSendBufferBytes = socketSendBufferBytes;
        b.acceptPublishers = acceptPublishers;
        b.realm = realm;
        b.users.putAll(users);
        return b;
    }

    /** The address the server listens on (default 127.0.0.1). */
    public String bindAddress() {
        return bindAddress;
    }

    /** The RTSP TCP port; 0 picks a free one (read it back from {@link RtspServer#port()}). */
    public int port() {
        return port;
    }

    /** Whether clients may ask for RTP over unicast UDP (otherwise only TCP interleaved). */
    public boolean udpEnabled() {
        return udpEnabled;
    }

    /** The even server port for RTP over UDP (RTCP on the next); 0 picks a free pair. */
    public int udpRtpPort() {
        return udpRtpPort;
    }

    /** Seconds a session lives without a request or RTCP from its client (the Session header's timeout). */
    public int sessionTimeoutSeconds() {
        return sessionTimeoutSeconds;
    }

    /** The largest RTP payload; larger NAL units are fragmented. */
    public int maxRtpPayloadBytes() {
        return maxRtpPayloadBytes;
    }

    /** Bytes a client may have queued (handed to its connection, not yet on the wire) before it drops to the next IDR. */
    public long maxClientQueueBytes() {
        return maxClientQueueBytes;
    }

    /** How long a client may stay unable to take frames before it is disconnected. */
    public long clientStallTimeoutMs() {
        return clientStallTimeoutMs;
    }

    /** How long DESCRIBE of a channel that has not published its parameter sets yet waits before 404. */
    public long describeWaitMs() {
        return describeWaitMs;
    }

    /** How long a request may take to arrive from its first byte to its last (slow senders are cut off). */
    public long requestTimeoutMs() {
        return requestTimeoutMs;
    }

    /** How long a connection without a session may stay silent before it is closed. */
    public long idleTimeoutMs() {
        return idleTimeoutMs;
    }

    public int maxRequestLineBytes() {
        return maxRequestLineBytes;
    }

    /** The largest request head: request line and headers. */
    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    public int maxHeaderCount() {
        return maxHeaderCount;
    }

    /** The largest request body (an ANNOUNCE's SDP, a SET_PARAMETER). */
    public int maxContentBytes() {
        return maxContentBytes;
    }

    public int maxConnections() {
        return maxConnections;
    }

    /** Live sessions the server holds at most; a SETUP beyond gets 453 Not Enough Bandwidth. */
    public int maxSessions() {
        return maxSessions;
    }

    /** Network threads serving connections. */
    public int ioThreads() {
        return ioThreads;
    }

    /** SO_SNDBUF of client connections; 0 leaves the OS default. */
    public int socketSendBufferBytes() {
        return socketSendBufferBytes;
    }

    /** Whether clients may publish channels (ANNOUNCE/RECORD), making the server a relay. */
    public boolean acceptPublishers() {
        return acceptPublishers;
    }

    /** The Digest realm. */
    public String realm() {
        return realm;
    }

    /** User names and passwords; empty means no authentication. */
    public Map<String, String> users() {
        return users;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RtspServerConfig c)) {
            return false;
        }
        return port == c.port && udpEnabled == c.udpEnabled && udpRtpPort == c.udpRtpPort
                && sessionTimeoutSeconds == c.sessionTimeoutSeconds && maxRtpPayloadBytes == c.maxRtpPayloadBytes
                && maxClientQueueBytes == c.maxClientQueueBytes && clientStallTimeoutMs == c.clientStallTimeoutMs
                && describeWaitMs == c.describeWaitMs && requestTimeoutMs == c.requestTimeoutMs
                && idleTimeoutMs == c.idleTimeoutMs && maxRequestLineBytes == c.maxRequestLineBytes
                && maxHeaderBytes == c.maxHeaderBytes && maxHeaderCount == c.maxHeaderCount
                && maxContentBytes == c.maxContentBytes && maxConnections == c.maxConnections && maxSessions == c.maxSessions
                && ioThreads == c.ioThreads && socketSendBufferBytes == c.socketSendBufferBytes
                && acceptPublishers == c.acceptPublishers && bindAddress.equals(c.bindAddress)
                && realm.equals(c.realm) && users.equals(c.users);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bindAddress, port, udpEnabled, udpRtpPort, sessionTimeoutSeconds, users.keySet());
    }

    @Override
    public String toString() {
        return "RtspServerConfig[" + bindAddress + ":" + port + (udpEnabled ? ", udp " + udpRtpPort : ", tcp only")
                + ", session timeout " + sessionTimeoutSeconds + " s, payload " + maxRtpPayloadBytes
                + " B, client queue " + maxClientQueueBytes + " B, " + users.size() + " users"
                + (acceptPublishers ? ", accepts publishers" : "") + "]";
    }

    /** Builds a {@link RtspServerConfig}; every setting is checked at {@link #build()}. */
    public static final class Builder {
        private String bindAddress = "127.0.0.1";
        private int port = 8554;
        private boolean udpEnabled = true;
        private int udpRtpPort = 0;
        private int sessionTimeoutSeconds = 60;
        private int maxRtpPayloadBytes = RtpPacketizer.DEFAULT_MAX_PAYLOAD_BYTES;
        private long maxClientQueueBytes = 4L << 20;
        private long clientStallTimeoutMs = 10_000;
        private long describeWaitMs = 2_000;
        private long requestTimeoutMs = 10_000;
        private long idleTimeoutMs = 60_000;
        private int maxRequestLineBytes = 2048;
        private int maxHeaderBytes = 8192;
        private int maxHeaderCount = 64;
        private int maxContentBytes = 16384;
        private int maxConnections = 1024;
        private int maxSessions = 1024;
        private int ioThreads = 2;
        private int socketSendBufferBytes = 0;
        private boolean acceptPublishers = false;
        private String realm = "vencflow";
        private final Map<String, String> users = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder bindAddress(String bindAddress) {
            this.bindAddress = bindAddress;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder udpEnabled(boolean udpEnabled) {
            this.udpEnabled = udpEnabled;
            return this;
        }

        public Builder udpRtpPort(int udpRtpPort) {
            this.udpRtpPort = udpRtpPort;
            return this;
        }

        public Builder sessionTimeoutSeconds(int sessionTimeoutSeconds) {
            this.sessionTimeoutSeconds = sessionTimeoutSeconds;
            return this;
        }

        public Builder maxRtpPayloadBytes(int maxRtpPayloadBytes) {
            this.maxRtpPayloadBytes = maxRtpPayloadBytes;
            return this;
        }

        public Builder maxClientQueueBytes(long maxClientQueueBytes) {
            this.maxClientQueueBytes = maxClientQueueBytes;
            return this;
        }

        public Builder clientStallTimeoutMs(long clientStallTimeoutMs) {
            this.clientStallTimeoutMs = clientStallTimeoutMs;
            return this;
        }

        public Builder describeWaitMs(long describeWaitMs) {
            this.describeWaitMs = describeWaitMs;
            return this;
        }

        public Builder requestTimeoutMs(long requestTimeoutMs) {
            this.requestTimeoutMs = requestTimeoutMs;
            return this;
        }

        public Builder idleTimeoutMs(long idleTimeoutMs) {
            this.idleTimeoutMs = idleTimeoutMs;
            return this;
        }

        public Builder maxRequestLineBytes(int maxRequestLineBytes) {
            this.maxRequestLineBytes = maxRequestLineBytes;
            return this;
        }

        public Builder maxHeaderBytes(int maxHeaderBytes) {
            this.maxHeaderBytes = maxHeaderBytes;
            return this;
        }

        public Builder maxHeaderCount(int maxHeaderCount) {
            this.maxHeaderCount = maxHeaderCount;
            return this;
        }

        public Builder maxContentBytes(int maxContentBytes) {
            this.maxContentBytes = maxContentBytes;
            return this;
        }

        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        public Builder maxSessions(int maxSessions) {
            this.maxSessions = maxSessions;
            return this;
        }

        public Builder ioThreads(int ioThreads) {
            this.ioThreads = ioThreads;
            return this;
        }

        public Builder socketSendBufferBytes(int socketSendBufferBytes) {
            this.socketSendBufferBytes = socketSendBufferBytes;
            return this;
        }

        public Builder acceptPublishers(boolean acceptPublishers) {
            this.acceptPublishers = acceptPublishers;
            return this;
        }

        public Builder realm(String realm) {
            this.realm = realm;
            return this;
        }

        /** Adds a user for RTSP Digest authentication; with one or more users every request must authenticate. */
        public Builder user(String name, String password) {
            if (name == null || password == null) {
                throw new IllegalArgumentException("user name and password must not be null");
            }
            users.put(name, password);
            return this;
        }

        public RtspServerConfig build() {
            if (bindAddress == null || bindAddress.isBlank()) {
                throw new IllegalArgumentException("bind address is empty; expected a host name or IP address such as 127.0.0.1");
            }
            range("port", port, 0, 65535);
            if (udpRtpPort != 0 && (udpRtpPort < 1024 || udpRtpPort > 65534 || udpRtpPort % 2 != 0)) {
                throw new IllegalArgumentException("UDP RTP port " + udpRtpPort
                        + " is not valid; expected 0 (pick a free pair) or an even port 1024..65534 (RTCP uses the next)");
            }
            range("session timeout (s)", sessionTimeoutSeconds, 1, 3600);
            range("RTP payload size (bytes)", maxRtpPayloadBytes, RtpPacketizer.MIN_MAX_PAYLOAD_BYTES,
                    RtpPacketizer.MAX_MAX_PAYLOAD_BYTES);
            range("client queue (bytes)", maxClientQueueBytes, 64 << 10, 1L << 30);
            range("client stall timeout (ms)", clientStallTimeoutMs, 100, 600_000);
            range("DESCRIBE wait (ms)", describeWaitMs, 0, 60_000);
            range("request timeout (ms)", requestTimeoutMs, 100, 600_000);
            range("idle timeout (ms)", idleTimeoutMs, 100, 3_600_000);
            range("request line limit (bytes)", maxRequestLineBytes, 256, 65536);
            range("header limit (bytes)", maxHeaderBytes, 512, 1 << 20);
            if (maxHeaderBytes < maxRequestLineBytes) {
                throw new IllegalArgumentException("header limit " + maxHeaderBytes + " B is below the request line limit "
                        + maxRequestLineBytes + " B; the header limit counts the request line too");
            }
            range("header count limit", maxHeaderCount, 8, 1000);
            range("content limit (bytes)", maxContentBytes, 0, 1 << 20);
            range("connection limit", maxConnections, 1, 100_000);
            range("session limit", maxSessions, 1, 100_000);
            range("I/O threads", ioThreads, 1, 256);
            if (socketSendBufferBytes != 0) {
                range("socket send buffer (bytes)", socketSendBufferBytes, 4096, 64 << 20);
            }
            if (realm == null || realm.isEmpty() || realm.indexOf('"') >= 0 || realm.indexOf('\\') >= 0) {
                throw new IllegalArgumentException("realm '" + realm + "' is not valid; expected non-empty text without quotes or backslashes");
            }
            for (Map.Entry<String, String> u : users.entrySet()) {
                String name = u.getKey();
                if (name.isEmpty() || name.indexOf(':') >= 0 || name.indexOf('"') >= 0 || name.indexOf('\\') >= 0) {
                    throw new IllegalArgumentException("user name '" + name
                            + "' is not valid; expected non-empty text without ':', quotes or backslashes");
                }
                if (u.getValue().isEmpty()) {
                    throw new IllegalArgumentException("user '" + name + "' has an empty password");
                }
            }
            return new RtspServerConfig(this);
        }

        private static void range(String what, long value, long min, long max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(what + " " + value + " is out of range; expected " + min + ".." + max);
            }
        }
    }
}

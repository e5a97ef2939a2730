package io.vencflow.connectors.rtsp.internal;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's live sessions by id, and their reaping: a session whose client has been silent for
 * longer than the timeout is closed and forgotten. Ids are 64 random bits in hex, so that one client
 * cannot guess another's. Thread-safe.
 */
public final class SessionRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);

    private final ConcurrentHashMap<String, RtspSession> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random;

    public SessionRegistry(SecureRandom random) {
        this.random = random;
    }

    /** A fresh session id not in use. */
    public String newId() {
        byte[] bytes = new byte[8];
        while (true) {
            random.nextBytes(bytes);
            String id = HexFormat.of().withUpperCase().formatHex(bytes);
            if (!sessions.containsKey(id)) {
                return id;
            }
        }
    }

    public void register(RtspSession session) {
        sessions.put(session.id(), session);
    }

    /** The live session of that id, or null. */
    public RtspSession get(String id) {
        RtspSession s = id == null ? null : sessions.get(id);
        return s == null || s.isClosed() ? null : s;
    }

    /** Closes and forgets a session. */
    public void remove(RtspSession session, String reason) {
        sessions.remove(session.id(), session);
        session.close(reason);
    }

    public Collection<RtspSession> all() {
        return sessions.values();
    }

    public int size() {
        return sessions.size();
    }

    /** Closes every session silent for longer than {@code timeoutNanos}; returns how many. */
    public int reap(long timeoutNanos) {
        long now = System.nanoTime();
        List<RtspSession> expired = new ArrayList<>();
        for (RtspSession s : sessions.values()) {
            if (s.isClosed() || now - s.lastActivityNanos() > timeoutNanos) {
                expired.add(s);
            }
        }
        for (RtspSession s : expired) {
            if (!s.isClosed()) {
                LOG.info("session {} of channel {} timed out after {} ms without activity", s.id(), s.channel(),
                        (now - s.lastActivityNanos()) / 1_000_000);
            }
            remove(s, "session timed out");
        }
        return expired.size();
    }

    /** Closes every session (the server is closing). */
    public void closeAll(String reason) {
        for (RtspSession s : new ArrayList<>(sessions.values())) {
            remove(s, reason);
        }
    }
}

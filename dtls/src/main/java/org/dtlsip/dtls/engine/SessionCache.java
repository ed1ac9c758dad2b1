package org.dtlsip.dtls.engine;

import java.nio.ByteBuffer;
import org.dtlsip.dtls.util.LruMap;

/**
 * The server's session cache for session-ID resumption (RFC 5246 7.3): bounded, least recently
 * used first out, each entry good for a fixed lifetime. Thread-safe; one cache serves every
 * association made from one configuration.
 */
public final class SessionCache {
    /** Sessions kept: at ~200 bytes each, 10,000 sessions cost about 2 MB. */
    public static final int DEFAULT_MAX_SESSIONS = 10_000;
    /** RFC 5246 F.1.4 suggests an upper limit of 24 hours; we keep sessions 2 hours. */
    public static final long DEFAULT_LIFETIME_MILLIS = 2 * 60 * 60 * 1000L;

    private final long lifetimeMillis;
    private final LruMap<ByteBuffer, SessionState> sessions;

    public SessionCache(int maxSessions, long lifetimeMillis) {
        if (maxSessions <= 0 || lifetimeMillis <= 0) {
            throw new IllegalArgumentException("session cache size and lifetime must be positive");
        }
        this.lifetimeMillis = lifetimeMillis;
        this.sessions = new LruMap<>(maxSessions);
    }

    public static SessionCache withDefaults() {
        return new SessionCache(DEFAULT_MAX_SESSIONS, DEFAULT_LIFETIME_MILLIS);
    }

    public synchronized void put(byte[] sessionId, SessionState state) {
        sessions.put(ByteBuffer.wrap(sessionId.clone()), state);
    }

    /** The live session with this id, or {@code null} (unknown or expired). */
    public synchronized SessionState get(byte[] sessionId, long now) {
        ByteBuffer key = ByteBuffer.wrap(sessionId);
        SessionState s = sessions.get(key);
        if (s != null && now - s.createdMillis() > lifetimeMillis) {
            sessions.remove(key);
            return null;
        }
        return s;
    }

    /**
     * Forgets a session, e.g. because its connection ended with a fatal alert (RFC 5246 7.2.2:
     * such a session must not be resumed).
     *
     * @return whether it was cached
     */
    public synchronized boolean remove(byte[] sessionId) {
        return sessions.remove(ByteBuffer.wrap(sessionId)) != null;
    }

    /** Forgets every session, e.g. after the trust configuration changed. */
    public synchronized void clear() {
        sessions.clear();
    }

    public synchronized int size() {
        return sessions.size();
    }

    public long lifetimeMillis() {
        return lifetimeMillis;
    }
}

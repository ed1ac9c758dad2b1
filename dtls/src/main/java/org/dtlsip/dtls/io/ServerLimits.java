package org.dtlsip.dtls.io;

/**
 * What one {@link DtlsServer} lets its peers cost, each with a named default and its reason.
 * Build with {@link #defaults()} and the {@code with...} methods.
 *
 * @param maxAssociations associations kept at once, handshaking or established; a new client
 *     beyond it is refused (established associations are never evicted to make room)
 * @param maxHandshakes handshakes in progress at once; a cookie-verified ClientHello beyond it
 *     is refused, and the client's retransmission gets in once a slot frees
 * @param handshakeDeadlineMillis a handshake not complete this long after its association was
 *     created is evicted, freeing its slot (half-open associations cannot linger)
 * @param idleTimeoutMillis an established association that neither received nor sent
 *     application data or alerts this long is closed (close_notify sent) and evicted
 * @param maxReassemblyBytes handshake bytes one association may hold for reassembly; caps the
 *     engine's {@link org.dtlsip.dtls.handshake.Reassembler.Limits} per association
 */
public record ServerLimits(int maxAssociations, int maxHandshakes, long handshakeDeadlineMillis,
        long idleTimeoutMillis, int maxReassemblyBytes) {

    /** 10,000 associations: a SIP proxy's worth of peers at ~4 KiB each (docs/BENCHMARKS.md, "server"). */
    public static final int DEFAULT_MAX_ASSOCIATIONS = 10_000;
    /** 1,000 concurrent handshakes: what a flood of cookie-bearing ClientHellos can pin at once. */
    public static final int DEFAULT_MAX_HANDSHAKES = 1_000;
    /**
     * 30 s: five retransmissions at the default 1 s doubling timer (1+2+4+8+16 s) fit, and a
     * half-open association frees its slot well before the engine's own 45 s deadline.
     */
    public static final long DEFAULT_HANDSHAKE_DEADLINE_MILLIS = 30_000;
    /** 10 min: longer than SIP's keep-alive and registration refresh intervals (RFC 5626 4.4.1 suggests ~2 min pings). */
    public static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 600_000;
    /** 32 KiB: a client's Certificate chain with room to spare; 1,000 handshakes then pin at most 32 MiB. */
    public static final int DEFAULT_MAX_REASSEMBLY_BYTES = 32 * 1024;

    public ServerLimits {
        if (maxAssociations < 1 || maxHandshakes < 1) {
            throw new IllegalArgumentException("maxAssociations and maxHandshakes must be positive");
        }
        if (handshakeDeadlineMillis <= 0 || idleTimeoutMillis <= 0) {
            throw new IllegalArgumentException("handshake deadline and idle timeout must be positive");
        }
        if (maxReassemblyBytes < 1024) {
            throw new IllegalArgumentException("maxReassemblyBytes below 1024 cannot hold a ClientHello: " + maxReassemblyBytes);
        }
    }

    public static ServerLimits defaults() {
        return new ServerLimits(DEFAULT_MAX_ASSOCIATIONS, DEFAULT_MAX_HANDSHAKES, DEFAULT_HANDSHAKE_DEADLINE_MILLIS,
                DEFAULT_IDLE_TIMEOUT_MILLIS, DEFAULT_MAX_REASSEMBLY_BYTES);
    }

    public ServerLimits withMaxAssociations(int n) {
        return new ServerLimits(n, maxHandshakes, handshakeDeadlineMillis, idleTimeoutMillis, maxReassemblyBytes);
    }

    public ServerLimits withMaxHandshakes(int n) {
        return new ServerLimits(maxAssociations, n, handshakeDeadlineMillis, idleTimeoutMillis, maxReassemblyBytes);
    }

    public ServerLimits withHandshakeDeadlineMillis(long millis) {
        return new ServerLimits(maxAssociations, maxHandshakes, millis, idleTimeoutMillis, maxReassemblyBytes);
    }

    public ServerLimits withIdleTimeoutMillis(long millis) {
        return new ServerLimits(maxAssociations, maxHandshakes, handshakeDeadlineMillis, millis, maxReassemblyBytes);
    }

    public ServerLimits withMaxReassemblyBytes(int bytes) {
        return new ServerLimits(maxAssociations, maxHandshakes, handshakeDeadlineMillis, idleTimeoutMillis, bytes);
    }
}
